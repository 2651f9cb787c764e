"""The .docx archive writer: the archive Python's zipfile writes, from members compressed beforehand."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipia.report import docxzip

WHEN = (2026, 11, 30, 23, 59, 58)
CONTENTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w:t>评估报告</w:t>".encode() * 500,
            "empty.xml": b"", "word/média.png": bytes(range(256)) * 40}


def test_an_archive_is_byte_for_byte_what_zipfile_writes_for_the_same_members() -> None:
    theirs = io.BytesIO()
    with zipfile.ZipFile(theirs, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in CONTENTS.items():
            info = zipfile.ZipInfo(name, WHEN)  # as writestr names a member given by name, stamped WHEN
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            package.writestr(info, data)
    ours = docxzip.archive([docxzip.member(name, data) for name, data in CONTENTS.items()], WHEN)
    assert ours == theirs.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours)) as package:
        assert package.testzip() is None
        assert {name: package.read(name) for name in package.namelist()} == CONTENTS


def test_a_member_compressed_once_can_be_written_in_any_number_of_archives() -> None:
    styles = docxzip.member("word/styles.xml", b"<w:styles/>" * 1000)
    for other in (b"one", b"two"):
        archive = docxzip.archive([docxzip.member("word/document.xml", other), styles])
        with zipfile.ZipFile(io.BytesIO(archive)) as package:
            assert package.read("word/styles.xml") == b"<w:styles/>" * 1000
            assert package.read("word/document.xml") == other


def test_an_archive_that_would_need_zip64_is_refused() -> None:
    huge = docxzip.Member("huge.xml", 0, docxzip.MAX_BYTES + 1, b"")
    with pytest.raises(ValueError, match="zip64"):
        docxzip.archive([huge])
