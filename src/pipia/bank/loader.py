"""Load a question bank: read YAML, resolve ``extends``, validate strictly, cross-check, fail once.

Every problem found is collected and reported together, each as ``file:line: path: what is wrong``.
Positions come from the YAML itself (see ``yamlio``), so an error in a bank that extends another points
into the file that caused it.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipia.bank import cache, crossref, roles
from pipia.bank.format import Bank, LoadedBank
from pipia.bank.library import DestinationLibrary, SourceRegistry
from pipia.errors import BankError, NotFoundError, Problem, field_path, field_said, shown
from pipia.files.reader import read_file, read_regular
from pipia.files.resources import questionnaires_dir, shipped_banks
from pipia.files.yamlio import (
    BANK,
    LIBRARY,
    Loc,
    LocDict,
    LocList,
    carry_written,
    format_path,
    locate,
    paused_gc,
    written_text,
)
from pipia.i18n import Lang, Localized, Message, join, msg

M = TypeVar("M", bound=BaseModel)
PATCH_KEYS = ("extends", "remove", "override", "add")
MERGED = ("roles",)  # blocks a derived bank changes entry by entry rather than replaces
Place = Message | Localized  # where a removed id is still used: a question's words, or a path as written


@dataclass
class _Raw:
    """A bank's YAML after ``extends`` is resolved, with where its libraries are."""

    data: LocDict
    file: Path
    sources: Path
    destinations: Path | None
    files: list[Path] = field(default_factory=list)
    removed: list[_Removal] = field(default_factory=list)


@dataclass(frozen=True)
class _Removal:
    """One ``remove:`` entry of a derived bank: where it is, and the ids it took out of the base.

    ``ids`` are the question ids removed (a section's questions with it), or for ``question.option``
    the option value and its question; a reference still using one of them is reported here.
    """

    loc: Loc
    step: str
    target: str
    ids: tuple[str, ...]
    option_of: str | None = None

    def broken_by(self, message: str) -> bool:
        if self.option_of is not None:
            return repr(self.target.partition(".")[2]) in message and repr(self.option_of) in message
        return any(repr(i) in message for i in self.ids)


def load_bank(ref: str | Path, search: Sequence[Path] = (), *, by_id: bool = False) -> LoadedBank:
    """Load a bank by path, or by id among ``search`` folders and the shipped banks.

    ``by_id`` for an id read from a file (an answers file's ``bank.id``): it is only ever looked up among
    the banks of those folders, never opened as a path, so a file cannot make pipia read another file.
    Raises BankError with every problem found, or NotFoundError when there is no such bank.
    """
    path = find_bank_by_id(str(ref), search) if by_id else find_bank(ref, search)
    with paused_gc():
        cached = _cached_bank(path)
    if cached is not None:
        return cached
    problems: list[Problem] = []
    with _recording() as reads:
        loaded = _load(path, problems)
    if loaded is None or any(p.level == "error" for p in problems):
        raise BankError(problems)
    if loaded.sources is not None:
        cache.store("bank", path, loaded, [(p.resolve(), sha) for p, sha in reads.items()])
    return loaded


# The files a load read, each with its SHA-256, while a bank is being loaded for the cache (see
# ``cache``); None otherwise.
_reads: ContextVar[dict[Path, str] | None] = ContextVar("pipia_loader_reads", default=None)


@contextmanager
def _recording() -> Iterator[dict[Path, str]]:
    reads: dict[Path, str] = {}
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def _read(path: Path, limits: Any) -> tuple[Any, list[Problem]]:
    """``read_file`` of YAML, recording the file's digest when a load is being recorded."""
    reads = _reads.get()
    if reads is None:
        return read_file(path, limits, "yaml")
    received: list[str] = []
    data, problems = read_file(path, limits, "yaml", received=lambda _, raw: received.append(cache.digest(raw)))
    if received:
        reads[path] = received[0]
    return data, problems


def _cached_bank(path: Path) -> LoadedBank | None:
    """The bank at ``path`` as a former load validated it, from the cache; None on any miss."""
    entry = cache.lookup("bank", path, LoadedBank)
    if entry is None:
        return None
    cached: LoadedBank = entry.value  # type: ignore[assignment]
    return LoadedBank(cached.bank, cached.sources, cached.destinations, path, cached.files)


