"""A broken bank is reported completely, at once, each problem as file:line: path: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipia.bank.loader import lint, load_bank
from pipia.errors import BankError

from .bank_support import GOOD, WriteBank


def messages(path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    return [str(p) for p in caught.value.problems]


def test_a_good_bank_loads(write_bank: WriteBank) -> None:
    loaded = load_bank(write_bank(GOOD))
    assert list(loaded.bank.questions) == ["consent", "basis"]
    assert loaded.sources.by_id["pipl"].article("39") is not None


def test_malformed_yaml_names_the_line(write_bank: WriteBank) -> None:
    path = write_bank("id: demo\nsections: [\n  {id: a,\n")
    [message] = messages(path)
    assert message.startswith(f"{path}:4:")
    assert "malformed YAML" in message


def test_a_duplicate_key_is_rejected_with_both_lines(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace('version: "1.0"\n', 'version: "1.0"\nversion: "2.0"\n'))
    [message] = messages(path)
    assert message == f"{path}:3: version: duplicate key 'version' (first defined on line 2; each key may appear once)"


def test_a_duplicate_question_id_points_at_the_second(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace("- id: basis", "- id: consent"))
    [message] = messages(path)
    assert message.startswith(f"{path}:22: sections[0].questions[1].id: duplicate question id 'consent'")


def test_a_wrong_type_says_what_was_expected(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace("risk: 1.0", "risk: high"))
    [message] = messages(path)
    assert message.startswith(f"{path}:19: sections[0].questions[0].options[1].risk:")
    assert "valid number" in message


def test_yaml_booleans_are_caught_where_text_is_expected(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace('{value: "yes"', "{value: yes"))
    [message] = messages(path)
    assert "sections[0].questions[0].options[0].value" in message
    assert "quote it" in message


@pytest.mark.parametrize("written", ["1.10", "2.50", "1_0", "3.0"])
def test_a_version_written_as_a_number_is_rejected_with_the_text_as_written(write_bank: WriteBank,
                                                                            written: str) -> None:
    # YAML reads 1.10 as the float 1.1: the hint quotes what the author wrote, never the number it became.
    path = write_bank(GOOD.replace('version: "1.0"', f"version: {written}"))
    with pytest.raises(BankError) as caught:
        load_bank(path)
    [problem] = caught.value.problems
    assert str(problem) == f'{path}:2: version: got the number {written} (expected text: quote it, e.g. "{written}")'
    # The Chinese quotes with YAML's single quotes: ASCII double quotes break Chinese typesetting.
    assert problem.zh == f"实际为数字 {written}（应为文本，请加引号，如 '{written}'）"


def test_a_number_out_of_range_is_quoted_as_written(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace("risk: 1.0", "risk: 1.50"))
    assert messages(path) == [
        f"{path}:19: sections[0].questions[0].options[1].risk: input should be less than or equal to 1 (got 1.50)"]


@pytest.mark.parametrize("written", ["on", "Off", "TRUE", "No"])
def test_a_yaml_boolean_where_text_is_expected_is_named_as_written(write_bank: WriteBank, written: str) -> None:
    path = write_bank(GOOD.replace('{value: "yes"', f"{{value: {written}"))
    with pytest.raises(BankError) as caught:
        load_bank(path)
    [problem] = caught.value.problems
    assert problem.message.startswith(f"got {written}: YAML reads unquoted yes/no/on/off/true/false as booleans")
    assert problem.zh.startswith(f"实际为 {written}：")


def test_a_missing_translation_is_named(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace("text: {zh: 法律依据, en: Legal basis}", "text: {zh: 法律依据}"))
    [message] = messages(path)
    assert message == (
        f"{path}:24: sections[0].questions[1].text.en: "
        "missing translation: the 'en' text is required (expected both zh and en)"
    )


def test_a_citation_must_point_to_the_registry(write_bank: WriteBank) -> None:
    path = write_bank(GOOD.replace('"pipl:13"', '"pipl:99"').replace('"pipl:39"', '"gdpr:6"'))
    found = messages(path)
    assert found == [
        f"{path}:14: sections[0].questions[0].cites[0]: citation 'gdpr:6' points to no source "
        "(expected an id in the sources registry)",
        f"{path}:25: sections[0].questions[1].cites[0]: citation 'pipl:99': pipl has no article '99' "
        "in the registry (listed: 13, 39)",
    ]


def test_a_condition_on_an_unknown_question(write_bank: WriteBank) -> None:
    path = write_bank(
        GOOD.replace('cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        show_if: {question: nope, answered: true}')
    )
    [message] = messages(path)
    assert message == f"{path}:26: sections[0].questions[1].show_if: refers to unknown question 'nope'"


def test_a_condition_on_a_later_question(write_bank: WriteBank) -> None:
    path = write_bank(
        GOOD.replace('cites: ["pipl:39"]', 'cites: ["pipl:39"]\n        show_if: {question: basis, equals: consent}')
    )
    [message] = messages(path)
    assert message == (
        f"{path}:15: sections[0].questions[0].show_if: refers to 'basis', which is asked later "
        "(conditions may only read earlier questions)"
    )


def test_a_condition_value_must_be_an_option(write_bank: WriteBank) -> None:
    path = write_bank(
        GOOD.replace('cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        show_if: {question: consent, equals: maybe}')
    )
    [message] = messages(path)
    assert "sections[0].questions[1].show_if: 'consent' is a yes/no question (expected yes or no)" in message


def test_an_unknown_condition_operator(write_bank: WriteBank) -> None:
    path = write_bank(
        GOOD.replace('cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        show_if: {question: consent, is: yes}')
    )
    [message] = messages(path)
    assert "show_if: unknown operator 'is'" in message


def test_a_gap_without_finding_and_action(write_bank: WriteBank) -> None:
    text = GOOD.replace("            finding: {zh: 未取得单独同意, en: No separate consent}\n", "")
    path = write_bank(text)
    [message] = messages(path)
    assert message == (
        f"{path}:17: sections[0].questions[0].options[1]: this answer reveals a gap but has no "
        "finding (expected both, zh and en)"
    )


def test_every_problem_is_reported_at_once(write_bank: WriteBank) -> None:
    text = (
        GOOD.replace("text: {zh: 法律依据, en: Legal basis}", "text: {zh: 法律依据}")
        .replace("risk: 1.0", "risk: 2.0")
        .replace("dimension: legality", "dimension: legality\n        weight: -1")
    )
    found = messages(write_bank(text))
    assert len(found) == 3
    assert [m.split(": ")[1] for m in found] == [
        "sections[0].questions[0].weight",
        "sections[0].questions[0].options[1].risk",
        "sections[0].questions[1].text.en",
    ]


def test_lint_collects_problems_across_banks(write_bank: WriteBank) -> None:
    good = write_bank(GOOD, "good.yaml")
    bad = write_bank(GOOD.replace('"pipl:13"', '"pipl:99"'), "bad.yaml")
    problems = lint([good, bad])
    assert [p.file for p in problems] == [str(bad)]


class TestExtends:
    CHILD = """\
    extends: demo
    id: demo-contract
    version: "1.0"
    title: {zh: 标准合同版, en: Standard contract edition}
    remove: [basis]
    override:
      consent: {weight: 3.0}
      consent.no: {risk: 0.5}
    add:
      - into: basics
        question:
          id: filed
          type: yes_no
          text: {zh: 是否已备案？, en: Has it been filed?}
          cites: ["pipl:39"]
    """

    def test_a_derived_bank_adds_removes_and_overrides(self, write_bank: WriteBank) -> None:
        write_bank(GOOD, "base.yaml")
        bank = load_bank(write_bank(self.CHILD, "child.yaml")).bank
        assert bank.id == "demo-contract"
        assert list(bank.questions) == ["consent", "filed"]
        consent = bank.questions["consent"]
        assert consent.weight == 3.0
        no = consent.option("no")
        assert no is not None and no.risk == 0.5 and no.finding is not None
        assert bank.title.en == "Standard contract edition"

    def test_a_derived_bank_changes_one_coverage_item_or_dimension_by_id(self, write_bank: WriteBank) -> None:
        base = GOOD.replace("dimensions:", "coverage:\n  - {id: focus.1, kind: focus, label: {zh: 合法性, en: Legality}, "
                                           "cites: [pipl]}\ndimensions:")
        write_bank(base, "base.yaml")
        child = self.CHILD.replace(
            "consent: {weight: 3.0}",
            'consent: {weight: 3.0}\n      focus.1: {cites: ["pipl:13"]}\n'
            "      legality: {label: {zh: 合法性与必要性, en: Legality and necessity}}",
        )
        bank = load_bank(write_bank(child, "child.yaml")).bank
        assert [c.cites for c in bank.coverage] == [("pipl:13",)]
        assert bank.coverage[0].label.en == "Legality"
        assert bank.dimensions[0].label.en == "Legality and necessity"

    def test_an_error_in_the_derived_bank_points_into_it(self, write_bank: WriteBank) -> None:
        write_bank(GOOD, "base.yaml")
        child = write_bank(self.CHILD.replace("{risk: 0.5}", "{risk: lots}"), "child.yaml")
        [message] = messages(child)
        assert message.startswith(f"{child}:8: sections[0].questions[0].options[1].risk:")

    def test_a_number_in_a_derived_bank_is_quoted_as_its_file_wrote_it(self, write_bank: WriteBank) -> None:
        write_bank(GOOD.replace("risk: 1.0", "risk: 0.10"), "base.yaml")  # the base's number, not the child's
        child = write_bank(self.CHILD.replace('version: "1.0"', "version: 2.10").replace("{risk: 0.5}", "{risk: 1.50}"),
                           "child.yaml")
        assert messages(child) == [
            f'{child}:3: version: got the number 2.10 (expected text: quote it, e.g. "2.10")',
            f"{child}:8: sections[0].questions[0].options[1].risk: input should be less than or equal to 1 (got 1.50)",
        ]

    def test_an_unknown_base_is_reported_on_the_extends_line(self, write_bank: WriteBank) -> None:
        child = write_bank(self.CHILD.replace("extends: demo", "extends: nowhere"), "child.yaml")
        [message] = messages(child)
        assert message.startswith(f"{child}:1: extends: cannot extend: no bank with id 'nowhere'")

    def test_removing_or_overriding_what_is_not_there(self, write_bank: WriteBank) -> None:
        write_bank(GOOD, "base.yaml")
        child = write_bank(
            self.CHILD.replace("remove: [basis]", "remove: [bassis]").replace("consent.no:", "consent.maybe:"),
            "child.yaml",
        )
        assert messages(child) == [
            f"{child}:5: remove[0]: nothing with id 'bassis' to remove (expected a section, question or 'question.option')",
            f"{child}:8: override.consent.maybe: nothing with id 'consent.maybe' to override",
        ]

    def test_a_removal_that_breaks_a_condition_is_reported_at_the_remove_entry(self, write_bank: WriteBank) -> None:
        base = GOOD + """\
      - id: basis_detail
        type: text
        text: {zh: 说明, en: Details}
        cites: ["pipl:13"]
        show_if: {question: basis, equals: contract}
