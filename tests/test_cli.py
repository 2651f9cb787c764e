"""The pipia command: thin over the core, with exit codes a script can rely on."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from pipia import cli
from pipia.cli import main
from pipia.files.resources import samples_dir, schema_path
from pipia.i18n import msg
from pipia.team.actions import ActionError

from .bank_support import GOOD, WriteBank
from .spy_support import Calls


def test_lint_passes_on_a_good_bank(tiny_bank_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tiny_bank_path), "--lang", "en"]) == 0
    assert "1 bank checked: 0 errors, 0 warnings" in capsys.readouterr().err


def test_lint_fails_with_file_line_messages(write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_bank("id: x\nversion: '1'\ntitle: {zh: 甲}\n")
    assert main(["lint", str(path), "--lang", "en"]) == 1
    assert f"{path}:3: title.en: missing translation" in capsys.readouterr().err


def test_lint_in_chinese_says_each_problem_in_chinese_at_its_file_line_and_path(
        write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_bank("id: x\nversion: '1'\ntitle: {zh: 甲}\nsections:\n  - id: s\n    titel: {zh: 乙, en: B}\n")
    assert main(["lint", str(path), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:3: title.en: 缺少 'en' 文本（中英文都需要）\n" in err
    assert f"{path}:6: sections[0].titel: 未知字段 'titel'（不属于文件格式，请检查拼写）\n" in err
    assert err.endswith("已检查 1 个题库：4 处错误，0 处警告\n")
    assert main(["lint", str(path)]) == 1  # Chinese unless asked otherwise, as the other commands
    assert capsys.readouterr().err == err


# A sentence of the program's own English: three words in a row, once quoted ids ('basis', ['a', 'b'])
# and the file:line: path: prefix are set aside.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?: +[A-Za-z]{2,}){2,}")
QUOTED = re.compile(r"'[^']*'|“[^”]*”|\[[^\]]*\]")

# A bank that trips cross-checks of many kinds at once: a repeat group, a dimension and a coverage item that
# do not exist, citations to nowhere, conditions on unknown and later questions and on values no option
# has, a gap with no finding, options on a text question, number bounds on a choice question.
CROSSED = GOOD.replace("    title: {zh: 基本情况, en: Basics}\n", "    title: {zh: 基本情况, en: Basics}\n    repeat: nope\n").replace(
    'cites: ["pipl:39"]',
    'cites: ["gdpr:6", "pipl:99"]\n        covers: [chapter_9]\n        show_if: {question: basis, equals: consent}',
).replace("dimension: legality", "dimension: lawfulness").replace(
    "            finding: {zh: 未取得单独同意, en: No separate consent}\n", "").replace(
    'cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        minimum: 1\n        show_if: {question: consent, equals: maybe}',
) + """\
      - id: note
        type: text
        text: {zh: 备注, en: Note}
        cites: []
        show_if: {question: nowhere, answered: true}
        options:
          - {value: a, label: {zh: 甲, en: A}}
