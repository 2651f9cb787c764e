"""The app's pure helpers: widget values, table edits, the URL, uploads, and the app's own strings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from pipia.answers.format import Answers
from pipia.assessment import scoring
from pipia.bank.format import LoadedBank, Question
from pipia.bank.library import SourceRegistry
from pipia.bank.loader import load_bank
from pipia.errors import NotFoundError
from pipia.ui import history, summary, tables, text, values, widgets
from pipia.ui.location import Location
from pipia.ui.widgets import View

APP_BANK = Path(__file__).parent / "data" / "app" / "bank.yaml"
UI = Path(__file__).resolve().parents[1] / "src" / "pipia" / "ui"


@pytest.fixture(scope="module")
def questions() -> dict[str, Question]:
    return load_bank(APP_BANK).bank.questions


# -- values ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("qid", "answer", "shown"), [
    ("processor_is_ciio", False, "no"),
    ("processor_is_ciio", "yes", "yes"),
    ("processor_kind", "company", "company"),
    ("processor_kind", "not-an-option", None),
    ("exemptions", ["none", "bogus"], ["none"]),
    ("exemptions", None, []),
    ("individuals_sensitive", 12.0, 12),
    ("individuals_sensitive", True, None),
    ("contract_effective_date", "2026-03-01", dt.date(2026, 3, 1)),
    ("contract_effective_date", "not a date", None),
    ("processor_name", 42, "42"),
])
def test_answers_as_widgets_show_them(questions: dict[str, Question], qid: str, answer: object,
                                      shown: object) -> None:
    assert values.to_widget(questions[qid], answer) == shown


@pytest.mark.parametrize(("qid", "raw", "answer"), [
    ("processor_is_ciio", "no", False),
    ("processor_is_ciio", None, None),
    ("exemptions", [], None),
    ("individuals_sensitive", 12, 12),
    ("processor_name", "   ", None),
    ("contract_effective_date", dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
])
def test_widget_values_become_canonical_answers(questions: dict[str, Question], qid: str, raw: object,
                                                answer: object) -> None:
    assert values.from_widget(questions[qid], raw) == answer


def test_a_whole_number_stays_an_int(questions: dict[str, Question]) -> None:
    value = values.from_widget(questions["individuals_sensitive"], 5.0)
    assert value == 5 and isinstance(value, int)
    assert values.number_bounds(questions["individuals_sensitive"]) == (0, None, 1)


def test_exclusive_options(questions: dict[str, Question]) -> None:
    q = questions["exemptions"]
    assert values.toggle(q, [], "hr_management", True) == ["hr_management"]
    assert values.toggle(q, ["hr_management"], "contract_necessity", True) == ["contract_necessity", "hr_management"]
    assert values.toggle(q, ["hr_management", "contract_necessity"], "none", True) == ["none"]
    assert values.toggle(q, ["none"], "hr_management", True) == ["hr_management"]
    assert values.toggle(q, ["none"], "none", False) == []


def test_citations_read_as_titles() -> None:
    sources = load_bank(APP_BANK).sources
    assert values.cite_list(sources, ["pipl:39"], "zh") == "《个人信息保护法》第三十九条（单独同意）"
    assert values.cite_list(sources, ["pipl:39"], "en") == "PIPL Art. 39 (Separate consent)"
    assert values.cite_list(sources, ["pipl:56"], "zh") == "《个人信息保护法》第五十六条"
    assert values.cite_list(sources, ["pipl"], "en") == "PIPL"
    assert values.cite_list(sources, ["nowhere:1"], "en") == "nowhere:1"
    assert values.cite_list(sources, ["pipl:39", "pipl:40", "provisions-2024:5"], "zh", short=True) == (
        "《个人信息保护法》第三十九条、第四十条；《促进和规范数据跨境流动规定》第五条")
    assert values.cite_list(sources, ["pipl", "pipl:39", "pipl:40"], "en", short=True) == "PIPL Arts 39 and 40"


def test_citations_in_words_are_those_of_the_registry_language_and_form_asked_every_time() -> None:
    """The words are kept between reruns: asked again, each answer is still the one for its own registry,
    citations, language and form."""
    sources = load_bank(APP_BANK).sources
    renamed = SourceRegistry.model_validate({"sources": [
        {**s.model_dump(), "short": {"zh": "《个保法》", "en": "The PIPL"}} if s.id == "pipl" else s.model_dump()
        for s in sources.sources]})
    for _ in range(2):
        assert values.cite_list(sources, ["pipl:39"], "en") == "PIPL Art. 39 (Separate consent)"
        assert values.cite_list(sources, ["pipl:39"], "zh") == "《个人信息保护法》第三十九条（单独同意）"
        assert values.cite_list(sources, ["pipl:39"], "en", short=True) == "PIPL Art. 39"
        assert values.cite_list(sources, ["pipl:40"], "en", short=True) == "PIPL Art. 40"
        assert values.cite_list(renamed, ["pipl:39"], "en", short=True) == "The PIPL Art. 39"


def test_a_questions_words_are_those_of_its_bank_question_and_language_every_time() -> None:
    """What a question shows (its text, help and note) is kept between reruns: asked again, each answer is
    still the one for its own bank object, question and language."""
    loaded = load_bank(APP_BANK)
    sources = loaded.sources
    renamed = dataclasses.replace(loaded, sources=SourceRegistry.model_validate({"sources": [
        {**s.model_dump(), "short": {"zh": "《个保法》", "en": "The PIPL"}} if s.id == "pipl" else s.model_dump()
        for s in sources.sources]}))
    ciio, exemption = loaded.bank.questions["processor_is_ciio"], loaded.bank.questions["exemption_basis"]
    answers = Answers.model_validate({"bank": {"id": loaded.bank.id, "version": loaded.bank.version}})
    for _ in range(2):
        assert widgets._words(View("en", loaded, answers), ciio) == (
            "Is the processor a CIIO? :red[\\*]", "Answer by whether you were notified\\.\n\n"
            "**Legal basis**: PIPL Art\\. 40 \\(CIIOs\\)", "Legal basis: PIPL Art\\. 40")
        assert widgets._words(View("zh", loaded, answers), ciio)[2] == "依据：《个人信息保护法》第四十条"
        assert widgets._words(View("en", renamed, answers), ciio)[2] == "Legal basis: The PIPL Art\\. 40"
        assert widgets._words(View("en", loaded, answers), exemption)[0] == (
            "Explain why the exemption applies :red[\\*]")


def test_markdown_in_answers_is_shown_as_typed() -> None:
    assert values.escape_markdown("**bold** [x](y) :red[z]") == r"\*\*bold\*\* \[x\]\(y\) \:red\[z\]"
    assert values.escape_markdown("\\`_{}<>#+-.!|~$ 中文 😀\n") == "\\\\\\`\\_\\{\\}\\<\\>\\#\\+\\-\\.\\!\\|\\~\\$ 中文 😀\n"


# -- tables -------------------------------------------------------------------------------------------------------
def test_a_table_row_goes_into_the_form_and_back_unchanged(questions: dict[str, Question]) -> None:
    q = questions["data_inventory"]
    row = {"item": "病历", "sensitive": "health", "individuals": 5, "encrypted": True, "since": "2025-01-02",
           "purposes": ["orders"]}
    held = tables.form_values(q, row)
    assert held == {"item": "病历", "sensitive": "health", "individuals": 5.0, "encrypted": "yes",
                    "since": dt.date(2025, 1, 2), "purposes": ["orders"]}
    assert tables.row_from_form(q, held) == {**row, "since": dt.date(2025, 1, 2)}
    assert tables.form_values(q, {}) == {"item": "", "sensitive": None, "individuals": None, "encrypted": None,
                                         "since": None, "purposes": []}
    assert tables.row_from_form(q, {**tables.form_values(q, {}), "item": "  "}) == {}


def test_the_read_only_table_shows_labels_and_blanks_never_none(questions: dict[str, Question]) -> None:
    q = questions["data_inventory"]
    columns = {c.id: c for c in q.columns}
    assert tables.cell_text(columns["sensitive"], "health", "zh") == "医疗健康"
    assert tables.cell_text(columns["encrypted"], False, "en") == "No"
    assert tables.cell_text(columns["purposes"], ["orders", "support"], "zh") == "订单履行、客户服务"
    assert tables.cell_text(columns["individuals"], 5.0, "en") == "5"
    assert tables.cell_text(columns["since"], None, "en") == ""
    assert tables.row_name(q, {"sensitive": "none"}, "en") == "Not sensitive"


def test_a_saved_row_replaces_its_place_or_is_added_and_gaps_are_named(questions: dict[str, Question]) -> None:
    q = questions["data_inventory"]
    rows = [{"item": "a", "sensitive": "none", "individuals": 1}]
    assert tables.put_row(rows, 0, {"item": "b"}) == ([{"item": "b"}], 0)
    assert tables.put_row(rows, tables.NEW_ROW, {"item": "c"}) == ([*rows, {"item": "c"}], 1)
    assert tables.gaps(q, [*rows, {"item": "c"}], "en") == {1: ["Sensitive category", "Individuals"]}


# -- the URL -------------------------------------------------------------------------------------------------------
def test_the_location_round_trips_through_query_parameters() -> None:
    here = Location(assessment="abc", section="recipient", item=2, question="recipient_name", lang="en")
    assert here.params() == {"a": "abc", "s": "recipient", "i": "2", "q": "recipient_name", "lang": "en"}
    assert Location.parse(here.params()) == here
    assert Location.parse({"i": "x", "lang": "fr"}) == Location()
    assert Location(section="x").params() == {}  # no section without an assessment


# -- uploads -------------------------------------------------------------------------------------------------------
def _find(bank_id: str) -> LoadedBank:
    if bank_id != "app-test":
        raise NotFoundError(bank_id)
    return load_bank(APP_BANK)


def test_an_upload_is_refused_before_parsing_when_too_big_or_not_answers() -> None:
    big = b"#" * (summary.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    assert "larger than" in summary.check_upload("a.yaml", big, _find).problems[0].message
    assert "expected a .yaml" in summary.check_upload("a.docx", b"x", _find).problems[0].message


def test_an_upload_with_warnings_is_imported() -> None:
    text_ = 'bank: {id: app-test, version: "0.9"}\nanswers: {processor_is_ciio: no}\n'
    checked = summary.check_upload("a.yaml", text_.encode(), _find)
    assert checked.ok
    assert [p.level for p in checked.problems] == ["warning"]


@pytest.mark.parametrize(("data", "name", "en", "zh"), [
    (b'bank: {id: app-test, version: "1.0"}\nmeta: {assessment_date: 2026-02-30}\n', "a.yaml",
     "a.yaml:2: meta.assessment_date: 2026-02-30 is not a date that exists", "不是存在的日期"),
    ("meta: {organisation: 示例公司}\n".encode("gbk"), "a.yaml", "it looks like GBK/GB 18030", "GBK/GB 18030 编码"),
    (b'bank: {id: app-test, version: "1.0"}\nanswers: {n: 010000}\n', "a.yaml", "a.yaml:2: answers.n: 010000",
     "以 0 开头"),
    (b'bank: {id: app-test, version: "1.0"}\nanswers:\n  a: &a [x, x]\n  b: [*a, *a]\n', "a.yaml",
     "a.yaml:4: answers.b[0]: YAML aliases (*name) are not allowed", "不允许使用 YAML 别名"),
    (b'{"bank": {"id": "app-test", "version": "1.0"}, "answers": {"x": "\\udc00"}}', "a.json",
     "a.json:1: answers.x: holds half of a character", "半个字符"),
])
def test_an_upload_is_refused_with_located_problems_in_both_languages(data: bytes, name: str, en: str,
                                                                       zh: str) -> None:
    checked = summary.check_upload(name, data, _find)
    assert not checked.ok
    assert en in checked.problems[0].text("en")
    assert zh in checked.problems[0].text("zh")


def test_an_upload_with_a_byte_order_mark_is_imported_like_on_the_command_line() -> None:
    data = b"\xef\xbb\xbf" + b'{"bank": {"id": "app-test", "version": "1.0"}}'
    assert summary.check_upload("a.json", data, _find).ok


def test_an_upload_naming_a_path_as_its_bank_never_reaches_the_bank_lookup() -> None:
    asked: list[str] = []

    def find(bank_id: str) -> LoadedBank:
        asked.append(bank_id)
        raise NotFoundError(bank_id)

    checked = summary.check_upload("a.yaml", b'bank: {id: /srv/pipia/assessments.yaml, version: "1"}\n', find)
    assert asked == []
    assert [p.path for p in checked.problems] == ["bank.id"]


# -- the app's own strings (their catalogue is tested in test_catalogue.py) --------------------------------------
def test_the_browser_language_picks_the_default() -> None:
    assert text.lang_from_locale("zh-CN") == "zh"
    assert text.lang_from_locale("zh-Hant-TW") == "zh"
    assert text.lang_from_locale("en-GB") == "en"
    assert text.lang_from_locale(None) == "zh"


# -- versions ------------------------------------------------------------------------------------------------------
def test_changes_are_named_as_the_person_reads_them() -> None:
    bank = load_bank(APP_BANK).bank
    assert history.describe(bank, "answers.consent", "zh") == "是否取得单独同意？"
    assert history.describe(bank, "answers.consent.comment", "en") == "Is separate consent obtained? · Comment"
    assert history.describe(bank, "repeats.recipients[1].recipient_name", "en") == (
        "Name of the overseas recipient · Overseas recipient 2")
    assert history.describe(bank, "repeats.recipients[0]", "zh") == "境外接收方 1"
    assert history.describe(bank, "meta.assessment_date", "en") == "Assessment date"
    assert history.describe(bank, "answers.gone_question", "en") == "answers.gone_question"
    assert history.show(True, "zh") == "是"
    assert history.show([dt.date(2026, 1, 2), "x"], "en") == "2026-01-02, x"
    assert history.show("a" * 200, "en").endswith("…")


def test_changes_show_option_labels_never_the_stored_codes() -> None:
    bank = load_bank(APP_BANK).bank
    exemptions = history.question_at(bank, "answers.exemptions")
    assert exemptions is not None and history.question_at(bank, "answers.exemptions.comment") is None
    assert history.show(["none"], "zh", question=exemptions) == exemptions.options[-1].label.zh
    consent = bank.questions["consent"]
    assert history.show(False, "en", question=consent) == "No"
    inventory = bank.questions["data_inventory"]
    assert history.show([{"item": "病历", "sensitive": "health"}], "zh", question=inventory) == (
        "数据项: 病历；敏感类别: 医疗健康")


@pytest.mark.parametrize("raw, item", [("2", 2), ("²", 0), ("9" * 5000, 0), ("-1", 0), ("１", 0), ("12345", 0)])
def test_an_item_in_the_url_is_read_only_as_the_app_writes_it(raw: str, item: int) -> None:
    assert Location.parse({"a": "x", "s": "recipient", "i": raw}).item == item


def test_a_failed_download_tells_the_browser_a_plain_message_never_the_servers_details() -> None:
    from pipia.report import TemplateError  # noqa: PLC0415
    from pipia.store import StoreUnavailableError  # noqa: PLC0415
    from pipia.ui import failures  # noqa: PLC0415

    def broken_store() -> bytes:
        raise StoreUnavailableError("Store('sqlite:////srv/secret/pipia.db'): the database cannot be used")

    with pytest.raises(failures.DownloadFailed) as caught:
        failures.download(broken_store, "en")()
    assert "/srv/secret" not in str(caught.value) and "reference" in str(caught.value)

    def bad_template() -> bytes:
        raise TemplateError("mine.docx: in the body, at the paragraph “{% endfi %}”: unknown tag")

    with pytest.raises(failures.DownloadFailed, match=r"^mine\.docx: in the body"):
        failures.download(bad_template, "zh")()


# -- creating an assessment and the bank for the route -------------------------------------------------------
def test_a_new_assessment_names_its_reviewer_and_approver() -> None:
    loaded = load_bank(Path(__file__).resolve().parents[1] / "questionnaires" / "certification.yaml")
    answers = summary.new_answers(loaded, organisation=" 医院集团 ", title="", assessor="张三", reviewer="李四",
                                  approver="王五 DPO", assessment_date=dt.date(2026, 9, 1))
    assert (answers.meta.organisation, answers.meta.reviewer) == ("医院集团", "李四")
    assert answers.value("approver") == "王五 DPO"


def test_the_route_decides_which_banks_fit_and_answers_move_to_another_bank() -> None:
    root = Path(__file__).resolve().parents[1] / "questionnaires"
    certification = load_bank(root / "certification.yaml")
    contract = load_bank(root / "standard-contract.yaml")
    assert summary.fits(contract.bank, "contract_or_certification")
    assert not summary.fits(contract.bank, "security_assessment")
    assert summary.fits(contract.bank, "exempt")
    answers = summary.new_answers(certification, organisation="x", title="", assessor="",
                                  assessment_date=dt.date(2026, 9, 1))
    answers = answers.with_value("processor_is_ciio", False).with_value("certification_status", "planned")
    moved, dropped = summary.retarget(answers, contract)
    assert moved.bank.id == contract.bank.id
    assert moved.value("processor_is_ciio") is False
    assert moved.value("certification_status") is None and dropped == 1


def test_an_incomplete_assessment_is_not_scored_for_the_list_on_each_save(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.answers import format as answers_mod  # noqa: PLC0415
    from pipia.files.resources import samples_dir  # noqa: PLC0415

    complete, _ = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")
    bank = load_bank(complete.bank.id).bank
    expected = scoring.score(bank, complete).overall_risk
    assert expected is not None
    assert summary.store_summary(bank, complete)[1] == expected
    incomplete = complete.model_copy(update={"answers": {}})

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("scored although its risk of record can only be None")

    monkeypatch.setattr(scoring, "score", refuse)
    (done, required), risk = summary.store_summary(bank, incomplete)
    assert risk is None and done < required
