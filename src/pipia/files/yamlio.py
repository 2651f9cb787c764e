"""Reading YAML the safe way, with the line of every key and item kept for error messages.

PyYAML's C safe loader is used for speed. What it does not do on its own is added here:

- duplicate keys are reported (PyYAML silently keeps the last one);
- every mapping and sequence remembers where each of its entries came from, so a validation error deep
  inside a bank can name ``file:line``. Positions survive merging (``extends:``): each entry carries its file;
- YAML 1.1 forms a person does not mean are refused with their line, never turned into a number: a leading
  zero (``010000`` is octal 4096 to PyYAML, ``09000`` text), base 60 (``2:46:40`` is 10000), hex, binary,
  ``.inf``/``.nan``; so are dates that do not exist (``2026-02-30``, a plain ``ValueError`` inside PyYAML)
  or that no assessment is about (outside ``EARLIEST``–``LATEST``), and numbers beyond ``MAX_INT``;
- the bounds of ``Limits``: nesting depth, items in a list, characters in a text, values in the document
  counted through every alias (an alias bomb expands to billions), and aliases refused outright where a
  file has no use for them (answers and facts).

``reader`` turns bytes and files into text for this module, and reads JSON with the same checks.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from pipia.errors import Problem
from pipia.i18n import Message, msg

try:  # libyaml is ~5x faster; the pure-Python loader gives the same results.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _BaseLoader = yaml.SafeLoader

# Dates an assessment can be about: the law dates from 2021; a deadline runs a few years on. Beyond
# these a date is a typo (99999-12-31) or a probe, and date arithmetic would overflow at year 9999.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
# Larger than any count of people or amount an assessment states (10^15); beyond it floats lose digits
# and a 400-digit count overflows when compared with a float bound.
MAX_INT = 10**15


@dataclass(frozen=True)
class Limits:
    """The bounds of one kind of input file. None of them is reached by a real file of that kind.

    ``kind`` names the file in messages (a catalogue text); ``max_bytes`` bounds the file;
    ``aliases`` says whether YAML anchors and aliases may be used (banks and libraries share blocks with
    them; answers and facts files never need them); ``max_values`` bounds the values in the document
    counted through aliases;
    ``text_keys`` refuses keys that are not text (``1:`` or ``yes:``), which JSON could not write back.
    """

    kind: Message = field(compare=False)  # a Message is not hashable; the bounds tell the kinds apart
    max_bytes: int
    aliases: bool
    max_depth: int = 64
    max_items: int = 20_000
    max_text: int = 200_000
    max_values: int = 2_000_000
    text_keys: bool = False


class Loc(NamedTuple):
    """Where an entry came from. A tuple, not a dataclass: a large bank creates one per entry."""

    file: str
    line: int  # 1-based


class LocDict(dict[Any, Any]):
    """A dict that knows the position of itself and of each key.

    ``written`` holds, by key, the text of each value YAML read as something other than text (a number,
    yes/no, a date, null), so a message can quote ``1.10`` rather than the float 1.1 it became; None while
    there is none (most mappings hold only text).
    """

    loc: Loc | None = None
    key_locs: dict[Any, Loc]
    written: dict[Any, str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_locs = {}


class LocList(list[Any]):
    """A list that knows the position of itself and of each item; ``written`` as for ``LocDict``, by index."""

    loc: Loc | None = None
    item_locs: list[Loc | None]
    written: dict[int, str] | None = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_locs = []


MB = 1024 * 1024
# An answers file of a complete 150-question assessment is tens of kB; a facts file a few hundred bytes.
ANSWERS = Limits(msg("file_kind_answers"), 2 * MB, aliases=False, max_items=5_000, max_values=300_000,
                 text_keys=True)
FACTS = Limits(msg("file_kind_facts"), 1 * MB, aliases=False, max_items=1_000, max_values=10_000,
               text_keys=True)
# The shipped banks are ~0.3 MB; a 2,000-question bank 2 MB.
BANK = Limits(msg("file_kind_bank"), 32 * MB, aliases=True)
LIBRARY = Limits(msg("file_kind_library"), 32 * MB, aliases=True)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
# A plain scalar written as a number that PyYAML does not read as the number meant: 010000 is octal to
# it, 09000, 0o17 and 1e3 are text. Such scalars get a tag of their own, refused by the converter.
_NUMBER_FORM = "tag:pipia:number-form"
LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+\Z")
_TEXT_NUMBER = re.compile(r"[-+]?(?:0[oO][0-7_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+)\Z")
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")


def needs_quotes(text: str) -> bool:
    """Whether text written bare would be refused as a number form (09000, 0o17, 1e3): writers quote it."""
    return LEADING_ZERO.match(text) is not None or _TEXT_NUMBER.match(text) is not None


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Composes the node tree in C; plain scalars that cannot be anything but text skip the resolver.

    Every implicit type starts with one of a few characters, and the only ones starting with a letter
    are the YAML 1.1 booleans and null. Telling text apart first saves a regex-resolver call for most
    scalars, a sizeable share of the load time of a large bank. The types resolved stay PyYAML's own,
    except that plain digits with a leading zero get a tag of their own, to be refused by the converter.
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
            tag: str = super().resolve(kind, value, implicit)
            if (tag in (_INT, _STR) and LEADING_ZERO.match(value)) or (tag == _STR and _TEXT_NUMBER.match(value)):
                return _NUMBER_FORM
            return tag
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


def load_yaml(text: str, file_name: str, limits: Limits = BANK) -> tuple[Any, list[Problem]]:
    """Parse one YAML document. Returns the data and the problems found, each with its line.

    On a syntax error, or when a bound of ``limits`` is passed, the data is ``None`` and the problem
    says where. Values refused one by one (an octal number, a date that does not exist) are reported
    and left out, so every such problem of a file is listed at once.
    """
    with paused_gc():
        return _load_yaml(text, file_name, limits)


def _load_yaml(text: str, file_name: str, limits: Limits) -> tuple[Any, list[Problem]]:
    loader = _Loader(text)
    problems: list[Problem] = []
    try:
        root = loader.get_single_node()
        data = None if root is None else _Converter(loader, file_name, problems, limits).convert(root, 0)
    except yaml.MarkedYAMLError as exc:  # syntax errors, and tags the safe loader does not construct
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "malformed YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return None, [Problem.of(file_name, line, "", msg("yaml_malformed", detail=what), code="yaml_malformed")]
    except yaml.YAMLError as exc:
        return None, [Problem.of(file_name, None, "", msg("yaml_malformed_plain", detail=str(exc)),
                                 code="yaml_malformed")]
    except _TooBig as exc:
        return None, [exc.problem]
    finally:
        loader.dispose()
    return data, problems


class _TooBig(Exception):
    """A bound of the file's ``Limits`` was passed: reading stops there."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def limit_problem(file: str, line: int | None, path: str, what: Message, limits: Limits) -> Problem:
    """The problem for a bound passed: ``what`` says which; the file kind is named."""
    return Problem.of(file, line, path, msg("limit_refused", what=what, kind=limits.kind), code="too_large")


