"""One user's session: the open assessment (the canonical answers), where they are, and every save.

The session holds exactly one ``Doc``: the open assessment's id, the revision its answers are based on,
and the answers themselves. That ``Answers`` value is the source of truth for every page: widgets are
seeded from it and write back into it (see ``widgets``), and every change is saved at once (``commit``)
with the revision it started from, so a save made meanwhile in another tab is detected, not overwritten.

Shared things (the store, loaded banks) are kept once per process; they are immutable or thread-safe.
Nothing one user does is kept at module level.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import streamlit as st

from pipia.answers.format import Answers
from pipia.assessment.evaluation import Evaluation, evaluate
from pipia.bank.format import LoadedBank
from pipia.bank.loader import find_bank_by_id, load_bank
from pipia.errors import BankError, PipiaError
from pipia.files.resources import questionnaires_dir, shipped_banks
from pipia.i18n import Lang
from pipia.store import (
    AccessDeniedError,
    ConflictError,
    DamagedAnswersError,
    Merge,
    Store,
    StoreError,
    UnknownAssessmentError,
    UnknownRevisionError,
    User,
    UserStore,
    default_url,
    merge,
)
from pipia.ui import identity
from pipia.ui.location import Location
from pipia.ui.logged import logged
from pipia.ui.summary import summary_of
from pipia.ui.text import lang_from_locale, t

# Extra folders of question banks (a consultant's own), separated like PATH.
BANKS_VAR = "PIPIA_BANKS"
# Every widget that shows an answer has a key starting with this, so replacing the answers wholesale
# (another assessment, another tab's version, a restore) can drop them all and let them reseed.
WIDGET_PREFIX = "w-"

_DOC, _HERE, _WRITTEN, _LANG, _FLASH, _PAGE = ("pipia.doc", "pipia.here", "pipia.written", "pipia.lang",
                                               "pipia.flash", "pipia.page")
_DAMAGED = "pipia.damaged"  # (assessment id, latest readable revision or None) of one that failed to open
_EVALUATION = "pipia.assessment.evaluation"  # (key, Evaluation) of the open assessment: see evaluation()
_SAVED = "pipia.saved"  # (assessment id, revision) a save of this run stored: see follow_store


@dataclass(frozen=True)
class Doc:
    """The open assessment as this session edits it."""

    id: str
    revision: int  # the stored revision these answers were based on (the expected revision of a save)
    answers: Answers
    # Set when a save was refused because another tab saved first: (current revision, kept revision).
    conflict: tuple[int, int] | None = None
    unsaved: bool = False  # the last save failed (database unavailable): the next change retries
    gone: bool = False  # deleted elsewhere while open


# -- shared, per process ---------------------------------------------------------------------------------
# One store per database, kept in a plain dict rather than by st.cache_resource: a rerun asks for the store
# several times (the sign-in, the save), and inside a run st.cache_resource costs about 0.2 ms a call (it
# hashes the argument and records the call for replay), a tenth of what the app itself does in a rerun.
_STORES: dict[str, Store] = {}
_STORES_OPENING = threading.Lock()


def base_store() -> Store:
    """The store the environment selects (PIPIA_DATABASE_URL, else SQLite in PIPIA_DATA_DIR), unchecked: opened
    (created, migrated, given the samples) by the first session to ask, then shared. Raises
    StoreUnavailableError when the database cannot be opened; the next call tries again."""
    url = default_url()
    found = _STORES.get(url)
    if found is None:
        with _STORES_OPENING:  # sessions starting together open it once
            found = _STORES.get(url)
            if found is None:
                found = Store(url)
                found.seed_samples()
                _STORES[url] = found
    return found


def user() -> User | None:
    """Who is using the app (the local user unless people sign in); None before sign-in."""
    return identity.current(base_store)


def store() -> UserStore:
    """The store as this session's user may use it: every call is checked against their roles."""
    current = user()
    if current is None:  # pages run only after the sign-in gate in app.py
        raise AccessDeniedError("(not signed in)", None, "use")
    return UserStore(base_store(), current)


