"""The YAML reader: PyYAML's safe types, plus positions, duplicate keys and no alias blow-up."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipia.files.yamlio import Loc, load_yaml, locate, number_problem, plain

TRICKY = [
    "yes",
    "no",
    "on",
    "Off",
    "y",
    "n",
    "true",
    "FALSE",
    "null",
    "~",
    "Null",
    "1.10",
    "2026-01-01",
    "'1'",
    "nothing",
    "yesterday",
    "onward",
    "-1",
    "1_000",
    "'yes'",
    "tomorrow",
    "NULLs",
    "+3",
    "<<x",
    "中文",
    "Yes please",
    "2026-01-01 10:00:00",
]


def test_scalars_get_exactly_pyyamls_safe_types() -> None:
    document = "values: [" + ", ".join(TRICKY) + "]\n"
    data, problems = load_yaml(document, "x.yaml")
    assert problems == []
    assert plain(data) == yaml.load(document, Loader=yaml.CSafeLoader)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12))
def test_any_plain_scalar_resolves_as_pyyaml_does(word: str) -> None:
    document = f"k: {yaml.safe_dump(word, default_style=None).splitlines()[0]}\n"
    try:
        expected = yaml.load(document, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    data, problems = load_yaml(document, "x.yaml")
    if problems:  # only the YAML 1.1 number forms a person does not mean are refused, never silently changed
        assert [p.line for p in problems] == [1]
        assert number_problem(document[3:].strip()) is not None or isinstance(expected["k"], float)
        return
    assert plain(data) == expected


def test_every_key_and_item_knows_its_line() -> None:
    data, _ = load_yaml("a:\n  b:\n    - x\n    - {c: 1}\n", "f.yaml")
    assert locate(data, ["a", "b", 1, "c"]) == Loc("f.yaml", 4)
    assert locate(data, ["a", "b", 0]) == Loc("f.yaml", 3)
    assert locate(data, ["a", "nope", 3]) == Loc("f.yaml", 1)  # the deepest entry that exists


def test_a_duplicate_key_deep_inside_is_reported_and_the_first_kept() -> None:
    data, problems = load_yaml("a:\n  b: 1\n  b: 2\n", "f.yaml")
    assert plain(data) == {"a": {"b": 1}}
    assert [str(p) for p in problems] == [
        "f.yaml:3: b: duplicate key 'b' (first defined on line 2; each key may appear once)"
    ]


def test_an_unsafe_tag_is_a_located_problem_not_a_crash() -> None:
    data, problems = load_yaml("a: 1\nb: !!python/object:os.system echo\n", "f.yaml")
    assert data is None
    assert [p.line for p in problems] == [2]
    assert "malformed YAML" in problems[0].message


def test_aliases_share_one_object_instead_of_multiplying() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 5)]
    data, problems = load_yaml("\n".join(levels) + "\n", "shared.yaml")
    assert problems == []
    assert data["a4"][0] is data["a3"]  # 10**5 strings if copied; a handful of lists when shared


def test_an_alias_bomb_in_a_bank_is_refused_at_its_line_with_a_short_message() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    data, problems = load_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert data is None
    assert len(problems) == 1 and problems[0].line is not None and problems[0].line > 1
    assert "aliases expand to more than" in problems[0].message
    assert len(str(problems[0])) < 300