def number_problem(value: str) -> Message | None:
    """Why a plain YAML number form is refused, or None for a plain decimal number."""
    bare = value.lstrip("+-")
    if LEADING_ZERO.match(value):
        digits = bare.replace("_", "").lstrip("0") or "0"
        if all(c in "01234567_" for c in bare):
            return msg("number_leading_zero_octal", value=value, digits=digits, octal=int(bare.replace("_", ""), 8))
        return msg("number_leading_zero", value=value, digits=digits)
    if ":" in value:
        return msg("number_base60", value=value)
    if bare.lower() in (".inf", ".nan"):
        return msg("number_not_finite", value=value)
    if "e" in bare.lower() and not bare.lower().startswith("0x"):
        return msg("number_exponent", value=value)
    if bare[:2].lower() in ("0x", "0b", "0o"):
        return msg("number_radix", value=value)
    return None


# Control characters other than tab, line feed and carriage return. Invisible in an editor; in a terminal
# an ESC sequence retitles the window, clears the screen or recolours what follows; Word drops most of them
# silently, so the report would differ from the file. A file can hold them only as escapes ("\e",
# "\u001b"): refused. A carriage return is half of a Windows line break ("\r\n" in a JSON string written
# on Windows): it is text, and the report writes it as the line break it is.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_problem(text: str) -> Message | None:
    """Why a text holding a control character is refused, naming it and where; None if none."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return msg("value_control_character", code=f"U+{ord(found.group()):04X}", position=found.start() + 1)


def value_problem(value: Any, limits: Limits) -> Message | None:
    """Why a parsed value is refused: an int beyond ``MAX_INT``, a float that is not finite,
    a date outside ``EARLIEST``–``LATEST``, a text longer than ``limits.max_text``; None if it is fine.
    Shared by the YAML and JSON readers, so both refuse the same values."""
    if isinstance(value, str):
        if len(value) > limits.max_text:
            return msg("value_text_too_long", length=len(value), max=limits.max_text, kind=limits.kind)
        return control_problem(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            digits = len(str(value))
            return msg("value_int_too_large", max=MAX_INT,
                       value=str(value) if digits <= 30 else msg("value_int_digits", digits=digits))
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_INT:
            return msg("value_float_not_finite", value=repr(value), max=MAX_INT)
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if not EARLIEST <= day <= LATEST:
            return msg("value_date_out_of_range", date=value.isoformat(), first=EARLIEST.year, last=LATEST.year)
    return None


class _Converter:
    """Turns the node tree into LocDict/LocList/scalars, recording positions and refusing what a file
    must not hold (see the module docstring). ``path`` is the way to the node being converted."""

    def __init__(self, loader: _Loader, file_name: str, problems: list[Problem], limits: Limits) -> None:
        self.construct = loader.construct_object
        self.file = file_name
        self.problems = problems
        self.limits = limits
        self.seen: dict[int, Any] = {}  # an alias yields the same object, as PyYAML does: no blow-up
        self.sizes: dict[int, int] = {}  # values inside each collection, to count through aliases
        self.scalars: set[int] = set()  # scalar nodes met, only where aliases are refused
        self.values = 0
        self.path: list[int | str] = []

    def problem(self, node: yaml.Node, said: Message) -> None:
        self.problems.append(Problem.of(self.file, node.start_mark.line + 1, format_path(self.path), said))

    def too_big(self, node: yaml.Node, what: Message) -> _TooBig:
        return _TooBig(limit_problem(self.file, node.start_mark.line + 1, format_path(self.path), what,
                                     self.limits))

    def convert(self, node: yaml.Node, depth: int, at: int | None = None) -> Any:
        """``at`` is the line the node is used on, where an alias differs from where its anchor is."""
        self.values += 1
        if type(node) is yaml.ScalarNode:
            if not self.limits.aliases:
                if id(node) in self.scalars:
                    return self.alias(node, at)
                self.scalars.add(id(node))
            if node.tag == _STR:
                value = node.value
                if len(value) > self.limits.max_text or CONTROL.search(value):
                    return self.refuse(node, value_problem(value, self.limits))
                return value
            return self.scalar(node)
        if id(node) in self.seen:
            if not self.limits.aliases:
                return self.alias(node, at)
            if id(node) not in self.sizes:
                self.problem(node, msg("yaml_alias_cycle"))
                return None
            self.values += self.sizes[id(node)]
            if self.values > self.limits.max_values:
                raise self.too_big(node, msg("limit_alias_values", max=self.limits.max_values))
            return self.seen[id(node)]
        if depth > self.limits.max_depth:
            raise self.too_big(node, msg("limit_depth", max=self.limits.max_depth))
        if len(node.value) > self.limits.max_items:
            raise self.too_big(node, msg("limit_items", count=len(node.value)))
        if self.values > self.limits.max_values:
            raise self.too_big(node, msg("limit_values", max=self.limits.max_values))
        start = self.values
        if type(node) is yaml.SequenceNode:
            items = LocList()
            items.loc = Loc(self.file, node.start_mark.line + 1)
            self.seen[id(node)] = items
            path = self.path
            line = node.start_mark.line + 1
            for index, child in enumerate(node.value):
                path.append(index)
                items.append(self.convert(child, depth + 1, line))
                if type(child) is yaml.ScalarNode and child.tag != _STR:
                    remember_written(items, index, child.value)
                if not node.flow_style:  # a block item starts on the line after the previous one ends
                    line = child.end_mark.line + 2
                path.pop()
                items.item_locs.append(Loc(self.file, child.start_mark.line + 1))
            self.sizes[id(node)] = self.values - start
            return items
        assert type(node) is yaml.MappingNode
        mapping = self._mapping(node, depth)
        self.sizes[id(node)] = self.values - start
        return mapping

    def refuse(self, node: yaml.Node, why: Message | None) -> None:
        if why is not None:
            self.problem(node, why)

    def alias(self, node: yaml.Node, at: int | None) -> None:
        # The first alias stops reading: a bomb holds thousands, and one message says what to change.
        raise _TooBig(Problem.of(self.file, at or node.start_mark.line + 1, format_path(self.path),
                                 msg("yaml_alias_refused", kind=self.limits.kind), code="alias"))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        odd_int = tag == _INT and not _DECIMAL_INT.match(text)
        odd_float = tag == _FLOAT and (":" in text or text.lstrip("+-").lower() in (".inf", ".nan"))
        if tag == _NUMBER_FORM or odd_int or odd_float:
            why = number_problem(text)
            if why is not None:
                self.problem(node, why)
                return None
        try:
            value = self.construct(node)
        except (ValueError, OverflowError) as exc:  # PyYAML builds timestamps with datetime(): plain errors
            shown = text if len(text) <= 40 else text[:39] + "…"
            self.problem(node, msg("value_date_impossible", value=shown, detail=str(exc)))
            return None
        why = value_problem(value, self.limits)
        if why is not None:
            self.problem(node, why)
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LocDict:
        mapping = LocDict()
        mapping.loc = Loc(self.file, node.start_mark.line + 1)
        self.seen[id(node)] = mapping
        key_locs = mapping.key_locs
        path = self.path
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            # Keys are nearly always plain text: skip the general conversion for them (hot loop).
            if key_node.tag == _MERGE:  # PyYAML cannot build it from the C loader's nodes: say so plainly
                self.problems.append(Problem.of(self.file, line, format_path(path), msg("yaml_merge_key")))
                continue
            key = key_node.value if key_node.tag == _STR else self.convert(key_node, depth + 1)
            if isinstance(key, str) and CONTROL.search(key):
                why = control_problem(key)
                assert why is not None
                self.problems.append(Problem.of(self.file, line, format_path(path),
                                                msg("key_control_character", why=why)))
                continue
            try:
                duplicate = key in mapping
            except TypeError:
                self.problems.append(Problem.of(self.file, line, format_path(path), msg("yaml_key_not_plain")))
                continue
            if self.limits.text_keys and not isinstance(key, str):
                self.problems.append(Problem.of(self.file, line, format_path(path),
                                                msg("yaml_key_not_text", key=key_node.value)))
                continue
            if duplicate:
                first = key_locs[key].line
                self.problems.append(Problem.of(self.file, line, str(key),
                                                msg("yaml_duplicate_key", key=repr(key), first=first),
                                                code="duplicate_key"))
                continue
            path.append(key if isinstance(key, int | str) else str(key))
            mapping[key] = self.convert(value_node, depth + 1, line)
            if type(value_node) is yaml.ScalarNode and value_node.tag != _STR:
                remember_written(mapping, key, value_node.value)
            path.pop()
            key_locs[key] = Loc(self.file, line)
        return mapping


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, without building values; raises ``yaml.YAMLError``."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


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


def remember_written(container: LocDict | LocList, key: Any, text: str) -> None:
    """Record ``text`` as how the author wrote the value at ``key`` (a number, yes/no, a date as typed)."""
    if container.written is None:
        container.written = {}
    container.written[key] = text


def carry_written(source: LocDict, key: Any, target: LocDict) -> None:
    """Copy how the value at ``key`` was written from ``source`` to ``target`` (a value moved by a merge)."""
    text = None if source.written is None else source.written.get(key)
    if text is not None:
        remember_written(target, key, text)
    elif target.written is not None:
        target.written.pop(key, None)


def written_text(data: Any, path: Sequence[int | str]) -> str | None:
    """The text the author wrote for the value at ``path`` when YAML read it as something other than text.

    ``1.10`` for the float 1.1, ``On`` for True, ``2026-7-1`` for a date: what a message quotes and a hint
    tells to put in quotes. None for text (already as written), a mapping or list, a path that is not in
    ``data``, or data built without positions.
    """
    if not path:
        return None
    node = data
    for step in path[:-1]:
        inside = (isinstance(node, LocDict) and step in node) or (
            isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node))
        if not inside:
            return None
        node = node[step]
    if not isinstance(node, LocDict | LocList) or node.written is None:
        return None
    return node.written.get(path[-1])  # type: ignore[arg-type]


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