def bank_dirs() -> tuple[Path, ...]:
    """The folders of own banks named in $PIPIA_BANKS (separated like PATH)."""
    return tuple(Path(p) for p in os.environ.get(BANKS_VAR, "").split(os.pathsep) if p)


# What tells one version of a file from another: the file (device, inode) and its size and times of
# change (ctime moves on every write, even one that puts the modification time back).
_Identity = tuple[int, int, int, int, int]


def _identity(path: Path) -> _Identity:
    found = path.stat()
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


@st.cache_resource(show_spinner=False, max_entries=32)
def _load(path: str, identity: _Identity) -> LoadedBank | BankError:
    # A bank's problems are kept too: a broken bank is not parsed again at every rerun.
    try:
        return load_bank(Path(path))
    except BankError as exc:
        return exc


def load(path: Path) -> LoadedBank:
    """A bank file, loaded once per version of the file. Raises BankError."""
    loaded = _load(str(path.resolve()), _identity(path))
    if isinstance(loaded, BankError):
        raise loaded
    return loaded


@dataclass(frozen=True)
class _Found:
    """Where a bank id was found, and what the search saw: the file with its identity then, and each folder
    searched with its identity then (a file added, removed or renamed in a folder changes the folder's)."""

    path: Path
    identity: _Identity
    folders: tuple[tuple[Path, _Identity | None], ...]
    loaded: LoadedBank

    def still(self) -> bool:
        """Whether the search would find the same, unchanged file again."""
        try:
            return _identity(self.path) == self.identity and all(
                _folder_identity(folder) == seen for folder, seen in self.folders)
        except OSError:  # the file is gone
            return False


def _folder_identity(folder: Path) -> _Identity | None:
    try:
        return _identity(folder)
    except OSError:  # a folder named in PIPIA_BANKS that does not exist (yet)
        return None


# Finding a bank by id reads the start of every bank file on offer, and a rerun asks for the open assessment's
# bank several times (the page, the widget's callback, the save and its summary): the search is made again
# only when what it saw has changed. Shared by every session: banks are files anyone may read, the same for
# all. (A plain dict, as _STORES, for the same reason.)
_FOUND: dict[tuple[str, tuple[Path, ...]], _Found] = {}


def bank(bank_id: str) -> LoadedBank:
    """A bank by id among the shipped banks and PIPIA_BANKS. Raises NotFoundError or BankError.

    Looked up once, then served from memory while the file found and the folders searched are unchanged:
    an edited bank file, or a file added to or removed from a folder, makes the next call search again.
    """
    dirs = bank_dirs()
    kept = _FOUND.get((bank_id, dirs))
    if kept is not None and kept.still():
        return kept.loaded
    # The folders' identities are taken before the search, the file's before its load: a change made
    # meanwhile shows at the next call as a difference, never as a stale bank kept for good.
    folders = tuple((folder, _folder_identity(folder)) for folder in (questionnaires_dir(), *dirs))
    path = find_bank_by_id(bank_id, dirs)
    identity = _identity(path)
    loaded = load(path)
    _FOUND[(bank_id, dirs)] = _Found(path, identity, folders, loaded)
    return loaded


def bank_files() -> list[Path]:
    """The bank files offered: the shipped ones, then each *.yaml in the $PIPIA_BANKS folders."""
    files = list(shipped_banks())
    for folder in bank_dirs():
        files += sorted(folder.glob("*.yaml"))
    return files


def banks() -> list[tuple[Path, LoadedBank | BankError]]:
    """Every bank on offer, each loaded or with the problems that stop it."""
    out: list[tuple[Path, LoadedBank | BankError]] = []
    for path in bank_files():
        try:
            out.append((path, load(path)))
        except BankError as exc:
            out.append((path, exc))
    return out


