"""A cache on disk of banks and libraries that loaded without errors, so a command neither parses
the same YAML nor validates the same bank again.

Reading a bank with the position of every value (``yamlio``), validating it through the models and
building their validators is most of what ``pipia route`` costs; the bank, the banks it extends and
its libraries rarely change between two commands. What is kept is the validated result itself,
pickled: a hit gives back the very objects a fresh load made (equal to them, frozen as they are), and
none of their models' validators is built or run for it.

Unpickling runs what the data names, so an entry is read only where no one but this user could have
written it, and the unpickler builds values only (``_Unpickler``): pipia's own models, dataclasses and
enums, dates and paths, nothing else, from modules already imported, never a function. A user who
can write to the cache folder can change what pipia shows; that user can as well change the bank
files, or pipia itself.

An entry is used only when all of these hold, otherwise it is a miss and the bank is loaded afresh:

- it was written by this code: its key covers pipia's version, the versions of Python and pydantic
  (the layout of a pickled model is theirs), and the size and time of change of the modules that
  decide what a valid bank is (all but ``NOT_CODE``), so editing the loader or a model invalidates
  every entry;
- every file the load read (the bank, each bank it extends, each library) still has the SHA-256 it
  had when it was read, checked by reading the file again through ``reader``;
- the entry is intact (the SHA-256 of its data is stored in its first line) and unpickles to a value
  of the kind the caller expects;
- the cache folder and the entry belong to this user and nobody else may write to them (as ssh treats
  ``~/.ssh``).

A damaged or planted entry is a miss, never an error: whatever goes wrong in here, the caller loads the
bank from its files. ``PIPIA_CACHE_DIR`` names the folder (empty: no cache); the default is
``$XDG_CACHE_HOME/pipia`` or ``~/.cache/pipia``. It keeps at most ``MAX_ENTRIES`` entries, the least
recently used going first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import io
import json
import os
import pathlib
import pickle
import re
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core

from pipia import __version__
from pipia.files.reader import read_regular

FORMAT = 2  # 1: the data as read, in JSON, validated again at each hit; 2: the validated result, pickled
# The package's code decides whether a bank loads and what it loads as; a change to it (during
# development, without a new version number) must not bring back a bank checked by old code. These
# sub-packages only use loaded banks, so their code is left out of the key (reading it costs time).
NOT_CODE = ("ui", "report", "store", "exports")
# An entry holds a bank and its libraries, each bounded by ``yamlio.BANK``/``LIBRARY`` (32 MB): a file
# larger than this is not one this code wrote.
MAX_ENTRY_BYTES = 128 * 1024 * 1024
PROTOCOL = 5
# Entries kept: the banks and libraries of one person's work, many times over. An entry is one file's, so
# without a bound the folder would keep one for every bank ever loaded from a path that is gone (a bank
# unpacked into a temporary folder, say). The least recently used beyond it go when a new one is stored.
MAX_ENTRIES = 256
STALE_TEMPORARY_SECONDS = 24 * 3600  # a half-written entry left by a process that was killed


@dataclass(frozen=True)
class Entry:
    """What a cached load gives back: the ``value`` stored (a validated bank, a library), and the files
    that load read, in the order it read them, each with the ``digest`` its bytes still have."""

    value: object
    files: tuple[tuple[Path, str], ...]


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


def lookup(kind: str, entry_file: Path, expected: type | tuple[type, ...]) -> Entry | None:
    """The cached load of ``entry_file`` (a bank, a library) for ``kind``, or None on any miss; a value
    that is not an instance of ``expected`` is a miss.

    Never raises: an unreadable, damaged, planted or stale entry, or a folder others may write to, is a miss.
    """
    try:
        entry = _lookup(kind, entry_file)
    except Exception:  # a cache that fails in any way is only a miss (see the module's docstring)
        return None
    return entry if entry is not None and isinstance(entry.value, expected) else None


def store(kind: str, entry_file: Path, value: object, files: Sequence[tuple[Path, str]]) -> None:
    """Keep ``value`` (a validated bank or library) as the load of ``entry_file`` that read ``files``
    (each with its ``digest``).

    Does nothing when caching is off, the folder cannot be made private, or the value cannot be
    pickled (it is then simply loaded afresh each time). Never raises.
    """
    try:
        _store(kind, entry_file, value, files)
    except Exception:  # a cache that cannot be written costs only speed
        return


def _lookup(kind: str, entry_file: Path) -> Entry | None:
    root = folder()
    if root is None or not _private(root):
        return None
    raw = _read_own(_entry_path(root, kind, entry_file))
    if raw is None or len(raw) > MAX_ENTRY_BYTES:
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
    value = _Unpickler(io.BytesIO(body)).load()
    with contextlib.suppress(OSError):  # used now: the last to go when the folder is full (a read-only one stays)
        os.utime(_entry_path(root, kind, entry_file))
    return Entry(value, tuple(paths))


def _store(kind: str, entry_file: Path, value: object, files: Sequence[tuple[Path, str]]) -> None:
    root = folder()
    if root is None:
        return
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not _private(root):
        return
    body = pickle.dumps(value, protocol=PROTOCOL)
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
    _evict(root)


# The names _entry_path and _store give files: nothing else in a folder PIPIA_CACHE_DIR names is ever removed.
_ENTRY_NAME = re.compile(r"(bank|library-[A-Za-z0-9_]+)-[0-9a-f]{32}\.pickle")
_TEMPORARY_NAME = re.compile(r"\.entry-[A-Za-z0-9_]+\.tmp")


def _evict(root: Path) -> None:
    """Remove the entries beyond ``MAX_ENTRIES``, least recently used (stored or read) first, and any half-written
    entry older than ``STALE_TEMPORARY_SECONDS``. Only regular files named as this module names them."""
    kept: list[tuple[int, str]] = []
    stale = time.time() - STALE_TEMPORARY_SECONDS
    with os.scandir(root) as found:
        for item in found:
            if not item.is_file(follow_symlinks=False):
                continue
            info = item.stat(follow_symlinks=False)
            if _ENTRY_NAME.fullmatch(item.name):
                kept.append((info.st_mtime_ns, item.path))
            elif _TEMPORARY_NAME.fullmatch(item.name) and info.st_mtime < stale:
                Path(item.path).unlink(missing_ok=True)
    kept.sort()
    for _, path in kept[:max(len(kept) - MAX_ENTRIES, 0)]:
        Path(path).unlink(missing_ok=True)


# What an entry may name besides pipia's own data classes: the values a bank holds that are not models.
_PLAIN: dict[tuple[str, str], type] = {
    ("datetime", "date"): dt.date,
    ("pathlib", "PosixPath"): pathlib.PosixPath,
    ("pathlib", "WindowsPath"): pathlib.WindowsPath,
}


class _Unpickler(pickle.Unpickler):
    """An unpickler that builds values only: a global it is asked for must be one of ``_PLAIN`` or a
    model, dataclass or enum defined in a pipia module already imported. Anything else (``os.system``,
    a function, a class from elsewhere, a module this process has not loaded) stops the load, which
    ``lookup`` takes for a miss."""

    def find_class(self, module: str, name: str) -> Any:
        plain = _PLAIN.get((module, name))
        if plain is not None:
            return plain
        loaded = sys.modules.get(module) if module.partition(".")[0] == "pipia" else None
        found = getattr(loaded, name, None) if loaded is not None and "." not in name else None
        if isinstance(found, type) and found.__module__ == module and (
                issubclass(found, pydantic.BaseModel | enum.Enum) or dataclasses.is_dataclass(found)):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a value a bank holds")


def _read_own(path: Path) -> bytes | None:
    """The bytes of the entry at ``path`` if it is a regular file (not a link) of this user's that no one
    else may write to; None otherwise, or when it cannot be read."""
    try:
        return read_regular(path, MAX_ENTRY_BYTES + 1, follow_links=False, accept=_own)
    except OSError:
        return None


def _own(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to this user and no one else may write to it."""
    if not hasattr(os, "getuid"):  # Windows: a user's cache folder is private by default
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _private(root: Path) -> bool:
    """Whether ``root`` is a folder (not a link) of this user's that no one else may write to."""
    try:
        info = os.lstat(root)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _own(info)


def _entry_path(root: Path, kind: str, entry_file: Path) -> Path:
    # One entry per file loaded, whatever the code: a new version overwrites the old one's entry
    # rather than leaving it behind (the key inside tells them apart).
    name = hashlib.sha256(f"{kind}\n{entry_file.resolve()}".encode()).hexdigest()[:32]
    return root / f"{kind}-{name}.pickle"


_code_identity: str | None = None


def _key(kind: str, entry_file: Path) -> str:
    """What an entry stands for: this code, the kind of load, and the file's absolute path."""
    global _code_identity  # noqa: PLW0603 - computed once per process
    if _code_identity is None:
        # A pickled model is laid out by pydantic and read by this Python: either's upgrade is a new key.
        code = hashlib.sha256(f"{__version__}\n{FORMAT}\n{sys.version}\n{pydantic.VERSION}\n"
                              f"{pydantic_core.__version__}\n".encode())
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
