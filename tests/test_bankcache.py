"""The cache of loaded banks: a second load reads no YAML and validates nothing, gives back the bank a fresh
load makes, and nothing others could have written to it is ever read."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest

from pipia.bank import cache, loader
from pipia.bank.format import LoadedBank
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
    return sorted(folder.glob("bank-*.pickle"))


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


def test_the_cache_keeps_the_most_recently_used_entries_and_nothing_else_is_removed(
        write_bank: WriteBank, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 4)
    paths = [write_bank(BANK.replace("id: cached", f"id: cached{i}"), f"bank{i}.yaml") for i in range(4)]
    for path in paths[:3]:
        load_bank(path)
    entry = [cache._entry_path(cache_dir, "bank", path) for path in paths]
    for age, path in enumerate(entry[:3]):  # stored in turn, long ago; the sources they cite later
        os.utime(path, (100 + age, 100 + age))
    assert len(list(cache_dir.glob("*.pickle"))) == 4  # the three banks and the registry of sources
    cache_dir.joinpath("notes.pickle").write_bytes(b"someone else's")  # in a folder PIPIA_CACHE_DIR names
    cache_dir.joinpath(".entry-x1y2.tmp").write_bytes(b"half written")  # by a process killed long ago
    os.utime(cache_dir / ".entry-x1y2.tmp", (0, 0))
    with pytest.MonkeyPatch.context() as reading:
        no_yaml(reading)
        load_bank(paths[0])  # read from the cache: now the most recently used
    load_bank(paths[3])  # a fifth entry: the least recently used goes
    assert {e.name for e in entries(cache_dir)} == {entry[0].name, entry[2].name, entry[3].name}
    assert len(list(cache_dir.glob("library-*.pickle"))) == 1
    assert cache_dir.joinpath("notes.pickle").exists()
    assert not cache_dir.joinpath(".entry-x1y2.tmp").exists()


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


def rewritten(text: bytes, body: bytes, **header: Any) -> bytes:
    """An entry with another body (its checksum made to fit) and header fields changed."""
    head = json.loads(text.partition(b"\n")[0])
    return json.dumps({**head, "sha256": cache.digest(body), **header}).encode() + b"\n" + body


class Remove:
    """A pickle that, unpickled by a plain unpickler, removes ``path``: what a planted entry could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return os.remove, (str(self.path),)