# -- language --------------------------------------------------------------------------------------------
def lang() -> Lang:
    """The language of the app: the one chosen in the app, else the browser's."""
    chosen: Lang | None = st.session_state.get(_LANG)
    return chosen or lang_from_locale(st.context.locale)


def set_lang(value: Lang) -> None:
    """The language chosen in the app: kept in the URL too, so a refresh keeps it."""
    st.session_state[_LANG] = value
    st.session_state[_HERE] = replace(here(), lang=value)


# -- the open assessment ---------------------------------------------------------------------------------
def doc() -> Doc | None:
    """The assessment open in this session, or None."""
    current: Doc | None = st.session_state.get(_DOC)
    return current


def open_assessment(assessment_id: str, *, keep_place: bool = False) -> Doc:
    """Load an assessment from the store as this session's open one.

    Raises UnknownAssessmentError, or DamagedAnswersError after noting it (see ``damaged``).
    """
    try:
        stored = store().get(assessment_id)
    except DamagedAnswersError as exc:
        st.session_state[_DAMAGED] = (exc.assessment_id, exc.last_readable)
        raise
    st.session_state.pop(_DAMAGED, None)
    opened = Doc(stored.id, stored.revision, stored.answers)
    _replace_doc(opened)
    place = here() if keep_place else Location(lang=here().lang)
    st.session_state[_HERE] = replace(place, assessment=stored.id)
    return opened


def damaged() -> tuple[str, int | None] | None:
    """The assessment that could not be opened because its answers are damaged, and its latest readable
    revision (None when none is readable)."""
    note: tuple[str, int | None] | None = st.session_state.get(_DAMAGED)
    return note


def restore_readable() -> None:
    """Make the latest readable revision of the damaged assessment current again, and open it."""
    note = damaged()
    if note is not None and note[1] is not None:
        store().restore(note[0], note[1])
        open_assessment(note[0])


def forget_damaged() -> None:
    """Drop the note of a damaged assessment, so its banner is no longer shown."""
    st.session_state.pop(_DAMAGED, None)


def close() -> None:
    """Close the open assessment, keeping only the chosen language in the location."""
    _replace_doc(None)
    st.session_state[_HERE] = Location(lang=here().lang)


def commit(answers: Answers) -> None:
    """Save changed answers at once, as the next revision of the open assessment."""
    current = doc()
    if current is None or (answers == current.answers and not current.unsaved):
        return
    # What this window holds is its revision's answers unless a save of them failed: then they are not.
    _save(replace(current, answers=answers), changed_from=None if current.unsaved else current.answers)


def take_theirs() -> None:
    """Resolve a conflict by loading what is stored now (this tab's answers stay in the history)."""
    current = doc()
    if current is not None:
        open_assessment(current.id, keep_place=True)


def conflict_merge() -> tuple[Merge, int] | None:
    """For an open conflict: the three-way merge of this window's answers with the current stored ones
    (from the revision this window started from), and the number of that current revision."""
    current = doc()
    if current is None or current.conflict is None:
        return None
    stored = store().get(current.id)
    try:
        base = store().answers_at(current.id, current.revision)
    except UnknownRevisionError:  # thinned out of the history: every difference is for the person to settle
        base = None
    return merge(base, stored.answers, current.answers), stored.revision


def save_merged(answers: Answers, based_on: int) -> None:
    """Resolve a conflict with answers a person merged, saved on top of revision ``based_on``.

    If yet another window saved meanwhile, this is a new conflict, shown as such: nothing is overwritten.
    """
    current = doc()
    if current is not None and current.conflict is not None:
        _replace_doc(replace(current, answers=answers, revision=based_on, conflict=None))
        _save(replace(current, answers=answers, revision=based_on, conflict=None))