def lint(paths: Iterable[Path], today: dt.date | None = None) -> list[Problem]:
    """Every problem in the given banks (and the libraries they use), warnings included.

    With ``today``, destination profiles last checked more than 12 months before it are warned about too
    (laws abroad change; a stale profile misleads the destination-law questions).
    """
    problems: list[Problem] = []
    for path in paths:
        _load(Path(path), problems, today)
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path, p.message))


def find_bank(ref: str | Path, search: Sequence[Path] = ()) -> Path:
    """The file of a bank named on the command line or in ``extends:``: a path, or else an id."""
    candidate = Path(ref)
    # os.path's tests, which answer False for a path that cannot be looked at (a folder that may not be
    # searched, a name too long) rather than raise, as Path's do for all but a missing file.
    if candidate.suffix in (".yaml", ".yml") or os.path.exists(candidate):
        if not os.path.isfile(candidate):
            raise NotFoundError(msg("bank_no_such_file", path=str(candidate)))
        return candidate
    return find_bank_by_id(str(ref), search)


_BANK_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,99}\Z")


def find_bank_by_id(bank_id: str, search: Sequence[Path] = ()) -> Path:
    """The file of the bank whose ``id:`` is ``bank_id``, among ``search`` folders and the shipped banks.

    Raises NotFoundError, whose message never repeats more of ``bank_id`` than a valid id can hold.
    """
    shipped = {path: _declared_id(path) for path in shipped_banks()}
    known = ", ".join(sorted(filter(None, shipped.values())))
    if not _BANK_ID.match(bank_id):
        raise NotFoundError(msg("bank_not_an_id", value=_short(bank_id), known=known))
    # The shipped banks first: an answers file naming one never makes pipia open what else lies beside it.
    for path, declared in shipped.items():
        if declared == bank_id:
            return path
    for folder in [*search, questionnaires_dir()]:
        for path in sorted(Path(folder).glob("*.y*ml")):
            if _declared_id(path) == bank_id:
                return path
    raise NotFoundError(msg("bank_no_such_id", bank=repr(bank_id), known=known))


# A bank's top-level "id:" is among its first lines. Reading no more than this of each file keeps the
# search cheap whatever else lies in a folder: a 300 MB one-line file, a link to /dev/zero, a pipe.
ID_SCAN_BYTES = 64 * 1024


def _declared_id(path: Path) -> str | None:
    """The top-level ``id:`` in the first ``ID_SCAN_BYTES`` of a regular file, without parsing the bank."""
    try:
        head = read_regular(path, ID_SCAN_BYTES)
    except OSError:  # a folder, device or pipe named *.yaml, or a file that cannot be opened
        return None
    lines = head.decode("utf-8-sig", errors="replace").splitlines()
    if len(head) == ID_SCAN_BYTES:
        lines = lines[:-1]  # cut mid-line: an id there could be the start of a longer one
    for line in lines:
        if line.startswith("id:"):
            return line[3:].split("#", 1)[0].strip().strip("'\"")
    return None


def _load(path: Path, problems: list[Problem], today: dt.date | None = None) -> LoadedBank | None:
    with paused_gc():  # validation builds as many objects as parsing; see yamlio.paused_gc
        return _load_and_check(path, problems, today)


