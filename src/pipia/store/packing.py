"""Revisions stored compactly: each one compressed, most of them against an earlier full copy.

An edit changes one answer of a 17 KB answers text, so storing each revision whole made a database of
10,000 edits some 300 MB. A revision is either a *full copy* (the text compressed with zlib) or a
*delta*: the text compressed with zlib using the assessment's latest full copy as the preset
dictionary, so everything the two share costs a few bytes of back-reference. zlib (the standard
library's, stable since 1995) does the work; what is ours is only the choice of dictionary.

A delta is written as a *splice*: most saves change one answer, so the text and its full copy share all but
one stretch. What they share at the start and at the end is stored as two lengths, and only the stretch
between, compressed with the full copy's own stretch as the dictionary. Compressing the whole text against
the full copy cost as much as compressing it (about 3 ms for an assessment of fifty recipients, 260 KB),
at every save; the stretch costs what the edit does. Deltas written before (``DELTA``) still read back.

Format: one byte of kind (``FULL``, ``DELTA`` or ``SPLICE``), then for a splice the two shared lengths (in
characters, 4 bytes each, big-endian), then zlib's stream. A delta names its full copy in the revision
row's ``base`` column; the full copy must be kept as long as a delta uses it (see prune).
"""

from __future__ import annotations

import struct
import zlib

from pipia.store.errors import StoreError

FULL = b"\x01"
DELTA = b"\x02"  # the whole text compressed against the full copy: read, no longer written
SPLICE = b"\x03"
_LENGTHS = struct.Struct(">II")  # a splice's shared start and shared end, in characters
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
    """``text`` stored against ``base`` (the full copy's text): the lengths of what they share at the start
    and the end, and the stretch of ``text`` between, compressed with ``base``'s stretch as dictionary.

    When that stretch is most of the text (recipients added since the full copy), ``text`` is stored whole
    instead (``is_full`` tells): the next saves are then deltas against it, each as small as its edit, rather
    than each storing the same large stretch again until the next full copy is due.
    """
    start, end = shared_ends(text, base)
    if len(text) - start - end > len(text) // 2:
        return pack_full(text)
    packer = _compressor(base[start:len(base) - end])
    stretch = text[start:len(text) - end].encode("utf-8")
    return SPLICE + _LENGTHS.pack(start, end) + packer.compress(stretch) + packer.flush()


def unpack(packed: bytes, base: str | None = None) -> str:
    """The text back; ``base`` is the full copy's text, needed for a delta. StoreError when damaged."""
    kind, body = bytes(packed[:1]), bytes(packed[1:])
    try:
        if kind == FULL:
            return zlib.decompress(body).decode("utf-8")
        if kind == SPLICE and base is not None:
            start, end = _LENGTHS.unpack(body[:_LENGTHS.size])
            if start + end <= len(base):
                unpacker = _decompressor(base[start:len(base) - end])
                stretch = unpacker.decompress(body[_LENGTHS.size:]) + unpacker.flush()
                if unpacker.eof:  # a cut stream decompresses in part without a word: it must have ended
                    return base[:start] + stretch.decode("utf-8") + base[len(base) - end:]
        if kind == DELTA and base is not None:
            unpacker = zlib.decompressobj(zdict=_dictionary(base))
            return (unpacker.decompress(body) + unpacker.flush()).decode("utf-8")
    except (zlib.error, UnicodeDecodeError, struct.error) as exc:
        raise StoreError(f"a stored revision cannot be read back: {exc}") from exc
    raise StoreError("a stored revision cannot be read back: unknown format or missing full copy")


def is_full(packed: bytes) -> bool:
    """Whether a packed revision is stored whole (not as a delta on another)."""
    return bytes(packed[:1]) == FULL


def _dictionary(base: str) -> bytes:
    return base.encode("utf-8")[-WINDOW:]


def _compressor(dictionary: str) -> zlib._Compress:
    return zlib.compressobj(LEVEL, zdict=_dictionary(dictionary)) if dictionary else zlib.compressobj(LEVEL)


def _decompressor(dictionary: str) -> zlib._Decompress:
    return zlib.decompressobj(zdict=_dictionary(dictionary)) if dictionary else zlib.decompressobj()


def shared_ends(a: str, b: str) -> tuple[int, int]:
    """How many characters ``a`` and ``b`` share at their start, and then at their end: the stretches do not
    overlap, so ``a[start:len(a) - end]`` and ``b[start:len(b) - end]`` are where they differ."""
    start = _shared_start(a, b)
    return start, _shared_end(a, b, min(len(a), len(b)) - start)


def _shared_start(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start, found by halving (each step compares only the
    stretch not yet known: about twice the shorter text is compared in all)."""
    low, high = 0, min(len(a), len(b))
    if a.startswith(b[:high]):
        return high
    while high - low > 1:  # a[:low] == b[:low], a[:high] != b[:high]
        middle = (low + high) // 2
        if a.startswith(b[low:middle], low):
            low = middle
        else:
            high = middle
    return low


def _shared_end(a: str, b: str, most: int) -> int:
    """How many characters, ``most`` at the most, ``a`` and ``b`` share at their end: halving as _shared_start
    does, from the end (rather than on reversed copies of two texts of some 160 KB each)."""
    low, high = 0, most
    if a.endswith(b[len(b) - high:]):
        return high
    while high - low > 1:  # the last low characters are shared, the last high are not
        middle = (low + high) // 2
        if a.endswith(b[len(b) - middle:len(b) - low], 0, len(a) - low):
            low = middle
        else:
            high = middle
    return low
