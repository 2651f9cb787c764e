"""What a rerun of the app does not do again: look for the open assessment's bank among the bank files, ask the
store for the revision its own save has just stored, and what it does again only when what it kept no longer
holds."""

from __future__ import annotations

import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipia.bank import loader
from pipia.errors import NotFoundError
from pipia.store import Store
from pipia.ui import session

from .app_support import APP_BANK, App, answered, create, goto, run, store
from .spy_support import Calls


@pytest.fixture
def banks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of own banks (PIPIA_BANKS) holding a copy of the app tests' bank, id ``app-test``."""
    folder = tmp_path / "banks"
    shutil.copytree(APP_BANK, folder)
    monkeypatch.setenv(session.BANKS_VAR, str(folder))
    return folder


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bank ids looked for among the bank files, one entry per search."""
    found: list[str] = []
    real = loader.find_bank_by_id

    def counted(bank_id: str, search: tuple[Path, ...]) -> Path:
        found.append(bank_id)
        return real(bank_id, search)

    monkeypatch.setattr(session, "find_bank_by_id", counted)
    return found


def retitled(path: Path, title: str) -> str:
    return path.read_text(encoding="utf-8").replace("en: App test bank}", f"en: {title}}}", 1)


def test_a_bank_is_looked_for_once_while_its_file_and_folders_stay_as_they_were(
        banks: Path, searches: list[str]) -> None:
    first = session.bank("app-test")
    for _ in range(3):
        assert session.bank("app-test") is first
    assert searches == ["app-test"], "each call read the start of every bank file again"


def test_an_edited_bank_file_is_loaded_again_never_served_as_it_was(banks: Path, searches: list[str]) -> None:
    assert session.bank("app-test").bank.title.en == "App test bank"
    bank_file = banks / "bank.yaml"
    bank_file.write_text(retitled(bank_file, "Edited in place"), encoding="utf-8")
    assert session.bank("app-test").bank.title.en == "Edited in place"
    # As an editor saves: a new file of the same length renamed over the old one, its time of change put
    # back to the old file's.
    before = bank_file.stat()
    replacement = banks / "bank.yaml.new"
    replacement.write_text(bank_file.read_text(encoding="utf-8").replace("Edited in place", "Saved by rename"),
                           encoding="utf-8")
    assert replacement.stat().st_size == before.st_size
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    replacement.replace(bank_file)
    assert session.bank("app-test").bank.title.en == "Saved by rename"


def test_a_bank_file_added_or_removed_in_a_folder_makes_the_search_run_again(banks: Path, searches: list[str]) -> None:
    session.bank("app-test")
    # Files are searched in name order: one named before bank.yaml, declaring the same id, now comes first.
    (banks / "a-first.yaml").write_text(retitled(banks / "bank.yaml", "Found first"), encoding="utf-8")
    assert session.bank("app-test").bank.title.en == "Found first"
    (banks / "a-first.yaml").unlink()
    (banks / "bank.yaml").unlink()
    with pytest.raises(NotFoundError):
        session.bank("app-test")
    assert searches == ["app-test"] * 3


def test_a_rerun_of_the_recipient_section_works_out_the_evaluation_once_however_many_recipients(
        app: App, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch names every recipient: each name is read from one evaluation looked up once per rerun."""
    lookups: list[int] = []
    real = session.evaluation

    def counted(*args: object) -> object:
        lookups.append(1)
        return real(*args)  # type: ignore[arg-type]

    def rerun_with(recipients: int) -> int:
        assessment = answered(data_dir)
        with store() as s:
            current = s.get(assessment)
            grown = current.answers
            while len(grown.items("recipients")) < recipients:
                grown = grown.with_item("recipients")
            s.save(assessment, grown, current.revision)
        at: AppTest = goto(app({"a": assessment}), "questionnaire")
        at.radio(key="pipia-section").set_value("recipient")
        run(at)
        lookups.clear()
        run(at)
        return len(lookups)

    monkeypatch.setattr(session, "evaluation", counted)
    assert rerun_with(2) == rerun_with(12)


def test_a_run_that_saved_an_answer_does_not_ask_the_store_again_which_revision_is_current(
        app: App, calls: Calls) -> None:
    """The save has just been told; the next run, which saved nothing, asks (another window may have saved)."""
    at = app()
    create(at)
    asked = calls(Store, "current_revision")
    at.radio(key="w-processor_is_ciio").set_value("no")
    run(at)
    assert asked == []
    run(at)
    assert len(asked) == 1


def test_the_store_is_opened_once_per_database_however_many_sessions_ask_at_once(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    ready = threading.Barrier(4)

    def slow(url: str) -> Store:
        opened.append(url)
        time.sleep(0.05)  # long enough for the other sessions to ask meanwhile
        return Store(url)

    def ask(_: int) -> Store:
        ready.wait()
        return session.base_store()

    monkeypatch.setattr(session, "Store", slow)
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(ask, range(4)))
    assert len(opened) == 1
    assert all(found is stores[0] for found in stores)
    assert session.base_store() is stores[0]
