"""The store: assessments are never lost, two tabs never overwrite each other, history can be compared
and restored. Every test runs on SQLite, and on PostgreSQL too when PIPIA_TEST_POSTGRES_URL is set
(each test in a schema of its own, dropped afterwards)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers, Response
from pipia.errors import NotFoundError
from pipia.model import Kept
from pipia.store import (
    MIGRATIONS,
    Change,
    ConflictError,
    DamagedAnswersError,
    Directory,
    Migration,
    SchemaTooNewError,
    Store,
    StoreError,
    StoreUnavailableError,
    UnknownAssessmentError,
    UnknownRevisionError,
    UserStore,
    merge,
    packing,
)
from pipia.store import assessments as store_assessments
from pipia.store import codec as store_codec
from pipia.store.codec import decode, encode
from pipia.store.database import checkpoint
from pipia.store.records import Assessment
from pipia.team.actions import ActionRecord

from .store_support import answers

SRC = Path(__file__).resolve().parents[1] / "src"


# -- creating, reading, listing ------------------------------------------------------------------------
def test_a_created_assessment_reads_back_exactly_and_starts_at_revision_1(store: Store) -> None:
    created = store.create(answers(), title="Acme 2026")
    got = store.get(created.id)
    assert got == created
    assert got.revision == 1
    assert got.title == got.answers.meta.title == "Acme 2026"
    assert got.answers.value("dpo_appointed_on") == dt.date(2024, 5, 1)  # a date, not "2024-05-01"
    assert got.created_at.tzinfo is not None


def test_the_list_shows_what_the_list_page_needs_without_recomputing(store: Store) -> None:
    created = store.create(answers(), completeness=(3, 10), risk="medium")
    [line] = store.list_assessments()
    assert (line.id, line.organisation, line.bank_id, line.bank_version) == (created.id, "示例公司", "tiny", "1.0")
    assert (line.completeness, line.risk) == ((3, 10), "medium")
    assert line.updated_at == created.updated_at


def test_the_list_shows_the_latest_change_first(store: Store) -> None:
    first = store.create(answers())
    second = store.create(answers())
    store.save(first.id, first.answers.with_value("consent", False), first.revision)
    assert [s.id for s in store.list_assessments()] == [first.id, second.id]


def test_archived_assessments_are_hidden_unless_asked_for(store: Store) -> None:
    kept, archived = store.create(answers()), store.create(answers())
    store.archive(archived.id)
    assert [s.id for s in store.list_assessments()] == [kept.id]
    assert {s.id for s in store.list_assessments(include_archived=True)} == {kept.id, archived.id}
    store.unarchive(archived.id)
    assert len(store.list_assessments()) == 2


def test_the_list_pages_show_every_assessment_once_in_the_lists_order(store: Store) -> None:
    made = [store.create(answers(), title=f"Assessment {i:02d}") for i in range(7)]
    store.archive(made[3].id)
    for archived in (False, True):
        whole = [s.id for s in store.list_assessments(include_archived=archived)]
        pages = [store.list_page(start=start, count=3, include_archived=archived) for start in range(0, 9, 3)]
        assert [s.id for page in pages for s in page.rows] == whole
        assert {(page.matching, page.stored) for page in pages} == {(len(whole), 7)}


def test_a_search_pages_through_the_assessments_whose_every_word_it_finds_ignoring_case(store: Store) -> None:
    for title in ("Acme Paris", "acme LYON", "Globex Paris", "ACME paris 2"):
        store.create(answers(), title=title)
    found = store.list_page(query="paris acme", count=1)
    assert (found.matching, found.stored, [s.title for s in found.rows]) == (2, 4, ["ACME paris 2"])
    assert [s.title for s in store.list_page(query="PARIS  Acme", start=1, count=1).rows] == ["Acme Paris"]
    assert store.list_page(query="示例公司 tiny", count=10).matching == 4  # organisation and bank id are searched
    assert store.list_page(query="nowhere").rows == []


def test_asking_for_an_unknown_assessment_is_a_not_found_error(store: Store) -> None:
    for operation in (store.get, store.archive, store.delete, store.revisions,
                      lambda i: store.save(i, answers(), 1)):
        with pytest.raises(UnknownAssessmentError) as caught:
            operation("nope")
        assert isinstance(caught.value, NotFoundError)


def test_an_answer_that_cannot_be_stored_is_refused_and_nothing_is_written(store: Store) -> None:
    created = store.create(answers())
    with pytest.raises(StoreError, match=r"answers\.consent: a bytes cannot be stored"):
        store.save(created.id, created.answers.with_value("consent", b"\x00"), created.revision)
    assert store.get(created.id) == created


# -- autosave and history ------------------------------------------------------------------------------
def test_every_change_is_saved_as_a_new_revision(store: Store) -> None:
    current = store.create(answers())
    for value in ("a", "b", "c"):
        current = store.save(current.id, current.answers.with_value("why_not", value), current.revision,
                             completeness=(1, 2), risk="low")
    assert current.revision == 4
    assert store.get(current.id).answers.value("why_not") == "c"
    assert [r.revision for r in store.revisions(current.id)] == [4, 3, 2, 1]
    assert store.answers_at(current.id, 2).value("why_not") == "a"
    assert (current.completeness, current.risk) == ((1, 2), "low")


def test_a_save_that_changes_nothing_makes_no_revision(store: Store) -> None:
    created = store.create(answers(), completeness=(3, 10), risk="high")
    again = store.save(created.id, answers(), created.revision)
    assert again.revision == 1
    assert len(store.revisions(created.id)) == 1
    assert (again.completeness, again.risk) == ((3, 10), "high")  # nothing changed, so the summary holds
    reordered = answers(answers=dict(reversed(list(answers().answers.items()))))
    assert store.save(created.id, reordered, created.revision).revision == 1


def test_a_save_tells_changed_answers_from_the_same_ones_without_reading_the_stored_answers_back(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stored answers back into their model costs as much as the save itself, and grows with every
    overseas recipient: a save compares the stored text as data instead, whatever order it was built in."""
    created = store.create(answers(answers={"why_not": "aaaa", "consent": True}))

    def refused(text: str) -> Answers:
        raise AssertionError("the stored answers were read back")

    monkeypatch.setattr(store_assessments, "decode", refused)
    same_length = store.save(created.id, created.answers.with_value("why_not", "bbbb"), created.revision)
    assert same_length.revision == 2, "a change that keeps the text's length is still a change"
    reordered = answers(answers={"consent": True, "why_not": "bbbb"})
    assert store.save(created.id, reordered, same_length.revision).revision == 2
    monkeypatch.undo()
    assert store.get(created.id).answers.value("why_not") == "bbbb"


