"""The bank's roles: the questions the code reads, declared by the bank and checked by ``pipia lint``.

A consultant's derived bank may rename a question the route check, the report or the app reads. Either
the rename is declared in ``roles:`` and everything works as before, or lint refuses the bank and says
where; never a bank that lints clean and then breaks the route.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import get_args

import pytest

from pipia.answers.format import Answers, Meta
from pipia.assessment import visibility
from pipia.bank.conditions import ROUTES
from pipia.bank.format import Roles, ScoringParams
from pipia.bank.loader import lint, load_bank
from pipia.bank.roles import EXEMPTIONS
from pipia.cli import main
from pipia.errors import BankError
from pipia.files.resources import samples_dir
from pipia.route.facts import Facts, Milestones
from pipia.route.rules import Route, route_names

from .bank_support import WriteBank

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"
SRC = Path(__file__).resolve().parents[1] / "src" / "pipia"

# The CIIO screening question asked under another id: removed, then added back where it was.
RENAMED = """\
id: my-derived
version: "1.0.0"
extends: pipia-certification
title: {zh: 派生题库, en: Derived bank}
remove: [processor_is_ciio]
add:
  - into: screening
    before: processor_outside_china
    question:
      id: is_ciio
      type: yes_no
      text: {zh: 是否为关键信息基础设施运营者？, en: Is the processor a critical information infrastructure operator?}
      cites: ["provisions-2024:7", "pipl:40"]
      covers: [report.1.1.1, focus.6]