"""


def _problem_lines(err: str, path: Path) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(str(path))]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lint_says_every_cross_check_of_a_bank_in_the_language_asked_for_at_its_file_line_and_path(
        write_bank: WriteBank, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    path = write_bank(CROSSED)
    assert main(["lint", str(path), "--lang", lang]) == 1
    lines = _problem_lines(capsys.readouterr().err, path)
    assert len(lines) >= 10
    located = re.compile(rf"{re.escape(str(path))}:\d+: [\w.\[\]]+: (.+)")
    said = []
    for line in lines:
        found = located.fullmatch(line)
        assert found, line
        said.append(found.group(1))
    english = [text for text in said if ENGLISH_RUN.search(QUOTED.sub("", text))]
    if lang == "zh":
        assert english == []
    else:
        assert english == said  # the same problems, each a sentence of its own in English
    assert any("'nowhere'" in text for text in said) and any("'gdpr:6'" in text for text in said)


def test_a_removal_that_breaks_what_still_uses_it_is_said_in_chinese_with_each_use(
        write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    write_bank(GOOD.replace('cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        show_if: {question: consent, equals: "yes"}'),
               "base.yaml")
    child = write_bank("id: child\nversion: '1'\nextends: demo\nremove:\n  - consent\n", "child.yaml")
    assert main(["lint", str(child), "--lang", "zh"]) == 1
    [line] = _problem_lines(capsys.readouterr().err, child)
    assert line.startswith(f"{child}:5: remove[0]: 删除 'consent' 会使仍在使用它的内容出错：问题 'basis' 的 show_if")
    assert not ENGLISH_RUN.search(QUOTED.sub("", line.split(": ", 2)[2]))


def test_a_base_bank_that_cannot_be_found_is_said_in_chinese(
        write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    named = write_bank("extends: nowhere\nid: child\nversion: '1'\n", "by-id.yaml")
    path = write_bank("extends: base.yaml\nid: child\nversion: '1'\n", "by-path.yaml")
    assert main(["lint", str(named), str(path), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert f"{named}:1: extends: 无法扩展：没有 id 为 'nowhere' 的题库（随附的题库：" in err
    assert f"{path}:1: extends: 无法扩展：base.yaml：没有这个题库文件\n" in err


def test_values_of_the_wrong_type_or_range_are_said_in_chinese_with_what_was_expected(
        write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    # pydantic's own checks (bounds, booleans, numbers, lists, mappings, choices): worded from the catalogue.
    path = write_bank(GOOD.replace("risk_source: process", "risk_source: proces").replace(
        "dimension: legality", "dimension: legality\n        weight: -1\n        required: maybe\n        min_rows: 1.5",
    ).replace('cites: ["pipl:13"]', 'cites: "pipl:13"').replace("risk: 1.0", "risk: 2").replace(
        '{value: consent, label: {zh: 同意, en: Consent}}', '{value: consent, label: [同意], risk: abc}'))
    assert main(["lint", str(path), "--lang", "zh"]) == 1
    lines = _problem_lines(capsys.readouterr().err, path)
    assert [line.split(": ")[1] for line in lines] == [
        "dimensions[0].risk_source", "sections[0].questions[0].weight", "sections[0].questions[0].required",
        "sections[0].questions[0].min_rows", "sections[0].questions[0].options[1].risk", "sections[0].questions[1].cites",
        "sections[0].questions[1].options[0].label", "sections[0].questions[1].options[0].risk"]
    assert [line for line in lines if ENGLISH_RUN.search(QUOTED.sub("", line.split(": ", 2)[2]))] == []
    assert f"{path}:14: sections[0].questions[0].weight: 应不小于 0（实际为 -1）" in lines


def test_a_malformed_condition_and_a_date_out_of_range_are_said_in_chinese(
        write_bank: WriteBank, tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_bank(GOOD.replace('cites: ["pipl:13"]', 'cites: ["pipl:13"]\n        show_if: {question: consent, is: "yes"}'))
    assert main(["lint", str(path), "--lang", "zh"]) == 1
    [line] = _problem_lines(capsys.readouterr().err, path)
    assert line.startswith(f"{path}:26: sections[0].questions[1].show_if: ") and "'is'" in line
    assert not ENGLISH_RUN.search(QUOTED.sub("", line.split(": ", 2)[2])), line
    answers = tmp_path / "a.yaml"
    answers.write_text('bank: {id: tiny, version: "1.0"}\nmeta:\n  assessment_date: "1850-01-01"\n', encoding="utf-8")
    assert main(["validate", str(answers), "--bank", str(tiny_bank_path), "--lang", "zh"]) == 1
    [line] = _problem_lines(capsys.readouterr().err, answers)
    assert line.startswith(f"{answers}:3: meta.assessment_date: ") and "1900" in line, line
    assert not ENGLISH_RUN.search(QUOTED.sub("", line.split(": ", 2)[2])), line


def test_validate_in_chinese_says_what_is_wrong_with_the_answers_in_chinese(
        tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('bank: {id: tiny, version: "1.0"}\nanswers:\n  consent: maybe\n', encoding="utf-8")
    assert main(["validate", str(bad), "--bank", str(tiny_bank_path), "--lang", "zh"]) == 1
    assert capsys.readouterr().err == f"{bad}:3: answers.consent: 应为是或否（实际为 'maybe'）\n"
    bad.write_text('bank: {id: tiny, version: "1.0"}\nanswers:\n  consent: [yes\n', encoding="utf-8")
    assert main(["validate", str(bad), "--bank", str(tiny_bank_path), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:4: YAML 格式错误：") and "（请检查此行的缩进、冒号和引号）" in err


def test_lint_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "no/such/bank.yaml", "--lang", "en"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_schema_prints_the_checked_in_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed)["title"] == "pipia question bank"
    assert printed == schema_path().read_text(encoding="utf-8"), (
        "questionnaires/schema/bank.schema.json is out of date: run `pipia schema > questionnaires/schema/bank.schema.json`"
    )


def test_new_writes_a_skeleton_that_validates(
    tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "answers.yaml"
    assert main(["new", "--bank", str(tiny_bank_path), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "consent: null" in text and "r_name: null" in text
    assert main(["validate", str(out), "--bank", str(tiny_bank_path), "--lang", "en"]) == 0
    assert "4 of 4 required questions still unanswered" in capsys.readouterr().out


def test_new_lists_options_in_comments(write_bank: WriteBank, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_bank(GOOD)
    assert main(["new", "--bank", str(path)]) == 0
    out = capsys.readouterr().out
    assert "#   consent = 同意 / Consent\n" in out
    assert "#   contract = 合同所必需 / Necessary for a contract\n" in out


def test_new_never_overwrites(tiny_bank_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "answers.yaml"
    out.write_text("mine", encoding="utf-8")
    assert main(["new", "--bank", str(tiny_bank_path), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "mine"


def test_validate_reports_problems_and_exits_1(
    tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('bank: {id: tiny, version: "1.0"}\nanswers:\n  consent: maybe\n', encoding="utf-8")
    assert main(["validate", str(bad), "--bank", str(tiny_bank_path), "--lang", "en"]) == 1
    assert f"{bad}:3: answers.consent: expected yes or no (got 'maybe')" in capsys.readouterr().err


def test_validate_of_an_unknown_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text('bank: {id: nonexistent, version: "1"}\n', encoding="utf-8")
    assert main(["validate", str(answers), "--lang", "en"]) == 2
    assert "no bank with id 'nonexistent'" in capsys.readouterr().err
    assert main(["validate", str(answers)]) == 2  # Chinese unless asked otherwise
    assert "没有 id 为 'nonexistent' 的题库" in capsys.readouterr().err


SCORED_BANK = Path(__file__).parent / "data" / "banks" / "scored.yaml"
SCORED_ANSWERS = """\
bank: {id: scored, version: "1.0"}
answers:
  n_general: 300000
  n_sensitive: 6000
  consent: yes
  encryption: weak
  encryption_plan: planned