def damaged(text: bytes, victim: Path) -> list[bytes]:
    head, _, body = text.partition(b"\n")
    return [
        b"",  # emptied
        text[: len(text) // 2],  # cut short
        head + b"\n" + body.replace(b"Cached", b"Forged"),  # changed without its checksum
        b"\x00\xff" * 1000,  # not text
        b"[" * 100_000 + b"\n" + b"[" * 100_000,  # nested past any recursion limit
        rewritten(text, body[: len(body) // 2]),  # a checksum that fits a pickle cut short
        rewritten(text, pickle.dumps({"bank": "not a bank"})),  # a value of another kind
        rewritten(text, pickle.dumps(Remove(victim))),  # a pickle that would run code
        rewritten(text, body, key="another"),  # written by other code
        rewritten(text, body, files=[["/dev/zero", "0" * 64]]),
        rewritten(text, body, format=1),  # the former format: the data as read, in JSON
    ]


@pytest.mark.parametrize("case", range(11))
def test_a_damaged_entry_is_a_miss_never_a_crash_nor_another_bank(
        write_bank: WriteBank, cache_dir: Path, tmp_path: Path, case: int) -> None:
    path = write_bank(BANK)
    fresh = load_bank(path)
    [entry] = entries(cache_dir)
    victim = tmp_path / "victim"
    victim.write_text("still here")
    entry.write_bytes(damaged(entry.read_bytes(), victim)[case])
    loader._library_cache.clear()
    assert load_bank(path) == fresh
    assert victim.exists()


@pytest.mark.parametrize(("module", "name"), [
    ("os", "system"), ("builtins", "eval"), ("subprocess", "Popen"),
    ("pipia.bank.loader", "load_bank"),  # a function of pipia's
    ("pipia.errors", "PipiaError"),  # a class of pipia's that is not a value a bank holds
    ("pipia.bank.format", "Bank.model_validate"),  # an attribute reached through a class
    ("pipia.report.render", "Renderer"),  # a module this process need not have imported
])
def test_the_unpickler_builds_only_pipias_values(module: str, name: str) -> None:
    with pytest.raises(pickle.UnpicklingError):
        cache._Unpickler(__import__("io").BytesIO(b"")).find_class(module, name)


def test_the_unpickler_builds_pipias_models_dataclasses_dates_and_paths() -> None:
    from pipia.bank.conditions import Compare  # noqa: PLC0415
    from pipia.bank.format import Bank  # noqa: PLC0415

    unpickler = cache._Unpickler(__import__("io").BytesIO(b""))
    assert unpickler.find_class("pipia.bank.format", "Bank") is Bank
    assert unpickler.find_class("pipia.bank.format", "LoadedBank") is LoadedBank
    assert unpickler.find_class("pipia.bank.conditions", "Compare") is Compare
    assert unpickler.find_class("datetime", "date").__name__ == "date"


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


def planted(entry: Path, title: str) -> None:
    """Put in ``entry`` the bank it holds with another title, its checksum fitting."""
    text = entry.read_bytes()
    stored = pickle.loads(text.partition(b"\n")[2])
    bank = stored.bank.model_copy(update={"title": stored.bank.title.model_copy(update={"en": title})})
    entry.write_bytes(rewritten(text, pickle.dumps(LoadedBank(bank, stored.sources, stored.destinations,
                                                              stored.path, stored.files))))


def test_a_folder_others_may_write_to_is_neither_read_nor_written(
        write_bank: WriteBank, cache_dir: Path) -> None:
    path = write_bank(BANK)
    load_bank(path)
    [entry] = entries(cache_dir)
    planted(entry, "Planted")
    cache_dir.chmod(0o777)  # anyone could have planted that entry
    loader._library_cache.clear()
    assert load_bank(path).bank.title.en == "Cached"
    entry.unlink()
    load_bank(path)
    assert entries(cache_dir) == []


def test_an_entry_others_may_write_to_or_a_link_is_not_read(write_bank: WriteBank, cache_dir: Path) -> None:
    path = write_bank(BANK)
    load_bank(path)
    [entry] = entries(cache_dir)
    planted(entry, "Planted")
    entry.chmod(0o666)
    assert load_bank(path).bank.title.en == "Cached"
    planted(entry, "Planted")  # the load above wrote the entry again
    entry.chmod(0o600)
    elsewhere = entry.with_name("elsewhere")
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert load_bank(path).bank.title.en == "Cached"


def test_the_users_own_entry_is_what_the_load_gives(write_bank: WriteBank, cache_dir: Path) -> None:
    # The converse of the tests above, and why they matter: a hit is not validated again, so the
    # entry's owner is trusted as much as the bank files are.
    path = write_bank(BANK)
    load_bank(path)
    [entry] = entries(cache_dir)
    planted(entry, "Planted")
    assert load_bank(path).bank.title.en == "Planted"


def test_a_value_that_cannot_be_pickled_is_not_cached(tmp_path: Path, cache_dir: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text("id: x\n")
    cache.store("bank", bank, lambda: None, [(bank, cache.digest(bank.read_bytes()))])
    assert list(cache_dir.glob("*.pickle")) == []


def test_a_cached_bank_is_what_a_fresh_load_makes_and_its_models_still_refuse_bad_input(
        tmp_path: Path) -> None:
    # In a process of its own, as a command runs: the bank comes from the cache, its models' validators
    # are not built for it, and it is frozen; a new bank validated afterwards is checked as strictly as ever.
    script = """
import sys
import pydantic
from pipia.bank import loader
from pipia.bank.format import Bank, Question
from pipia.files.resources import shipped_banks

path = shipped_banks()[0]
cached = loader._cached_bank(path)
assert cached is not None, "not in the cache"
assert not Bank.__pydantic_complete__ and not Question.__pydantic_complete__, "validated again"
try:
    cached.bank.id = "changed"
except pydantic.ValidationError:
    pass
else:
    raise AssertionError("a cached bank is not frozen")
question = cached.bank.sections[0].questions[0].model_dump(exclude_defaults=True)
for bad in ({**question, "typo": 1}, {**question, "type": "no_such_type"}, {**question, "id": 7}):
    try:
        Question.model_validate(bad)
    except pydantic.ValidationError:
        continue
    raise AssertionError(f"accepted {bad}")
loader._library_cache.clear()
import os
os.environ["PIPIA_CACHE_DIR"] = ""
assert loader.load_bank(path) == cached
"""
    env = {**os.environ, "PIPIA_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", "from pipia.bank import loader\n"
                    "from pipia.files.resources import shipped_banks\nloader.load_bank(shipped_banks()[0])"],
                   check=True, env=env)
    done = subprocess.run([sys.executable, "-c", script], check=False, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


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


def test_an_entry_stands_for_the_versions_of_python_and_pydantic_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A pickled model is laid out by pydantic: after an upgrade, an entry written before is a miss.
    bank = tmp_path / "bank.yaml"
    monkeypatch.setattr(cache, "_code_identity", None)
    before = cache._key("bank", bank)
    monkeypatch.setattr(cache, "_code_identity", None)
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert cache._key("bank", bank) != before


def test_a_model_comes_back_from_a_pickle_equal_and_frozen_whichever_state_pydantic_or_pipia_wrote() -> None:
    from pipia.i18n import Localized  # noqa: PLC0415

    text = Localized.of("缓存", "Cached")
    again = pickle.loads(pickle.dumps(text))
    assert again == text and again.model_fields_set == {"zh", "en"}
    with pytest.raises(pydantic.ValidationError):
        again.zh = "改"
    by_pydantic = Localized.__new__(Localized)
    by_pydantic.__setstate__(pydantic.BaseModel.__getstate__(text))
    assert by_pydantic == text
