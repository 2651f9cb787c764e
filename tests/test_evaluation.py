"""One evaluation of an assessment: the route or why it cannot be decided (as data), the score, and one
name for each overseas recipient, the same on every surface."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from pipia.answers.format import Answers
from pipia.assessment import scoring
from pipia.assessment.evaluation import evaluate
from pipia.assessment.visibility import State
from pipia.bank.loader import load_bank
from pipia.report import build_report_context
from pipia.route.facts import SCREENING
from pipia.route.screening import ASSESSMENT_DATE, InvalidAnswer, MissingAnswer

from .report_support import sample
from .spy_support import Calls


def _screening_ids() -> list[str]:
    """The sample bank's screening questions: the ids its roles name for the route's facts."""
    roles = sample()[0].bank.roles
    return [qid for qid in (getattr(roles, role) for role in SCREENING.values()) if qid is not None]


def _unscreened(answers: Answers, **extra: Any) -> Answers:
    """The sample without its screening answers (plus ``extra`` answers)."""
    kept = {k: v for k, v in answers.answers.items() if k not in _screening_ids()}
    stripped = answers.model_copy(update={"answers": kept})
    for qid, value in extra.items():
        stripped = stripped.with_value(qid, value)
    return stripped


def _unnamed_second_recipient(answers: Answers) -> Answers:
    return answers.with_value("recipient_name", "", "recipients", 1)


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_unanswered_screening_questions_are_missing_answers_not_sentences() -> None:
    loaded, answers = sample()
    evaluation = evaluate(loaded.bank, _unscreened(answers))
    assert evaluation.route is None
    assert set(evaluation.route_reasons) == {MissingAnswer(q) for q in _screening_ids()}
    # in the order the bank asks them
    order = loaded.bank.order
    assert [order[r.question] for r in evaluation.route_reasons] == sorted(order[q] for q in _screening_ids())


def test_a_contradictory_or_missing_date_is_a_coded_reason() -> None:
    loaded, answers = sample()
    both = answers.with_value("exemptions", ["none", "hr_management"])
    assert evaluate(loaded.bank, both).route_reasons == (InvalidAnswer("exemptions", "none_with_exemption"),)
    undated = answers.model_copy(update={"meta": answers.meta.model_copy(update={"assessment_date": None})})
    assert evaluate(loaded.bank, undated).route_reasons == (MissingAnswer(ASSESSMENT_DATE),)


def test_an_evaluation_holds_the_route_and_the_score_of_the_same_answers() -> None:
    loaded, answers = sample()
    evaluation = evaluate(loaded.bank, answers)
    assert evaluation.route is not None and evaluation.route_reasons == ()
    assert evaluation.result is not None and evaluation.result.scenarios
    assert evaluation.progress == evaluation.state.progress()


def test_an_unnamed_recipient_has_one_name_on_every_surface() -> None:
    loaded, answers = sample()
    unnamed = _unnamed_second_recipient(answers)
    evaluation = evaluate(loaded.bank, unnamed)
    name = evaluation.name("recipients", 1)
    assert (name.zh, name.en) == ("境外接收方 2", "Overseas recipient 2")
    assert evaluation.result is not None
    assert evaluation.result.scenarios[1].recipient == name
    for lang in ("zh", "en"):
        context = build_report_context(loaded, unnamed, lang)
        text = json.dumps(context, ensure_ascii=False)
        assert "#2" not in text
        assert context["scenarios"][1]["recipient"] == name(lang)
        assert context["chapter1"]["recipients"][1]["name"] == name(lang)
        assert any(block["title"].endswith(f" — {name(lang)}") for block in context["annex"]["qa"])


def test_after_each_edit_every_recipient_has_the_name_its_own_answers_give() -> None:
    loaded, answers = sample()
    bank = loaded.bank
    title = bank.groups["recipients"].title_question
    edits: list[Any] = [lambda a: a.with_item("recipients"),
             lambda a: a.with_value(title, "Beta GmbH", "recipients", 1),
             lambda a: a.with_value(title, "", "recipients", 0),
             lambda a: a.without_item("recipients", 0),
             lambda a: a.with_value(title, "Gamma Ltd", "recipients", 1)]
    versions = [answers]
    for edit in edits:
        versions.append(edit(versions[-1]))
    for version in versions:  # edit after edit, as the app does; then the same answers read afresh
        names = [evaluate(bank, version).name("recipients", i) for i in range(len(version.items("recipients")))]
        afresh = _fresh(version)
        assert names == [evaluate(bank, afresh).name("recipients", i) for i in range(len(names))]
    assert [evaluate(bank, versions[-1]).name("recipients", i).en for i in range(2)] == [
        "Beta GmbH", "Gamma Ltd"]
    unnamed = versions[1].items("recipients")[2]  # the very same answers in two places: each has its number
    twice = answers.model_copy(update={"repeats": {**answers.repeats, "recipients": (unnamed, unnamed)}})
    assert [evaluate(bank, twice).name("recipients", i).en for i in range(2)] == [
        "Overseas recipient 1", "Overseas recipient 2"]


# An English sentence or a developer's path, as the code writes them; user data and the bank's own zh
# texts (which may name a foreign body in English) are not what this looks for.
CODE_ENGLISH = re.compile(r"\b(?:answers|meta)\.[a-z_]+|\b(?:not answered|the route|is missing|expected|"
                          r"cannot be|is before|is after|needs it)\b", re.IGNORECASE)


def test_the_chinese_report_holds_no_english_sentence_from_the_code() -> None:
    loaded, answers = sample()
    cases = [
        _unscreened(answers),
        _unscreened(answers, exemptions=["none", "hr_management"]),
        answers.model_copy(update={"meta": answers.meta.model_copy(update={"assessment_date": None})}),
    ]
    for case in cases:
        context = build_report_context(loaded, case, "zh")
        problems = context["annex"]["route"]["problems"]
        assert problems, "the route annex says why the route is not decided"
        english = [s for s in _strings(context) if CODE_ENGLISH.search(s)]
        assert english == []
    worded = build_report_context(loaded, cases[0], "zh")["annex"]["route"]["problems"]
    asked = loaded.bank.questions["processor_is_ciio"].text.zh
    assert f"未回答：{asked}" in worded


def test_progress_counts_the_answered_required_questions_of_a_section_and_of_each_recipient() -> None:
    loaded, answers = sample()
    section = next(s for s in loaded.bank.sections if s.repeat == "recipients")
    required = next(q.id for q in section.questions if q.required and q.show_if is None)
    # the second recipient leaves one required question unanswered; the first stays complete
    state = evaluate(loaded.bank, answers.with_value(required, None, "recipients", 1)).state
    own = [s for s in state.visible if s.section.id == section.id and s.question.required]
    first = [s for s in own if s.item == 0]
    second = [s for s in own if s.item == 1]
    assert state.progress(section.id, 0) == (len(first), len(first))
    assert state.progress(section.id, 1) == (len(second) - 1, len(second))
    assert state.progress(section.id) == (len(own) - 1, len(own))
    assert state.progress() == (sum(p[0] for p in map(state.progress, {s.section.id for s in state.visible})),
                                len([s for s in state.visible if s.question.required]))
    assert [s.key for s in state.missing] == [f"recipients[1].{required}"]
    assert not state.complete


def test_the_risk_of_record_is_the_full_scores_overall_risk_whatever_a_recipient_answers() -> None:
    loaded, answers = sample()
    bank = loaded.bank
    scored = [q for s in bank.sections if s.repeat == "recipients" for q in s.questions if q.scored and q.options]
    variants = [answers, answers.with_value(scored[0].id, None, "recipients", 1)]
    variants += [answers.with_value(q.id, [o.value] if q.type == "multiple_choice" else o.value, "recipients", 1)
                 for q in scored for o in q.options]
    assert bank.scoring is not None
    impact = bank.scoring.impact
    every_category = [o.value for o in bank.questions[impact.categories_question].options]
    worst = answers.with_value(impact.categories_question, every_category, "recipients", 1)
    variants += [worst, worst.with_value(impact.scale_question, 10_000_000, "recipients", 1)]
    # and the scored questions asked once, each option in turn, one after another
    once = [q for s in bank.sections if s.repeat is None for q in s.questions if q.scored and q.options]
    edited = answers
    for q in once:
        for o in q.options:
            edited = edited.with_value(q.id, [o.value] if q.type == "multiple_choice" else o.value)
            variants.append(edited)
    levels = set()
    for variant in variants:
        alone = evaluate(bank, variant).risk_of_record  # worked out before (and without) the full score
        full = evaluate(bank, variant)
        assert full.result is not None
        assert alone == full.result.overall_risk == full.risk_of_record
        levels.add(alone)
    assert None in levels and len(levels) >= 3  # incomplete, and more than one level of record


def test_after_each_edit_the_risk_of_record_is_that_of_the_same_answers_evaluated_afresh() -> None:
    loaded, answers = sample()
    bank = loaded.bank
    section = next(s for s in bank.sections if s.repeat == "recipients")
    # every option of every choice a recipient is asked, one after another: the scored ones, and those that only
    # show or hide scored ones (the recipient's role shows the limits of an entrusted party), and its texts
    edits: list[Any] = []
    for question in bank.group_questions("recipients"):
        for option in question.options:
            value = [option.value] if question.type == "multiple_choice" else option.value
            edits.append(lambda a, q=question.id, v=value: a.with_value(q, v, "recipients", 1))
        if question.type in ("text", "long_text"):
            edits.append(lambda a, q=question.id: a.with_value(q, "edited", "recipients", 1))
    edits += [lambda a: a.with_value("recipient_individuals", 5_000_000, "recipients", 1),
              lambda a: a.with_item("recipients"), lambda a: a.without_item("recipients", 0)]
    assert section.questions and len(edits) > 50
    versions = [answers]
    for edit in edits:
        versions.append(edit(versions[-1]))
    levels = set()
    for version in versions:
        afresh = evaluate(bank.model_copy(), _fresh(version))  # nothing kept from another evaluation serves it
        assert evaluate(bank, version).risk_of_record == afresh.risk_of_record
        levels.add(afresh.risk_of_record)
    assert len(levels) >= 3  # the edits moved it


def test_a_recipients_answer_that_only_shows_a_scored_question_moves_its_risk_level_when_it_should() -> None:
    loaded, answers = sample()
    bank = loaded.bank
    limits = bank.questions["recipient_entrusted_limits"].show_if
    assert limits is not None and limits.questions() == ("recipient_role",)
    # a recipient whose commitments are weak, one unclear limit of an entrusted party away from a higher level
    weak = {"recipient_art42_list": "yes", "recipient_entrusted_limits": "unclear", "recipient_agreement": "draft",
            "term_purpose_scope": "missing", "term_retention_deletion": "missing", "term_onward_transfer": "agreed",
            "term_subprocessing": "missing", "term_security": "partial", "term_breach_notice": "agreed_no_deadline",
            "term_audit": "partial", "term_supervision": "missing", "term_law_change_notice": "missing",
            "term_termination_liability": "agreed", "recipient_management": "insufficient",
            "recipient_verification": "none", "recipient_incidents": "none_confirmed",
            "recipient_onward": "listed_complete"}
    for qid, value in weak.items():
        answers = answers.with_value(qid, value, "recipients", 1)
    entrusted = answers.with_value("recipient_role", "entrusted", "recipients", 1)
    independent = entrusted.with_value("recipient_role", "independent", "recipients", 1)  # the limits hidden
    afresh = [evaluate(bank.model_copy(), _fresh(a)).risk_of_record for a in (entrusted, independent, entrusted)]
    assert afresh[0] != afresh[1]
    assert [evaluate(bank, a).risk_of_record for a in (entrusted, independent, entrusted)] == afresh


def test_a_recipients_free_text_edited_works_out_no_risk_level_again(calls: Calls) -> None:
    loaded, answers = sample()
    assert evaluate(loaded.bank, answers).risk_of_record is not None  # the sample is complete
    scenarios = calls(scoring, "_scenario")
    typed = answers.with_value("recipient_purpose", "Payroll, and nothing else", "recipients", 1)
    assert evaluate(loaded.bank, typed).risk_of_record == evaluate(loaded.bank, answers).risk_of_record
    assert scenarios == []
    chosen = typed.with_value("recipient_onward", "listed_incomplete", "recipients", 1)
    assert evaluate(loaded.bank, chosen).risk_of_record is not None
    assert [args[-1] for args in scenarios] == [1]  # a scored answer: that recipient's level alone (the item)


def _fresh(answers: Answers) -> Answers:
    """The same answers as new objects, as read back from a file: nothing in them was evaluated before."""
    return Answers.model_validate(answers.model_dump())


def test_after_each_edit_the_shown_questions_are_those_of_the_same_answers_evaluated_afresh() -> None:
    loaded, answers = sample()
    bank = loaded.bank
    repeated = [q for s in bank.sections if s.repeat == "recipients" for q in s.questions]
    read = {qid for q in repeated if q.show_if is not None for qid in q.show_if.questions()}
    # and what the conditions of the sections asked once read
    read |= {qid for s in bank.sections if s.repeat is None for q in s.questions if q.show_if is not None
             for qid in q.show_if.questions() if qid in bank.questions}
    edits: list[Any] = []
    for qid in sorted(read):  # what the recipients' conditions read: their own answers and questions asked once
        question = bank.questions[qid]
        group = "recipients" if bank.group_of(qid) else None
        for option in question.options:
            value = [option.value] if question.type == "multiple_choice" else option.value
            edits.append(lambda a, q=qid, v=value, g=group: a.with_value(q, v, g, 1 if g else None))
        if question.type == "number":
            edits += [lambda a, q=qid: a.with_value(q, 0), lambda a, q=qid: a.with_value(q, 5000)]
    edits += [lambda a: a.with_item("recipients"), lambda a: a.without_item("recipients", 0),
              # a question asked once that a {route: ...} condition shows, then the route undecided (no date)
              lambda a: a.with_value("processor_is_ciio", False), lambda a: a.with_value("important_data", True),
              lambda a: a.model_copy(update={"meta": a.meta.model_copy(update={"assessment_date": None})})]
    assert len(edits) > 10
    versions = [answers]
    for edit in edits:
        versions.append(edit(versions[-1]))
    # each with a bank object of its own: nothing kept from another evaluation can serve it
    afresh_states = [evaluate(bank.model_copy(), _fresh(version)).state for version in versions]
    # then edit after edit, as the app does: each evaluation follows the one of the answers before the edit
    for version, afresh in zip(versions, afresh_states, strict=True):
        state = evaluate(bank, version).state
        assert [s.key for s in state.visible] == [s.key for s in afresh.visible]
        assert [s.key for s in state.hidden] == [s.key for s in afresh.hidden]
        assert state.values == afresh.values
        # the progress kept item by item is the progress counted over every slot
        counted = State(state.visible, state.hidden, state.values, state.short_groups)
        assert [s.key for s in state.missing] == [s.key for s in counted.missing]
        assert state.progress() == counted.progress()
        for section in bank.sections:
            assert state.progress(section.id) == counted.progress(section.id)
            # the slots placed section by section and item by item are those found by looking at every slot
            assert state.placed(section.id) == counted.placed(section.id)
            for item in range(len(version.items(section.repeat))) if section.repeat else ():
                assert state.progress(section.id, item) == counted.progress(section.id, item)
                assert state.placed(section.id, item) == counted.placed(section.id, item)
                assert state.placed(section.id, item)
    shown = {s.key for s in evaluate(bank, versions[-1]).state.visible}
    assert any(key.startswith("recipients[") for key in shown)


def test_a_recipients_question_shown_by_a_question_asked_once_follows_that_answer(tiny_bank_path: Path,
                                                                                 tmp_path: Path) -> None:
    text = tiny_bank_path.read_text(encoding="utf-8") + """      - id: r_why
        type: text
        text: {zh: 未取得同意时的安排, en: Arrangement without consent}
        cites: ["pipl:39"]
        show_if: {question: consent, equals: "no"}
"""
    shutil.copytree(tiny_bank_path.parent / "library", tmp_path / "library")  # the bank's legal sources
    (tmp_path / "tiny.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(tmp_path / "tiny.yaml").bank
    answers = Answers.model_validate({"bank": {"id": "tiny", "version": "1.0"}, "answers": {"consent": "yes"},
                                      "repeats": {"recipients": [{"r_name": f"R{i}"} for i in range(3)]}})
    assert not any(s.question.id == "r_why" for s in evaluate(bank, answers).state.visible)
    refused = answers.with_value("consent", "no")
    shown = [s.key for s in evaluate(bank, refused).state.visible if s.question.id == "r_why"]
    assert shown == [f"recipients[{i}].r_why" for i in range(3)]
    assert not any(s.question.id == "r_why" for s in evaluate(bank, refused.with_value("consent", "yes")).state.visible)