repeats:
  recipients:
    - {r_name: Acme, r_categories: [general, health], r_count: 306000, r_deid: identifiable, r_contract: partial}
"""


def test_score_json_has_the_documented_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(SCORED_ANSWERS, encoding="utf-8")
    assert main(["score", str(path), "--bank", str(SCORED_BANK), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["complete", "missing", "overall", "dimensions", "scenarios", "findings"]
    assert result["overall"]["risk"] == "high" and result["overall"]["conclusion"] == "proceed_after_fixes"
    assert [(d["id"], d["score"]) for d in result["dimensions"]] == [("legality", 0.0), ("security", 33.3),
                                                                    ("recipient", 50.0)]
    [scenario] = result["scenarios"]
    assert {k: scenario[k] for k in ("recipient", "impact", "likelihood", "risk")} == {
        "recipient": "Acme", "impact": "high", "likelihood": "high", "risk": "high"}
    assert [(f["question"], f["severity"], f["blocking"]) for f in result["findings"]] == [
        ("encryption", "medium", False), ("r_contract", "medium", False)]


def test_score_prints_a_readable_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(SCORED_ANSWERS, encoding="utf-8")
    assert main(["score", str(path), "--bank", str(SCORED_BANK), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Conclusion: the transfer may proceed after the listed fixes\nOverall risk: high\n")
    assert "  Acme: impact high · likelihood high · risk high · treat by a deadline\n" in out
    assert "  [medium] [Acme] Contract terms incomplete\n      → Complete the contract terms\n" in out


def test_score_refuses_answers_that_do_not_fit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(SCORED_ANSWERS.replace("encryption: weak", "encryption: rot13"), encoding="utf-8")
    assert main(["score", str(path), "--bank", str(SCORED_BANK), "--lang", "en"]) == 1
    assert "answers.encryption: 'rot13' is not an option" in capsys.readouterr().err


FACTS = """\
as_of: 2026-03-01
ciio: false
important_data: false
exemptions: []
individuals:
  non_sensitive: 250000
  sensitive: 0
