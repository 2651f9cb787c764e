"""The report context: a plain dict holding everything the templates print, pinned by a golden file.

Regenerate the golden files after an intended change with ``PIPIA_UPDATE_GOLDEN=1 pytest tests/test_report_context.py``
and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipia.answers.format import Answers
from pipia.assessment import risk
from pipia.bank.citations import article_number, cite_label, cite_labels
from pipia.bank.loader import load_bank
from pipia.i18n import Lang, chinese_style_faults
from pipia.report import build_report_context
from pipia.report.text import clean_text, fmt_date

from .report_support import GOLDEN, sample
from .scoring_support import answers as scored_answers

SCORED = load_bank(Path(__file__).parent / "data" / "banks" / "scored.yaml")


def sample_context(lang: Lang) -> dict[str, Any]:
    loaded, answers = sample()
    return build_report_context(loaded, answers, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sample_context_matches_its_golden_file(lang: Lang) -> None:
    context = sample_context(lang)
    text = json.dumps(context, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    golden = GOLDEN / f"report-context-{lang}.json"
    if os.environ.get("PIPIA_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with PIPIA_UPDATE_GOLDEN=1 to create it"
    assert text == golden.read_text(encoding="utf-8"), (
        f"the report context changed; if that is intended, run PIPIA_UPDATE_GOLDEN=1 pytest {__file__}"
    )


def test_the_context_is_plain_json_data() -> None:
    context = sample_context("zh")

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert value is None or isinstance(value, str | bool | int | float), repr(value)

    walk(context)
    assert json.loads(json.dumps(context)) == context


def test_chapter_one_follows_the_cac_template_items() -> None:
    chapter = sample_context("zh")["chapter1"]
    assert set(chapter["processor"]) == {"basic", "business", "compliance"}
    assert set(chapter["transfer"]) == {"business", "purpose", "scale", "storage", "onward"}
    basic = chapter["processor"]["basic"]
    assert basic["id"] == "report.1.1.1" and not basic["empty"]
    assert any(e["answer"] == "杭州云帆跨境电子商务有限公司" for e in basic["entries"])
    # (二) once per overseas recipient, under the recipient's name, with its own answers only
    names = [r["name"] for r in chapter["recipients"]]
    assert names == ["Brightwave Cloud, Inc.", "云帆国际私人有限公司（Yunfan International Pte. Ltd.）"]
    first = chapter["recipients"][0]
    assert all(e["recipient"] == "" for e in first["basic"]["entries"])
    assert "Brightwave Cloud, Inc." in [e["answer"] for e in first["basic"]["entries"]]


def test_repeated_answers_in_processor_items_name_their_recipient() -> None:
    scale = sample_context("zh")["chapter1"]["transfer"]["scale"]["entries"]
    assert {e["recipient"] for e in scale} >= {"", "Brightwave Cloud, Inc."}


def test_chapter_two_goes_through_every_focus_item_of_the_route() -> None:
    loaded, _ = sample()
    chapter = sample_context("zh")["chapter2"]
    focus = [c.id for c in loaded.bank.coverage if c.kind == "focus"]
    assert [item["id"] for item in chapter["focus"]] == focus
    assert chapter["basis"] == "《个人信息出境认证办法》第六条"
    assert chapter["focus"][0]["number"] == "（一）" and chapter["risk_number"] == "（七）"
    assert chapter["focus"][0]["cites"] == "《个人信息出境认证办法》第六条第一项"


def test_every_finding_is_numbered_once_in_the_action_plan_and_placed_in_chapter_two() -> None:
    context = sample_context("zh")
    actions = context["annex"]["actions"]
    assert [a["no"] for a in actions] == [str(i) for i in range(1, len(actions) + 1)]
    placed = {f["no"] for item in context["chapter2"]["focus"] for f in item["findings"]}
    assert placed == {a["no"] for a in actions}
    ranks = [(not a["blocking"], ["high", "medium", "low"].index(a["severity"])) for a in actions]
    assert ranks == sorted(ranks), "the plan lists blocking problems first, then by severity"


def test_the_matrix_places_each_scenario_in_the_cell_of_its_impact_and_likelihood() -> None:
    context = sample_context("en")
    matrix = context["annex"]["matrix"]
    assert [row["impact"] for row in matrix["rows"]] == ["severe", "high", "medium", "low"]
    assert matrix["likelihoods"] == ["low", "medium", "high", "very high"]
    for impact, row in zip(reversed(risk.IMPACTS), matrix["rows"], strict=True):
        for likelihood, cell in zip(risk.LIKELIHOODS, row["cells"], strict=True):
            assert cell["code"] == risk.risk_level(impact, likelihood)
    placed = [cell["scenarios"] for row in matrix["rows"] for cell in row["cells"] if cell["scenarios"]]
    names = [s["recipient"] for s in context["scenarios"]]
    assert sorted("; ".join(placed).split("; ")) == sorted(names)


def test_the_conclusion_gives_its_reasons() -> None:
    conclusion = sample_context("zh")["conclusion"]
    assert conclusion["code"] == "proceed_after_fixes"
    assert conclusion["label"] == "完成整改后可以继续出境", "the sample's transfers are already running"
    assert "“中”" in conclusion["statement"]
    assert conclusion["reasons"] and not conclusion["provisional"]


def test_hidden_questions_are_left_out_and_missing_required_ones_are_marked() -> None:
    # encryption "strong" hides the follow-up encryption_plan, whose stored answer must not show.
    answers = scored_answers({"encryption": "strong", "encryption_plan": "unplanned", "consent": None})
    for lang, word in (("zh", "未回答"), ("en", "Unanswered")):
        context = build_report_context(SCORED, answers, lang)  # type: ignore[arg-type]
        rows = [q for s in context["annex"]["qa"] for q in s["questions"]]
        keys = [q["key"] for q in rows]
        assert "encryption_plan" not in keys and "encryption" in keys
        consent = next(q for q in rows if q["key"] == "consent")
        assert consent["missing"] and consent["answer"] == word
        assert context["status"]["complete"] is False
        assert context["conclusion"]["code"] == "incomplete"


def test_an_undecidable_route_says_why() -> None:
    route = build_report_context(SCORED, scored_answers(), "en")["annex"]["route"]
    assert route["decided"] is False
    # The scored test bank asks no screening question: the problem names the role it leaves out.
    assert "The bank names no question for a fact the route check needs (roles.ciio): the route cannot be judged" \
        in route["problems"]


def test_legal_references_list_each_cited_source_once_with_its_articles() -> None:
    references = sample_context("zh")["annex"]["references"]
    titles = [r["title"] for r in references]
    assert len(titles) == len(set(titles))
    assert titles[0] == "《中华人民共和国个人信息保护法》", "laws come first"
    pipl = references[0]
    # PRC statutes have no article headings: the registry's summary is bracketed, never printed as a heading.
    assert "第三十九条（出境告知和单独同意）" in pipl["articles"]
    assert not any(a.startswith("第三十九条 ") for a in pipl["articles"])
    assert pipl["dates"] == "发布：2021年8月20日；施行：2021年11月1日"
    template = next(r for r in references if r["id"] == "pipia-template")
    assert template["title"] == "《个人信息保护影响评估报告（模板）》（《个人信息出境标准合同备案指南（第二版）》附件5）"
    standard = next(r for r in references if r["id"] == "gbt-39335")
    assert standard["title"] == "GB/T 39335—2020《信息安全技术 个人信息安全影响评估指南》"


def test_citations_read_as_a_lawyer_writes_them() -> None:
    sources = sample()[0].sources
    assert cite_label("pipl:39", sources, "zh") == "《个人信息保护法》第三十九条"
    assert cite_label("pipl:39", sources, "en") == "PIPL Art. 39"
    assert cite_label("gbt-39335:5.3", sources, "zh") == "GB/T 39335—2020 5.3"
    assert cite_labels(["pipl:13", "pipl:39", "cert-measures:6"], sources, "zh") == (
        "《个人信息保护法》第十三条、第三十九条；《个人信息出境认证办法》第六条")
    assert cite_labels(["pipl:13", "pipl:39"], sources, "en") == "PIPL Arts 13 and 39"
    assert cite_label("unknown:1", sources, "zh") == "unknown:1"
    # With the article's registry title: a statute's is the tool's summary, bracketed; a standard's clause title
    # is the standard's own.
    assert cite_label("pipl:39", sources, "zh", with_title=True) == "《个人信息保护法》第三十九条（出境告知和单独同意）"
    assert cite_label("gbt-39335:5.3", sources, "zh", with_title=True) == "GB/T 39335—2020 5.3 数据映射分析"
    assert article_number("第六条第一项 目的", "zh") == "第六条第一项"
    assert article_number("Table A.1 Examples", "en") == "Table A.1"
    assert article_number("What counts as a transfer", "en") == "What counts as a transfer"


def test_clean_text_keeps_what_xml_can_hold_and_turns_breaks_into_newlines() -> None:
    assert clean_text("a\x0bb\x0cc\r\nd\re") == "a\nb\nc\nd\ne"
    assert clean_text("x\x00y\x07z\ufffe\ud800") == "xyz"
    assert clean_text("R&D <Ltd> \"A&B\" {{ 7*7 }} 😀 中文") == "R&D <Ltd> \"A&B\" {{ 7*7 }} 😀 中文"


def test_dates_are_written_per_language() -> None:
    assert fmt_date(dt.date(2026, 3, 1), "zh") == "2026年3月1日"
    assert fmt_date(dt.date(2026, 3, 1), "en") == "1 March 2026"


def test_answers_are_copied_as_data_never_as_template_code() -> None:
    loaded, answers = sample()
    hostile = "{{ 7*7 }} {% if true %}x{% endif %}"
    changed: Answers = answers.model_copy(update={"meta": answers.meta.model_copy(update={"organisation": hostile})})
    context = build_report_context(loaded, changed, "zh")
    assert context["cover"]["processor"] == hostile


def test_a_standard_contract_assessment_is_keyed_to_the_standard_contract_measures() -> None:
    _, answers = sample()
    context = build_report_context(load_bank("pipia-standard-contract"), answers, "zh")
    assert context["chapter2"]["basis"] == "《个人信息出境标准合同办法》第五条"
    assert context["notes"]["route"] == "订立个人信息出境标准合同"


def test_chapter_two_states_how_each_problem_is_being_fixed() -> None:
    # The CAC template: 重点说明评估发现的问题和整改情况.
    context = sample_context("zh")
    actions = {a["text"]: a for a in context["annex"]["actions"]}
    access = next(a for text, a in actions.items() if text.startswith("接收方所在地公权力机关调取数据"))
    assert (access["status"], access["owner"], access["due"]) == (
        "已采取缓解措施，持续监测", "周晓岚（法务合规部）", "2026年12月31日")
    assert access["rectification"].startswith("已采取缓解措施，持续监测（责任人：周晓岚（法务合规部）；完成期限：2026年12月31日")
    assert access["mitigate"] is True
    unrecorded = [a for a in actions.values() if not a["recorded"]]
    assert unrecorded and all(a["rectification"] == "尚未记录" for a in unrecorded)
    assert context["conclusion"]["recorded"] == 3
    in_chapter = {f["no"]: f for item in context["chapter2"]["focus"] for f in item["findings"]}
    assert in_chapter[access["no"]]["rectification"] == access["rectification"]


def test_a_fix_recorded_as_made_while_the_answer_still_shows_the_gap_asks_for_re_assessment() -> None:
    answers = scored_answers({"encryption": "weak", "fixes": [{"finding": "encryption", "status": "done"}]})
    context = build_report_context(SCORED, answers, "zh")
    [weak] = [a for a in context["annex"]["actions"] if a["text"] == "加密强度不足"]
    assert weak["status"] == "已完成整改"
    assert "应当按整改后的情况更新回答并重新评估该项" in weak["rectification"]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_chinese_report_writes_counts_and_dates_as_chinese_practice_does() -> None:
    context = sample_context("zh")
    route = context["annex"]["route"]
    values = {f["label"]: f["value"] for f in route["facts"]}
    assert values["免予情形以外、自2026年1月1日起的出境人数：个人信息（不含敏感个人信息）"] == "32万人"
    assert values["免予情形以外、自2026年1月1日起的出境人数：敏感个人信息"] == "6500人"
    text = json.dumps(context, ensure_ascii=False)
    assert "阻断" not in text and "计分事项" not in text and "差距占比" not in text
    assert "「" not in text and "」" not in text
    chinese = [s for s in _strings(context) if re.search("[\u4e00-\u9fff]", s)]
    assert [(s, f) for s in chinese for f in chinese_style_faults(s)] == []
    for recipient in context["chapter1"]["recipients"]:
        assert recipient["destination"]["as_of"] == "" or "年" in recipient["destination"]["as_of"]


def test_a_route_that_does_not_fit_the_bank_is_said_in_plain_english() -> None:
    _, answers = sample()
    critical = answers.with_value("processor_is_ciio", True)  # a CIIO: the CAC security assessment route
    context = build_report_context(load_bank("pipia-standard-contract"), critical, "en")
    text = json.dumps(context, ensure_ascii=False)
    notes = re.findall(r"The route check points to [^\"]*", text)
    assert notes, "the mismatch is reported"
    assert not re.search(r"\b(\w+) \1\b", notes[0], re.IGNORECASE), notes[0]
    assert "this assessment is for the standard contract" in notes[0]


def test_dimension_scores_are_printed_with_one_decimal_as_the_app_shows_them() -> None:
    rows = sample_context("en")["annex"]["dimensions"]
    assert [r["score"] for r in rows if r["value"] is not None] == [f"{round(r['value'], 1):g}" for r in rows
                                                                    if r["value"] is not None]
    assert any("." in r["score"] for r in rows)


def test_a_destination_profile_older_than_12_months_says_so_and_its_unchecked_facts_reach_the_signer() -> None:
    loaded, answers = sample()
    later = answers.model_copy(update={"meta": answers.meta.model_copy(update={"assessment_date": dt.date(2026, 12, 1)})})
    us = build_report_context(loaded, later, "zh")["chapter1"]["recipients"][0]["destination"]
    assert us["stale"] == ("该资料截至2025年10月31日，距评估日期（2026年12月1日）已超过12个月，其中的事实可能已经变化，"
                           "签署本报告前应当逐项核实。")
    assert any(f.startswith("待确认：《外国情报监视法》第702条") for f in us["unconfirmed"])
    en = build_report_context(loaded, later, "en")["chapter1"]["recipients"][0]["destination"]
    assert "more than 12 months before the assessment date (1 December 2026)" in en["stale"]
    assert all(f.startswith("To be confirmed") for f in en["unconfirmed"])
    # Within 12 months of the check the profile is not called old, but what it could not check is still shown.
    on_time = sample_context("zh")["chapter1"]["recipients"][0]["destination"]
    assert on_time["stale"] == "" and on_time["unconfirmed"] == us["unconfirmed"]


def test_every_count_of_people_carries_its_unit_in_chinese() -> None:
    context = sample_context("zh")
    values = {row["label"]: row["value"] for row in context["annex"]["route"]["facts"]}
    assert values["预计至2026年12月31日的人数（个人信息 / 敏感个人信息）"] == "34.5万人 / 7200人"
    counts = [c["value"] for row in context["annex"]["data_map"]["rows"] for c in row["cells"]
              if c["label"] == "涉及人数（去重）"]
    assert counts[:2] == ["29.8万人", "29.8万人"] and all(c.endswith("人") for c in counts)


def test_a_source_cited_by_a_short_name_is_listed_under_that_name_too() -> None:
    references = {r["id"]: r for r in sample_context("zh")["annex"]["references"]}
    qa = references["cac-qa-2025-04"]
    assert qa["alias"] == "国家网信办有关负责人答问（2025年4月9日）" == qa["short"]
    assert references["pipl"]["alias"] == ""  # 个人信息保护法 is already in its full title
    text = json.dumps(sample_context("zh"), ensure_ascii=False)
    assert "2025年4月9日答问" not in text  # no third name for it


def test_why_the_route_could_not_be_decided_is_told_in_the_report_s_language() -> None:
    loaded, answers = sample()
    filed = answers.answers["contract_filing_date"].model_copy(update={"value": dt.date(2026, 11, 2)})
    later = answers.model_copy(update={"answers": {**answers.answers, "contract_filing_date": filed}})
    zh = build_report_context(loaded, later, "zh")["annex"]["route"]
    filing = loaded.bank.questions["contract_filing_date"].text
    assert zh["decided"] is False and zh["problems"] == [
        f"{filing.zh}：2026年11月2日晚于评估日期2026年10月15日（期限从已发生的日期起算）"]
    assert zh["facts"] == [] and zh["route"] == "", "an undecided route fills nothing but its problems"
    en = build_report_context(loaded, later, "en")["annex"]["route"]
    assert en["problems"] == [f"{filing.en}: 2 November 2026 is after the assessment date 15 October 2026 "
                              "(a time limit runs from a date that has happened)"]
    backwards = answers.answers["contract_effective_date"].model_copy(update={"value": dt.date(2025, 7, 20)})
    wrong = answers.model_copy(update={"answers": {**answers.answers, "contract_effective_date": backwards}})
    assert build_report_context(loaded, wrong, "zh")["annex"]["route"]["problems"] == [
        f"{filing.zh}：备案日期2025年7月10日早于标准合同生效日期2025年7月20日（标准合同生效后才备案）"]
