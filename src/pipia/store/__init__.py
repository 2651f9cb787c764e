"""Where assessments live: a database (SQLite by default, PostgreSQL for a team) with full history.

    store = Store.from_env()            # PIPIA_DATABASE_URL, or SQLite in PIPIA_DATA_DIR (~/.pipia)
    store.seed_samples()                # a store that never had an assessment gets the shipped sample
    a = store.create(answers)           # revision 1
    a = store.save(a.id, edited, a.revision)   # every change: the next revision, or ConflictError

Design, in short:

- **Autosave with history.** Every save that changes something is one committed transaction that writes
  the current answers and appends a revision row; a save that changes nothing writes nothing.
- **Two tabs.** ``save`` takes the revision the editor started from. If another tab saved meanwhile,
  the save is refused with ConflictError, which carries the current answers and revision; the refused
  answers are not dropped but kept in the history as a ``conflict`` revision, so the user can compare
  them with the current ones and restore either. Nothing a user typed is ever discarded silently.
- **Named versions.** ``snapshot`` names a revision; ``diff`` lists what changed between any two;
  ``restore`` makes an old revision current again as a *new* revision (history is append-only).
- **Bounded history.** Autosaves are kept all for a day, then the last of each hour until ``keep_days``
  (30), then the last of each day. Named, conflict, first and current revisions are kept for good.
  Thinning runs every ``PRUNE_EVERY`` revisions of an assessment and on ``prune()``. A stored revision is
  the whole answers text (tens of kB for a full bank): simple to read back and to restore, and the
  thinning keeps a busy assessment to a few hundred revisions.
- **Exact round trip.** Answers are stored as JSON in the answers file's shape with dates kept typed
  (see codec), so what ``get`` returns equals what was saved.
- **Self-migrating schema.** See schema: ordered migrations recorded in ``pipia_schema_version``.
- **Roles.** ``UserStore(store, user)`` is the store as one user may use it (see access): a team server
  hands every page one, so each call is checked against the user's roles on the assessment.
"""

from pipia.store.access import (
    LOCAL_USER_ID,
    PERMISSIONS,
    ROLES,
    AccessDeniedError,
    Directory,
    Grant,
    Permission,
    Role,
    User,
    UserStore,
)
from pipia.store.assessments import KEEP_DAYS, PRUNE_EVERY, Store
from pipia.store.database import DATA_DIR_VAR, DATABASE_URL_VAR, data_dir, default_url
from pipia.store.diff import Change, diff_answers
from pipia.store.errors import (
    ConflictError,
    DamagedAnswersError,
    SchemaTooNewError,
    StoreError,
    StoreUnavailableError,
    UnknownAssessmentError,
    UnknownRevisionError,
)
from pipia.store.merge import Clash, Merge, Side, merge
from pipia.store.records import Assessment, Completeness, ListPage, Revision, Summary
from pipia.store.schema import MIGRATIONS, Migration

__all__ = [
    "DATABASE_URL_VAR",
    "DATA_DIR_VAR",
    "KEEP_DAYS",
    "LOCAL_USER_ID",
    "MIGRATIONS",
    "PERMISSIONS",
    "PRUNE_EVERY",
    "ROLES",
    "AccessDeniedError",
    "Assessment",
    "Change",
    "Clash",
    "Completeness",
    "ConflictError",
    "DamagedAnswersError",
    "Directory",
    "Grant",
    "ListPage",
    "Merge",
    "Migration",
    "Permission",
    "Revision",
    "Role",
    "SchemaTooNewError",
    "Side",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "Summary",
    "UnknownAssessmentError",
    "UnknownRevisionError",
    "User",
    "UserStore",
    "data_dir",
    "default_url",
    "diff_answers",
    "merge",
]