override:
  security_assessment_status:
    show_if:
      any:
        - {route: security_assessment}
        - {question: is_ciio, equals: "yes"}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _sample_for(folder: Path, bank_id: str, ciio: bool, ciio_id: str = "processor_is_ciio") -> Path:
    """The shipped sample, answered for ``bank_id`` with the CIIO answer under ``ciio_id``."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("id: pipia-certification", f"id: {bank_id}", 1)
    text = text.replace("  processor_is_ciio:\n    value: false", f"  {ciio_id}:\n    value: {str(ciio).lower()}", 1)
    assert f"{ciio_id}:\n    value: {str(ciio).lower()}" in text
    return _write(folder, f"{bank_id}-{ciio}.yaml", text)


def test_a_renamed_screening_question_without_roles_is_refused_where_it_was_removed(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED)
    errors = [p for p in lint([child]) if p.level == "error"]
    assert [(p.file, p.line, p.path) for p in errors] == [(str(child), 5, "remove[0]")]
    [error] = errors
    assert "roles.ciio" in error.message
    assert "'processor_is_ciio'" in error.message
    assert "expected a yes/no question" in error.message
    with pytest.raises(BankError):
        load_bank(child)


def test_a_role_naming_a_question_of_the_wrong_type_is_refused_at_the_role(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_ciio\n  approver: is_ciio\n")
    [error] = [p for p in lint([child]) if p.level == "error"]
    assert (error.file, error.line, error.path) == (str(child), 23, "roles.approver")
    assert error.message == "'is_ciio' is a yes/no question (expected a text or long text question outside repeat groups)"
    assert error.zh.startswith("'is_ciio' 是")


def test_a_role_naming_no_question_is_refused_at_the_role(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_cio\n")
    [error] = [p for p in lint([child]) if p.level == "error"]
    assert (error.file, error.line, error.path) == (str(child), 22, "roles.ciio")
    assert error.message == "no question 'is_cio' in the bank (expected a yes/no question outside repeat groups)"


def test_a_role_option_the_question_lacks_is_refused(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_ciio\n  exemptions_none: neither\n")
    [error] = [p for p in lint([child]) if p.level == "error"]
    assert (error.file, error.line, error.path) == (str(child), 23, "roles.exemptions_none")
    assert "'neither' is not an option of 'exemptions'" in error.message


def test_the_cross_checks_read_the_questions_the_roles_name(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_ciio\n  inventory: rectification\n")
    errors = [p for p in lint([child]) if p.level == "error" and p.path == "roles.inventory"]
    assert [(p.file, p.line) for p in errors] == [(str(child), 23)]
    assert errors[0].message.startswith("'rectification' is not scoring.consistency.inventory 'data_inventory' "
                                        "(expected the same question")


def test_a_derived_bank_inherits_the_roles_and_overrides_one_entry(tmp_path: Path) -> None:
    child = _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_ciio\n")
    roles = load_bank(child).bank.roles
    base = load_bank("pipia-certification").bank.roles
    assert roles.ciio == "is_ciio"
    assert roles.model_dump(exclude={"ciio"}) == base.model_dump(exclude={"ciio"})


@pytest.mark.parametrize("ciio", [False, True], ids=["not-ciio", "ciio"])
def test_a_rename_declared_in_roles_routes_scores_and_reports_as_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ciio: bool
) -> None:
    _write(tmp_path, "derived.yaml", RENAMED + "roles:\n  ciio: is_ciio\n")
    assert main(["lint", str(tmp_path / "derived.yaml")]) == 0
    capsys.readouterr()
    original = _sample_for(tmp_path, "pipia-certification", ciio)
    renamed = _sample_for(tmp_path, "my-derived", ciio, ciio_id="is_ciio")

    def run(*args: str) -> dict[str, object]:
        assert main(list(args)) == 0
        return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]

    route, route_renamed = run("route", str(original), "--json"), run("route", str(renamed), "--json")
    assert route_renamed["route"] == route["route"] == ("security_assessment" if ciio else "contract_or_certification")
    assert route_renamed["reasons"] == route["reasons"]
    score, score_renamed = run("score", str(original), "--json"), run("score", str(renamed), "--json")
    assert score_renamed["overall"] == score["overall"]
    assert score_renamed["findings"] == score["findings"]
    out = tmp_path / "report.docx"
    assert main(["report", str(renamed), "-o", str(out), "--lang", "en"]) == 0
    assert out.stat().st_size > 0


def test_the_shipped_banks_declare_every_role_the_route_reads() -> None:
    for bank_id in ("pipia-certification", "pipia-standard-contract"):
        roles = load_bank(bank_id).bank.roles
        for role in ("ciio", "important_data", "exemptions", "non_sensitive_count", "sensitive_count"):
            assert getattr(roles, role) is not None, (bank_id, role)


def _shipped_ids() -> set[str]:
    """Every question id of the shipped banks, minus the names pipia's own models use for the same
    things (a facts file's ``important_data``, a milestone's name, an exemption of the route rules, ...):
    those are the code's vocabulary, not reads of a bank's question."""
    ids: set[str] = set()
    for bank_id in ("pipia-certification", "pipia-standard-contract"):
        ids |= set(load_bank(bank_id).bank.questions)
    own = {*Facts.model_fields, *Milestones.model_fields, *Meta.model_fields, *ScoringParams.model_fields,
           *EXEMPTIONS}
    return ids - own


# The files that declare the roles and map them to facts: a role is often named as its shipped question.
ROLE_FILES = {"bank/format.py", "bank/roles.py", "route/facts.py"}
# Words that are also question ids, used in these files for something else.
HOMONYMS = {
    ("store/access.py", "approver"),  # a member's role in a team
    ("ui/assessments.py", "approver"),  # the name of a text key and of a form field
    ("ui/text.py", "approver"),
    ("ui/text.py", "legal_basis"),  # the heading "Legal basis" over a question's citations
    ("ui/widgets.py", "legal_basis"),
}


def test_no_question_id_of_the_shipped_banks_is_written_in_the_code() -> None:
    """The code reads the bank's questions through ``roles`` only, so a derived bank can rename them."""
    ids = _shipped_ids()
    assert {"processor_is_ciio", "processor_name", "approver", "data_inventory", "recipient_country"} <= ids
    found = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids \
                    and (where, node.value) not in HOMONYMS \
                    and not (where in ROLE_FILES and node.value in Roles.model_fields):
                found.append(f"{where}:{node.lineno}: {node.value!r}")
    assert found == []


# A bank whose follow-up is asked on the security-assessment route only, its threshold nowhere in the bank.
ROUTED = """\
id: routed
version: "1.0"
title: {zh: 路径题库, en: Routed bank}
roles:
  ciio: ciio
  important_data: important
  exemptions: exempt
  exemptions_none: none
  non_sensitive_count: ns
  sensitive_count: s
sections:
  - id: screening
    title: {zh: 筛查, en: Screening}
    questions:
      - {id: ciio, type: yes_no, text: {zh: 关基？, en: CIIO?}, cites: [pipl]}
      - {id: important, type: yes_no, text: {zh: 重要数据？, en: Important data?}, cites: [pipl]}
      - id: exempt
        type: multiple_choice
        text: {zh: 免予情形, en: Exemptions}
        cites: [pipl]
        options:
          - {value: hr_management, label: {zh: 人力资源, en: HR}}
          - {value: none, label: {zh: 均不属于, en: None}, exclusive: true}
      - {id: ns, type: number, text: {zh: 一般人数, en: Non-sensitive}, cites: [pipl]}
      - {id: s, type: number, text: {zh: 敏感人数, en: Sensitive}, cites: [pipl]}
  - id: mechanism
    title: {zh: 机制, en: Mechanism}
    questions:
      - id: assessment_passed
        type: yes_no
        text: {zh: 是否已通过安全评估？, en: Security assessment passed?}
        cites: [pipl]
        show_if: {route: security_assessment}
"""


