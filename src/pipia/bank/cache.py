"""A cache on disk of banks that loaded without errors, so a command does not parse the same YAML again.

Reading a bank with the position of every value (``yamlio``) is most of what ``pipia route`` costs; the
bank, the banks it extends and its libraries rarely change between two commands. What is kept is the
data *as read* (after ``extends`` is resolved), never Python objects: a hit validates that data through
the same models as a fresh load, so the cache cannot make a bank pipia would refuse, and no pickle is
ever read (a cache file is a file that comes in, and unpickling runs code).

An entry is used only when all of these hold, otherwise it is a miss and the bank is loaded afresh:

- it was written by this code: its key covers pipia's version and the size and time of change of
  the modules that decide what a valid bank is (all but ``NOT_CODE``), so editing the loader or a
  model invalidates every entry;
- every file the load read (the bank, each bank it extends, each library) still has the SHA-256 it
  had when it was read, checked by reading the file again through ``reader``;
- the entry is intact (the SHA-256 of its data is stored in its first line) and parses;
- the cache folder belongs to this user and nobody else may write to it (as ssh treats ``~/.ssh``):
  an entry is as trustworthy as the bank files it stands for only if no one else can plant one.

A damaged or planted entry is a miss, never an error: whatever goes wrong in here, the caller loads the
bank from its files. ``PIPIA_CACHE_DIR`` names the folder (empty: no cache); the default is
``$XDG_CACHE_HOME/pipia`` or ``~/.cache/pipia``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipia import __version__
from pipia.files.reader import read_regular

FORMAT = 1
# The package's code decides whether a bank loads and what it loads as; a change to it (during
# development, without a new version number) must not bring back a bank checked by old code. These
# sub-packages only use loaded banks, so their code is left out of the key (reading it costs time).
NOT_CODE = ("ui", "report", "store", "exports")
# An entry holds a bank and its libraries, each bounded by ``yamlio.BANK``/``LIBRARY`` (32 MB): a file
# larger than this is not one this code wrote.
MAX_ENTRY_BYTES = 128 * 1024 * 1024
_DATE = "$date"  # how a date is written in an entry (JSON has none); see _plain


@dataclass(frozen=True)
class Entry:
    """What a cached load gives back: the data read (``kind``-specific mapping of plain values, dates
    as ``datetime.date``) and the files that load read, in the order it read them, each with the
    ``digest`` its bytes still have."""

    data: dict[str, Any]
    files: tuple[tuple[Path, str], ...]


class _Unsuitable(ValueError):
    """Data that JSON would not give back equal (a datetime, a non-text key): not cached."""


def folder() -> Path | None:
    """The cache folder (not created here), or None when caching is turned off (``PIPIA_CACHE_DIR=``)."""
    configured = os.environ.get("PIPIA_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pipia"


def digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex: what an entry records of each file read."""
    return hashlib.sha256(data).hexdigest()


def lookup(kind: str, entry_file: Path) -> Entry | None:
    """The cached load of ``entry_file`` (a bank, a library) for ``kind``, or None on any miss.

    Never raises: an unreadable, damaged or stale entry, or a folder others may write to, is a miss.
    """
    try:
        return _lookup(kind, entry_file)
    except Exception:  # a cache that fails in any way is only a miss (see the module's docstring)
        return None


def store(kind: str, entry_file: Path, data: Mapping[str, Any], files: Sequence[tuple[Path, str]]) -> None:
    """Keep ``data`` as the load of ``entry_file`` that read ``files`` (each with its ``digest``).

    Does nothing when caching is off, the folder cannot be made private, or the data would not come
    back from JSON equal (it is then simply loaded afresh each time). Never raises.
    """
    try:
        _store(kind, entry_file, data, files)
    except Exception:  # a cache that cannot be written costs only speed
        return