def follow_store() -> None:
    """At the start of a run: if another window saved this assessment since this one last did, and this one
    has nothing unsaved, show the newer answers (and say so) rather than claim an older state is saved."""
    current = doc()
    # A widget's callback runs before the page: when it saved, the store has just said which revision is
    # current, and asking again would cost a read at every answer. Taken once, so the next run asks.
    saved = st.session_state.pop(_SAVED, None)
    if current is None or current.conflict is not None or current.unsaved or current.gone:
        return
    if saved == (current.id, current.revision):
        return
    try:
        latest = store().current_revision(current.id)
    except UnknownAssessmentError:
        _set_doc(replace(current, gone=True))
        return
    if latest != current.revision:
        open_assessment(current.id, keep_place=True)
        flash("info", t(lang(), "updated_elsewhere", revision=latest))


def save_as_new() -> None:
    """The open assessment was deleted elsewhere: keep these answers as a new assessment."""
    current = doc()
    if current is not None:
        created = store().create(current.answers)
        _set_doc(Doc(created.id, created.revision, current.answers))
        st.session_state[_HERE] = replace(here(), assessment=created.id)


def reload(answers: Answers, revision: int) -> None:
    """The open assessment's answers replaced wholesale (a restored version): widgets reseed."""
    current = doc()
    if current is not None:
        _replace_doc(Doc(current.id, revision, answers))


# -- what the answers come to ---------------------------------------------------------------------------
def evaluation(loaded: LoadedBank, answers: Answers) -> Evaluation:
    """The ``Evaluation`` of ``answers`` under ``loaded``, worked out once per revision of the open assessment.

    Kept in the session under (assessment id, revision, bank), so switching pages and the reruns a widget
    starts reuse it; answers not (yet) stored as that revision — a failed save, a conflict, answers that are
    not the open assessment's — are recognised by comparing them with the kept evaluation's own answers.
    """
    current = doc()
    key = (current.id if current else None, current.revision if current else None, loaded.bank.id,
           loaded.bank.version, id(loaded))
    kept: tuple[tuple[object, ...], Evaluation] | None = st.session_state.get(_EVALUATION)
    if kept is not None and kept[0] == key and (kept[1].answers is answers or kept[1].answers == answers):
        return kept[1]
    fresh = evaluate(loaded.bank, answers)
    st.session_state[_EVALUATION] = (key, fresh)
    return fresh


def _keep_evaluation(saved: Doc, fresh: Evaluation) -> None:
    """After a save: the evaluation made for its summary is the new revision's (no second evaluation)."""
    loaded = bank(saved.answers.bank.id)
    st.session_state[_EVALUATION] = ((saved.id, saved.revision, loaded.bank.id, loaded.bank.version, id(loaded)),
                                     fresh)


def _save(target: Doc, changed_from: Answers | None = None) -> None:
    """Store ``target.answers`` as the revision after ``target.revision``; record how it went. ``changed_from``:
    the answers of ``target.revision`` as this window holds them (``Store.save``).

    A save refused because another tab saved first keeps the answers here and in the store's history
    (as a conflict revision) and marks the conflict, so every page can offer the way out. Any other
    failure of the store (database unavailable) keeps the answers in the session, marked unsaved: the next
    change saves everything again. Anything else is a fault of the app: it reaches the guard of the widget
    callback that saved (``failures.guarded``), which shows the plain message and logs the details; the
    answers are kept all the same, marked unsaved, since the page already shows them.
    """
    fresh: Evaluation | None = None
    try:
        try:
            fresh = evaluate(bank(target.answers.bank.id).bank, target.answers)
            completeness, risk = summary_of(fresh)
        except (PipiaError, OSError):  # the bank is gone or now broken: the list's columns become unknown,
            completeness, risk = None, None  # the answer is saved all the same
        saved = store().save(target.id, target.answers, target.revision, completeness=completeness, risk=risk,
                             changed_from=changed_from)
    except ConflictError as exc:
        _set_doc(replace(target, conflict=(exc.current_revision, exc.kept_revision), unsaved=False))
        return
    except UnknownAssessmentError:
        _set_doc(replace(target, gone=True))
        return
    except AccessDeniedError:  # a reader's widget changed: nothing is stored, the stored answers come back
        flash("warning", t(lang(), "read_only"))
        open_assessment(target.id, keep_place=True)
        return
    except StoreError as exc:  # the database's own errors (locked, gone away): keep the answers, say so
        _set_doc(replace(target, unsaved=True))
        flash("error", t(lang(), "save_failed", error=logged(exc, lang())))  # the details go to the log, not the page
        return
    except Exception:  # a fault of the app: the page shows these answers, so the next change saves them too
        _set_doc(replace(target, unsaved=True))
        raise
    stored = Doc(target.id, saved.revision, target.answers)
    _set_doc(stored)
    st.session_state[_SAVED] = (stored.id, stored.revision)
    if fresh is not None:
        _keep_evaluation(stored, fresh)


