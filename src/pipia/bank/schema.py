"""The JSON Schema of the bank format, exported from the models for editors (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from pipia.bank.conditions import JSON_SCHEMA as CONDITION_SCHEMA
from pipia.bank.format import Bank


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a question bank, with conditions linked to one Condition definition; for editors
    that check the YAML.
    """
    schema: dict[str, Any] = _link_conditions(Bank.model_json_schema(mode="validation"))
    schema["$defs"]["Condition"] = CONDITION_SCHEMA
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "pipia question bank"
    return schema


def bank_schema_text() -> str:
    """The bank's JSON Schema as text, keys sorted, ending in a newline (``pipia schema`` prints it)."""
    return json.dumps(bank_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _link_conditions(node: Any) -> Any:
    # Conditions are parsed by hand (conditions.parse); their schema is written there and referenced here.
    if isinstance(node, dict):
        if node.get("x-pipia-condition"):
            return {"$ref": "#/$defs/Condition"}
        return {k: _link_conditions(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_link_conditions(v) for v in node]
    return node
