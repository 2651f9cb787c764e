"""The one way into pipia for a file: banks, libraries, answers, facts, and uploads in the app.

Bytes become text (``decode``), text becomes data (``parse``: YAML through ``yamlio``, JSON strictly), and
every refusal is a ``Problem`` located as ``file:line: path: message``, in English and Chinese. The CLI,
the app's import box and the store all come in here, so a file reads the same wherever it is opened:

- decoding: UTF-8, with or without the byte-order mark Windows Notepad writes; UTF-16 and GBK/GB 18030
  files are named as such, with how to save them as UTF-8;
- size: ``Limits.max_bytes`` is checked before the file is read;
- YAML: see ``yamlio`` (non-decimal numbers, impossible dates, aliases, duplicate keys, bounds);
- JSON: duplicate keys, ``NaN``/``Infinity`` and numbers with thousands of digits are refused, nesting is
  bounded before ``json`` recurses, and the same value checks as YAML apply (``yamlio.value_problem``);
  positions come from composing the same text as YAML, where that works;
- text: a lone surrogate (half an emoji from a broken paste) is refused, since it can be written neither
  as UTF-8 nor read back from YAML: whatever is accepted writes back and reads back equal.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml

from pipia.errors import Problem
from pipia.files.yamlio import (
    ANSWERS,
    Limits,
    Loc,
    LocDict,
    LocList,
    compose,
    control_problem,
    format_path,
    limit_problem,
    load_yaml,
    remember_written,
    value_problem,
)
from pipia.i18n import Message, msg

Format = Literal["yaml", "json"]
_GBK_PAIR = re.compile(rb"[\x81-\xfe][\xa1-\xfe]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def format_of(name: str) -> Format:
    """JSON for a ``.json`` name, YAML for anything else (JSON files are read strictly, not as YAML)."""
    return "json" if name.lower().endswith(".json") else "yaml"


def read_file(path: Path, limits: Limits = ANSWERS, fmt: Format | None = None,
              received: Callable[[Path, bytes], None] | None = None) -> tuple[Any, list[Problem]]:
    """Read, decode and parse one file. Returns ``(data, problems)``; data is None when it cannot be read.

    ``received`` is given the bytes read, before they are parsed (the bank cache records what each
    load read). Never raises for what the file holds or for an unreadable path: both come back as
    problems.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return None, [_too_large(name, size, limits)]
        data = read_regular(path, limits.max_bytes + 1)
    except NotARegularFile:
        return None, [Problem.of(name, None, "", msg("file_unreadable", reason=NotARegularFile.said),
                                 code="unreadable")]
    except OSError as exc:
        return None, [Problem.of(name, None, "", msg("file_unreadable", reason=exc.strerror or str(exc)),
                                 code="unreadable")]
    if received is not None:
        received(path, data)
    return read_bytes(data, name, limits, fmt)


class NotARegularFile(OSError):
    """A path that is a folder, a device (``/dev/zero`` never ends) or a pipe (opening it waits forever)."""

    said = msg("file_not_regular")

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: {self.said('en')}")


def read_regular(path: Path, limit: int, *, follow_links: bool = True,
                 accept: Callable[[os.stat_result], bool] | None = None) -> bytes:
    """At most ``limit`` bytes from the start of the regular file at ``path`` (symbolic links followed unless
    ``follow_links`` is False).

    Opened without waiting (a pipe would block ``open`` until a writer comes) and checked on the open
    file, so nothing can be swapped in between the check and the read; ``accept`` checks more of the open
    file's status (whose it is, who may write to it). Raises ``NotARegularFile`` for a folder, device or
    pipe, ``PermissionError`` for a file ``accept`` refuses, ``OSError`` when the file cannot be opened
    (a symbolic link, when not followed).
    """
    nofollow = 0 if follow_links else getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | nofollow)
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotARegularFile(path)
    if accept is not None and not accept(info):
        os.close(fd)
        raise PermissionError(f"{path}: refused")
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit)


def read_bytes(data: bytes, name: str, limits: Limits = ANSWERS,
               fmt: Format | None = None) -> tuple[Any, list[Problem]]:
    """Decode and parse the bytes of a file called ``name`` (its suffix picks the format unless ``fmt``)."""
    text, problems = decode(data, name, limits)
    if text is None:
        return None, problems
    return parse(text, name, limits, fmt)