def _lookup(kind: str, entry_file: Path) -> Entry | None:
    root = folder()
    if root is None or not _private(root):
        return None
    try:
        raw = read_regular(_entry_path(root, kind, entry_file), MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_ENTRY_BYTES:
        return None
    head, newline, body = raw.partition(b"\n")
    if not newline:
        return None
    header = json.loads(head)
    if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != _key(kind, entry_file) \
            or header.get("sha256") != digest(body):
        return None
    files = header.get("files")
    if not isinstance(files, list) or not files:
        return None
    paths: list[tuple[Path, str]] = []
    for item in files:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            return None
        path = Path(item[0])
        try:
            # The same limit as the loader's: a bank file that grew past it must fail as it would afresh.
            current = read_regular(path, MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        if digest(current) != item[1]:
            return None
        paths.append((path, item[1]))
    data = json.loads(body, object_hook=_revive)
    if not isinstance(data, dict):
        return None
    return Entry(data, tuple(paths))


def _store(kind: str, entry_file: Path, data: Mapping[str, Any], files: Sequence[tuple[Path, str]]) -> None:
    root = folder()
    if root is None:
        return
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(root):
        return
    try:
        body = json.dumps(_plain(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (_Unsuitable, ValueError, RecursionError):
        return
    header = {"format": FORMAT, "key": _key(kind, entry_file), "sha256": digest(body),
              "files": [[str(path), sha] for path, sha in files]}
    text = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + body
    # Written beside its final name and renamed over it: a reader sees the old entry or the new one,
    # never half of one, and two processes storing the same bank do not mix their bytes.
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".entry-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        os.replace(temporary, _entry_path(root, kind, entry_file))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _private(root: Path) -> bool:
    """Whether ``root`` is a folder (not a link) of this user's that no one else may write to."""
    try:
        info = os.lstat(root)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "getuid"):  # Windows: a user's cache folder is private by default
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _entry_path(root: Path, kind: str, entry_file: Path) -> Path:
    # One entry per file loaded, whatever the code: a new version overwrites the old one's entry
    # rather than leaving it behind (the key inside tells them apart).
    name = hashlib.sha256(f"{kind}\n{entry_file.resolve()}".encode()).hexdigest()[:32]
    return root / f"{kind}-{name}.json"


_code_identity: str | None = None


def _key(kind: str, entry_file: Path) -> str:
    """What an entry stands for: this code, the kind of load, and the file's absolute path."""
    global _code_identity  # noqa: PLW0603 - computed once per process
    if _code_identity is None:
        code = hashlib.sha256(f"{__version__}\n{FORMAT}\n".encode())
        for relative, source in sorted(_code_files(Path(__file__).parents[1])):
            try:  # size and time of change stand for the content: reading it all would cost more
                info = os.stat(source)
                code.update(f"{relative} {info.st_size} {info.st_mtime_ns}\n".encode())
            except OSError:
                code.update(f"{relative} unreadable\n".encode())
        _code_identity = code.hexdigest()
    return hashlib.sha256(f"{_code_identity}\n{kind}\n{entry_file.resolve()}".encode()).hexdigest()


def _code_files(package: Path) -> list[tuple[str, str]]:
    """The package's modules that decide what a bank loads as: ``(path relative to the package, with
    '/', path)`` for every ``.py`` file outside ``NOT_CODE`` and the bytecode folders.

    Walked with ``os.scandir`` and the left-out folders never entered: this runs at every start of a
    command that loads a bank, and ``Path.rglob`` over the whole package cost several milliseconds.
    """
    found: list[tuple[str, str]] = []
    folders = [("", str(package))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__" and not (not prefix and entry.name in NOT_CODE):
                        folders.append((relative + "/", entry.path))
                elif entry.name.endswith(".py"):
                    found.append((relative, entry.path))
    return found


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it, dates tagged; raises _Unsuitable for what would not come back equal."""
    if isinstance(value, dict):
        if _DATE in value:
            raise _Unsuitable(_DATE)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unsuitable(f"key {key!r}")
            out[key] = _plain(item)
        return out
    if isinstance(value, list | tuple):
        if isinstance(value, tuple):
            raise _Unsuitable("tuple")  # the YAML reader gives lists; a tuple would come back as one
        return [_plain(item) for item in value]
    if isinstance(value, dt.datetime):
        raise _Unsuitable("datetime")
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise _Unsuitable(type(value).__name__)


def _revive(mapping: dict[str, Any]) -> Any:
    if _DATE in mapping:
        if len(mapping) != 1 or not isinstance(mapping[_DATE], str):
            raise ValueError("a damaged date")
        return dt.date.fromisoformat(mapping[_DATE])
    return mapping