def _routed_answers(ns: int, s: int = 0, day: str | None = "2026-06-01") -> Answers:
    return Answers.model_validate({
        "bank": {"id": "routed", "version": "1.0"},
        "meta": {"assessment_date": day},
        "answers": {"ciio": False, "important": False, "exempt": ["none"], "ns": ns, "s": s},
    })


@pytest.mark.parametrize(
    ("ns", "s", "shown"),
    [(999_999, 0, False), (1_000_000, 0, True), (200_000, 9_999, False), (0, 10_000, True)],
    ids=["below", "at-non-sensitive-threshold", "contract", "at-sensitive-threshold"],
)
def test_show_if_route_follows_the_thresholds_of_the_rule_set(
    write_bank: WriteBank, ns: int, s: int, shown: bool
) -> None:
    bank = load_bank(write_bank(ROUTED)).bank
    state = visibility.evaluate(bank, _routed_answers(ns, s))
    assert ("assessment_passed" in {slot.key for slot in state.visible}) is shown


def test_show_if_route_does_not_hold_while_the_route_cannot_be_decided(write_bank: WriteBank) -> None:
    bank = load_bank(write_bank(ROUTED)).bank
    state = visibility.evaluate(bank, _routed_answers(2_000_000, day=None))
    assert "assessment_passed" in {slot.key for slot in state.hidden}


def test_show_if_route_describes_itself_with_the_route_rules_name(write_bank: WriteBank) -> None:
    bank = load_bank(write_bank(ROUTED)).bank
    condition = bank.questions["assessment_passed"].show_if
    assert condition is not None
    assert condition.describe("zh", route_names(bank)) == "出境路径为“申报数据出境安全评估”"
    assert condition.describe("en", route_names(bank)) == "the route is “Security assessment for outbound data transfer”"


def test_a_screening_question_whose_show_if_tests_the_route_is_refused(write_bank: WriteBank) -> None:
    cyclic = ROUTED.replace(
        "      - {id: s, type: number, text: {zh: 敏感人数, en: Sensitive}, cites: [pipl]}",
        "      - {id: s, type: number, text: {zh: 敏感人数, en: Sensitive}, cites: [pipl], "
        "show_if: {route: contract_or_certification}}",
    )
    path = write_bank(cyclic)
    [error] = [p for p in lint([path]) if p.level == "error"]
    assert (error.line, error.path) == (25, "sections[0].questions[4].show_if")
    assert error.message.startswith("tests the route, which is decided from screening questions up to 's'")


def test_the_route_may_not_be_tested_where_conditions_are_read_at_the_end(write_bank: WriteBank) -> None:
    blocking = ROUTED + """\
        options:
          - {value: "yes", label: {zh: 是, en: "Yes"}}
          - value: "no"
            label: {zh: 否, en: "No"}
            risk: 1.0
            blocking_if: {route: security_assessment}
            finding: {zh: 未通过, en: Not passed}
            action: {zh: 申报, en: Apply}
"""
    blocking = blocking.replace("        show_if: {route: security_assessment}\n", "        dimension: legality\n")
    path = write_bank(blocking.replace("sections:", "dimensions:\n  - {id: legality, label: {zh: 合法性, en: Legality}}\n"
                                                    "sections:", 1))
    errors = [p for p in lint([path]) if p.level == "error"]
    assert [(p.path, p.message) for p in errors] == [
        ("sections[1].questions[0].options[1].blocking_if",
         "the route can be tested in show_if only (expected a condition on answers here)"),
    ]


def test_the_route_a_condition_names_must_be_a_route(write_bank: WriteBank) -> None:
    path = write_bank(ROUTED.replace("{route: security_assessment}", "{route: assessment}"))
    [error] = [p for p in lint([path]) if p.level == "error"]
    assert error.path == "sections[1].questions[0].show_if.route"  # the bad part itself
    assert "expected one of exempt, contract_or_certification, security_assessment" in error.message


def test_the_routes_of_conditions_are_the_routes_of_the_rule_sets() -> None:
    assert get_args(Route) == ROUTES