def _load_and_check(path: Path, problems: list[Problem], today: dt.date | None = None) -> LoadedBank | None:
    raw = _resolve(path, problems, chain=())
    if raw is None:
        return None
    bank = validate_model(Bank, raw.data, problems, str(path))
    sources = load_library(SourceRegistry, raw.sources, problems)
    destinations = load_library(DestinationLibrary, raw.destinations, problems) if raw.destinations else None
    if bank is None or sources is None:
        return None
    # removal -> what is wrong (keyed by its English) -> (the problem, the places of its uses)
    broken: dict[_Removal, dict[str, tuple[Message, list[Place]]]] = {}
    found: list[tuple[Sequence[int | str], Message, str]] = list(crossref.check(bank, sources, destinations))
    found += [(steps, said, "error") for steps, said in roles.check(bank)]
    for path_steps, said, severity in found:
        # The English text quotes the ids the problem names, as repr; that is what ``broken_by`` looks for.
        message = said("en")
        removal = next((r for r in raw.removed if severity == "error" and r.broken_by(message)), None)
        if removal is None:
            problems.append(_problem(raw.data, path_steps, said, str(path), severity))
        else:  # the fault is the removal, not the base bank's line that still refers to what it removed
            places = broken.setdefault(removal, {}).setdefault(message, (said, []))[1]
            place = _place(bank, path_steps)
            if place("en") not in [p("en") for p in places]:  # a condition naming the id twice is one use
                places.append(place)
    for removal, uses in broken.items():
        # Grouped by what is wrong, so that every place using the id fits in one bounded message.
        listed = Localized.of(_uses("zh", uses.values()), _uses("en", uses.values()))
        roles_too = any(place("en").startswith("roles.") for _, places in uses.values() for place in places)
        said = (msg("bank_removal_breaks_roles", target=repr(removal.target), uses=listed) if roles_too
                else msg("bank_removal_breaks", target=repr(removal.target), uses=listed))
        problems.append(Problem.of(removal.loc.file, removal.loc.line, removal.step, said, code="removal_breaks"))
    if today is not None and destinations is not None and raw.destinations is not None:
        data, _ = read_file(raw.destinations, LIBRARY, "yaml")
        for steps, stale in crossref.stale_profiles(destinations, today):
            problems.append(_problem(data, steps, stale, str(raw.destinations), "warning"))
    return LoadedBank(bank, sources, destinations, path, tuple(raw.files))


def _uses(lang: Lang, uses: Iterable[tuple[Message, list[Place]]]) -> str:
    """What a removal breaks, in ``lang``: each problem after the places it occurs at
    (``question 'a' show_if (refers to unknown question 'b')``), the problems one clause each."""
    return join(lang, [msg("bank_removal_use", places=join(lang, [p(lang) for p in places]), problem=said)(lang)
                       for said, places in uses], between="clauses")


def _place(bank: Bank, steps: Sequence[int | str]) -> Place:
    """``sections[1].questions[3].show_if`` as ``question 'transfer_way' show_if``: what a bank author knows."""
    if len(steps) >= 4 and steps[0] == "sections" and steps[2] == "questions":
        si, qi = steps[1], steps[3]
        if isinstance(si, int) and isinstance(qi, int) and si < len(bank.sections) and \
                qi < len(bank.sections[si].questions):
            question, rest = repr(bank.sections[si].questions[qi].id), format_path(steps[4:])
            if rest:
                return msg("bank_place_question_at", question=question, rest=rest)
            return msg("bank_place_question", question=question)
    return Localized.of(format_path(steps), format_path(steps))  # a path reads the same in either language


def _problem(data: Any, steps: Sequence[int | str], said: Message, file: str,
             severity: Any = "error") -> Problem:
    loc = locate(data, steps) or Loc(file, 1)
    return Problem.of(loc.file, loc.line, format_path(steps), said, severity)


_library_cache: dict[tuple[type[BaseModel], Path, float], tuple[Any, list[Problem], str]] = {}


def load_library(model: type[M], path: Path, problems: list[Problem]) -> M | None:
    """Load a shared library file (sources registry, destination profiles); cached by modification time."""
    try:
        key = (model, path.resolve(), path.stat().st_mtime)
    except OSError:
        problems.append(Problem.of(str(path), None, "", msg("bank_library_not_found", model=model.__name__),
                                   code="not_found"))
        return None
    if key not in _library_cache:
        cached = _cached_library(model, path)
        if cached is not None:
            _library_cache[key] = cached
    if key not in _library_cache:
        found: list[Problem] = []
        received: list[str] = []
        data, found = read_file(path, LIBRARY, "yaml",
                                received=lambda _, raw: received.append(cache.digest(raw)))
        result = None if data is None else validate_model(model, data, found, str(path))
        if result is not None:
            for steps, message, _ in crossref.check_library(result):
                found.append(_problem(data, steps, message, str(path)))
        _library_cache[key] = (result, found, received[0] if received else "")
        if result is not None and not found and received:
            cache.store(f"library-{model.__name__}", path, result, [(path.resolve(), received[0])])
    result, found, sha = _library_cache[key]
    reads = _reads.get()
    if reads is not None and sha:
        reads[path] = sha
    problems.extend(found)
    return result  # type: ignore[no-any-return]


