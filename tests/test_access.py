"""Roles are enforced by the store itself: every call checks the user's roles on the assessment, on SQLite
and on PostgreSQL (PIPIA_TEST_POSTGRES_URL), so no page, URL parameter, import or export can go around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import MetaData

from pipia.store import (
    MIGRATIONS,
    AccessDeniedError,
    Directory,
    Role,
    Store,
    StoreError,
    UnknownAssessmentError,
    User,
    UserStore,
)
from pipia.store.codec import encode
from pipia.store.schema import _v1_tables, migrate
from pipia.team.actions import ActionRecord
from tests.store_support import answers

# What each role may do, written out as the specification (not derived from the code's table).
# Each operation is run by a user holding exactly one role; True: it goes through.
OPERATIONS: dict[str, Callable[[UserStore, str], Any]] = {
    "get": lambda s, a: s.get(a),
    "export": lambda s, a: s.export(a, "json"),
    "revisions": lambda s, a: s.revisions(a),
    "answers_at": lambda s, a: s.answers_at(a, 1),
    "diff": lambda s, a: s.diff(a, 1, 1),
    "grants": lambda s, a: s.grants(a),
    "duplicate": lambda s, a: s.duplicate(a),
    "save": lambda s, a: s.save(a, s.store.get(a).answers.with_value("consent", False), s.store.get(a).revision),
    "snapshot": lambda s, a: s.snapshot(a, "v1"),
    "restore": lambda s, a: s.restore(a, 1),
    "archive": lambda s, a: s.archive(a),
    "unarchive": lambda s, a: s.unarchive(a),
    "grant": lambda s, a: s.grant(a, "someone@example.com", "viewer"),
    "revoke": lambda s, a: s.revoke(a, "someone@example.com", "viewer"),
    "delete": lambda s, a: s.delete(a),
}
READ = {"get", "export", "revisions", "answers_at", "diff", "grants", "duplicate"}
EDIT = {"save", "snapshot", "restore"}
MANAGE = {"archive", "unarchive", "grant", "revoke", "delete"}
MAY: dict[Role, set[str]] = {
    "owner": READ | EDIT | MANAGE,
    "editor": READ | EDIT,
    "reviewer": READ,
    "approver": READ,
    "viewer": READ,
}


def team(store: Store) -> tuple[Directory, UserStore]:
    directory = Directory(store)
    owner = directory.sign_in("Owner@Example.com ", "Olga", admin_email="admin@example.com")
    return directory, UserStore(store, owner)


@pytest.mark.parametrize("role", list(MAY))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_each_role_may_do_exactly_what_it_is_for(store: Store, role: Role, operation: str) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    owner.grant(created.id, "member@example.com", role)
    member = UserStore(store, directory.sign_in("member@example.com", "Mia"))
    if operation in MAY[role]:
        OPERATIONS[operation](member, created.id)
    else:
        with pytest.raises(AccessDeniedError, match=r"user 'member@example\.com' may not"):
            OPERATIONS[operation](member, created.id)
        # Refused means nothing was written.
        assert store.get(created.id) == owner.get(created.id)
        assert len(store.revisions(created.id)) == 1


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_user_without_a_role_is_told_the_assessment_does_not_exist(store: Store, operation: str) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    stranger = UserStore(store, directory.sign_in("stranger@example.com"))
    with pytest.raises(UnknownAssessmentError):
        OPERATIONS[operation](stranger, created.id)
    assert stranger.list_assessments(include_archived=True) == []
    assert stranger.list_page(include_archived=True).stored == 0
    assert stranger.roles_on(created.id) == frozenset()


def test_a_user_lists_only_the_assessments_they_have_a_role_on(store: Store) -> None:
    directory, owner = team(store)
    mine, theirs = owner.create(answers(), title="mine"), owner.create(answers(), title="theirs")
    owner.grant(mine.id, "member@example.com", "viewer")
    member = UserStore(store, directory.sign_in("member@example.com"))
    assert [s.title for s in member.list_assessments()] == ["mine"]
    own = member.create(answers(), title="own")
    assert {s.title for s in member.list_assessments()} == {"mine", "own"}
    assert member.roles_on(own.id) == {"owner"}
    assert {s.title for s in owner.list_assessments()} == {"mine", "theirs"}
    assert theirs.id not in {s.id for s in member.list_assessments(include_archived=True)}
    page = member.list_page(count=1, include_archived=True)
    assert (page.matching, page.stored, len(page.rows)) == (2, 2, 1), "a page counts only what the user may see"
    assert [s.title for s in member.list_page(query="theirs").rows] == []


def test_the_configured_admin_sees_and_may_do_everything(store: Store) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    admin = directory.sign_in("ADMIN@example.com", "Ada", admin_email="admin@example.com")
    assert admin.admin
    as_admin = UserStore(store, admin)
    assert [s.id for s in as_admin.list_assessments()] == [created.id]
    for operation, run in OPERATIONS.items():
        if operation != "delete":
            run(as_admin, created.id)
    as_admin.delete(created.id)
    assert as_admin.list_assessments(include_archived=True) == [
        s for s in as_admin.list_assessments(include_archived=True) if s.id != created.id]


def test_admin_comes_only_from_the_configured_address_and_only_an_admin_grants_it(store: Store) -> None:
    directory, owner = team(store)
    assert not owner.user.admin
    assert not directory.sign_in("someone@example.com", admin_email="").admin
    with pytest.raises(AccessDeniedError):
        owner.set_admin("owner@example.com", True)
    admin = UserStore(store, directory.sign_in("admin@example.com", admin_email="admin@example.com"))
    admin.set_admin("owner@example.com", True)
    assert directory.get("owner@example.com").admin
    # Signing in again without the setting keeps what the admin granted.
    assert directory.sign_in("owner@example.com", "Olga").admin
    with pytest.raises(StoreError, match="own administrator right"):
        admin.set_admin("admin@example.com", False)


def test_the_user_id_is_the_address_in_lower_case_and_the_name_follows_the_provider(store: Store) -> None:
    directory = Directory(store)
    first = directory.sign_in("  Li.Lei@Example.COM", "李雷")
    again = directory.sign_in("li.lei@example.com", "李雷 (法务)")
    assert first.id == again.id == "li.lei@example.com"
    assert directory.get("li.lei@example.com").name == "李雷 (法务)"
    assert again.label == "李雷 (法务) <li.lei@example.com>"
    with pytest.raises(StoreError, match="e-mail"):
        directory.sign_in("   ")


def test_a_role_can_be_granted_before_the_first_sign_in_and_taken_back(store: Store) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    owner.grant(created.id, "New.Hire@example.com", "editor")
    owner.grant(created.id, "new.hire@example.com", "editor")  # twice is once
    owner.grant(created.id, "new.hire@example.com", "reviewer")
    grants = owner.grants(created.id)
    assert [(g.user.id, g.role, g.granted_by) for g in grants] == [
        ("new.hire@example.com", "editor", "owner@example.com"),
        ("new.hire@example.com", "reviewer", "owner@example.com"),
        ("owner@example.com", "owner", "owner@example.com")]
    hire = UserStore(store, directory.sign_in("new.hire@example.com", "Nina"))
    assert hire.roles_on(created.id) == {"editor", "reviewer"}
    owner.revoke(created.id, "new.hire@example.com", "editor")
    assert not hire.can(created.id, "edit")
    with pytest.raises(StoreError, match="Unknown role: boss"):
        owner.grant(created.id, "x@example.com", "boss")  # type: ignore[arg-type]


def test_a_role_taken_back_stops_the_very_next_call_of_a_session_already_open(store: Store) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    owner.grant(created.id, "new.hire@example.com", "editor")
    hire = UserStore(store, directory.sign_in("new.hire@example.com", "Nina"))
    saved = hire.save(created.id, answers(meta={"organisation": "Renamed"}), created.revision)
    owner.revoke(created.id, "new.hire@example.com", "editor")
    with pytest.raises(UnknownAssessmentError):
        hire.current_revision(created.id)
    owner.grant(created.id, "new.hire@example.com", "viewer")
    assert hire.current_revision(created.id) == saved.revision
    with pytest.raises(AccessDeniedError):
        hire.save(created.id, answers(meta={"organisation": "Renamed again"}), saved.revision)


def test_an_administrator_right_taken_back_stops_the_very_next_call_of_a_session_already_open(store: Store) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    admin = UserStore(store, directory.sign_in("admin@example.com", admin_email="admin@example.com"))
    admin.set_admin("deputy@example.com", True)
    deputy = UserStore(store, directory.sign_in("deputy@example.com", "Dora"))  # signed in as an admin
    saved = deputy.save(created.id, answers(meta={"organisation": "Renamed"}), created.revision)
    admin.set_admin("deputy@example.com", False)
    for call in (lambda: deputy.get(created.id), lambda: deputy.current_revision(created.id),
                 lambda: deputy.save(created.id, answers(), saved.revision), lambda: deputy.revisions(created.id)):
        with pytest.raises(UnknownAssessmentError):
            call()
    assert deputy.list_assessments() == [] and deputy.list_page().rows == []
    assert not deputy.can(created.id, "view")
    with pytest.raises(AccessDeniedError):
        deputy.set_admin("deputy@example.com", True)
    owner.grant(created.id, "deputy@example.com", "viewer")  # what a role gives, the right no longer adds to
    assert deputy.get(created.id).revision == saved.revision
    with pytest.raises(AccessDeniedError):
        deputy.save(created.id, answers(), saved.revision)


def test_an_admin_is_told_of_an_assessment_that_does_not_exist_as_anyone_is(store: Store) -> None:
    admin = UserStore(store, Directory(store).local_user())
    for run in (lambda: admin.current_revision("nowhere"), lambda: admin.get("nowhere"),
                lambda: admin.save("nowhere", answers(), 1), lambda: admin.revisions("nowhere")):
        with pytest.raises(UnknownAssessmentError):
            run()


def test_every_revision_records_who_made_it(store: Store) -> None:
    directory, owner = team(store)
    created = owner.create(answers())
    owner.grant(created.id, "editor@example.com", "editor")
    editor = UserStore(store, directory.sign_in("editor@example.com", "Eve"))
    saved = editor.save(created.id, created.answers.with_value("consent", False), created.revision)
    editor.restore(created.id, 1)
    with pytest.raises(Exception, match="changed elsewhere"):
        owner.save(created.id, created.answers.with_value("consent", None), saved.revision)
    assert [(r.revision, r.kind, r.author) for r in owner.revisions(created.id)] == [
        (4, "conflict", "owner@example.com"), (3, "save", "editor@example.com"),
        (2, "save", "editor@example.com"), (1, "save", "owner@example.com")]
    # The plain store (the CLI, the single-user app before sign-in existed) records no author.
    plain = store.save(created.id, created.answers.with_value("consent", None), 3)
    assert store.revisions(created.id)[0].revision == plain.revision
    assert store.revisions(created.id)[0].author is None


def test_the_single_user_app_is_one_local_admin(store: Store) -> None:
    created = store.create(answers())  # an assessment from before users existed (or a seeded sample)
    local = UserStore(store, Directory(store).local_user())
    assert local.user == User("local", "local", admin=True)
    assert [s.id for s in local.list_assessments()] == [created.id]
    local.save(created.id, created.answers.with_value("consent", False), 1)
    assert local.revisions(created.id)[0].author == "local"
    assert Directory(store).local_user() == local.user


def test_deleting_an_assessment_takes_its_roles_with_it(store: Store, db_url: str) -> None:
    _, owner = team(store)
    created = owner.create(answers())
    owner.grant(created.id, "viewer@example.com", "viewer")
    store.delete(created.id)  # the plain store too: nothing of it stays behind
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pipia_roles")).scalar_one() == 0
    engine.dispose()


@pytest.mark.empty_database
def test_a_version_1_database_gains_users_roles_and_authors_without_losing_anything(
        open_store: Callable[..., Store], db_url: str) -> None:
    # A database as pipia left it before users existed: version 1's tables, written as version 1 wrote them.
    engine = sa.create_engine(db_url)
    assert migrate(engine, MIGRATIONS[:1]) == 1
    v1 = MetaData()
    _, v1_assessments, v1_revisions = _v1_tables(v1)
    first, second = answers(), answers().with_value("consent", False)
    when = dt.datetime(2026, 1, 5, 9, 30)
    with engine.begin() as conn:
        conn.execute(sa.insert(v1_assessments).values(
            id="a" * 32, title="", organisation="示例公司", bank_id="tiny", bank_version="1.0", created_at=when,
            updated_at=when, archived=False, revision=2, last_revision=2, answers=encode(second)))
        conn.execute(sa.insert(v1_revisions), [
            {"assessment_id": "a" * 32, "revision": 1, "created_at": when, "kind": "save", "name": None,
             "based_on": None, "answers": encode(first)},
            {"assessment_id": "a" * 32, "revision": 2, "created_at": when, "kind": "save", "name": "v1 named",
             "based_on": 1, "answers": encode(second)}])
    engine.dispose()

    upgraded = open_store()
    created = saved = upgraded.get("a" * 32)
    assert saved.answers == second and saved.revision == 2
    assert upgraded.answers_at(created.id, 1) == first
    assert upgraded.schema_version == len(MIGRATIONS)
    assert upgraded.get(created.id) == saved
    assert [(r.revision, r.name, r.author) for r in upgraded.revisions(created.id)] == [
        (2, "v1 named", None), (1, None, None)]
    # Assessments from before sign-in have no owner: the admin sees them and hands them out.
    admin = UserStore(upgraded, Directory(upgraded).sign_in("a@example.com", admin_email="a@example.com"))
    admin.grant(created.id, "dpo@example.com", "owner")
    dpo = UserStore(upgraded, Directory(upgraded).sign_in("dpo@example.com"))
    edited = dpo.save(created.id, saved.answers.with_value("consent", True), saved.revision)
    assert dpo.revisions(created.id)[0].author == "dpo@example.com"
    assert edited.revision == 3


@pytest.mark.empty_database
@pytest.mark.parametrize("start", range(1, len(MIGRATIONS)))
def test_each_migration_applies_in_order_from_the_version_before_it(
        open_store: Callable[..., Store], db_url: str, start: int) -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), "numbered in order, no gap"
    engine = sa.create_engine(db_url)
    assert migrate(engine, MIGRATIONS[:start]) == start
    engine.dispose()
    upgraded = open_store()
    assert upgraded.schema_version == len(MIGRATIONS)
    # Every later table works: roles, the action plan, the review log.
    me = UserStore(upgraded, Directory(upgraded).sign_in("owner@example.com"))
    created = me.create(answers())
    me.grant(created.id, "owner@example.com", "reviewer")
    me.track(created.id, ActionRecord("gap:a", owner="李雷", status="in_progress"))
    me.dpo_opinion(created.id, "同意")
    assert me.actions(created.id)["gap:a"].owner == "李雷"
    assert me.review(created.id).dpo_opinion is not None
    assert me.roles_on(created.id) == {"owner", "reviewer"}



def test_a_refusal_of_the_store_is_said_in_the_users_language(store: Store) -> None:
    from pipia.ui.failures import store_message  # noqa: PLC0415

    directory, owner = team(store)
    created = owner.create(answers())
    admin = UserStore(store, directory.sign_in("admin@example.com", admin_email="admin@example.com"))
    refusals: list[tuple[Callable[[], Any], str, str]] = [
        (lambda: admin.set_admin("admin@example.com", False), "管理员不能收回自己的管理员权限",
         "An administrator cannot take back their own administrator right"),
        (lambda: owner.grant(created.id, "x@example.com", "boss"), "未知的角色：boss",  # type: ignore[arg-type]
         "Unknown role\\: boss"),  # as Markdown shows it, escaped
        (lambda: directory.sign_in("   "), "需要电子邮件地址", "needs an e\\-mail address"),
        (lambda: owner.snapshot(created.id, "  "), "请先输入版本名称", "Enter a name for the version"),
        (lambda: owner.set_admin("owner@example.com", True), "您的角色不能执行此操作", "Your role does not allow"),
    ]
    for refuse, zh, en in refusals:
        with pytest.raises(StoreError) as caught:
            refuse()
        assert zh in store_message(caught.value, "zh") and en in store_message(caught.value, "en")