def test_a_save_that_changes_one_answer_tells_the_texts_apart_without_parsing_them(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """With fifty recipients each text is some 160 KB: a change that keeps the length (a letter typed over
    another, a choice of the same length) is told apart where the texts differ, not by parsing both."""
    created = store.create(answers(answers={"why_not": "aaaa", "consent": True}))
    parsed: list[str] = []

    def loads(text: str) -> Any:
        parsed.append(text)
        return json.loads(text)

    monkeypatch.setattr(store_assessments, "json", SimpleNamespace(loads=loads))
    saved = store.save(created.id, created.answers.with_value("why_not", "bbbb"), created.revision)
    assert (saved.revision, parsed) == (2, [])
    reordered = answers(answers={"consent": True, "why_not": "bbbb"})
    assert store.save(created.id, reordered, saved.revision).revision == 2
    assert parsed, "the same members in another order are compared as data"


def selects_of(store: Store, action: Callable[[], object]) -> list[str]:
    """The SELECT statements ``action`` runs on ``store``'s database."""
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(store._engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        sa.event.remove(store._engine, "before_cursor_execute", seen)
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def answers_read(selects: list[str]) -> list[str]:
    """The SELECTs among ``selects`` that read the assessments' answers text."""
    return [s for s in selects if "assessments.answers" in s.split("FROM")[0]]


def test_a_save_reads_the_stored_answers_once_to_compare_and_not_again_for_its_summary(store: Store) -> None:
    created = store.create(answers())
    reads = answers_read(selects_of(store, lambda: store.save(
        created.id, created.answers.with_value("why_not", "changed"), created.revision)))
    assert len(reads) == 1, reads


def test_a_save_returns_what_it_stored_without_reading_it_back(store: Store) -> None:
    """The saved assessment is told from the row the save locked and the values it wrote: the same as a read
    gives afterwards, for one query fewer at every answer."""
    created = store.create(answers(), completeness=(3, 10), risk="high")
    saved: list[Assessment] = []
    selects = selects_of(store, lambda: saved.append(store.save(
        created.id, created.answers.with_value("why_not", "changed"), created.revision, completeness=(4, 10),
        risk="low", changed_from=created.answers)))
    assert saved[0] == store.get(created.id)
    assert (saved[0].revision, saved[0].completeness, saved[0].risk) == (2, (4, 10), "low")
    # The locked row, and the full copy the revision's delta is made against.
    assert len(selects) == 2, selects


def test_a_save_told_what_changed_reads_no_stored_answers_and_a_wrong_hint_loses_nothing(store: Store) -> None:
    """The app holds the answers of the revision it started from: when the new ones differ and that revision is
    still current, they changed, and some 160 KB (fifty recipients) need not be read back at every answer.
    The hint never decides a conflict, and a wrong one costs a revision equal to the one before, not a save."""
    created = store.create(answers())
    first = store.save(created.id, created.answers.with_value("why_not", "a"), created.revision)
    reads = answers_read(selects_of(store, lambda: store.save(
        first.id, first.answers.with_value("why_not", "b"), first.revision, changed_from=first.answers)))
    assert not reads, reads
    second = store.get(first.id)
    assert (second.revision, second.answers.value("why_not")) == (3, "b")
    with pytest.raises(ConflictError) as stale:  # based on revision 2, which is no longer current
        store.save(first.id, first.answers.with_value("why_not", "c"), first.revision, changed_from=first.answers)
    assert stale.value.current_answers.value("why_not") == "b"
    wrong = store.save(second.id, second.answers, second.revision, changed_from=first.answers)
    assert (wrong.revision, store.get(second.id).answers) == (second.revision + 2, second.answers)


@pytest.mark.parametrize(("stored", "text", "same"), [
    ('{"a":"xy","b":1}', '{"a":"xy","b":1}', True),
    ('{"a":"xy","b":1}', '{"b":1,"a":"xy"}', True),  # built in another order
    ('{"a":"xy","b":1}', '{"a":"xz","b":1}', False),  # one letter typed over another
    ('{"a":"xy","b":"yx"}', '{"a":"yx","b":"xy"}', False),  # the same letters, in other answers
    ('{"a":[1,2],"b":0}', '{"a":[2,1],"b":0}', False),  # a list's order is data
    ('{"a":"' + "x" * 5000 + '","b":1}', '{"b":1,"a":"' + "x" * 5000 + '"}', True),  # far apart
    ('{"a":"' + "x" * 5000 + '","b":1}', '{"a":"' + "x" * 4999 + 'y","b":1}', False),
    ('{"a":1,"b":2', '{"a":1,"b":3', False),  # a damaged row
])
def test_two_stored_texts_hold_the_same_answers_when_their_json_data_is_equal(stored: str, text: str,
                                                                                 same: bool) -> None:
    assert store_assessments._same_data(stored, text) is same


def test_what_a_save_returns_is_what_a_read_gives_whatever_summary_it_is_given(store: Store) -> None:
    created = store.create(answers())
    for completeness in ((2.9, 3.7), [1, 2], (True, 3)):
        again = store.save(created.id, created.answers, created.revision, completeness=completeness,  # type: ignore[arg-type]
                           risk="low")
        assert again == store.get(created.id)
        changed = store.save(again.id, again.answers.with_value("why_not", str(completeness)), again.revision,
                             completeness=completeness, risk="low")  # type: ignore[arg-type]
        assert changed == store.get(created.id)
        created = changed


def test_a_summary_not_given_with_changed_answers_becomes_unknown_rather_than_stale(store: Store) -> None:
    created = store.create(answers(), completeness=(3, 10), risk="high")
    saved = store.save(created.id, created.answers.with_value("consent", False), created.revision)
    assert (saved.completeness, saved.risk) == (None, None)


def test_a_restarted_server_resumes_exactly_where_the_user_was(open_store: Callable[..., Store]) -> None:
    first = open_store()
    created = first.create(answers())
    saved = first.save(created.id, created.answers.with_value("why_not", "typed"), created.revision)
    first.close()
    assert open_store().get(created.id) == saved


# -- two tabs ------------------------------------------------------------------------------------------
def test_a_save_from_a_stale_tab_is_refused_and_loses_nothing(open_store: Callable[..., Store]) -> None:
    tab_a, tab_b = open_store(), open_store()
    opened = tab_a.create(answers())
    seen_by_b = tab_b.get(opened.id)

    saved_by_a = tab_a.save(opened.id, opened.answers.with_value("consent", False), opened.revision)
    edit_by_b = seen_by_b.answers.with_value("why_not", "B's text")
    with pytest.raises(ConflictError) as caught:
        tab_b.save(opened.id, edit_by_b, seen_by_b.revision)

    conflict = caught.value
    # B is told what is stored now...
    assert (conflict.current_revision, conflict.current_answers) == (2, saved_by_a.answers)
    assert conflict.expected_revision == 1
    # ...A's answers were not overwritten...
    assert tab_a.get(opened.id) == saved_by_a
    # ...and B's refused answers are kept in the history, to compare and take over.
    kept = tab_b.revisions(opened.id)[0]
    assert (kept.revision, kept.kind, kept.based_on) == (conflict.kept_revision, "conflict", 1)
    assert tab_b.answers_at(opened.id, conflict.kept_revision) == edit_by_b
    assert tab_b.diff(opened.id, conflict.current_revision, conflict.kept_revision) == [
        Change("answers.consent", "changed", False, True),
        Change("answers.why_not", "added", None, "B's text"),
    ]
    # B can merge onto the current answers and save against the current revision.
    merged = tab_b.save(opened.id, conflict.current_answers.with_value("why_not", "B's text"),
                        conflict.current_revision)
    assert merged.revision == 4  # 3 is the kept conflict: numbers are never reused
    assert merged.answers.value("consent") is False
    assert merged.answers.value("why_not") == "B's text"


def test_a_stale_tab_saving_what_is_already_stored_is_not_a_conflict(open_store: Callable[..., Store]) -> None:
    tab_a, tab_b = open_store(), open_store()
    opened = tab_a.create(answers())
    changed = opened.answers.with_value("consent", False)
    tab_a.save(opened.id, changed, 1)
    assert tab_b.save(opened.id, changed, 1).revision == 2


def test_many_writers_at_once_lose_no_answer(store: Store) -> None:
    """Threads share one Store like Streamlit sessions do; each retries on conflict, as the UI would."""
    created = store.create(answers())
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for step in range(5):
                while True:
                    current = store.get(created.id)
                    try:
                        store.save(created.id, current.answers.with_value(f"q{n}", step), current.revision)
                        break
                    except ConflictError:
                        continue
        except BaseException as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    final = store.get(created.id)
    assert all(final.answers.value(f"q{n}") == 4 for n in range(6))
    saves = [r for r in store.revisions(created.id) if r.kind == "save"]
    assert len(saves) == 1 + 6 * 5  # every successful save is one revision, none overwritten


# -- named versions, comparing, restoring --------------------------------------------------------------
def test_a_named_version_can_be_listed_compared_and_restored(store: Store) -> None:
    created = store.create(answers())
    store.snapshot(created.id, "Sent to legal")
    edited = (created.answers.with_value("consent", False)
              .with_response("legal_basis", Response(value="contract", comment="", evidence=("合同",))))
    current = store.save(created.id, edited, created.revision)

    [named] = store.revisions(created.id, named_only=True)
    assert (named.revision, named.name, named.named) == (1, "Sent to legal", True)
    assert store.diff(created.id, 1, current.revision) == [
        Change("answers.consent", "changed", True, False),
        Change("answers.legal_basis", "changed", "consent", "contract"),
        Change("answers.legal_basis.comment", "removed", "见隐私政策第5条", None),
        Change("answers.legal_basis.evidence", "changed", ["隐私政策 v3.2"], ["合同"]),
    ]

    restored = store.restore(created.id, 1)
    assert restored.revision == 3 and restored.answers == created.answers
    history = store.revisions(created.id)
    assert [r.revision for r in history] == [3, 2, 1]  # restoring adds; it never rewrites
    assert history[0].restored_from == 1
    assert store.restore(created.id, 3).revision == 3  # restoring what is current changes nothing


def test_naming_needs_a_name_and_an_existing_revision(store: Store) -> None:
    created = store.create(answers())
    with pytest.raises(StoreError):
        store.snapshot(created.id, "  ")
    with pytest.raises(UnknownRevisionError):
        store.snapshot(created.id, "v9", revision=9)
    with pytest.raises(UnknownRevisionError):
        store.diff(created.id, 1, 9)


def test_the_diff_addresses_meta_and_repeated_sections_item_by_item(store: Store) -> None:
    created = store.create(answers())
    edited = created.answers.model_copy(update={"meta": created.answers.meta.model_copy(update={"assessor": "李四"})})
    edited = edited.without_item("recipients", 0).with_item("recipients")
    edited = edited.with_value("r_name", "Gamma Ltd", group="recipients", item=1)
    second = store.save(created.id, edited, created.revision)
    # Removing the first recipient is one removed item, not every later recipient changed.
    assert store.diff(created.id, 1, second.revision) == [
        Change("meta.assessor", "changed", "张三", "李四"),
        Change("repeats.recipients[0]", "removed", {"r_name": "Acme Inc.", "r_count": 12}, None),
        Change("repeats.recipients[1]", "added", None, {"r_name": "Gamma Ltd"}),
    ]
    third = store.save(created.id, edited.with_value("r_name", "Gamma AG", group="recipients", item=1),
                       second.revision)
    assert store.diff(created.id, second.revision, third.revision) == [
        Change("repeats.recipients[1].r_name", "changed", "Gamma Ltd", "Gamma AG"),
    ]
    assert store.diff(created.id, 1, 1) == []


# -- duplicate, delete, import, export -----------------------------------------------------------------
def test_a_re_assessment_starts_from_the_last_answers_under_a_new_title(store: Store) -> None:
    original = store.create(answers(), title="Acme 2025", completeness=(5, 5), risk="low")
    original = store.save(original.id, original.answers.with_value("why_not", "last"), original.revision)

    copy = store.duplicate(original.id, title="Acme 2026")
    assert copy.id != original.id and copy.revision == 1
    assert copy.title == "Acme 2026"
    assert copy.answers.value("why_not") == "last"
    assert copy.answers.meta.assessment_date is None  # a new assessment is dated when it is made
    assert copy.answers.answers == original.answers.answers and copy.answers.repeats == original.answers.repeats
    assert store.get(original.id) == original

    dated = store.duplicate(original.id)
    assert dated.title.startswith("Acme 2025 (") and dated.title.endswith(")")


def test_deleting_removes_the_assessment_and_all_its_history(store: Store, db_url: str) -> None:
    doomed, kept = store.create(answers()), store.create(answers())
    store.save(doomed.id, doomed.answers.with_value("consent", False), 1)
    store.delete(doomed.id)
    with pytest.raises(UnknownAssessmentError):
        store.get(doomed.id)
    with pytest.raises(UnknownAssessmentError):
        store.answers_at(doomed.id, 1)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        left = conn.execute(sa.text("SELECT DISTINCT assessment_id FROM pipia_revisions")).scalars().all()
    engine.dispose()
    assert left == [kept.id]


def test_export_and_import_round_trip_through_an_answers_file(store: Store) -> None:
    created = store.create(answers(), title="Acme")
    text = store.export(created.id, "yaml")
    parsed, _ = answers_mod.parse(text, "acme.yaml")
    imported = store.import_answers(parsed, title="Acme (imported)")
    assert imported.id != created.id and imported.title == "Acme (imported)"
    assert imported.answers.answers == created.answers.answers
    assert answers_mod.parse(store.export(created.id, "json"), "acme.json")[0].bank == created.answers.bank
    assert "consent: true" in store.export(created.id, revision=1)


# -- seeding -------------------------------------------------------------------------------------------
@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "samples" / "sample.yaml"
    path.parent.mkdir()
    answers_mod.write(answers(), path)
    return path


def test_a_fresh_store_gets_the_samples_once(open_store: Callable[..., Store], sample_file: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_assessments, "samples_dir", lambda: sample_file.parent)
    store = open_store()
    [seeded] = store.seed_samples()
    assert store.get(seeded.id).answers == answers()
    assert open_store().seed_samples() == []  # the next start-up, or another process
    store.delete(seeded.id)
    assert store.seed_samples() == []  # a store that had assessments stays as the user left it


def test_a_store_someone_already_used_is_never_seeded(store: Store, sample_file: Path) -> None:
    store.delete(store.create(answers()).id)
    assert store.seed_samples([sample_file]) == []
    assert store.list_assessments(include_archived=True) == []


@pytest.mark.empty_database
def test_servers_starting_together_create_the_schema_and_seed_once(db_url: str, sample_file: Path) -> None:
    barrier = threading.Barrier(4)
    seeded: list[int] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            barrier.wait()
            with Store(db_url) as store:
                seeded.append(len(store.seed_samples([sample_file])))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(seeded) == [0, 0, 0, 1]
    with Store(db_url) as store:
        assert len(store.list_assessments()) == 1


# -- schema and migrations -----------------------------------------------------------------------------
def _add_reviewed_flag(conn: sa.Connection) -> None:
    """A later migration as one would write it: add a column and fill it from existing data."""
    conn.execute(sa.text("ALTER TABLE pipia_assessments ADD COLUMN reviewed BOOLEAN NOT NULL DEFAULT FALSE"))
    conn.execute(sa.text("UPDATE pipia_assessments SET reviewed = TRUE WHERE organisation <> ''"))


def test_a_new_database_is_created_at_the_latest_schema_version(store: Store) -> None:
    assert store.schema_version == len(MIGRATIONS)


def test_an_older_database_is_upgraded_without_losing_data(open_store: Callable[..., Store],
                                                          db_url: str) -> None:
    old = open_store()
    created = old.create(answers())
    saved = old.save(created.id, created.answers.with_value("consent", False), 1)
    old.snapshot(created.id, "before upgrade", revision=1)
    old.close()

    upgraded = open_store(migrations=[*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "reviewed flag",
                                                             _add_reviewed_flag)])
    assert upgraded.schema_version == len(MIGRATIONS) + 1
    assert upgraded.get(created.id) == saved
    assert [r.name for r in upgraded.revisions(created.id, named_only=True)] == ["before upgrade"]
    assert upgraded.answers_at(created.id, 1) == created.answers
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert bool(conn.execute(sa.text("SELECT reviewed FROM pipia_assessments")).scalar_one())
        versions = conn.execute(sa.text("SELECT version FROM pipia_schema_version ORDER BY version")).scalars()
        assert list(versions) == list(range(1, len(MIGRATIONS) + 2))
    engine.dispose()
    # Opening again applies nothing twice.
    assert open_store(migrations=[*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "reviewed flag",
                                                         _add_reviewed_flag)]).get(created.id) == saved


