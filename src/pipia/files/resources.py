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
    """The folder of the shipped question banks: questionnaires/ in a checkout, pipia/questionnaires when installed."""
    return _folder("questionnaires")


def templates_dir() -> Path:
    """The folder of the shipped Word templates: templates/ in a checkout, pipia/templates when installed."""
    return _folder("templates")


def shipped_banks() -> list[Path]:
    """Every bank file shipped: the YAML files at the top of ``questionnaires/``."""
    return sorted(questionnaires_dir().glob("*.yaml"))


def samples_dir() -> Path:
    """The folder of the sample answers files."""
    return questionnaires_dir() / "samples"


def schema_path() -> Path:
    """The JSON Schema file of the bank format, questionnaires/schema/bank.schema.json."""
    return questionnaires_dir() / "schema" / "bank.schema.json"