"""


def test_route_json_from_a_facts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    assert main(["route", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"route", "reasons", "obligations", "warnings", "deadlines", "rule_set", "as_of"} <= set(result)
    assert result["route"] == "contract_or_certification" and result["as_of"] == "2026-03-01"


def test_route_of_a_broken_facts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS.replace("250000", "many"), encoding="utf-8")
    assert main(["route", str(path)]) == 1
    assert f"{path}:6: individuals.non_sensitive:" in capsys.readouterr().err


def test_route_says_what_is_wrong_with_a_facts_file_in_the_language_asked_for(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS.replace("250000", "many"), encoding="utf-8")
    assert main(["route", str(path), "--lang", "zh"]) == 1
    said = capsys.readouterr().err
    assert f"{path}:6: individuals.non_sensitive:" in said and re.search("[\u4e00-\u9fff]", said), said
    assert "whole number" not in said
    assert main(["route", str(path), "--lang", "en"]) == 1
    assert "whole number" in capsys.readouterr().err
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert main(["route", str(empty), "--lang", "zh"]) == 1
    assert "空文件" in capsys.readouterr().err


# -- the file boundary: every file in gets its value or a located error, never a traceback --------------------------
def test_new_writes_json_for_a_json_name_and_it_validates(
    tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "answers.json"
    assert main(["new", "--bank", str(tiny_bank_path), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["bank"] == {"id": "tiny", "version": "1.0"} and data["answers"]["consent"] is None
    assert main(["validate", str(out), "--bank", str(tiny_bank_path), "--lang", "en"]) == 0
    assert "4 of 4 required questions still unanswered" in capsys.readouterr().out


def test_new_refuses_a_name_whose_suffix_is_no_answers_format(tiny_bank_path: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "answers.txt"
    assert main(["new", "--bank", str(tiny_bank_path), "-o", str(out), "--lang", "en"]) == 2
    assert not out.exists()
    assert "expected a .yaml, .yml or .json file name" in capsys.readouterr().err


def test_a_json_answers_file_with_a_byte_order_mark_validates(tiny_bank_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"bank": {"id": "tiny", "version": "1.0"}, "answers": {"consent": true}}')
    assert main(["validate", str(path), "--bank", str(tiny_bank_path)]) == 0


NO_SCORING = {
    "zh": "scoring: 题库 tiny 没有评分部分（scoring:），其答案无法评分，也无法生成报告（validate 和 route 不需要该部分）",
    "en": "scoring: bank 'tiny' has no 'scoring:' section, so its answers cannot be scored or reported "
          "(validate and route work without it)",
}


@pytest.mark.parametrize("command", ["score", "report"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bank_without_scoring_is_refused_at_the_bank_in_the_users_language(
        tiny_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, lang: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('bank: {id: tiny, version: "1.0"}\nanswers: {consent: true}\n', encoding="utf-8")
    (tmp_path / "tiny.yaml").write_bytes(tiny_bank_path.read_bytes())  # found by the id the answers name
    (tmp_path / "library").symlink_to(tiny_bank_path.parent / "library")
    args = [command, str(path), *(["-o", str(tmp_path / "a.docx")] if command == "report" else []), "--lang", lang]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err == f"{tmp_path / 'tiny.yaml'}: {NO_SCORING[lang]}\n"
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.parametrize(("bank_id", "code", "message"), [
    ("/etc/hostname.yaml", 1, "a.yaml:1: bank.id: '/etc/hostname.yaml' is not a valid id"),
    ("../secret/bank.yaml", 1, "a.yaml:1: bank.id: '../secret/bank.yaml' is not a valid id"),
    ("tiny.yaml", 2, "no bank with id 'tiny.yaml'"),
])
def test_a_bank_id_is_never_opened_as_a_path(tmp_path: Path, tiny_bank_path: Path, bank_id: str, code: int,
                                             message: str, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "bank.yaml").write_text("password: hunter2\n", encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(tiny_bank_path.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "answers" / "a.yaml"
    path.parent.mkdir()
    path.write_text(f'bank: {{id: "{bank_id}", version: "1"}}\n', encoding="utf-8")
    assert main(["validate", str(path), "--lang", "en"]) == code
    err = capsys.readouterr().err
    assert message in err
    assert "hunter2" not in err and "password" not in err


def test_a_bank_next_to_the_answers_is_still_found_by_its_id(tmp_path: Path, tiny_bank_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(tiny_bank_path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "library").mkdir()
    for lib in (tiny_bank_path.parent / "library").iterdir():
        (tmp_path / "library" / lib.name).write_text(lib.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text('bank: {id: tiny, version: "1.0"}\n', encoding="utf-8")
    assert main(["validate", str(path)]) == 0


@pytest.mark.parametrize(("text", "expected"), [
    (FACTS.replace("2026-03-01", "2026-02-30"), "facts.yaml:1: as_of: 2026-02-30 is not a date that exists"),
    (FACTS.replace("2026-03-01", "9999-12-31"), "facts.yaml:1: as_of: 9999-12-31 is outside the years 1900–2999"),
    (FACTS.replace("sensitive: 0", "sensitive: 010000"), "facts.yaml:7: individuals.sensitive: 010000 starts with"),
    (FACTS.replace("sensitive: 0", "sensitive: " + "9" * 400), "a 400-digit number is beyond"),
])
def test_route_of_a_hostile_facts_file_is_a_located_error(tmp_path: Path, text: str, expected: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["route", str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_nothing_typed_by_a_user_reaches_the_terminal_as_a_control_sequence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "x\x1b]0;PWNED\x07\x1b[2J.yaml"
    assert main(["validate", str(name), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "x\\x1b]0;PWNED\\x07\\x1b[2J.yaml: no such file" in err


HEAVY = ("pipia.report", "pipia.store", "pipia.ui", "pipia.exports", "pipia.team", "docxtpl", "docx", "matplotlib",
         "streamlit", "sqlalchemy", "pandas", "openpyxl", "jinja2", "babel", "multiprocessing")
# What each command needs beyond the route: the score's modules load only when a score is asked for.
NOT_FOR = {"route": ("pipia.assessment.scoring", "pipia.assessment.scorecard", "pipia.assessment.consistency",
                     "pipia.assessment.findings"), "score": ()}


def _modules_after(command: str) -> list[str]:
    """The modules a fresh process has loaded after ``pipia COMMAND`` on the shipped sample."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from pipia.files.resources import samples_dir  # noqa: PLC0415

    sample = samples_dir() / "crossborder-ecommerce.yaml"
    probe = (f"import sys, io, contextlib\nfrom pipia.cli import main\n"
             f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main([{command!r}, {str(sample)!r}]) == 0\n"
             f"print('\\n'.join(sys.modules))")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("command", ["route", "score"])