def test_a_failing_migration_leaves_the_database_as_it_was(open_store: Callable[..., Store]) -> None:
    created = open_store().create(answers())

    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE pipia_half_done (x INTEGER)"))
        raise RuntimeError("migration bug")

    with pytest.raises(RuntimeError, match="migration bug"):
        open_store(migrations=[*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "broken", broken)])
    again = open_store()
    assert again.schema_version == len(MIGRATIONS)
    assert again.get(created.id).answers == created.answers


def test_a_database_from_a_newer_pipia_is_refused(open_store: Callable[..., Store]) -> None:
    open_store(migrations=[*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "future", lambda conn: None)])
    with pytest.raises(SchemaTooNewError, match="upgrade pipia"):
        open_store()


# -- where the database is -----------------------------------------------------------------------------
def test_the_environment_selects_the_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.from_env({"PIPIA_DATA_DIR": str(data)}) as store:
        store.create(answers())
    assert (data / "pipia.db").is_file()
    assert data.stat().st_mode & 0o077 == 0  # personal information: the owner's alone
    url = f"sqlite:///{tmp_path / 'team.db'}"
    with Store.from_env({"PIPIA_DATABASE_URL": url, "PIPIA_DATA_DIR": str(data)}) as store:
        assert store.url == url and store.list_assessments() == []