def _set_doc(value: Doc | None) -> None:
    st.session_state[_DOC] = value


def _replace_doc(value: Doc | None) -> None:
    _set_doc(value)
    reset_widgets()


def reset_widgets(prefix: str = WIDGET_PREFIX) -> None:
    """Drop widget state so widgets reseed from the canonical answers on their next run."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def entered(page: str) -> None:
    """Called with the page about to run. On arriving from another page, answer widgets reseed.

    A keyed widget drawn on a new page starts empty even when its key still holds a value from the page
    before (Streamlit ties widget state to the page), so the values are dropped and seeded again from
    the canonical answers.
    """
    if st.session_state.get(_PAGE) != page:
        st.session_state[_PAGE] = page
        reset_widgets()


# -- where the user is -----------------------------------------------------------------------------------
def here() -> Location:
    """The current location in the app (an empty one before any)."""
    current: Location | None = st.session_state.get(_HERE)
    return current or Location()


def go(section: str | None = None, item: int | None = None, question: str | None = None) -> None:
    """Move within the open assessment to another section, item or question."""
    st.session_state[_HERE] = here().at(section, item, question)


def sync_location() -> None:
    """At the start of a run: take what the URL says when it changed outside the app (a link, a
    refresh, a fresh session), otherwise keep the session's own; reopen the assessment it names."""
    params = {k: st.query_params[k] for k in st.query_params}
    written: dict[str, str] | None = st.session_state.get(_WRITTEN)
    if params == written:
        return
    url = Location.parse(params)
    current = here()
    # The URL only ever adds to what the session knows: page navigation can drop query parameters.
    same = url.assessment in (None, current.assessment)
    merged = Location(assessment=url.assessment or current.assessment,
                      section=url.section or (current.section if same else None),
                      item=url.item if url.section else (current.item if same else 0),
                      question=url.question, lang=url.lang or current.lang)
    if url.lang:
        set_lang(url.lang)
    opened = doc()
    if merged.assessment and (opened is None or opened.id != merged.assessment):
        try:
            open_assessment(merged.assessment, keep_place=True)
        except UnknownAssessmentError:
            flash("warning", t(lang(), "assessment_missing"))
            merged = Location(lang=merged.lang)
        except DamagedAnswersError:  # noted: the banner offers the latest readable revision
            merged = Location(lang=merged.lang)
    st.session_state[_HERE] = merged


def write_location() -> None:
    """At the end of a run: the URL says where the user is, so a refresh resumes there."""
    current = here()
    opened = doc()
    if opened is None:
        current = Location(lang=current.lang)
    params = current.params()
    if {k: st.query_params[k] for k in st.query_params} != params:
        st.query_params.from_dict(params)
    st.session_state[_WRITTEN] = params


# -- messages shown once ---------------------------------------------------------------------------------
def flash(kind: Literal["success", "info", "warning", "error"], text: str) -> None:
    """Queue a message to show at the top of the next page drawn."""
    st.session_state[_FLASH] = [*st.session_state.get(_FLASH, []), (kind, text)]


def take_flashes() -> list[tuple[str, str]]:
    """The queued messages as (kind, text), emptying the queue."""
    messages: list[tuple[str, str]] = st.session_state.pop(_FLASH, [])
    return messages