"""
        write_bank(base, "base.yaml")
        child = write_bank(self.CHILD, "child.yaml")
        assert messages(child) == [
            f"{child}:5: remove[0]: removing 'basis' breaks what still uses it: question 'basis_detail' show_if "
            "(refers to unknown question 'basis') (remove or override those too)"
        ]

    def test_removing_an_option_a_condition_uses_is_reported_at_the_remove_entry(self, write_bank: WriteBank) -> None:
        base = GOOD + """\
      - id: basis_detail
        type: text
        text: {zh: 说明, en: Details}
        cites: ["pipl:13"]
        show_if: {question: basis, equals: contract}
"""
        law = "          - {value: law, label: {zh: 法定职责, en: Legal duty}}\n"
        write_bank(base.replace("      - id: basis_detail\n", law + "      - id: basis_detail\n"), "base.yaml")
        child = write_bank(self.CHILD.replace("remove: [basis]", "remove: [basis.contract]"), "child.yaml")
        [message] = messages(child)
        assert message.startswith(f"{child}:5: remove[0]: removing 'basis.contract' breaks what still uses it: "
                                  "question 'basis_detail' show_if")

    def test_a_cycle_is_reported(self, write_bank: WriteBank) -> None:
        write_bank(GOOD.replace("id: demo", "extends: demo-contract\nid: demo"), "base.yaml")
        child = write_bank(self.CHILD, "child.yaml")
        found = messages(child)
        assert any("a cycle" in m for m in found)

    def test_an_error_in_the_base_fails_the_derived_bank_too(self, write_bank: WriteBank) -> None:
        base = write_bank(GOOD.replace('"pipl:13"', '"pipl:99"'), "base.yaml")
        with pytest.raises(BankError) as caught:
            load_bank(write_bank(self.CHILD.replace("remove: [basis]", "remove: []"), "child.yaml"))
        assert any(p.file == str(base) for p in caught.value.problems)


def _read_after_all_answers(bank_id: str) -> list[str]:
    """Ids a shipped bank's blocking conditions and scoring read once every answer is in."""
    bank = load_bank(bank_id).bank
    ids: set[str] = set()
    for question in bank.questions.values():
        for option in question.options:
            if option.blocking_if is not None:
                ids |= set(option.blocking_if.questions())
    if bank.scoring is not None:
        if bank.scoring.conclusion.ongoing_if is not None:
            ids |= set(bank.scoring.conclusion.ongoing_if.questions())
        if bank.scoring.consistency is not None:
            for rule in bank.scoring.consistency.rules:
                ids |= set(rule.when.questions())
    return sorted(ids)


@pytest.mark.parametrize("removed", _read_after_all_answers("pipia-certification"))
def test_removing_a_question_the_scoring_reads_is_reported_at_the_remove_entry(
    write_bank: WriteBank, removed: str
) -> None:
    child = write_bank(
        "id: my-derived\n"
        'version: "1.0.0"\n'
        "extends: pipia-certification\n"
        "title: {zh: 派生, en: Derived}\n"
        "remove:\n"
        f"  - {removed}\n",
        "derived.yaml",
    )
    found = [p for p in lint([child]) if p.level == "error"]
    assert found, f"removing {removed!r} went unreported"
    assert all(p.file == str(child) and p.line == 6 and p.path == "remove[0]" for p in found), found
    assert found[0].message.startswith(f"removing {removed!r} breaks what still uses it: ")
    assert f"refers to unknown question {removed!r}" in found[0].message
