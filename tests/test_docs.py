"""The README documents what the code does: every command, and the JSON keys scripts rely on."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from pipia.assessment import scorecard, scoring
from pipia.bank.loader import load_bank
from pipia.cli import _parser
from pipia.route import check

from .scoring_support import answers as scored_answers

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
DATA = Path(__file__).parent / "data"


def test_every_command_is_in_the_readme() -> None:
    [subcommands] = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    commands = subcommands.choices
    for name in commands:
        assert f"pipia {name}" in README, f"README does not mention `pipia {name}`"


def test_the_score_json_keys_are_the_documented_ones() -> None:
    bank = load_bank(DATA / "banks" / "scored.yaml").bank
    output = scorecard.to_json(scoring.score(bank, scored_answers()))
    table = README.split("### Scoring: `pipia score`")[1].split("\n## ")[0]
    documented = re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)
    assert documented == list(output)


def test_the_route_json_keys_are_the_documented_ones_in_order() -> None:
    decision = check.decide(check.read_facts(DATA / "facts" / "contract-2026.yaml"))
    section = README.split("### Route check: `pipia route`")[1].split("### ")[0]
    keys_sentence = section.split("keys, in this order, are:")[1].split(". A reason")[0]
    # Every backticked word but the route codes listed as `route`'s values.
    names = [w for w in re.findall(r"`(\w+)`", keys_sentence) if w not in check.STRICTNESS]
    assert names == list(decision.to_json())
