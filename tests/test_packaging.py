"""An installed package carries the shipped banks, libraries, samples and templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipia.files.resources import questionnaires_dir, shipped_banks, templates_dir

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_the_shipped_folders() -> None:
    assert questionnaires_dir() == ROOT / "questionnaires"
    assert templates_dir() == ROOT / "templates"
    assert all(p.parent == ROOT / "questionnaires" for p in shipped_banks())


# What a build reads: the project's metadata and the folders it packages (nothing else is copied).
PROJECT = ("pyproject.toml", "README.md", "src", "questionnaires", "templates")


def checkout_state() -> dict[str, float]:
    """What a build in the checkout would write there (build/, dist/, *.egg-info), with modification times.

    Only these: other tests running at the same time may write elsewhere in the checkout (caches)."""
    found = [ROOT / "build", ROOT / "dist", *ROOT.glob("*.egg-info"), *(ROOT / "src").glob("*.egg-info")]
    return {str(p.relative_to(ROOT)): p.stat().st_mtime for p in found if p.exists()}


def build_wheel(out: Path, work: Path) -> tuple[Path, str]:
    """Build the wheel from a copy of the project in ``work``: setuptools writes build/ and *.egg-info
    beside the sources it builds, which must not be the checkout. Returns the wheel and pip's output."""
    work.mkdir()
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, work / name)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(work)],
        check=True, capture_output=True, text=True,
    )
    [wheel] = out.glob("pipia-*.whl")
    return wheel, done.stdout + done.stderr


@pytest.mark.slow
def test_the_wheel_contains_every_shipped_file_and_the_build_leaves_the_checkout_untouched(tmp_path: Path) -> None:
    before = checkout_state()
    wheel, output = build_wheel(tmp_path / "dist", tmp_path / "project")
    assert checkout_state() == before, "the build wrote into the checkout (build/, *.egg-info)"
    assert "would be ignored" not in output and "is absent from the `packages` configuration" not in output, (
        "setuptools warns that shipped data folders are not declared as packages:\n" + output)
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