def _cached_library(model: type[M], path: Path) -> tuple[M, list[Problem], str] | None:
    """A library that loaded without a problem, as validated then, from the cache; None on any miss."""
    with paused_gc():
        entry = cache.lookup(f"library-{model.__name__}", path, model)
    if entry is None:
        return None
    result: M = entry.value  # type: ignore[assignment]
    return result, [], entry.files[0][1]


def _resolve(path: Path, problems: list[Problem], chain: tuple[Path, ...]) -> _Raw | None:
    data, found = _read(path, BANK)
    problems.extend(found)
    if data is None:
        return None
    if not isinstance(data, LocDict):
        problems.append(Problem.of(str(path), 1, "", msg("bank_not_a_mapping")))
        return None
    base_ref = data.get("extends")
    sources = path.parent / str(data.get("sources", "library/sources.yaml"))
    destinations = path.parent / str(data["destinations"]) if data.get("destinations") else None
    if base_ref is None:
        stray = [k for k in PATCH_KEYS if k in data]
        for key in stray:
            problems.append(_problem(data, [key], msg("bank_patch_needs_extends", key=key), str(path)))
        return _Raw(data, path, sources, destinations, [path])
    if not isinstance(base_ref, str):
        problems.append(_problem(data, ["extends"], msg("bank_extends_not_text"), str(path)))
        return None
    try:
        base_path = find_bank(base_ref, [path.parent])
    except NotFoundError as exc:
        problems.append(_problem(data, ["extends"], msg("bank_cannot_extend", reason=exc.said or str(exc)),
                                 str(path)))
        return None
    if base_path.resolve() in {p.resolve() for p in (*chain, path)}:
        problems.append(_problem(data, ["extends"], msg("bank_extends_cycle", path=str(base_path)), str(path)))
        return None
    base = _resolve(base_path, problems, (*chain, path))
    if base is None:
        problems.append(_problem(data, ["extends"], msg("bank_base_broken", base=repr(base_ref)), str(path)))
        return None
    for key in ("id", "version"):
        if key not in data:
            problems.append(_problem(data, [], msg("bank_extending_needs", key=key), str(path)))
    removed: list[_Removal] = []
    merged = _apply_patches(base.data, data, str(path), problems, removed)
    return _Raw(
        merged,
        path,
        sources if "sources" in data else base.sources,
        destinations if "destinations" in data else base.destinations,
        [path, *base.files],
        [*base.removed, *removed],
    )


def _apply_patches(base: LocDict, child: LocDict, file: str, problems: list[Problem],
                   removed: list[_Removal]) -> LocDict:
    """Profile-style resolution: the child's own fields replace the base's, then remove/override/add."""
    merged = copy.deepcopy(base)
    for key, value in child.items():
        if key in MERGED and isinstance(value, LocDict) and isinstance(merged.get(key), LocDict):
            for entry, named in value.items():  # entry by entry, each located where it was set
                merged[key][entry] = named
                merged[key].key_locs[entry] = value.key_locs[entry]
        elif key not in PATCH_KEYS:
            merged[key] = value
            merged.key_locs[key] = child.key_locs[key]
            carry_written(child, key, merged)
    sections = merged.setdefault("sections", LocList())

    def fail(steps: list[int | str], said: Message) -> None:
        problems.append(_problem(child, steps, said, file))

    for i, target in enumerate(_as_list(child.get("remove"))):
        found = _find(sections, target)
        if found is None:
            fail(["remove", i], msg("bank_nothing_to_remove", target=repr(target)))
        else:
            container, index = found
            removed.append(_removal(child, i, str(target), container[index], file))
            del container[index]
            del container.item_locs[index]
    for target, changes in (child.get("override") or {}).items():
        found = _find(sections, target) or _find_listed(merged, target)
        if found is None:
            fail(["override", target], msg("bank_nothing_to_override", target=repr(target)))
            continue
        if not isinstance(changes, LocDict) or "id" in changes or "value" in changes:
            fail(["override", target], msg("bank_override_not_mapping"))
            continue
        container, index = found
        updated = copy.copy(container[index])
        updated.key_locs = dict(container[index].key_locs)
        updated.written = dict(container[index].written or {})
        for key, value in changes.items():
            updated[key] = value
            updated.key_locs[key] = changes.key_locs[key]
            carry_written(changes, key, updated)
        container[index] = updated
    for i, entry in enumerate(_as_list(child.get("add"))):
        _add(sections, entry, ["add", i], fail)
    return merged


