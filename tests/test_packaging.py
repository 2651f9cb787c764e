"""An installed package carries the shipped banks, libraries, samples and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipia.resources import questionnaires_dir, shipped_banks, templates_dir

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_the_shipped_folders() -> None:
    assert questionnaires_dir() == ROOT / "questionnaires"
    assert templates_dir() == ROOT / "templates"
    assert all(p.parent == ROOT / "questionnaires" for p in shipped_banks())


@pytest.mark.slow
def test_the_wheel_contains_every_shipped_file(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("pipia-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        *(f"pipia/{p.relative_to(ROOT / 'src' / 'pipia')}" for p in (ROOT / "src" / "pipia").rglob("*.py")),
        *(f"pipia/questionnaires/{p.relative_to(ROOT / 'questionnaires')}" for p in (ROOT / "questionnaires").rglob("*")
          if p.is_file() and p.suffix in (".yaml", ".json")),
        *(f"pipia/templates/{p.name}" for p in (ROOT / "templates").glob("*.docx")),
        *(f"pipia/locale/{lang}/LC_MESSAGES/pipia.{kind}" for lang in ("zh", "en") for kind in ("po", "mo")),
    ]
    assert expected
    assert sorted(set(expected) - names) == []