def test_sqlite_is_set_up_for_several_concurrent_writers(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'p.db'}") as store:
        engine = store._engine
        with engine.connect() as conn:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000, "synchronous": 2}


# -- history stays bounded -----------------------------------------------------------------------------
def test_old_autosaves_are_thinned_but_named_conflict_first_and_current_are_kept(
        open_store: Callable[..., Store]) -> None:
    start = dt.datetime(2026, 1, 1, 7, 0, tzinfo=dt.UTC)
    now = [start]
    store = open_store(clock=lambda: now[0], keep_days=30)
    current = store.create(answers())
    # 40 working days, six autosaves between 08:00 and 08:50 each day.
    for day in range(40):
        for k in range(6):
            now[0] = start + dt.timedelta(days=day, hours=1, minutes=10 * k)
            current = store.save(current.id, current.answers.with_value("typed", f"{day}.{k}"), current.revision)
            if (day, k) == (5, 2):
                store.snapshot(current.id, "early draft")
            if (day, k) == (20, 3):
                with pytest.raises(ConflictError):
                    store.save(current.id, current.answers.with_value("typed", "stale"), current.revision - 1)
    now[0] = start + dt.timedelta(days=39, hours=12)
    store.prune()

    history = store.revisions(current.id)
    ages = [now[0] - r.created_at for r in history if r.kind == "save" and not r.named and r.revision != 1]
    assert sum(age <= dt.timedelta(days=1) for age in ages) == 6  # the last day: every save
    assert sum(dt.timedelta(days=1) < age <= dt.timedelta(days=30) for age in ages) == 29  # one an hour
    assert sum(age > dt.timedelta(days=30) for age in ages) == 10  # one a day
    assert {r.name for r in history if r.named} == {"early draft"}
    assert [r.kind for r in history].count("conflict") == 1
    assert {1, current.revision} <= {r.revision for r in history}
    assert len(history) == 1 + 6 + 29 + 10 + 1 + 1
    for rev in history:
        assert store.answers_at(current.id, rev.revision).bank.id == "tiny"  # what is kept reads back


