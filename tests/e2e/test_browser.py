"""End to end, as a DPO uses it: the app started the README's way, driven in headless Chromium.

Run with the rest of the suite (``make test``); skipped where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from pipia.answers import format as answers_mod
from pipia.answers import tabular
from pipia.bank.loader import load_bank
from pipia.store import Store

from .drive import changes_at_rest, choose, eventually, go_to, settle, tick, type_into, widget
from .server import VIEWPORT, Server, needs_chromium

pytestmark = [pytest.mark.e2e, needs_chromium]

PAGES = {"zh": ("评估列表", "出境路径", "问卷", "评估结果", "审核与批准", "评估报告"),
         "en": ("Assessments", "Route", "Questionnaire", "Results", "Review", "Report")}


def create(page: Page, server: Server, organisation: str) -> str:
    """A new assessment of the shipped certification bank; returns its id (from the URL)."""
    page.goto(server.url)
    settle(page)
    page.get_by_text("新建评估", exact=True).click()
    page.wait_for_timeout(500)  # the expander opens with an animation that moves the button
    field = widget(page, "pipia-new-organisation").locator("input")
    field.fill(organisation)
    field.press("Tab")
    widget(page, "pipia-create").locator("button").click()
    settle(page)
    expect(page.locator("h1")).to_have_text("出境路径")
    found = re.search(r"[?&]a=([0-9a-f]+)", page.url)
    assert found, page.url
    return found.group(1)


def answer_screening(page: Page) -> None:
    choose(page, "w-processor_is_ciio", "否")
    choose(page, "w-important_data", "否")
    choose(page, "w-important_data_identification",
           "已开展识别，拟出境数据中没有被告知或公开发布为重要数据的数据")
    tick(page, "w-exemptions--none")
    type_into(page, "w-individuals_non_sensitive", "150000")
    type_into(page, "w-individuals_sensitive", "0")


def open_section(page: Page, title_start: str) -> None:
    page.locator('[data-testid="stSidebar"] label').filter(has_text=title_start).first.click()
    settle(page)


@pytest.mark.seconds(10)
def test_a_dpo_assesses_a_transfer_and_downloads_the_report(page: Page, server: Server, tmp_path: Path) -> None:
    assessment = create(page, server, "浏览器测试有限公司")
    answer_screening(page)
    decision = widget(page, "route-decision")
    expect(decision).to_contain_text("订立个人信息出境标准合同或者通过个人信息保护认证")
    expect(decision).to_contain_text("理由")

    go_to(page, "问卷")
    open_section(page, "十一、其他事项")
    questions = load_bank("pipia-certification").bank.questions
    for qid in ("foreign_authority_requests", "reassessment_triggers", "certification_maintenance",
                "report_retention"):
        choose(page, f"w-{qid}", questions[qid].options[0].label.zh)
    type_into(page, "w-other_matters_notes", "无其他需要说明的情况。")
    type_into(page, "w-approver", "王五 个人信息保护负责人")
    expect(page.get_by_text("本节必答题 6/6")).to_be_visible()

    go_to(page, "评估结果")
    expect(page.get_by_text("评估未完成，尚不能得出结论")).to_be_visible()
    expect(page.get_by_text("风险矩阵（GB/T 39335）")).to_be_visible()

    go_to(page, "评估报告")
    with page.expect_download(timeout=60_000) as download:
        widget(page, "pipia-docx").locator("button").click()
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "浏览器测试有限公司" in text
    assert "王五 个人信息保护负责人" in text

    go_to(page, "评估列表")
    widget(page, f"menu-{assessment}").locator("button").first.click()
    settle(page)
    with page.expect_download() as exported:
        widget(page, f"export-yaml-{assessment}").locator("button").click()
    answers, _ = answers_mod.parse(Path(exported.value.path()).read_text(encoding="utf-8"), "export.yaml")
    assert answers.meta.organisation == "浏览器测试有限公司"
    assert answers.value("approver") == "王五 个人信息保护负责人"


@pytest.mark.seconds(11)
def test_a_dpo_goes_from_a_new_assessment_to_the_report_with_an_imported_inventory(
        page: Page, server: Server, tmp_path: Path) -> None:
    """Create → route → three sections → two recipients → 20 inventory rows by import → results → report."""
    page.goto(server.url)
    settle(page)
    page.get_by_text("新建评估", exact=True).click()
    page.wait_for_timeout(500)
    for key, text in (("pipia-new-organisation", "华东医院集团"), ("pipia-new-reviewer", "李审核"),
                      ("pipia-new-approver", "王审批 个人信息保护负责人")):
        widget(page, key).locator("input").fill(text)
    widget(page, "pipia-create").locator("button").click()
    settle(page)
    # Creating is two runs (the list, then the route page it switches to); on a busy machine the second
    # may start after settle has seen the first end: wait for the route page, as ``create`` does.
    expect(page.locator("h1")).to_have_text("出境路径")
    found = re.search(r"[?&]a=([0-9a-f]+)", page.url)
    assert found, page.url
    assessment = found.group(1)
    answer_screening(page)
    expect(widget(page, "route-decision")).to_contain_text("订立个人信息出境标准合同或者通过个人信息保护认证")

    go_to(page, "问卷")
    open_section(page, "二、个人信息处理者")
    type_into(page, "w-processor_name", "华东医院集团有限公司")
    open_section(page, "三、拟出境个人信息情况")
    inventory = load_bank("pipia-certification").bank.questions["data_inventory"]
    rows = [{c.id: (c.options[i % len(c.options)].value if c.options else 100 + i if c.type == "number"
                    else f"第{i + 1}行{c.label.zh}") for c in inventory.columns} for i in range(20)]
    sheet = tmp_path / "出境数据清单.xlsx"
    sheet.write_bytes(tabular.export_table(inventory, rows, "en", "xlsx"))  # English headings, Chinese UI
    widget(page, "w-data_inventory--files").locator("button").first.click()
    settle(page)
    widget(page, "w-data_inventory--upload").locator("input[type=file]").set_input_files(str(sheet))
    settle(page)
    expect(page.get_by_text("已从 出境数据清单.xlsx 导入 20 行。")).to_be_visible()
    open_section(page, "七、境外接收方")
    type_into(page, "w-recipients-0-recipient_name", "Klinikum Berlin GmbH")
    widget(page, "pipia-add-recipients").locator("button").click()
    settle(page)
    type_into(page, "w-recipients-1-recipient_name", "Boston Health Analytics Inc.")
    with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
        answers = store.get(assessment).answers
    assert answers.meta.reviewer == "李审核" and answers.value("approver") == "王审批 个人信息保护负责人"
    assert answers.value("data_inventory") == rows
    assert [i["recipient_name"].value for i in answers.items("recipients")] == [
        "Klinikum Berlin GmbH", "Boston Health Analytics Inc."]

    go_to(page, "评估结果")
    expect(page.get_by_text("风险矩阵（GB/T 39335）")).to_be_visible()
    go_to(page, "评估报告")
    with page.expect_download(timeout=60_000) as download:
        widget(page, "pipia-docx").locator("button").click()
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for expected in ("华东医院集团", "第20行数据项", "Klinikum Berlin GmbH", "Boston Health Analytics Inc.",
                     "王审批 个人信息保护负责人"):
        assert expected in text, expected


@pytest.mark.seconds(10)
def test_what_was_committed_or_paused_on_survives_a_refresh_and_a_kill_and_only_the_text_being_typed_is_lost(
        page: Page, server: Server) -> None:
    """Answers are in the store once committed (a choice, Tab) or a moment after typing stops (no Enter, no
    leaving the field); a refresh and a killed server lose none of them, at most the text still being typed.

    One walk for both, as starting a server and creating an assessment is most of what either would cost.
    """
    assessment = create(page, server, "断电测试公司")
    choose(page, "w-processor_is_ciio", "否")
    go_to(page, "问卷")
    open_section(page, "二、个人信息处理者")
    type_into(page, "w-processor_name", "断电测试有限公司")
    type_into(page, "w-processor_uscc", "91330100MA2XXXXX0X")
    widget(page, "w-processor_address").locator("input").click()
    page.keyboard.type("杭州市西湖区文三路")
    page.wait_for_timeout(1500)
    settle(page)
    with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
        assert store.get(assessment).answers.value("processor_address") == "杭州市西湖区文三路"
    page.reload()
    settle(page)
    expect(widget(page, "w-processor_address").locator("input")).to_have_value("杭州市西湖区文三路")
    # Being typed, not yet committed (no Enter, no leaving the field, no pause) when the server dies.
    widget(page, "w-ownership_control").locator("textarea").fill("由集团全资持有")
    server.kill()
    server.start()
    page.reload()
    settle(page)
    assert f"a={assessment}" in page.url and "s=processor" in page.url
    expect(widget(page, "w-processor_name").locator("input")).to_have_value("断电测试有限公司")
    expect(widget(page, "w-processor_uscc").locator("input")).to_have_value("91330100MA2XXXXX0X")
    expect(widget(page, "w-processor_address").locator("input")).to_have_value("杭州市西湖区文三路")
    with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
        answers = store.get(assessment).answers
    assert answers.value("processor_is_ciio") is False
    assert answers.value("processor_name") == "断电测试有限公司"
    assert answers.value("processor_uscc") == "91330100MA2XXXXX0X"
    assert answers.value("processor_address") == "杭州市西湖区文三路"


@pytest.mark.seconds(18)
def test_while_the_server_is_away_the_page_says_so_in_chinese_and_sends_the_text_when_it_is_back(
        page: Page, server: Server) -> None:
    assessment = create(page, server, "离线测试公司")
    go_to(page, "问卷")
    open_section(page, "二、个人信息处理者")
    widget(page, "w-processor_name").locator("input").click()
    page.keyboard.type("断线前输入的名称")
    server.kill()  # before the pause that sends it: the page cannot send it now
    banner = page.locator("#pipia-offline")
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner).to_contain_text("断开期间的修改尚未保存")
    expect(widget(page, "pipia-save-status")).to_contain_text("未保存：服务器连接中断")
    page.wait_for_timeout(8000)  # long enough for Streamlit's own connection dialog to appear
    expect(page.get_by_text("Connection error")).to_have_count(0)
    expect(page.get_by_text("Connecting", exact=True)).to_have_count(0)
    shots = os.environ.get("PIPIA_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(shots) / "zh-offline.png")
    server.start()
    expect(banner).to_be_hidden(timeout=30_000)

    def stored_name() -> object:
        with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
            return store.get(assessment).answers.value("processor_name")

    eventually(stored_name, "断线前输入的名称")  # the keeper sends it again once the page is drawn again
    settle(page)
    expect(widget(page, "w-processor_name").locator("input")).to_have_value("断线前输入的名称")
    expect(widget(page, "pipia-save-status")).to_contain_text("已自动保存")


@pytest.mark.seconds(12)
def test_every_page_in_both_languages_draws_cleanly_and_locally(page: Page, server: Server) -> None:
    """Each page, in Chinese and English, on the shipped sample: no error, nothing fetched from elsewhere,
    and once drawn, nothing changing while nobody does anything.

    With PIPIA_SCREENSHOTS set to a folder, a screenshot of each page is saved there to look at.
    """
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None)
    shots = Path(os.environ["PIPIA_SCREENSHOTS"]) if os.environ.get("PIPIA_SCREENSHOTS") else None
    page.goto(server.url)
    settle(page)
    page.locator('[class*="st-key-open-"] button').first.click()
    settle(page)
    for lang, switch in (("zh", "中文"), ("en", "English")):
        widget(page, "pipia-lang").get_by_text(switch, exact=True).click()
        settle(page)
        for title in PAGES[lang]:
            go_to(page, title)
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
            expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text(PAGES[lang][0])
            assert changes_at_rest(page) == [], title
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=shots / f"{lang}-{PAGES['en'][PAGES[lang].index(title)].lower()}.png")
    assert page.viewport_size == VIEWPORT
    assert not outside, outside


@pytest.mark.seconds(7)
def test_two_rows_of_the_data_inventory_are_edited_in_turn_and_both_saved(page: Page, server: Server) -> None:
    """The row editor: choose a row, change a cell in its form, save; the next row the same way.

    Chinese typed into the form arrives whole (a grid editor once kept "5年" of "会诊结束后5年").
    """
    page.goto(server.url)
    settle(page)
    page.locator('[class*="st-key-open-"] button').first.click()  # the shipped sample
    settle(page)
    found = re.search(r"[?&]a=([0-9a-f]+)", page.url)
    assert found
    assessment = found.group(1)
    page.goto(f"{server.url}/questionnaire?a={assessment}&s=data_inventory")
    settle(page)
    for row, text in ((0, "会诊结束后5年"), (1, "第二处修改")):
        chooser = widget(page, "w-data_inventory--row")
        chooser.scroll_into_view_if_needed()
        chooser.locator("input").click()
        page.get_by_role("option").nth(row + 1).click()  # option 0 is "a new row"
        settle(page)
        field = widget(page, "w-data_inventory--cell-retention").locator("input")
        field.fill(text)
        widget(page, "w-data_inventory--save").locator("button").click()
        settle(page)
    with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
        rows = store.get(assessment).answers.value("data_inventory")
    assert [r["retention"] for r in rows[:2]] == ["会诊结束后5年", "第二处修改"]
    assert len(rows) > 2  # the other rows untouched
    shots = os.environ.get("PIPIA_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        widget(page, "box-w-data_inventory").screenshot(path=Path(shots) / "zh-data-inventory.png")


@pytest.mark.seconds(7)
def test_markdown_in_user_text_makes_no_browser_fetch_anything_and_a_crafted_url_shows_no_error(
        page: Page, server: Server) -> None:
    """A recipient or organisation named ``![x](http://…)`` is text: no viewer's browser requests the URL."""
    from pipia.files.resources import samples_dir  # noqa: PLC0415

    bait = "http://127.0.0.1:9/leak.png"
    sample, _ = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")
    hostile = sample.with_value("recipient_name", f"![x]({bait}) Acme", group="recipients", item=0)
    hostile = hostile.model_copy(update={"meta": hostile.meta.model_copy(update={"organisation": f"![o]({bait})"})})
    with Store(f"sqlite:///{server.data_dir / 'pipia.db'}") as store:
        assessment = store.create(hostile).id
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "127.0.0.1:9/" in r.url else None)
    page.goto(f"{server.url}/?a={assessment}&s=recipient&i=²")
    settle(page)
    for title in PAGES["zh"]:
        go_to(page, title)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    go_to(page, "评估结果")
    page.get_by_text("Acme", exact=False).first.wait_for()  # the name is on the page, as text
    assert fetched == []