def _removal(child: LocDict, index: int, target: str, node: Any, file: str) -> _Removal:
    loc = locate(child, ["remove", index]) or Loc(file, 1)
    step = format_path(["remove", index])
    kind = _kind(node) if isinstance(node, dict) else "question"
    if kind == "option":
        return _Removal(loc, step, target, (), target.partition(".")[0])
    if kind == "section":
        questions = node.get("questions") if isinstance(node.get("questions"), list) else []
        return _Removal(loc, step, target, tuple(str(q.get("id")) for q in questions if isinstance(q, dict)))
    return _Removal(loc, step, target, (target,))


def _add(sections: LocList, entry: Any, steps: list[int | str], fail: Any) -> None:
    if not isinstance(entry, LocDict):
        fail(steps, msg("bank_add_not_mapping"))
        return
    kinds = [k for k in ("section", "question", "option") if k in entry]
    if len(kinds) != 1:
        fail(steps, msg("bank_add_one_kind"))
        return
    kind = kinds[0]
    if kind == "section":
        siblings: Any = sections
    else:
        parent = _find(sections, str(entry.get("into", "")))
        expected = "section" if kind == "question" else "question"
        if parent is None or _kind(parent[0][parent[1]]) != expected:
            into = repr(entry.get("into"))
            fail([*steps, "into"], msg("bank_add_into_question" if expected == "question" else "bank_add_into_section",
                                       got=into))
            return
        container, index = parent
        key = "questions" if kind == "question" else "options"
        siblings = container[index].setdefault(key, LocList())
    anchor = entry.get("after", entry.get("before"))
    position = len(siblings)
    if anchor is not None:
        ids = [_node_id(x) for x in siblings]
        if anchor not in ids:
            fail([*steps, "after" if "after" in entry else "before"], msg("bank_add_no_anchor", anchor=repr(anchor)))
            return
        position = ids.index(anchor) + (1 if "after" in entry else 0)
    siblings.insert(position, entry[kind])
    siblings.item_locs.insert(position, entry.key_locs[kind])


def _kind(node: dict[str, Any]) -> str:
    return "question" if "type" in node else "option" if "value" in node else "section"


def _node_id(node: Any) -> Any:
    return node.get("id", node.get("value")) if isinstance(node, dict) else None


LISTED = ("coverage", "dimensions", "repeat_groups")


def _find_listed(bank: LocDict, target: str) -> tuple[Any, int] | None:
    """Locate a coverage item, dimension or repeat group by its id, so a derived bank can change one
    without restating the whole list. Sections, questions and options are looked up first: a section
    and a dimension often share an id, and the section is what a bank author usually means."""
    for key in LISTED:
        items = bank.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == target:
                return items, index
    return None