# -- durability ----------------------------------------------------------------------------------------
CHILD = textwrap.dedent("""
    import sys, time
    from pipia.store import Store
    url, assessment_id, mode = sys.argv[1:]
    store = Store(url)
    current = store.get(assessment_id)
    step = 0
    while True:
        current = store.save(assessment_id, current.answers.with_value("typed", step), current.revision)
        print(current.revision, step, flush=True)
        step += 1
        if mode == "once":
            time.sleep(60)
""")


def _run_and_kill(db_url: str, assessment_id: str, mode: str, saves: int) -> list[tuple[int, int]]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, assessment_id, mode],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    done = []
    try:
        for line in child.stdout:
            done.append(line)
            if len(done) >= saves:
                break
    finally:
        child.send_signal(signal.SIGKILL)  # no clean-up, no flush, no atexit: as a crash or OOM kill
        child.wait(timeout=30)
    # Every save the child reported before it died was acknowledged, those it reported while this process was
    # still reading too: on a busy machine the child may finish more than one save before the kill lands.
    done += child.stdout.readlines()
    child.stdout.close()
    return [(int(revision), int(step)) for revision, step in (line.split() for line in done)]


def test_a_process_killed_right_after_a_save_loses_nothing(open_store: Callable[..., Store],
                                                           db_url: str) -> None:
    created = open_store().create(answers())
    [(revision, step)] = _run_and_kill(db_url, created.id, "once", 1)
    reopened = open_store().get(created.id)
    assert (reopened.revision, reopened.answers.value("typed")) == (revision, step)


def test_a_process_killed_in_the_middle_of_saving_leaves_every_acknowledged_save(
        open_store: Callable[..., Store], db_url: str) -> None:
    created = open_store().create(answers())
    done = _run_and_kill(db_url, created.id, "loop", 40)
    reopened = open_store()
    last_revision, last_step = done[-1]
    current = reopened.get(created.id)
    # The kill may land inside a save after the last one acknowledged: that one is all or nothing.
    assert current.revision in (last_revision, last_revision + 1)
    assert current.answers.value("typed") in (last_step, last_step + 1)
    for revision, step in done:
        assert reopened.answers_at(created.id, revision).value("typed") == step
    if db_url.startswith("sqlite"):
        with sa.create_engine(db_url).connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# -- exact round trip ----------------------------------------------------------------------------------
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_$", min_size=1, max_size=8)
texts = st.text(max_size=20)
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts | st.dates()
           | st.datetimes())
values = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=3) | st.tuples(inner, inner)
                   | st.dictionaries(ids, inner, max_size=3)  # incl. keys like "$date": escaped
                   | st.dictionaries(st.integers(), inner, max_size=2)),
    max_leaves=8,
)
responses = st.builds(Response, value=values, comment=texts, evidence=st.lists(texts, max_size=2).map(tuple))
answer_sets = st.dictionaries(ids, responses | values.map(lambda v: Response(value=v)), max_size=5)
answers_values = st.builds(
    Answers,
    bank=st.fixed_dictionaries({"id": st.from_regex(r"[a-z0-9][a-z0-9_.\-]{0,7}", fullmatch=True), "version": texts}),
    meta=st.fixed_dictionaries({"organisation": texts, "assessor": texts, "title": texts,
                                "assessment_date": st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31))}),
    answers=answer_sets,
    repeats=st.dictionaries(ids, st.lists(answer_sets, max_size=3).map(tuple), max_size=2),
)


@given(answers_values)
@example(answers(answers={  # values that look like the stored text's tags, or that JSON alone would change
    "a": {"value": {"$date": "not a date"}}, "b": {"value": {1: (dt.date(2026, 1, 1), "x")}},
    "c": {"value": {"value": 1}}, "d": dt.datetime(2026, 1, 1, 8, 30)}))
@example(answers(meta={"title": "\x00 broken \ud800 paste", "organisation": "\x00"},
                 answers={"a": "\x00\ud800"}))
@example(answers(repeats={"$tuple": []}))  # a lone repeat group named like a tag, as an imported file may have
@example(answers(meta={"title": "\ud800"}, repeats={"$date": [{"x": 1}]}))  # the same, escaped as ASCII
@example(answers(repeats={"\ud800": [{"x": 1}]}))  # a group named by a broken paste, as a file may have it
@settings(max_examples=300)
def test_stored_text_reads_back_as_the_same_answers(value: Answers) -> None:
    text = encode(value)
    text.encode("utf-8")  # what a database can hold
    assert decode(text) == value


@given(value=answers_values, edits=st.lists(st.tuples(ids, st.integers(0, 3), values), max_size=4))
@settings(max_examples=100)
def test_the_text_of_edited_answers_is_the_text_of_the_same_answers_read_afresh(
        value: Answers, edits: list[tuple[str, int, Any]]) -> None:
    encode(value)  # the unchanged items of each edit below were encoded before, as at a save
    for question, item, answer in edits:
        for group in value.repeats:
            value = value.with_value(question, answer, group, item)
            text = encode(value)
            assert text == encode(Answers.model_validate(value.model_dump()))
            assert decode(text) == value


def test_a_save_writes_out_afresh_only_the_part_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """With fifty recipients the text is some 160 KB: after one recipient's answer changed (or one answer
    asked once), the other recipients are not written out again, and the text is the one written afresh."""
    value = answers(repeats={"recipients": [{"r_name": f"Recipient {i}", "r_count": i} for i in range(20)]})
    edits = [value.with_value("r_name", "Renamed", "recipients", 7), value.with_value("consent", False)]
    fresh = [encode(Answers.model_validate(edited.model_dump())) for edited in edits]
    # What is kept starts empty: a cache that filled up during this test (other tests' saves in the same
    # process) would empty itself and write every recipient afresh, rightly.
    monkeypatch.setattr(store_codec, "_WRITTEN", Kept(4096))
    encode(value)  # as at the save before
    written: list[str] = []

    def dumps(data: Any, **options: Any) -> str:
        written.append(json.dumps(data, **options))
        return written[-1]

    monkeypatch.setattr(store_codec, "json", SimpleNamespace(dumps=dumps))
    for edited, expected in zip(edits, fresh, strict=True):
        written.clear()
        assert encode(edited) == expected
        again = [i for i in range(20) for text in written if f'"Recipient {i}"' in text]
        assert not again, f"recipients {again} were written out again, unchanged"


