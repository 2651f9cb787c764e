"""Writing a .docx's zip archive from members compressed beforehand, so that a part no report changes
(the template's styles, theme, fonts...) is compressed once per process rather than once per report.

Python's ``zipfile`` has no public way to add a member already compressed, so the archive is written
here, field for field as ``zipfile`` writes a ``writestr`` member to a seekable file: the same deflate
stream (zlib's default level, raw), the same local and central headers (version 2.0, Unix, mode 0600),
no data descriptors. Archives needing zip64 (a member of 4 GiB, 65,535 members) are refused with
ValueError; a report is far from either.
"""

from __future__ import annotations

import struct
import sys
import time
import zlib
from collections.abc import Sequence
from typing import NamedTuple

# The limits of a zip archive without its zip64 extension (as zipfile's ZIP64_LIMIT, ZIP_FILECOUNT_LIMIT).
MAX_BYTES = (1 << 31) - 1
MAX_MEMBERS = (1 << 16) - 1

_VERSION = 20  # "2.0": deflate, what zipfile writes for a deflated member
_DEFLATED = 8
_SYSTEM = 0 if sys.platform == "win32" else 3  # as zipfile.ZipInfo's create_system
_MODE = 0o600 << 16  # what zipfile.writestr gives a member named by a string
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


class Member(NamedTuple):
    """One member of the archive: its name, the CRC-32 and size of its bytes, and those bytes deflated."""

    name: str
    crc: int
    size: int
    deflated: bytes


def member(name: str, data: bytes) -> Member:
    """``data`` as the member ``name``, deflated as ``zipfile`` deflates it (zlib's default level, raw stream)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def archive(members: Sequence[Member], date_time: tuple[int, int, int, int, int, int] | None = None) -> bytes:
    """The zip archive of ``members`` in order, each stamped ``date_time`` (local time now when None).

    Raises ValueError when the archive would need zip64 (see the module's docstring).
    """
    if len(members) > MAX_MEMBERS or any(max(m.size, len(m.deflated)) > MAX_BYTES for m in members):
        raise ValueError("the archive is too large to be written without zip64")
    year, month, day, hour, minute, second = date_time or time.localtime()[:6]
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        try:
            name, flags = m.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = m.name.encode("utf-8"), 0x800  # the name is UTF-8
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, dos_time, dos_date, m.crc,
                             len(m.deflated), m.size, len(name), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, _DEFLATED, dos_time,
                                     dos_date, m.crc, len(m.deflated), m.size, len(name), 0, 0, 0, 0, _MODE,
                                     offset) + name)
        chunks += (header, name, m.deflated)
        offset += len(header) + len(name) + len(m.deflated)
    directory = b"".join(central)
    if offset + len(directory) > MAX_BYTES:
        raise ValueError("the archive is too large to be written without zip64")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