def _find(sections: LocList, target: str) -> tuple[Any, int] | None:
    """Locate a section, a question or an option ('question.value') in raw bank data."""
    question_id, _, option_value = str(target).partition(".")
    for si, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        if section.get("id") == target:
            return sections, si
        questions = section.get("questions") or []
        for qi, question in enumerate(questions):
            if not isinstance(question, dict) or question.get("id") != question_id:
                continue
            if not option_value:
                return questions, qi
            options = question.get("options") or []
            for oi, option in enumerate(options):
                if isinstance(option, dict) and option.get("value") == option_value:
                    return options, oi
    return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def validate_model(model: type[M], data: Any, problems: list[Problem], file: str) -> M | None:
    """Validate raw YAML data against a model, turning every pydantic error into a located problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            steps = [s for s in error["loc"] if isinstance(s, int | str) and not str(s).startswith("function-")]
            steps += field_path(error)  # a check across fields blames one key: report it there
            text = written_text(data, steps)  # 1.10 as written, not the float 1.1 YAML made of it
            problems.append(_problem(data, steps, explain(error, text), file))
        return None


def explain(error: Any, written: str | None = None) -> Message:
    """A pydantic error in words a bank author understands, with what was expected, by the error's ``type``.

    ``written``: the value's text in the file when YAML read it as something else (``1.10``, ``On``), so a
    hint to quote it quotes what the author typed, not the number or boolean it became. A check across
    fields (``FieldError``) brings its own catalogue text; pydantic's own English words are quoted for the
    rare errors no catalogue text is written for.
    """
    kind, loc, given = error["type"], error["loc"], error.get("input")
    last = str(loc[-1]) if loc else ""
    said = field_said(error)
    if said is not None:
        return said
    if kind == "missing":
        return msg("bank_missing_text", field=last) if last in ("zh", "en") else msg("bank_missing_field")
    if kind == "extra_forbidden":
        return msg("bank_unknown_field", field=repr(last))
    if isinstance(given, bool) and kind in ("string_type", "string_pattern_mismatch", "literal_error"):
        return msg("bank_boolean_for_text", value=shown(given, written))
    if kind == "string_type" and isinstance(given, int | float):
        return msg("bank_number_for_text", number=shown(given, written))
    if kind == "string_pattern_mismatch":
        return msg("bank_invalid_id", value=repr(given), pattern=error.get("ctx", {}).get("pattern", "an id"))
    expected = _expected(kind, error.get("ctx") or {}, _value(given, written))
    if expected is not None:
        return expected
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    detail = f"{message[:1].lower()}{message[1:]}"
    if isinstance(given, dict) or field_path(error):  # a check across fields: its message names them
        return msg("bank_invalid_across", detail=detail)
    return msg("bank_invalid_value", detail=detail, value=_short(given, written))


# pydantic's own checks, by error type: what each expects, in the catalogue's words (the English as
# pydantic says it, which the tests and users' scripts have long matched). Filled with the value found.
_BOUNDS = {"greater_than_equal": ("ge", msg("bank_expected_at_least")),
           "less_than_equal": ("le", msg("bank_expected_at_most")),
           "greater_than": ("gt", msg("bank_expected_above")), "less_than": ("lt", msg("bank_expected_below"))}
_BOOLEAN, _INTEGER, _NUMBER = msg("bank_expected_boolean"), msg("bank_expected_integer"), msg("bank_expected_number")
_DATE, _LIST, _MAPPING = msg("bank_expected_date"), msg("bank_expected_list"), msg("bank_expected_mapping")
_EXPECTED = {
    "bool_type": _BOOLEAN, "bool_parsing": _BOOLEAN,
    "int_type": _INTEGER, "int_parsing": _INTEGER, "int_from_float": _INTEGER,
    "float_type": _NUMBER, "float_parsing": _NUMBER,
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE, "date_from_datetime_inexact": _DATE,
    "tuple_type": _LIST, "list_type": _LIST,
    "dict_type": _MAPPING, "model_type": _MAPPING, "model_attributes_type": _MAPPING,
}


def _expected(kind: str, ctx: dict[str, Any], value: Message | str) -> Message | None:
    """The catalogue text for one of pydantic's own checks; None for a kind no text is written for."""
    if kind in _BOUNDS:
        bound, said = _BOUNDS[kind]
        limit = ctx.get(bound)
        return said.fill(limit=str(int(limit)) if isinstance(limit, float) and limit.is_integer() else str(limit),
                         value=value)
    if kind in ("literal_error", "enum") and "expected" in ctx:
        english = str(ctx["expected"])  # 'a', 'b' or 'c'
        choices = re.findall(r"'([^']*)'", english)
        listed = Localized.of(join("zh", [repr(c) for c in choices]), english) if choices else english
        return msg("bank_expected_one_of", expected=listed, value=value)
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return msg("bank_expected_some_text")
    if kind == "too_short" and ctx.get("min_length") == 1:
        return msg("bank_expected_some_items")
    expected = _EXPECTED.get(kind)
    return expected.fill(value=value) if expected is not None else None


def _value(given: Any, written: str | None) -> Message | str:
    """The value found, as the file wrote it; a mapping, a list or nothing named in the user's language."""
    if isinstance(given, dict):
        return msg("bank_value_mapping")
    if isinstance(given, list | tuple):
        return msg("bank_value_list")
    if given is None:
        return msg("bank_value_nothing")
    return _short(given, written)


def _short(value: Any, written: str | None = None) -> str:
    text = shown(value, written)  # as the file wrote it (1.10, On, 2025-7-1), never a Python repr
    return text if len(text) <= 60 else text[:57] + "..."