def test_an_item_that_cannot_be_stored_is_refused_at_every_save() -> None:
    value = answers().with_value("name", "Acme", "recipients", 0).with_value("note", "ok", "recipients", 1)
    encode(value)
    broken = value.with_value("note", b"\x00", "recipients", 1)
    for _ in range(2):
        with pytest.raises(StoreError, match=r"answers\.repeats\.recipients\.note: a bytes cannot be stored"):
            encode(broken)


@given(first=answers_values, second=answers_values)
@example(first=answers(),
         second=answers(meta={"title": "\x00 broken \ud800 paste"}, answers={"a": "\x00\ud800"}))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_is_saved_is_what_is_loaded(store: Store, first: Answers, second: Answers) -> None:
    created = store.create(first)
    assert store.get(created.id).answers == first
    saved = store.save(created.id, second, created.revision)
    assert store.get(created.id).answers == second
    assert store.answers_at(created.id, 1) == first
    assert saved.answers == second


# -- personal information at rest ---------------------------------------------------------------------------
def test_the_database_file_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "existing"
    folder.mkdir(mode=0o755)  # a folder pipia did not make
    os.umask(old := os.umask(0o022))
    try:
        with Store(f"sqlite:///{folder / 'pipia.db'}") as s:
            s.create(answers())
            files = [p for p in folder.iterdir() if p.name.startswith("pipia.db")]
            assert files and all(p.stat().st_mode & 0o777 == 0o600 for p in files), \
                {p.name: oct(p.stat().st_mode & 0o777) for p in files}
        with Store(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'pipia.db'}"):
            assert (tmp_path / "new" / "deeper").stat().st_mode & 0o777 == 0o700
    finally:
        os.umask(old)


