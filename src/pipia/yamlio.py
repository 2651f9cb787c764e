"""Reading YAML the safe way, with the line of every key and item kept for error messages.

PyYAML's C safe loader is used for speed. Two things it does not do on its own are added here:
duplicate keys are reported (PyYAML silently keeps the last one), and every mapping and sequence
remembers where each of its entries came from, so a validation error deep inside a bank can name
``file:line``. Those positions survive merging (``extends:``), because each entry carries its own file.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is ~5x faster; the pure-Python loader gives the same results.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader


@dataclass(frozen=True)
class Loc:
    file: str
    line: int  # 1-based


class LocDict(dict[Any, Any]):
    """A dict that knows the position of itself and of each key."""

    loc: Loc | None = None
    key_locs: dict[Any, Loc]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_locs = {}


class LocList(list[Any]):
    """A list that knows the position of itself and of each item."""

    loc: Loc | None = None
    item_locs: list[Loc | None]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_locs = []


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    file_name = "<string>"

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[Problem] = []

    def _loc(self, node: yaml.Node) -> Loc:
        return Loc(self.file_name, node.start_mark.line + 1)

    def construct_located_mapping(self, node: yaml.MappingNode) -> Iterator[LocDict]:
        data = LocDict()
        data.loc = self._loc(node)
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                self.problems.append(Problem(self.file_name, self._loc(key_node).line, "", "a key must be a plain value"))
                continue
            if key in data:
                first = data.key_locs[key].line
                self.problems.append(
                    Problem(
                        self.file_name,
                        self._loc(key_node).line,
                        str(key),
                        f"duplicate key {key!r} (first defined on line {first}; each key may appear once)",
                    )
                )
                continue
            data[key] = self.construct_object(value_node, deep=True)
            data.key_locs[key] = self._loc(key_node)

    def construct_located_sequence(self, node: yaml.SequenceNode) -> Iterator[LocList]:
        data = LocList()
        data.loc = self._loc(node)
        yield data
        for child in node.value:
            data.append(self.construct_object(child, deep=True))
            data.item_locs.append(self._loc(child))


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)


def load_yaml(text: str, file_name: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document. Returns the data and the problems found (syntax errors, duplicate keys).

    On a syntax error the data is ``None`` and the one problem says where the parser stopped.
    """
    loader = _Loader(text)
    loader.file_name = file_name
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "malformed YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return None, [Problem(file_name, line, "", f"malformed YAML: {what} (expected valid YAML syntax)")]
    except yaml.YAMLError as exc:
        return None, [Problem(file_name, None, "", f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    return data, loader.problems


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(str(path), None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    return load_yaml(text, str(path))


def locate(data: Any, path: Sequence[int | str], default: Loc | None = None) -> Loc | None:
    """The position of the deepest entry along ``path`` that has one (a key's own line wins)."""
    best = getattr(data, "loc", None) or default
    node = data
    for step in path:
        if isinstance(node, LocDict) and step in node:
            best = node.key_locs.get(step, best)
            node = node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_locs[step] or best
            node = node[step]
        else:
            break
    return best


def format_path(path: Sequence[int | str]) -> str:
    """``("sections", 2, "questions", 0, "id")`` → ``sections[2].questions[0].id``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def plain(data: Any) -> Any:
    """Strip position bookkeeping: turn LocDict/LocList into plain dict/list, recursively."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
