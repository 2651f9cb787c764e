"""Where the shipped question banks, libraries, samples and templates are.

From a checkout they are the top-level ``questionnaires/`` and ``templates/`` folders; an installed
package carries the same folders as ``pipia.questionnaires`` and ``pipia.templates`` (see pyproject).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[3]


def _folder(name: str) -> Path:
    spec = importlib.util.find_spec(f"pipia.{name}")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    return _CHECKOUT / name


def questionnaires_dir() -> Path:
    return _folder("questionnaires")


def templates_dir() -> Path:
    return _folder("templates")


def shipped_banks() -> list[Path]:
    """Every bank file shipped: the YAML files at the top of ``questionnaires/``."""
    return sorted(questionnaires_dir().glob("*.yaml"))


def samples_dir() -> Path:
    return questionnaires_dir() / "samples"


def schema_path() -> Path:
    return questionnaires_dir() / "schema" / "bank.schema.json"
