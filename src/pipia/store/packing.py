"""Revisions stored compactly: each one compressed, most of them against an earlier full copy.

An edit changes one answer of a 17 KB answers text, so storing each revision whole made a database of
10,000 edits some 300 MB. A revision is either a *full copy* (the text compressed with zlib) or a
*delta*: the text compressed with zlib using the assessment's latest full copy as the preset
dictionary, so everything the two share costs a few bytes of back-reference. zlib (the standard
library's, stable since 1995) does the work; what is ours is only the choice of dictionary.

Format: one byte of kind (``FULL`` or ``DELTA``), then zlib's stream. A delta names its full copy in the
revision row's ``base`` column; the full copy must be kept as long as a delta uses it (see prune).
"""

from __future__ import annotations

import zlib

from pipia.store.errors import StoreError

FULL = b"\x01"
DELTA = b"\x02"
# A new full copy every this many revisions: reading a revision decompresses at most two texts, and
# a delta stays small even after many answers have changed since its full copy.
FULL_EVERY = 50
LEVEL = 6
# zlib looks back at most 32 KB: a dictionary beyond that adds nothing, so only its end is used.
WINDOW = 32 * 1024


def pack_full(text: str) -> bytes:
    """A revision's text stored whole: the FULL marker and the zlib-compressed UTF-8 text."""
    return FULL + zlib.compress(text.encode("utf-8"), LEVEL)


def pack_delta(text: str, base: str) -> bytes:
    """``text`` compressed against ``base`` (the full copy's text)."""
    packer = zlib.compressobj(LEVEL, zdict=_dictionary(base))
    return DELTA + packer.compress(text.encode("utf-8")) + packer.flush()


def unpack(packed: bytes, base: str | None = None) -> str:
    """The text back; ``base`` is the full copy's text, needed for a delta. StoreError when damaged."""
    kind, body = bytes(packed[:1]), bytes(packed[1:])
    try:
        if kind == FULL:
            return zlib.decompress(body).decode("utf-8")
        if kind == DELTA and base is not None:
            unpacker = zlib.decompressobj(zdict=_dictionary(base))
            return (unpacker.decompress(body) + unpacker.flush()).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise StoreError(f"a stored revision cannot be read back: {exc}") from exc
    raise StoreError("a stored revision cannot be read back: unknown format or missing full copy")


def is_full(packed: bytes) -> bool:
    """Whether a packed revision is stored whole (not as a delta on another)."""
    return bytes(packed[:1]) == FULL


def _dictionary(base: str) -> bytes:
    return base.encode("utf-8")[-WINDOW:]