def test_route_and_score_load_nothing_they_do_not_use(command: str) -> None:
    """Start-up time: the report renderer, the app, the store, the exports and their libraries are not imported,
    and ``pipia route`` does not load the score."""
    unused = HEAVY + NOT_FOR[command]
    loaded = _modules_after(command)
    assert sorted(m for m in loaded if m.split(".")[0] in unused or any(m.startswith(u) for u in unused)) == []
    assert "pipia.route.check" in loaded  # the probe did run the command


@pytest.mark.parametrize("collecting", [True, False])
def test_loading_the_command_line_leaves_the_collector_as_it_was_and_sets_what_it_loaded_aside(
        collecting: bool) -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    probe = (f"import gc\n{'' if collecting else 'gc.disable()'}\nimport pipia.cli\n"
             "print(gc.isenabled(), gc.get_freeze_count() > 10_000)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(collecting), "True"]


@pytest.mark.parametrize("argv", [
    ["lint"], ["schema", "--lang", "en"], ["new", "--bank", "x", "-o", "a.json"], ["validate", "a.yaml", "--bank", "b"],
    ["route", "f.yaml", "--json"], ["score", "a.yaml", "--lang", "en"], ["report", "a", "b", "-o", "out", "--pdf"],
    ["template", "check", "t.docx", "-o", "s.docx"]])
def test_a_command_parsed_alone_reads_and_helps_as_among_all(argv: list[str]) -> None:
    def help_of(parser: argparse.ArgumentParser) -> str:
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        chosen: argparse.ArgumentParser = commands.choices[argv[0]]
        return chosen.format_help()

    assert cli._parser(argv[0]).parse_args(argv) == cli._parser().parse_args(argv)
    assert help_of(cli._parser(argv[0])) == help_of(cli._parser())


@pytest.mark.parametrize(("given", "kept"), [(None, "__all__"), ("", ""), ("logfire", "logfire")])
def test_the_short_commands_leave_pydantics_plugins_out_unless_the_user_says_otherwise(
        given: str | None, kept: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    if given is None:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # so that the test's end restores the variable
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", given)
    assert main(["route", str(samples_dir() / "crossborder-ecommerce.yaml")]) == 0
    import os  # noqa: PLC0415

    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == kept


def test_any_error_of_pipias_own_ends_in_its_message_and_exit_1_never_a_traceback(
        capsys: pytest.CaptureFixture[str]) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise ActionError(msg("action_needs_evidence"))

    assert cli._run(handler, argparse.Namespace(lang="en")) == 1
    assert capsys.readouterr().err == "pipia: An action can be marked done only with the evidence that shows it.\n"


@pytest.mark.parametrize(("lang", "line"), [("zh", "判断日期：2026年10月15日"), ("en", "As of: 15 October 2026")])
def test_route_text_writes_the_date_it_judges_at_as_the_language_writes_dates(
        lang: str, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", str(samples_dir() / "crossborder-ecommerce.yaml"), "--lang", lang]) == 0
    assert line in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(("argv", "added", "status"), [
    (["route", "ANSWERS"], "", 0), (["score", "ANSWERS", "--lang", "en"], "", 0),
    (["route", "ANSWERS", "--lang", "en"], "bank:\n  id: again\n", 1), (["score", "NOWHERE"], "", 2),
    (["schema"], "", 0)])
def test_the_program_ends_with_everything_written_and_the_status_the_command_returned(
        argv: list[str], added: str, status: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The short commands end the process without tearing the interpreter down: what they wrote, to a
    pipe, arrives whole, and the exit status is the command's."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    answers = tmp_path / "answers.yaml"
    answers.write_text((samples_dir() / "crossborder-ecommerce.yaml").read_text(encoding="utf-8") + added,
                       encoding="utf-8")
    argv = [{"ANSWERS": str(answers), "NOWHERE": str(tmp_path / "nowhere.yaml")}.get(a, a) for a in argv]
    assert main(argv) == status
    expected = capsys.readouterr()
    done = subprocess.run([str(Path(sys.executable).with_name("pipia")), *argv], capture_output=True, text=True,
                          check=False)
    assert (done.returncode, done.stdout, done.stderr) == (status, expected.out, expected.err)
    assert expected.out + expected.err


@pytest.mark.parametrize("command", ["route", "score"])
def test_route_and_score_read_the_answers_file_once(
        command: str, tmp_path: Path, calls: Calls, capsys: pytest.CaptureFixture[str]) -> None:
    """What is decided is what was read: the file is not read again (it may have changed meanwhile, and
    parsing it twice costs start-up time)."""
    from pipia.files import reader  # noqa: PLC0415

    answers = tmp_path / "answers.yaml"
    answers.write_bytes((samples_dir() / "crossborder-ecommerce.yaml").read_bytes())
    reads = calls(reader, "read_regular")
    assert main([command, str(answers)]) == 0
    capsys.readouterr()
    assert [args[0] for args in reads if args[0] == answers] == [answers]


def test_a_short_command_runs_without_the_garbage_collector_and_gives_it_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``pipia route`` pauses the cyclic collector while it runs (start-up time); a caller in the same
    process (the tests, a script) gets it back running, whether the command succeeded or not."""
    import gc  # noqa: PLC0415

    seen: list[bool] = []
    original = cli.cmd_route

    def spy(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return original(args)

    assert gc.isenabled()
    handlers = cli._SHORT - {original} | {spy}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "_SHORT", handlers)
        patch.setattr(cli, "cmd_route", spy)
        assert main(["route", str(samples_dir() / "crossborder-ecommerce.yaml")]) == 0
        assert gc.isenabled()
        broken = tmp_path / "broken.yaml"
        broken.write_text("bank: {id: pipia-certification, version: '1'}\nanswers: [\n", encoding="utf-8")
        assert main(["route", str(broken)]) == 1
        assert gc.isenabled()
    capsys.readouterr()
    assert seen == [False, False]
