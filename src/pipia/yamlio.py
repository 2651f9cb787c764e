"""Reading YAML the safe way, with the line of every key and item kept for error messages.

PyYAML's C safe loader is used for speed. Two things it does not do on its own are added here:
duplicate keys are reported (PyYAML silently keeps the last one), and every mapping and sequence
remembers where each of its entries came from, so a validation error deep inside a bank can name
``file:line``. Those positions survive merging (``extends:``), because each entry carries its own file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .errors import Problem

try:  # libyaml is ~5x faster; the pure-Python loader gives the same results.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader


class Loc(NamedTuple):
    """Where an entry came from. A tuple, not a dataclass: a large bank creates one per entry."""

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


_STR = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Composes the node tree in C; plain scalars that cannot be anything but text skip the resolver.

    Every implicit type starts with one of a few characters, and the only ones starting with a letter
    are the YAML 1.1 booleans and null. Telling text apart first saves a regex-resolver call for most
    scalars, a sizeable share of the load time of a large bank. The types resolved stay PyYAML's own.
    """

    _implicit_starts = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k is not None)
    _words = frozenset({
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "null", "Null", "NULL",
    })

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and value:
            first = value[0]
            if first not in self._implicit_starts or (first.isalpha() and value not in self._words):
                return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document is turned into objects.

    Loading creates hundreds of thousands of objects that all stay alive, and each automatic collection
    walks every one of them: with the collector running, a 2,000-question bank loads about five times
    slower, growing faster than its size. Nothing collectable is created, so nothing is lost by waiting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_yaml(text: str, file_name: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document. Returns the data and the problems found (syntax errors, duplicate keys).

    On a syntax error the data is ``None`` and the one problem says where the parser stopped.
    """
    with paused_gc():
        return _load_yaml(text, file_name)


def _load_yaml(text: str, file_name: str) -> tuple[Any, list[Problem]]:
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        root = loader.get_single_node()
        data = None if root is None else _Converter(loader, file_name, problems).convert(root)
    except yaml.MarkedYAMLError as exc:  # syntax errors, and tags the safe loader does not construct
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
    return data, problems


class _Converter:
    """Turns the node tree into LocDict/LocList/scalars, recording positions and duplicate keys."""

    def __init__(self, loader: _Loader, file_name: str, problems: list[Problem]) -> None:
        self.construct = loader.construct_object
        self.file = file_name
        self.problems = problems
        self.seen: dict[int, Any] = {}  # an alias yields the same object, as PyYAML does: no blow-up

    def convert(self, node: yaml.Node) -> Any:
        if type(node) is yaml.ScalarNode:
            return node.value if node.tag == _STR else self.construct(node)
        if id(node) in self.seen:
            return self.seen[id(node)]
        if type(node) is yaml.SequenceNode:
            items = LocList()
            items.loc = Loc(self.file, node.start_mark.line + 1)
            self.seen[id(node)] = items
            for child in node.value:
                items.append(self.convert(child))
                items.item_locs.append(Loc(self.file, child.start_mark.line + 1))
            return items
        assert type(node) is yaml.MappingNode
        return self._mapping(node)

    def _mapping(self, node: yaml.MappingNode) -> LocDict:
        mapping = LocDict()
        mapping.loc = Loc(self.file, node.start_mark.line + 1)
        self.seen[id(node)] = mapping
        key_locs = mapping.key_locs
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            # Keys are nearly always plain text: skip the general conversion for them (hot loop).
            key = key_node.value if key_node.tag == _STR else self.convert(key_node)
            try:
                duplicate = key in mapping
            except TypeError:
                self.problems.append(Problem(self.file, line, "", "a key must be a plain value"))
                continue
            if duplicate:
                first = key_locs[key].line
                message = f"duplicate key {key!r} (first defined on line {first}; each key may appear once)"
                self.problems.append(Problem(self.file, line, str(key), message))
                continue
            mapping[key] = self.convert(value_node)
            key_locs[key] = Loc(self.file, line)
        return mapping


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
