"""Shared fixtures: small banks written inline, so each test shows the YAML it is about."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

DATA = Path(__file__).parent / "data"

# No property test is about speed: on a loaded machine an example may take seconds, which hypothesis's
# default 200 ms deadline would report as a failure. Tests that set their own settings inherit this.
settings.register_profile("pipia", deadline=None)
settings.load_profile("pipia")

SOURCES = """\
sources:
  - id: pipl
    kind: law
    short: {zh: 个人信息保护法, en: PIPL}
    title: {zh: 中华人民共和国个人信息保护法, en: Personal Information Protection Law of the PRC}
    issuer: {zh: 全国人民代表大会常务委员会, en: NPC Standing Committee}
    issued: 2021-08-20
    effective: 2021-11-01
    articles:
      - {id: "13", title: {zh: 第十三条, en: Art. 13}}
      - {id: "39", title: {zh: 第三十九条, en: Art. 39}}
"""

WriteBank = Callable[..., Path]


@pytest.fixture
def write_bank(tmp_path: Path) -> WriteBank:
    """Write bank YAML (dedented) next to a small sources registry; returns the bank's path."""
    (tmp_path / "library").mkdir(exist_ok=True)
    (tmp_path / "library" / "sources.yaml").write_text(SOURCES, encoding="utf-8")

    def write(text: str, name: str = "bank.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_bank_path() -> Path:
    return DATA / "banks" / "tiny.yaml"
