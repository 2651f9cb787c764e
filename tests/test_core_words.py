"""The core names its sentences in the catalogue; the shells write them in the user's language.

Scoring, the consistency checks and the route findings return catalogue ``Message``s (a key and its values),
not sentences written in Python: a finding's action, the conclusion's reasons and the steps of a GB/T 39335
rating are written in whichever language is asked for, from ``src/pipia/locale/{zh,en}``. An English
explanation carries no Chinese the program wrote, a Chinese one no English sentence.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from typing import Any

import yaml

from pipia.answers.format import Answers
from pipia.answers.skeleton import skeleton
from pipia.assessment import scoring
from pipia.assessment.scoring import Result, score
from pipia.bank.loader import load_bank
from pipia.files.resources import samples_dir
from pipia.i18n import Lang, Localized, Message, t
from pipia.route.check import decide
from pipia.route.facts import Facts

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"
RAW: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
BANK = load_bank("pipia-certification").bank

CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")  # three English words in a row


def sample_with(**changes: Any) -> Answers:
    raw = copy.deepcopy(RAW)
    raw["answers"].update(changes)
    return Answers.model_validate(raw)


def given(value: Any) -> set[str]:
    """Every text the answers give (names of recipients and inventory items, in whatever script)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(given(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(given(v) for v in value))
    return set()


def explanation(result: Result, lang: Lang) -> list[str]:
    """Every sentence the scoring writes to explain itself, in ``lang``, without the names the answers give
    (a recipient or a data item is called what the assessor called it, in any script)."""
    names = {s.recipient(lang) for s in result.scenarios} | given(RAW["answers"]) | given(RAW.get("repeats"))
    texts = [r(lang) for r in result.reasons]
    texts += [step.reason(lang) for s in result.scenarios for step in (*s.impact_steps, *s.likelihood_steps)]
    texts += [text(lang) for f in result.findings if f.kind != "gap" for text in (f.text, f.action)]
    for name in sorted(names, key=len, reverse=True):
        texts = [text.replace(name, "") for text in texts]
    return texts


def lapsed_assessment() -> Result:
    return score(BANK, sample_with(processor_is_ciio=True, security_assessment_status="passed",
                                   security_assessment_pass_date=dt.date(2023, 9, 1)))


def test_a_route_findings_action_is_the_catalogues_text_in_the_language_asked_for() -> None:
    lapsed = next(f for f in lapsed_assessment().findings if f.slot == "security_assessment_pass_date")
    assert isinstance(lapsed.action, Message)
    assert lapsed.action("zh") == t("zh", "route_finding.lapsed_security_assessment")
    assert lapsed.action("en") == t("en", "route_finding.lapsed_security_assessment")
    assert lapsed.action("zh").startswith("暂停依据原评估结果的出境")
    assert lapsed.action("en").startswith("Suspend the transfers that relied on the lapsed result")


def test_a_consistency_findings_text_and_action_are_named_in_the_catalogue_with_their_values() -> None:
    # Screening says 0 individuals with sensitive PI while a recipient receives health data.
    result = score(BANK, sample_with(individuals_sensitive=0))
    contradiction = next(f for f in result.findings if f.kind == "consistency" and f.recipient is not None
                         and isinstance(f.text, Message) and f.text.key == "consistency.recipient_sensitive_but_none")
    assert isinstance(contradiction.action, Message) and contradiction.action.key == "consistency.action"
    name = contradiction.recipient
    assert isinstance(name, Localized)
    assert contradiction.text("zh") == (f"境外接收方“{name('zh')}”接收敏感个人信息，但筛选中填报的敏感个人信息人数为0；"
                                        "出境路径可能因此判断有误")
    assert contradiction.text("en") == (f"Overseas recipient “{name('en')}” receives sensitive PI, yet screening "
                                        "reports 0 such individuals; the route may be wrong as a result")


def test_the_conclusions_reasons_are_messages_a_shell_writes_in_its_language() -> None:
    result = lapsed_assessment()
    assert result.reasons and all(isinstance(r, Message) for r in result.reasons)
    assert result.reasons[0]("zh").startswith("构成出境障碍的问题：")
    assert result.reasons[0]("en").startswith("Obstacle to the transfer: ")


def test_the_scoring_explained_in_english_has_no_chinese_and_in_chinese_no_english_sentence() -> None:
    for result in (score(BANK, sample_with()), lapsed_assessment(), score(BANK, sample_with(individuals_sensitive=0))):
        for text in explanation(result, "en"):
            assert not CHINESE.search(text), text
        for text in explanation(result, "zh"):
            assert not ENGLISH_PHRASE.search(text.replace("GB/T 39335", "")), text


def test_the_route_decisions_own_sentences_are_written_in_each_language() -> None:
    # A processor outside China with a Greater Bay Area recipient, counts expected below the counts to date,
    # and an exemption beside the counted transfers: each sentence the route check words itself.
    facts = Facts.model_validate({
        "as_of": dt.date(2026, 10, 15), "ciio": False, "important_data": False, "overseas_processor": True,
        "greater_bay_area": ["hong_kong"], "exemptions": ["hr_management"],
        "individuals": {"non_sensitive": 320_000, "sensitive": 0},
        "expected_by_year_end": {"non_sensitive": 300_000, "sensitive": 0},
    })
    decision = decide(facts)
    own = ("gba_needs_mainland_processor", "expected_below_to_date")  # the rule sets' texts are content
    sentences = [decision.headline, *(s.text for s in decision.warnings if s.id in own)]
    assert any(s.id == "gba_needs_mainland_processor" for s in decision.warnings)
    assert any(s.id == "expected_below_to_date" for s in decision.warnings)
    for sentence in sentences:
        assert not CHINESE.search(sentence("en")), sentence("en")
    assert decision.headline("zh").startswith("计入人数的个人信息应当订立个人信息出境标准合同或者通过个人信息保护认证；")
    assert decision.headline("en").startswith("Standard contract or personal information protection certification "
                                              "for the counted personal information; exempt: ")


def test_the_answers_skeleton_says_each_answer_kind_in_both_languages_from_the_catalogue() -> None:
    text = skeleton(BANK, dt.date(2026, 3, 1))
    assert f"# {t('zh', 'skeleton.fill_in')}\n# {t('en', 'skeleton.fill_in')}\n" in text
    assert "[单选 single choice; 必答 required" in text and "[是/否 yes or no; " in text


def test_a_long_list_of_problems_to_fix_names_the_first_eight_and_says_how_many_in_each_language() -> None:
    result = score(BANK, sample_with())
    assert BANK.scoring is not None
    problem = next(f for f in result.findings if f.kind == "gap")
    nine = [dataclasses.replace(problem, severity="high", blocking=False, remedy="fix")] * 9
    _, reasons = scoring._conclude(BANK.scoring, True, "low", result.scenarios, nine, ())
    [to_fix] = [r for r in reasons if isinstance(r, Message) and r.key.startswith("scoring.reason_to_fix")]
    named = problem.text("zh").rstrip("。")
    assert to_fix("zh") == "须在出境前完成整改的问题：" + "；".join([named] * 8) + "等9项"
    assert to_fix("en") == ("Problems to fix before the transfer: " + "; ".join([problem.text("en").rstrip(".")] * 8)
                            + " (9 in all)")
    _, reasons = scoring._conclude(BANK.scoring, True, "low", result.scenarios, nine[:2], ())
    [to_fix] = [r for r in reasons if isinstance(r, Message) and r.key.startswith("scoring.reason_to_fix")]
    assert to_fix("zh") == f"须在出境前完成整改的问题：{named}；{named}。"


def test_an_incomplete_assessment_counts_its_missing_answers_as_each_language_counts() -> None:
    result = score(BANK, sample_with())
    assert BANK.scoring is not None
    for missing, en in ((("a",), "1 required answer missing"), (("a", "b"), "2 required answers missing")):
        conclusion, reasons = scoring._conclude(BANK.scoring, False, "low", result.scenarios, [], missing)
        assert conclusion == "incomplete"
        assert reasons[0]("en") == f"The assessment is incomplete: {en}"
        assert reasons[0]("zh") == f"评估尚未完成：{len(missing)}个必答问题未回答"
