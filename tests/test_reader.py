"""The one reader every file comes in by: the right value, or a located problem; never a traceback.

Each case replays a reported fault (an impossible date, an octal count, an alias bomb, a byte-order mark,
half an emoji, a 400-digit count, 10,000-deep JSON) through the reader and the files built on it.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.bank.loader import find_bank_by_id, load_bank
from pipia.errors import MAX_MESSAGE, AnswersError, InputError, Problem
from pipia.files.reader import decode, parse, read_bytes, read_file
from pipia.files.resources import questionnaires_dir
from pipia.files.yamlio import ANSWERS, FACTS, MAX_INT, plain
from pipia.i18n import Message, chinese_style_faults, msg
from pipia.route.check import decide
from pipia.route.facts import read_facts

from .bank_support import GOOD, WriteBank

FACTS_TEXT = """\
as_of: 2026-03-01
ciio: false
important_data: false
exemptions: []
individuals:
  non_sensitive: 250000
  sensitive: {sensitive}
"""
APP_BANK = Path(__file__).parent / "data" / "app" / "bank.yaml"
HEADER = 'bank: {id: tiny, version: "1.0"}\n'


def facts_problems(tmp_path: Path, text: str, name: str = "facts.yaml") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_facts(path)
    return list(caught.value.problems)


def answers_problems(text: str, name: str = "a.yaml") -> list[Problem]:
    with pytest.raises(AnswersError) as caught:
        answers_mod.parse(text, name)
    return list(caught.value.problems)


# -- 1. dates that do not exist --------------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-45", "2026-04-31 10:00:00"])
def test_a_date_that_does_not_exist_is_a_located_problem(tmp_path: Path, day: str) -> None:
    [problem] = facts_problems(tmp_path, FACTS_TEXT.format(sensitive=0).replace("2026-03-01", day))
    assert (problem.line, problem.path) == (1, "as_of")
    assert f"{day} is not a date that exists" in problem.message
    assert problem.zh  # the app shows it in Chinese too


def test_an_impossible_assessment_date_names_its_line_in_an_answers_file() -> None:
    [problem] = answers_problems(HEADER + "meta: {assessment_date: 2026-13-45}\n")
    assert str(problem).startswith("a.yaml:2: meta.assessment_date: 2026-13-45 is not a date that exists")


@pytest.mark.parametrize(("text", "name"), [
    ("as_of: 9999-12-31", "facts.yaml"), ('as_of: "9999-12-31"', "facts.yaml"), ("as_of: 1066-10-14", "facts.yaml"),
])
def test_a_date_no_route_can_compute_with_is_refused_not_crashed_on(tmp_path: Path, text: str, name: str) -> None:
    found = facts_problems(tmp_path, FACTS_TEXT.format(sensitive=0).replace("as_of: 2026-03-01", text), name)
    assert [(p.line, p.path) for p in found] == [(1, "as_of")]
    assert "1900–2999" in found[0].message


def test_a_date_far_off_in_json_answers_is_refused() -> None:
    text = json.dumps({"bank": {"id": "tiny", "version": "1.0"}, "meta": {"assessment_date": "9999-12-31"}})
    [problem] = answers_problems(text, "a.json")
    assert problem.path == "meta.assessment_date" and "is outside 1900-01-01–2999-12-31" in problem.message


# -- 2. YAML 1.1 number forms never reach a count ----------------------------------------------------------------
@pytest.mark.parametrize(("written", "words"), [
    ("010000", "octal number 4096"),
    ("09000", "starts with a zero"),
    ("2:46:40", "base-60"),
    ("0x2710", "hexadecimal"),
    ("0b10011100010000", "binary"),
    ("0o23420", "octal"),
    ("1e4", "text to YAML 1.1, not a number"),
    (".inf", "not a finite number"),
])
def test_a_count_in_a_yaml_1_1_number_form_is_refused_with_its_line(tmp_path: Path, written: str,
                                                                    words: str) -> None:
    [problem] = facts_problems(tmp_path, FACTS_TEXT.format(sensitive=written))
    assert (problem.line, problem.path) == (7, "individuals.sensitive")
    assert words in problem.message
    assert "without quotes" not in problem.message  # the old hint for 09000 said the opposite of the fix


def test_digits_with_underscores_are_read_as_meant(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_TEXT.format(sensitive="10_000"), encoding="utf-8")
    assert read_facts(path).individuals.sensitive == 10000


@pytest.mark.parametrize("written", ["010000", "0o23420", "2:46:40", "0x2710", "10_000", "10000", "+10000"])
def test_no_way_of_writing_ten_thousand_changes_the_route_silently(tmp_path: Path, written: str) -> None:
    # 10,000 people's sensitive PI is past the security assessment threshold; 4,096 is not.
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_TEXT.format(sensitive=written), encoding="utf-8")
    expected = decide(read_facts(_write(tmp_path / "plain.yaml", FACTS_TEXT.format(sensitive=10000)))).route
    try:
        facts = read_facts(path)
    except InputError:
        return  # refused with its line: fine
    assert facts.individuals.sensitive == 10000
    assert decide(facts).route == expected


def test_a_number_answer_with_a_leading_zero_is_refused_in_an_answers_file() -> None:
    [problem] = answers_problems(HEADER + "answers:\n  count: 010000\n")
    assert (problem.line, problem.path) == (3, "answers.count")
    assert "write 10000 for the number" in problem.message


def test_a_value_used_twice_is_written_out_twice_not_as_an_alias() -> None:
    row = {"item": "手机号", "individuals": 3}  # an edit (the app copying a row) shares the object
    answers = Answers.model_validate({"bank": {"id": "tiny", "version": "1.0"}}).with_value("t", [row, row])
    text = answers_mod.dumps(answers, "yaml")
    assert "&" not in text and "*" not in text
    assert answers_mod.parse(text, "a.yaml")[0] == answers


def test_text_that_looks_like_a_leading_zero_number_is_written_back_quoted() -> None:
    answers = Answers.model_validate({"bank": {"id": "tiny", "version": "1.0"}, "answers": {"zip": "09000"}})
    again, _ = answers_mod.parse(answers_mod.dumps(answers, "yaml"), "a.yaml")
    assert again == answers


# -- 3 and 13. aliases, bounds and message length -------------------------------------------------------------------
def _alias_bomb(levels: int) -> str:
    lines = ['bank: {id: tiny, version: "1.0"}', "answers:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [7, 8])
def test_an_alias_bomb_in_an_answers_file_is_refused_quickly_with_short_messages(levels: int) -> None:
    text = _alias_bomb(levels)
    assert len(text) < 700
    started = time.perf_counter()
    found = answers_problems(text)
    assert time.perf_counter() - started < 1.0
    assert found and all("aliases (*name) are not allowed" in p.message for p in found)
    assert found[0].line == 4
    assert sum(len(str(p)) for p in found) < 5_000


def test_aliases_are_refused_in_a_facts_file(tmp_path: Path) -> None:
    text = FACTS_TEXT.format(sensitive=0).replace("non_sensitive: 250000", "non_sensitive: &n 250000")
    text = text.replace("sensitive: 0", "sensitive: *n")
    [problem] = facts_problems(tmp_path, text)
    assert (problem.line, problem.path) == (7, "individuals.sensitive")


def test_every_message_is_bounded_whatever_the_file_holds() -> None:
    problem = Problem("f.yaml", 1, "p" * 10_000, "x" * 1_000_000)
    assert len(str(problem)) < 2 * MAX_MESSAGE


@pytest.mark.parametrize(("text", "line", "words"), [
    (HEADER + "answers:\n  notes: " + "x" * 250_000 + "\n", 3, "a text of 250,000 characters"),
    (HEADER + "answers:\n  deep: " + "[" * 100 + "]" * 100 + "\n", 3, "nested more than 64 levels"),
    (HEADER + "answers:\n  many: [" + ", ".join(["1"] * 6_000) + "]\n", 3, "6,000 entries"),
])
def test_bounds_no_real_assessment_reaches_are_located_errors(text: str, line: int, words: str) -> None:
    [problem] = answers_problems(text)
    assert problem.line == line and words in problem.message


def test_a_table_with_more_rows_than_allowed_is_located() -> None:
    bank = load_bank(APP_BANK).bank
    table = next(q for q in bank.questions.values() if q.type == "table")
    rows = "\n".join("    - {}" for _ in range(answers_mod.MAX_TABLE_ROWS + 1))
    text = f'bank: {{id: {bank.id}, version: "{bank.version}"}}\nanswers:\n  {table.id}:\n{rows}\n'
    answers, raw = answers_mod.parse(text, "a.yaml")
    found = answers_mod.check(answers, bank, raw, "a.yaml")
    assert [(p.line, p.path) for p in found] == [(3, f"answers.{table.id}")]
    assert "1,001 rows" in found[0].message


def test_a_file_larger_than_its_kind_allows_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"#" * (FACTS.max_bytes + 1))
    data, [problem] = read_file(path, FACTS)
    assert data is None and "larger than the 1 MB a facts file may be" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_or_a_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")  # opening a pipe to read waits for a writer: forever, unless refused
    (tmp_path / "folder.yaml").mkdir()
    with _deadline(10):
        for name in ("pipe.yaml", "folder.yaml"):
            data, [problem] = read_file(tmp_path / name, ANSWERS)
            assert data is None and "not a regular file" in problem.message and "不是普通文件" in problem.zh


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_finding_a_bank_by_id_opens_only_regular_files_and_reads_a_bounded_head(write_bank: WriteBank,
                                                                                tmp_path: Path) -> None:
    # The folder of an answers file is searched for the bank it names; what else lies there must not
    # hang the search (a pipe), exhaust memory (/dev/zero, a huge one-line file) or end in a traceback.
    write_bank(GOOD, "zz-demo.yaml")
    os.mkfifo(tmp_path / "a-pipe.yaml")
    (tmp_path / "b-zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "c-folder.yaml").mkdir()
    with (tmp_path / "d-huge.yaml").open("wb") as fh:  # 3 GB, one line, sparse: no disk space used
        fh.truncate(3 * 1024**3)
    answers = tmp_path / "answers.yaml"
    answers.write_text('bank: {id: demo, version: "1.0"}\nanswers: {consent: "yes"}\n', encoding="utf-8")
    # A child process under a 1.5 GB memory limit: reading /dev/zero or the huge file whole would fail
    # there with a MemoryError, not take the machine's memory.
    run = subprocess.run(
        [sys.executable, "-c", "import resource, sys; from pipia.cli import main; "
         "resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2)); sys.exit(main(sys.argv[1:]))",
         "validate", str(answers), "--lang", "en"],
        capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in run.stderr
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout


def test_a_shipped_bank_is_found_by_its_id_before_any_folder_is_searched(tmp_path: Path) -> None:
    (tmp_path / "certification.yaml").write_text("id: pipia-certification\n", encoding="utf-8")
    assert find_bank_by_id("pipia-certification", [tmp_path]) == questionnaires_dir() / "certification.yaml"


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- 4. encodings -------------------------------------------------------------------------------------------------
def test_a_byte_order_mark_is_read_past_in_json_and_yaml() -> None:
    text = '{"bank": {"id": "tiny", "version": "1.0"}}'
    for name in ("a.json", "a.yaml"):
        data, problems = read_bytes(codecs.BOM_UTF8 + text.encode(), name)
        assert problems == [] and plain(data) == {"bank": {"id": "tiny", "version": "1.0"}}


@pytest.mark.parametrize(("encoding", "named"), [("gbk", "GBK/GB 18030"), ("utf-16", "UTF-16"),
                                                 ("utf-16-le", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_file_in_another_encoding_is_named_with_how_to_save_it(encoding: str, named: str) -> None:
    text, [problem] = decode("meta: {organisation: 示例公司}\n".encode(encoding), "a.yaml")
    assert text is None
    assert f"looks like {named}" in problem.message and "save it as UTF-8" in problem.message
    assert "UTF-8" in problem.zh


def test_a_latin_1_file_is_not_called_gbk() -> None:
    _, [problem] = decode("meta: {organisation: Société}\n".encode("latin-1"), "a.yaml")
    assert "GBK" not in problem.message and "save it as UTF-8" in problem.message


# -- 5. half an emoji -----------------------------------------------------------------------------------------------
def test_a_lone_surrogate_in_json_is_refused_where_it_is() -> None:
    text = '{"bank": {"id": "tiny", "version": "1.0"},\n "answers": {"org": "Acme \\ud83d"}}'
    [problem] = answers_problems(text, "a.json")
    assert problem.path == "answers.org" and "half of a character" in problem.message


def test_a_surrogate_pair_in_json_is_an_emoji_and_accepted() -> None:
    text = '{"bank": {"id": "tiny", "version": "1.0"}, "answers": {"org": "Acme \\ud83d\\ude00"}}'
    answers, _ = answers_mod.parse(text, "a.json")
    assert answers.value("org") == "Acme \U0001f600"


def test_a_lone_surrogate_in_text_given_directly_is_refused() -> None:
    data, [problem] = parse(HEADER + "answers: {org: 'a\ud800'}\n", "a.yaml")
    assert data is None and problem.line == 2


# -- 14 (parse level). numbers and nesting that overflow ------------------------------------------------------------
@pytest.mark.parametrize("name", ["facts.yaml", "facts.json"])
def test_a_400_digit_count_is_refused_not_overflowed(tmp_path: Path, name: str) -> None:
    text = FACTS_TEXT.format(sensitive="9" * 400)
    if name.endswith(".json"):
        data = yaml.safe_load(FACTS_TEXT.format(sensitive=0))
        data["as_of"] = "2026-03-01"
        data["individuals"]["sensitive"] = 10**400 - 1
        text = json.dumps(data, indent=1)
    found = facts_problems(tmp_path, text, name)
    assert [p.path for p in found] == ["individuals.sensitive"]
    assert "400-digit number is beyond the largest number" in found[0].message


def test_10000_deep_json_is_refused_at_its_line_without_recursion() -> None:
    text = '{"bank": {"id": "tiny", "version": "1.0"},\n "answers": {"x": ' + "[" * 10_000 + "]" * 10_000 + "}}"
    [problem] = answers_problems(text, "a.json")
    assert problem.line == 2 and "nested more than 64 levels" in problem.message


@pytest.mark.parametrize(("text", "words"), [
    ('{"a": 1, "a": 2}', "duplicate key 'a'"), ('{"a": NaN}', "NaN is not a number JSON allows"),
    ('{"a": 1e400}', "not a number pipia can compute with"), ('{"a": 1', "malformed JSON"),
])
def test_json_is_read_strictly(text: str, words: str) -> None:
    _, [problem] = parse(text, "a.json")
    assert words in problem.message


def test_json_answers_errors_name_their_line() -> None:
    text = '{\n  "bank": {"id": "tiny", "version": "1.0"},\n  "answers": {\n    "n": 010\n  }\n}'
    [problem] = answers_problems(text, "a.json")
    assert problem.line == 4
    text = '{\n  "bank": {"id": "tiny", "version": "1.0"},\n  "meta": {\n    "assessor": 3\n  }\n}'
    [problem] = answers_problems(text, "a.json")
    assert (problem.line, problem.path) == (4, "meta.assessor")


def test_a_bank_id_that_is_a_path_is_refused_before_any_bank_is_looked_up() -> None:
    [problem] = answers_problems('bank: {id: /etc/passwd.yaml, version: "1"}\n')
    assert problem.path == "bank.id" and "not a valid id" in problem.message


# -- the property: what is accepted writes back and reads back equal; random bytes never raise ---------------------
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["NO", "yes", "010000", "09000", "2:46:40", "0x1f", "1e3", "2026-02-30", "9999-12-31", "~", "", "- a", "a: b",
     "\u2028", "\x85", "\ufeff", "\r\n", "'", '"', "#", "&a", "*a", "!!python/object"])
scalars = st.one_of(st.none(), st.booleans(), texts, st.integers(-(10**17), 10**17),
                    st.floats(allow_nan=True, allow_infinity=True), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                      max_leaves=8)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
files = st.fixed_dictionaries({
    "bank": st.fixed_dictionaries({"id": st.sampled_from(["tiny", "pipia-certification", "../x.yaml"]),
                                   "version": st.sampled_from(["1.0", "1.10"])}),
    "meta": st.fixed_dictionaries({"organisation": texts, "assessment_date": st.none() | scalars}),
    "answers": st.dictionaries(ids, values | st.fixed_dictionaries({"value": values, "comment": texts}), max_size=5),
    "repeats": st.dictionaries(ids, st.lists(st.dictionaries(ids, values, max_size=3), max_size=2), max_size=2),
})


def _serialise(data: dict[str, Any], form: str) -> str:
    if form == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if form == "yaml-flow":
        return yaml.safe_dump(data, allow_unicode=False, default_flow_style=True)
    return json.dumps(data, ensure_ascii=form == "json-ascii", default=str, allow_nan=True)


def _iso(value: Any) -> Any:
    # JSON carries dates as ISO text: the one difference a JSON round trip is allowed.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    return value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files, st.sampled_from(["yaml", "yaml-flow", "json", "json-ascii"]))
def test_every_answers_file_the_reader_accepts_writes_back_and_reads_back_equal(data: dict[str, Any],
                                                                               form: str) -> None:
    try:
        text = _serialise(data, form)
    except (ValueError, UnicodeEncodeError, yaml.YAMLError):
        return  # a value no writer can express: not a file anyone can hand in
    name = "a.json" if form.startswith("json") else "a.yaml"
    try:
        answers, _ = answers_mod.parse(text, name)
    except AnswersError as exc:
        assert exc.problems and all(len(str(p)) < 2 * MAX_MESSAGE for p in exc.problems)
        return
    again_yaml, _ = answers_mod.parse(answers_mod.dumps(answers, "yaml"), "b.yaml")
    assert again_yaml == answers
    again_json, _ = answers_mod.parse(answers_mod.dumps(answers, "json"), "b.json")
    assert _iso(again_json.model_dump()) == _iso(answers.model_dump())
    assert answers_mod.dumps(answers, "json").encode("utf-8")  # no lone surrogate can have slipped through
    for value in _leaves(again_yaml.model_dump()):
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert abs(value) <= MAX_INT


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _leaves(v)]
    return [value]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000) | st.text(max_size=500).map(lambda s: s.encode("utf-8", "surrogatepass")),
       st.sampled_from(["a.yaml", "a.json", "facts.yaml"]))
def test_random_bytes_give_problems_or_a_value_never_an_exception(data: bytes, name: str) -> None:
    started = time.perf_counter()
    value, problems = read_bytes(data, name, ANSWERS if name.startswith("a.") else FACTS)
    assert time.perf_counter() - started < 2.0
    with contextlib.suppress(AnswersError):
        answers_mod.from_data(value, problems, name)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- control characters: refused where they are, never sent to a terminal or dropped from a report ---------------
@pytest.mark.parametrize("written", [r'"Bright\e]0;PWNED\a\e[2J\e[31mRED"', r'"a\0b"', r'"a\x7fb"', r'"a\x85b"',
                                     r'"a\x0cb"'])
@pytest.mark.parametrize("name", ["a.yaml", "a.json"])
def test_a_control_character_in_any_text_is_refused_with_its_place(written: str, name: str) -> None:
    if name.endswith(".json"):
        escaped = json.dumps(yaml.safe_load(written))
        text = f'{{"bank": {{"id": "tiny", "version": "1.0"}},\n "meta": {{"organisation": {escaped}}}}}'
    else:
        text = f'bank: {{id: tiny, version: "1.0"}}\nmeta:\n  organisation: {written}\n'
    [problem] = answers_problems(text, name)
    assert (problem.line, problem.path) == (2 if name.endswith(".json") else 3, "meta.organisation")
    assert "invisible control character" in problem.message and "控制字符" in problem.zh


@pytest.mark.parametrize("name", ["a.yaml", "a.json"])
def test_a_windows_line_break_inside_a_text_is_kept_and_reads_back_equal(name: str) -> None:
    # A JSON file written on Windows carries "\r\n" inside its strings: a line break, not a control code.
    text = ('{"bank": {"id": "tiny", "version": "1.0"},\n "meta": {"organisation": "line 1\\r\\nline 2"}}'
            if name.endswith(".json") else 'bank: {id: tiny, version: "1.0"}\nmeta:\n  organisation: "line 1\\r\\nline 2"\n')
    value, problems = read_bytes(text.encode(), name, ANSWERS)
    assert not problems
    answers, _ = answers_mod.from_data(value, problems, name)
    assert answers.meta.organisation == "line 1\r\nline 2"
    for fmt in ("yaml", "json"):
        back, again = read_bytes(answers_mod.dumps(answers, fmt).encode(), f"b.{fmt}", ANSWERS)
        assert not again and answers_mod.from_data(back, again, f"b.{fmt}")[0] == answers


@pytest.mark.parametrize("name", ["a.yaml", "a.json"])
def test_a_control_character_in_a_key_is_refused(name: str) -> None:
    text = ('{"bank": {"id": "tiny", "version": "1.0"}, "meta": {"org\\u001b": "x"}}' if name.endswith(".json")
            else 'bank: {id: tiny, version: "1.0"}\nmeta: {"org\\e": x}\n')
    problems = answers_problems(text, name)
    assert any(p.path == "meta" and "a key holds an invisible control character" in p.message for p in problems)


def test_tabs_and_line_breaks_are_text_like_any_other() -> None:
    answers, _ = answers_mod.parse('bank: {id: tiny, version: "1.0"}\nmeta: {organisation: "a\\tb\\nc"}\n', "a.yaml")
    assert answers.meta.organisation == "a\tb\nc"


def test_a_yaml_merge_key_is_a_plain_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("as_of: 2026-03-01\nindividuals:\n  <<: {non_sensitive: 1}\n  sensitive: 0\n", encoding="utf-8")
    _, [problem] = read_file(path, FACTS)
    assert (problem.line, problem.path) == (3, "individuals")
    assert problem.message == "YAML merge keys (<<: *name) are not supported: write the keys out in full"
    assert "constructor" not in problem.message


@pytest.mark.parametrize(("data", "name", "said"), [
    ("名称".encode("gbk") * 20, "answers.yaml",
     msg("file_not_utf8_looks", encoding="GBK/GB 18030", save=msg("file_save_as_utf8"))),
    (b"a: 1\na: 2\n", "answers.yaml", msg("yaml_duplicate_key", key="'a'", first=1)),
    (b'{"a": 1, "a": 2}', "answers.json", msg("json_duplicate_key", key="'a'")),
    (b"a: &x t\nb: *x\n", "answers.yaml", msg("yaml_alias_refused", kind=msg("file_kind_answers"))),
    (b"count: 010000\n", "answers.yaml", msg("number_leading_zero_octal", value="010000", digits="10000", octal=4096)),
    (b"notes: " + b"x" * 250_000 + b"\n", "answers.yaml",
     msg("value_text_too_long", length=250_000, max=ANSWERS.max_text, kind=msg("file_kind_answers"))),
])
def test_what_the_reader_refuses_is_said_in_both_languages_from_the_catalogue(data: bytes, name: str,
                                                                            said: Message) -> None:
    _, problems = read_bytes(data, name)
    assert [(p.message, p.zh) for p in problems] == [(said("en"), said("zh"))]
    # The Chinese is written as Chinese texts are: no ASCII quotes, counts not grouped by thousands.
    assert chinese_style_faults(problems[0].zh) == []