def test_a_deleted_assessment_is_erased_from_the_files(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    marker = "ERASE-ME-" + "x" * 3000  # long enough to spill onto an overflow page too
    with Store(f"sqlite:///{path}") as s:
        kept = s.create(answers())
        doomed = s.create(answers(meta={"organisation": marker}))
        s.save(doomed.id, doomed.answers.with_value("consent", False), doomed.revision)
        s.delete(doomed.id)
        assert s.get(kept.id).organisation == "示例公司"
        leftovers = [p.name for p in tmp_path.iterdir() if b"ERASE-ME-" in p.read_bytes()]
    assert leftovers == []


# -- a damaged database ------------------------------------------------------------------------------------
def damage(path: Path, sql: str, *params: Any) -> None:
    import sqlite3  # noqa: PLC0415 - only to damage the file from outside, as a disk or a hand edit would

    with sqlite3.connect(path) as conn:
        conn.execute(sql, params)


def test_a_damaged_answers_row_names_the_latest_readable_revision_which_can_be_restored(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    with Store(f"sqlite:///{path}") as s:
        first = s.create(answers())
        second = s.save(first.id, first.answers.with_value("consent", False), first.revision)
        other = s.create(answers(meta={"organisation": "另一家公司"}))
    damage(path, "UPDATE pipia_assessments SET answers = '{\"bank\": [trunc' WHERE id = ?", first.id)
    damage(path, "UPDATE pipia_revisions SET answers = 'garbage', packed = X'02' WHERE assessment_id = ? AND revision = ?",
           first.id, second.revision)
    with Store(f"sqlite:///{path}") as s:
        assert {x.id for x in s.list_assessments()} == {first.id, other.id}, "the list still shows every row"
        assert s.get(other.id).organisation == "另一家公司"
        with pytest.raises(DamagedAnswersError) as caught:
            s.get(first.id)
        assert caught.value.last_readable == first.revision
        s.restore(first.id, caught.value.last_readable)
        assert s.get(first.id).answers == first.answers


def test_one_bad_timestamp_does_not_break_the_list_or_the_assessment(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    with Store(f"sqlite:///{path}") as s:
        a = s.create(answers())
        s.create(answers(meta={"organisation": "另一家公司"}))
    damage(path, "UPDATE pipia_assessments SET updated_at = 'yesterday-ish' WHERE id = ?", a.id)
    damage(path, "UPDATE pipia_revisions SET created_at = '2026-02-30 25:00:00' WHERE assessment_id = ?", a.id)
    with Store(f"sqlite:///{path}") as s:
        listed = {x.id: x for x in s.list_assessments()}
        assert len(listed) == 2 and listed[a.id].updated_at == store_assessments.UNKNOWN_MOMENT
        assert s.get(a.id).answers == a.answers
        assert [r.created_at for r in s.revisions(a.id)] == [store_assessments.UNKNOWN_MOMENT]


@pytest.mark.parametrize("content", [b"", b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x01" * 50])
def test_a_file_that_is_not_a_database_is_a_plain_store_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pipia.db"
    path.write_bytes(content)
    if not content:  # an empty file is a new database to SQLite; a truncated one is not
        with Store(f"sqlite:///{path}"):
            return
    with pytest.raises(StoreUnavailableError, match="cannot be opened"):
        Store(f"sqlite:///{path}")


def test_a_data_folder_that_cannot_be_made_is_a_plain_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailableError, match="data folder cannot be created"):
        Store.from_env({"PIPIA_DATA_DIR": str(blocker / "data")})


def test_a_database_that_goes_away_is_a_plain_store_error(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    with Store(f"sqlite:///{path}") as s:
        a = s.create(answers())
        for p in tmp_path.iterdir():
            p.unlink()
        path.mkdir()  # where the file was, something that cannot be opened as one
        s._engine.dispose()
        with pytest.raises(StoreUnavailableError, match="cannot be"):
            s.get(a.id)


# -- merging two windows' answers ----------------------------------------------------------------------------
def test_a_merge_keeps_each_sides_own_changes_and_leaves_shared_ones_to_a_person() -> None:
    base = answers()
    theirs = base.with_value("consent", False).with_value("legal_basis", "contract")
    mine = base.with_value("dpo_appointed_on", dt.date(2025, 1, 1)).with_value("legal_basis", "law")
    mine = mine.model_copy(update={"meta": mine.meta.model_copy(update={"title": "mine"})})
    result = merge(base, theirs, mine)
    assert result.merged.value("consent") is False  # theirs only
    assert result.merged.value("dpo_appointed_on") == dt.date(2025, 1, 1)  # mine only
    assert result.merged.meta.title == "mine"
    assert [c.unit for c in result.clashes] == ["answers.legal_basis"]
    assert result.merged.value("legal_basis") == "contract", "a clash stays as stored until chosen"
    assert result.resolve({"answers.legal_basis": "mine"}).value("legal_basis") == "law"
    with pytest.raises(KeyError):
        result.resolve({})


def test_without_the_base_every_difference_is_for_a_person_to_choose() -> None:
    base = answers()
    theirs, mine = base.with_value("consent", False), base.without_item("recipients", 0)
    assert {c.unit for c in merge(None, theirs, mine).clashes} == {"answers.consent", "repeats.recipients"}
    assert merge(base, theirs, mine).clashes == ()


def test_a_database_server_that_is_down_is_a_plain_store_error_without_its_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailableError, match=r"cannot be opened: .*refused") as caught:
        Store("postgresql+psycopg://pipia:secret-pw@127.0.0.1:9/pipia")
    assert "secret-pw" not in str(caught.value)


# -- compact history ------------------------------------------------------------------------------------
def sample_answers() -> Answers:
    from pipia.files.resources import samples_dir  # noqa: PLC0415

    return answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")[0]


def stored_bytes(db_url: str) -> tuple[int, int]:
    """Bytes of answers kept in revisions: (packed, plain text)."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        packed, plain = conn.execute(sa.text(
            "SELECT COALESCE(SUM(LENGTH(packed)), 0), COALESCE(SUM(LENGTH(answers)), 0) FROM pipia_revisions")).one()
    engine.dispose()
    return int(packed), int(plain)


def test_revisions_are_stored_as_small_deltas_and_every_one_reads_back(
        open_store: Callable[..., Store], db_url: str) -> None:
    store = open_store()
    current = store.create(sample_answers())
    full = len(encode(current.answers).encode("utf-8"))
    expected = {1: current.answers}
    for i in range(120):
        current = store.save(current.id, current.answers.with_value("dpo_contact", f"edit {i}"), current.revision)
        expected[current.revision] = current.answers
    packed, plain = stored_bytes(db_url)
    assert plain == 0, "no revision kept as plain text"
    assert packed < len(expected) * full / 20, f"{packed:,} bytes for {len(expected)} revisions of {full:,}"
    for number, kept in expected.items():
        assert store.answers_at(current.id, number) == kept
    assert store.diff(current.id, 1, current.revision)


unicode = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)  # what UTF-8 can hold


@given(base=unicode, text=unicode, shared=unicode, tail=unicode)
@settings(max_examples=300)
def test_a_delta_reads_back_as_its_text_whatever_it_shares_with_its_full_copy(
        base: str, text: str, shared: str, tail: str) -> None:
    for whole in (text, shared + text, text + tail, shared + text + tail, shared + tail, base, ""):
        for against in (base, shared + base + tail, shared + tail, whole, ""):
            assert packing.unpack(packing.pack_delta(whole, against), against) == whole


@given(a=unicode, b=unicode, shared=unicode, tail=unicode)
@settings(max_examples=300)
def test_what_two_texts_share_at_their_ends_is_the_longest_start_then_the_longest_end_left(
        a: str, b: str, shared: str, tail: str) -> None:
    first, second = shared + a + tail, shared + b + tail
    start, end = packing.shared_ends(first, second)
    assert first[:start] == second[:start] and first[len(first) - end:] == second[len(second) - end:]
    assert start + end <= min(len(first), len(second))
    assert start == len(first) or start == len(second) or first[start] != second[start]
    left = min(len(first), len(second)) - start
    assert end == left or first[len(first) - end - 1] != second[len(second) - end - 1]


def test_a_delta_after_one_answer_changed_costs_bytes_of_that_answer_not_of_the_assessment() -> None:
    big = sample_answers()
    first = big.items("recipients")[0]
    for _ in range(49):
        big = big.with_item("recipients")
        for qid, response in first.items():
            big = big.with_response(qid, response, "recipients", len(big.items("recipients")) - 1)
    base = encode(big)
    text = encode(big.with_value("recipient_purpose", "委托处理员工薪酬数据", "recipients", 20))
    assert len(base.encode("utf-8")) > 200_000
    assert len(packing.pack_delta(text, base)) < 100
    assert packing.unpack(packing.pack_delta(text, base), base) == text


def test_a_save_that_changed_most_of_the_text_starts_a_full_copy_the_next_deltas_use(
        open_store: Callable[..., Store], db_url: str) -> None:
    store = open_store()
    current = store.create(sample_answers())
    grown = current.answers
    for _ in range(9):
        grown = grown.with_item("recipients")
        for qid, response in current.answers.items("recipients")[0].items():
            grown = grown.with_response(qid, response, "recipients", len(grown.items("recipients")) - 1)
    current = store.save(current.id, grown, current.revision)
    edited = store.save(current.id, grown.with_value("recipient_purpose", "edited", "recipients", 4), current.revision)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = {row.revision: row for row in conn.execute(sa.text(
            "SELECT revision, base, LENGTH(packed) AS size FROM pipia_revisions"))}
    engine.dispose()
    assert rows[current.revision].base is None, "most of the text changed: a full copy"
    assert rows[edited.revision].base == current.revision
    assert rows[edited.revision].size < 100
    assert store.answers_at(current.id, edited.revision) == edited.answers


def test_each_delta_is_made_against_its_own_assessments_full_copy_as_stored_now(
        open_store: Callable[..., Store], db_url: str) -> None:
    store = open_store()
    first = store.create(sample_answers())
    second = store.create(sample_answers().with_value("dpo_contact", "另一家公司的联系人"))
    expected: dict[tuple[str, int], Answers] = {}
    for i in range(3):  # the full copies' texts are kept between saves: by assessment and revision
        for current in (first, second):
            saved = store.save(current.id, current.answers.with_value("dpo_contact", f"edit {i}"), current.revision)
            expected[(saved.id, saved.revision)] = saved.answers
        first, second = store.get(first.id), store.get(second.id)
    for (assessment_id, number), kept in expected.items():
        assert store.answers_at(assessment_id, number) == kept
    # The first's full copy rewritten in place (its deltas no longer read as they were): the next delta is made
    # against the text stored now, not the one kept from before.
    rewritten = sample_answers().model_copy(update={"meta": sample_answers().meta.model_copy(
        update={"organisation": "改名后的公司"})})
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE pipia_revisions SET packed = :packed WHERE assessment_id = :id AND revision = 1"),
                     {"packed": packing.pack_full(encode(rewritten)), "id": first.id})
    engine.dispose()
    after = store.save(first.id, first.answers.with_value("dpo_contact", "after"), first.revision)
    assert store.answers_at(first.id, 1) == rewritten
    assert store.answers_at(first.id, after.revision) == after.answers


def test_a_delta_written_before_splices_still_reads_back() -> None:
    base, text = encode(sample_answers()), encode(sample_answers().with_value("dpo_contact", "edited"))
    writer = zlib.compressobj(packing.LEVEL, zdict=base.encode("utf-8")[-packing.WINDOW:])
    older = packing.DELTA + writer.compress(text.encode("utf-8")) + writer.flush()
    assert packing.unpack(older, base) == text


def test_a_damaged_delta_is_a_store_error_not_a_crash() -> None:
    base = encode(sample_answers())
    splice = packing.pack_delta(encode(sample_answers().with_value("dpo_contact", "edited")), base)
    for damaged in (splice[:3], packing.SPLICE + (len(base)).to_bytes(4, "big") * 2 + splice[9:], splice[:-4]):
        with pytest.raises(StoreError):
            packing.unpack(damaged, base)


def test_pruning_keeps_every_remaining_revision_readable_and_gives_the_space_back(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
    now = [start]
    with Store(f"sqlite:///{path}", clock=lambda: now[0]) as store:
        current = store.create(sample_answers())
        for i in range(600):  # one save a minute for ten hours, long ago
            now[0] = start + dt.timedelta(minutes=i + 1)
            current = store.save(current.id, current.answers.with_value("dpo_contact", f"x{i}" * 200),
                                 current.revision)
        store.snapshot(current.id, "kept", revision=333)
        checkpoint(store._engine)
        before = path.stat().st_size
        now[0] = start + dt.timedelta(days=60)
        assert store.prune() > 500
        kept = store.revisions(current.id)
        assert {1, 333, current.revision} <= {r.revision for r in kept}
        for revision in kept:
            assert store.answers_at(current.id, revision.revision).bank.id == current.bank_id
        assert store.get(current.id).answers == current.answers
    assert path.stat().st_size < before / 2, "freed pages are given back to the file system"


@pytest.mark.empty_database
def test_a_database_of_whole_revisions_is_packed_when_upgraded(db_url: str) -> None:
    from pipia.store import schema  # noqa: PLC0415

    engine = sa.create_engine(db_url)
    schema.migrate(engine, MIGRATIONS[:1])
    base = sample_answers()
    texts = [encode(base.with_value("dpo_contact", f"edit {i}")) for i in range(1, 121)]
    now = dt.datetime(2026, 1, 1)
    with engine.begin() as conn:  # as version 1 wrote them: every revision a whole copy
        conn.execute(sa.text(
            "INSERT INTO pipia_assessments (id, title, organisation, bank_id, bank_version, created_at, updated_at, "
            "archived, revision, last_revision, answers) VALUES ('a1', 't', 'o', 'b', '1', :now, :now, false, "
            ":n, :n, :text)"), {"now": now, "n": len(texts), "text": texts[-1]})
        conn.execute(sa.text(
            "INSERT INTO pipia_revisions (assessment_id, revision, created_at, kind, answers) "
            "VALUES ('a1', :n, :now, 'save', :text)"),
            [{"n": i + 1, "now": now, "text": text} for i, text in enumerate(texts)])
    engine.dispose()
    with Store(db_url) as store:
        assert store.schema_version == len(MIGRATIONS)
        for i, text in enumerate(texts):
            assert store.answers_at("a1", i + 1) == decode(text)
        saved = store.save("a1", base, len(texts))
        assert store.answers_at("a1", saved.revision) == base
    packed, plain = stored_bytes(db_url)
    assert plain == 0 and packed < sum(len(t) for t in texts) / 20


@pytest.mark.empty_database
def test_a_page_of_the_list_is_read_from_the_lists_index_in_a_database_upgraded_to_it(db_url: str) -> None:
    from pipia.store import schema  # noqa: PLC0415

    engine = sa.create_engine(db_url)
    schema.migrate(engine, MIGRATIONS[:5])
    engine.dispose()
    with Store(db_url) as store:
        made = [store.create(answers(), title=f"A{i}") for i in range(3)]
        assert [s.id for s in store.list_page(count=2).rows] == [made[2].id, made[1].id]
    engine = sa.create_engine(db_url)
    assert "ix_pipia_assessments_listed" in {ix["name"] for ix in sa.inspect(engine).get_indexes("pipia_assessments")}
    if engine.dialect.name == "sqlite":  # the page and its count walk the index, not the rows with their answers
        with engine.connect() as conn:
            for query in ("SELECT count(*) FROM pipia_assessments WHERE archived = 0",
                          "SELECT id FROM pipia_assessments WHERE archived = 0 ORDER BY updated_at DESC, id LIMIT 25"):
                plan = " ".join(str(row[-1]) for row in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {query}")))
                assert "COVERING INDEX ix_pipia_assessments_listed" in plan and "TEMP B-TREE" not in plan, plan
    engine.dispose()


# -- the team's tables (schema 2 to 4) under the same protections ------------------------------------------
def _team_assessment(s: Store, organisation: str = "示例公司") -> tuple[UserStore, str]:
    me = UserStore(s, Directory(s).sign_in("owner@example.com", "王芳"))
    created = me.create(answers(meta={"organisation": organisation}))
    me.grant(created.id, "owner@example.com", "reviewer")
    me.track(created.id, ActionRecord("gap:a", owner="李雷", due=dt.date(2026, 12, 1), status="done",
                                      evidence=f"EVIDENCE-{organisation}"))
    me.dpo_opinion(created.id, f"OPINION-{organisation}")
    return me, created.id


def test_a_deleted_assessment_is_erased_from_the_files_with_its_actions_roles_and_review(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    marker = "ERASE-ME-" + "x" * 3000
    with Store(f"sqlite:///{path}") as s:
        me, kept = _team_assessment(s)
        _, doomed = _team_assessment(s, marker)
        me.delete(doomed)
        assert me.actions(kept)["gap:a"].evidence == "EVIDENCE-示例公司"
        leftovers = [p.name for p in tmp_path.iterdir() if b"ERASE-ME-" in p.read_bytes()]
    assert leftovers == []


def test_bad_timestamps_dates_and_statuses_in_the_team_tables_leave_them_readable(tmp_path: Path) -> None:
    path = tmp_path / "pipia.db"
    with Store(f"sqlite:///{path}") as s:
        _, aid = _team_assessment(s)
    damage(path, "UPDATE pipia_actions SET updated_at = 'yesterday-ish', due = '2026-02-30', status = 'lost'")
    damage(path, "UPDATE pipia_reviews SET at = 'not a moment'")
    damage(path, "UPDATE pipia_roles SET granted_at = '2026-13-01 99:00:00'")
    damage(path, "UPDATE pipia_users SET created_at = 'x', seen_at = 'y'")
    with Store(f"sqlite:///{path}") as s:
        me = UserStore(s, Directory(s).sign_in("owner@example.com", "王芳"))
        [record] = me.actions(aid).values()
        # An unreadable status is shown as still open, so the action is not taken for done.
        assert (record.owner, record.due, record.status, record.updated_at) == ("李雷", None, "open", None)
        opinion = me.review(aid).dpo_opinion
        assert opinion is not None
        assert opinion.at == store_assessments.UNKNOWN_MOMENT
        assert {g.role for g in me.grants(aid)} == {"owner", "reviewer"}
        assert me.list_assessments()[0].id == aid