def decode(data: bytes, name: str, limits: Limits = ANSWERS) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, the byte-order mark dropped; or None and the problem naming the encoding."""
    if len(data) > limits.max_bytes:
        return None, [_too_large(name, len(data), limits)]
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, [_encoding(name, None, "UTF-32")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        return None, [_encoding(name, None, "UTF-16")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [_encoding(name, line, "GBK/GB 18030" if _looks_gbk(data) else None)]


def _looks_gbk(data: bytes) -> bool:
    # Nearly any bytes decode as GB 18030 (Latin-1 "é" and the letter after it make a pair). Chinese text
    # in GBK is pairs of high bytes: call a file GBK only when nearly all its high bytes pair up so.
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    high = sum(1 for b in data if b >= 0x80)
    pairs = len(_GBK_PAIR.findall(data))
    return pairs > 0 and 2 * pairs >= 0.8 * high


def _looks_utf16(data: bytes) -> bool:
    # Text of ASCII-range characters in UTF-16 has a zero byte in every other place; UTF-8 text has none.
    head = data[:200]
    return len(head) >= 4 and head.count(0) * 3 >= len(head)


def _encoding(name: str, line: int | None, guess: str | None) -> Problem:
    save = msg("file_save_as_utf8")
    if guess is None:
        return Problem.of(name, line, "", msg("file_not_utf8", save=save), code="encoding")
    return Problem.of(name, line, "", msg("file_not_utf8_looks", encoding=guess, save=save), code="encoding",
                      params=(("encoding", guess),))


def _too_large(name: str, size: int, limits: Limits) -> Problem:
    mb = limits.max_bytes / (1024 * 1024)
    return Problem.of(name, None, "", msg("file_too_large", size=size, mb=mb, kind=limits.kind), code="too_large")


def parse(text: str, name: str, limits: Limits = ANSWERS, fmt: Format | None = None) -> tuple[Any, list[Problem]]:
    """Data of a YAML or JSON text (``fmt``, else by the suffix of ``name``), with every problem found."""
    fmt = fmt or format_of(name)
    if len(text) > limits.max_bytes:  # text given directly (tests, the app) is bounded like a file
        return None, [_too_large(name, len(text.encode("utf-8", "surrogatepass")), limits)]
    lone = _SURROGATE.search(text)
    if lone is not None:
        return None, [_surrogate(name, text.count("\n", 0, lone.start()) + 1, "")]
    if fmt == "json":
        return _load_json(text, name, limits)
    return load_yaml(text, name, limits)


def _surrogate(name: str, line: int | None, path: str) -> Problem:
    return Problem.of(name, line, path, msg("file_surrogate"))


class _Refused(ValueError):
    """Raised inside ``json.loads`` for what strict JSON must not hold."""

    def __init__(self, said: Message, key: str | None = None) -> None:
        super().__init__(said("en"))
        self.said, self.key = said, key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _Refused(msg("json_duplicate_key", key=repr(key)), key)
        mapping[key] = value
    return mapping


def _constant(word: str) -> Any:
    raise _Refused(msg("json_not_finite", word=word))


def _load_json(text: str, name: str, limits: Limits) -> tuple[Any, list[Problem]]:
    depth = 0
    for token in _JSON_TOKEN.finditer(text):  # json recurses per level: bound the depth before it does
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > limits.max_depth:
                line = text.count("\n", 0, token.start()) + 1
                return None, [limit_problem(name, line, "", msg("limit_depth", max=limits.max_depth), limits)]
        elif mark in "]}":
            depth -= 1
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        return None, [Problem.of(name, exc.lineno, "", msg("json_malformed", detail=exc.msg, column=exc.colno),
                                 code="json_malformed")]
    except _Refused as exc:
        return None, [Problem.of(name, _line_of_duplicate(text, exc.key), "", exc.said)]
    except ValueError as exc:  # an integer of more than 4,300 digits
        return None, [Problem.of(name, None, "", msg("json_number_unreadable", detail=str(exc)))]
    node = _json_nodes(text)
    problems: list[Problem] = []
    walker = _JsonWalker(name, limits, problems)
    try:
        located = walker.walk(data, node, 0)
    except _Stop as stop:
        return None, [stop.problem]
    return located, problems


def _line_of_duplicate(text: str, key: str | None) -> int | None:
    if key is None:
        return None
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(found) < 2:
        found = [m.start() for m in re.finditer(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", text)]
    return text.count("\n", 0, found[1]) + 1 if len(found) >= 2 else None


def _json_nodes(text: str) -> yaml.Node | None:
    # JSON text nearly always composes as YAML too: its nodes give each key and item a line. Values are
    # json's own; where YAML reads the text otherwise (a surrogate-pair escape), lines are left out.
    # Two JSON spellings libyaml refuses are swapped for ones of the same length, keeping every line:
    # a surrogate escape (values come from json, so which character does not matter) and a tab between
    # tokens (strict JSON has no raw tab inside a string).
    try:
        return compose(_SURROGATE_ESCAPE.sub(r"\\uFFFD", text).replace("\t", " "))
    except yaml.YAMLError:
        return None


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _JsonWalker:
    """Checks parsed JSON with the YAML reader's rules, and attaches lines where YAML nodes give them."""

    def __init__(self, name: str, limits: Limits, problems: list[Problem]) -> None:
        self.name, self.limits, self.problems = name, limits, problems
        self.values = 0
        self.path: list[int | str] = []

    def line(self, node: yaml.Node | None) -> int | None:
        return None if node is None else node.start_mark.line + 1

    def walk(self, value: Any, node: yaml.Node | None, depth: int) -> Any:
        self.values += 1
        if self.values > self.limits.max_values:
            raise _Stop(limit_problem(self.name, self.line(node), format_path(self.path),
                                      msg("limit_values", max=self.limits.max_values), self.limits))
        if isinstance(value, dict | list) and len(value) > self.limits.max_items:
            raise _Stop(limit_problem(self.name, self.line(node), format_path(self.path),
                                      msg("limit_items", count=len(value)), self.limits))
        if isinstance(value, dict):
            return self.mapping(value, node if isinstance(node, yaml.MappingNode) else None, depth)
        if isinstance(value, list):
            items = LocList() if isinstance(node, yaml.SequenceNode) else []
            children = node.value if isinstance(node, yaml.SequenceNode) else []
            for index, item in enumerate(value):
                child = children[index] if index < len(children) else None
                self.path.append(index)
                items.append(self.walk(item, child, depth + 1))
                self.path.pop()
                if isinstance(items, LocList):
                    items.item_locs.append(None if child is None else Loc(self.name, child.start_mark.line + 1))
                    _remember_scalar(items, index, item, child)
            if isinstance(items, LocList):
                items.loc = Loc(self.name, node.start_mark.line + 1)  # type: ignore[union-attr]
            return items
        if isinstance(value, str) and _SURROGATE.search(value):
            self.problems.append(_surrogate(self.name, self.line(node), format_path(self.path)))
            return None
        why = value_problem(value, self.limits)
        if why is not None:
            self.problems.append(Problem.of(self.name, self.line(node), format_path(self.path), why))
            return None
        return value

    def mapping(self, value: dict[str, Any], node: yaml.MappingNode | None, depth: int) -> Any:
        keys = {k.value: k for k, _ in node.value if isinstance(k, yaml.ScalarNode)} if node is not None else {}
        nodes = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)} if node is not None else {}
        out: dict[str, Any] = LocDict() if node is not None else {}
        if isinstance(out, LocDict):
            out.loc = Loc(self.name, node.start_mark.line + 1)  # type: ignore[union-attr]
        for key, item in value.items():
            why = control_problem(key)
            if why is not None:  # located at its mapping: the path must not carry the character itself
                self.problems.append(Problem.of(self.name, self.line(keys.get(key)), format_path(self.path),
                                                msg("key_control_character", why=why)))
                continue
            self.path.append(key)
            if _SURROGATE.search(key):
                self.problems.append(_surrogate(self.name, self.line(keys.get(key)), format_path(self.path)))
            out[key] = self.walk(item, nodes.get(key), depth + 1)
            self.path.pop()
            if isinstance(out, LocDict):
                key_node = keys.get(key)
                out.key_locs[key] = Loc(self.name, key_node.start_mark.line + 1 if key_node else 1)
                _remember_scalar(out, key, item, nodes.get(key))
        return out


def _remember_scalar(container: LocDict | LocList, key: Any, value: Any, node: yaml.Node | None) -> None:
    # JSON's 1.10 is the float 1.1 too: keep the digits written, as the YAML reader does.
    if isinstance(node, yaml.ScalarNode) and not isinstance(value, str | dict | list):
        remember_written(container, key, node.value)
