"""The cache of loaded banks: a second load reads no YAML, and nothing in the cache can change a bank."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipia.bank import cache, loader
from pipia.bank.loader import load_bank
from pipia.errors import BankError
from pipia.files.resources import shipped_banks

from .bank_support import WriteBank

BANK = """\
id: cached
version: "1"
title: {zh: 缓存, en: Cached}
sections:
  - id: s1
    title: {zh: 一, en: One}
    questions:
      - id: q1
        type: yes_no
        text: {zh: 问题?, en: Question?}
        cites: ["pipl:13"]
      - id: q2
        type: date
        text: {zh: 日期?, en: When?}
        cites: ["pipl:39"]
        show_if: {question: q1, equals: "yes"}
"""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PIPIA_CACHE_DIR", str(folder))
    loader._library_cache.clear()  # libraries are also kept per process: start each test without them
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("bank-*.json"))


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML read fail, so a load that succeeds came from the cache."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read a YAML file although the cache holds the bank")

    monkeypatch.setattr(loader, "read_file", refuse)
    loader._library_cache.clear()


def test_a_second_load_reads_no_yaml_and_gives_the_same_bank(
        write_bank: WriteBank, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_bank(BANK)
    fresh = load_bank(path)
    assert len(entries(cache_dir)) == 1
    no_yaml(monkeypatch)
    assert load_bank(path) == fresh


def test_shipped_banks_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for bank in shipped_banks():
        monkeypatch.setenv("PIPIA_CACHE_DIR", "")
        loader._library_cache.clear()
        fresh = load_bank(bank)
        monkeypatch.setenv("PIPIA_CACHE_DIR", str(tmp_path / "shipped"))
        load_bank(bank)
        cached = loader._cached_bank(bank)
        assert cached == fresh, bank.name


def test_caching_can_be_turned_off(write_bank: WriteBank, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPIA_CACHE_DIR", "")
    load_bank(write_bank(BANK))
    assert not cache_dir.exists()


def test_a_changed_bank_file_is_read_again(write_bank: WriteBank) -> None:
    path = write_bank(BANK)
    load_bank(path)
    write_bank(BANK.replace("Cached", "Changed"))
    assert load_bank(path).bank.title.en == "Changed"


def test_a_changed_library_is_read_again_and_its_problems_reported(write_bank: WriteBank, tmp_path: Path) -> None:
    path = write_bank(BANK)
    load_bank(path)
    sources = tmp_path / "library" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace('id: "13"', 'id: "14"'), encoding="utf-8")
    with pytest.raises(BankError, match="pipl:13"):
        load_bank(path)


def test_a_changed_base_bank_is_read_again(write_bank: WriteBank) -> None:
    write_bank(BANK, "base.yaml")
    derived = write_bank('id: derived\nversion: "2"\nextends: cached\n', "derived.yaml")
    assert load_bank(derived).bank.title.en == "Cached"
    write_bank(BANK.replace("Cached", "Based anew"), "base.yaml")
    assert load_bank(derived).bank.title.en == "Based anew"


def test_a_bank_with_errors_is_never_cached(write_bank: WriteBank, cache_dir: Path) -> None:
    path = write_bank(BANK.replace("pipl:13", "pipl:99"))
    for _ in range(2):
        with pytest.raises(BankError, match="pipl:99"):
            load_bank(path)
    assert entries(cache_dir) == []


def damaged(text: bytes) -> list[bytes]:
    head, _, body = text.partition(b"\n")
    header = json.loads(head)
    forged_body = body.replace(b'"Cached"', b'"Forged"')
    forged = json.dumps({**header, "sha256": cache.digest(forged_body)}).encode() + b"\n" + forged_body
    invalid_body = body.replace(b'"type":"yes_no"', b'"type":"no_such_type"')
    invalid = json.dumps({**header, "sha256": cache.digest(invalid_body)}).encode() + b"\n" + invalid_body
    return [
        b"",  # emptied
        text[: len(text) // 2],  # cut short
        head + b"\n" + body.replace(b'"Cached"', b'"Forged"'),  # changed without its checksum
        b"\x00\xff" * 1000,  # not text
        b"[" * 100_000 + b"\n" + b"[" * 100_000,  # nested past any recursion limit
        head + b"\n" + json.dumps({"$date": "not a date"}).encode(),
        invalid,  # a checksum that fits, data the models refuse
        json.dumps({**header, "key": "another"}).encode() + b"\n" + forged_body,  # written by other code
        json.dumps({**header, "files": [["/dev/zero", "0" * 64]]}).encode() + b"\n" + body,
        forged.replace(b'"format": 1', b'"format": 99'),
    ]


@pytest.mark.parametrize("case", range(10))
def test_a_damaged_entry_is_a_miss_never_a_crash_nor_another_bank(
        write_bank: WriteBank, cache_dir: Path, case: int) -> None:
    path = write_bank(BANK)
    fresh = load_bank(path)
    [entry] = entries(cache_dir)
    entry.write_bytes(damaged(entry.read_bytes())[case])
    loader._library_cache.clear()
    assert load_bank(path) == fresh


def test_an_entry_that_is_a_pipe_or_a_device_is_a_miss(write_bank: WriteBank, cache_dir: Path) -> None:
    path = write_bank(BANK)
    fresh = load_bank(path)
    [entry] = entries(cache_dir)
    entry.unlink()
    os.mkfifo(entry)  # opening a pipe for reading would wait for a writer forever
    assert load_bank(path) == fresh
    entry.unlink()
    entry.symlink_to("/dev/zero")  # reading a device never ends
    assert load_bank(path) == fresh


def test_a_folder_others_may_write_to_is_neither_read_nor_written(
        write_bank: WriteBank, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_bank(BANK)
    load_bank(path)
    [entry] = entries(cache_dir)
    head, _, body = entry.read_bytes().partition(b"\n")
    forged_body = body.replace(b'"Cached"', b'"Planted"')
    header = {**json.loads(head), "sha256": cache.digest(forged_body)}
    entry.write_bytes(json.dumps(header).encode() + b"\n" + forged_body)
    cache_dir.chmod(0o777)  # anyone could have planted that entry
    loader._library_cache.clear()
    assert load_bank(path).bank.title.en == "Cached"
    entry.unlink()
    load_bank(path)
    assert entries(cache_dir) == []


def test_data_json_cannot_give_back_equal_is_not_cached() -> None:
    import datetime as dt  # noqa: PLC0415

    for value in ({1: "a number as a key"}, {"at": dt.datetime(2025, 1, 1, 12, 0)}, {"$date": "2025-01-01"},
                  {"t": (1, 2)}):
        with pytest.raises(cache._Unsuitable):
            cache._plain(value)
    assert cache._plain({"d": dt.date(2025, 1, 2)}) == {"d": {"$date": "2025-01-02"}}


def test_the_code_an_entry_stands_for_is_every_module_but_those_that_only_use_loaded_banks(tmp_path: Path) -> None:
    package = tmp_path / "pipia"
    for name in ("__init__.py", "model.py", "bank/loader.py", "bank/ui/widgets.py", "route/rules.py",
                 "ui/shell.py", "report/render.py", "bank/__pycache__/loader.py", "locale/zh/pipia.po"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("")
    # A folder is left out only at the top of the package, where cache.NOT_CODE names the shells.
    assert sorted(relative for relative, _ in cache._code_files(package)) == [
        "__init__.py", "bank/loader.py", "bank/ui/widgets.py", "model.py", "route/rules.py"]
    assert all(Path(path).is_file() for _, path in cache._code_files(package))
