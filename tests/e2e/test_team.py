"""A team server end to end: PostgreSQL, OpenID Connect sign-in through a real provider process
(oidc-provider-mock), and people in separate browsers, each with their role.

Needs PIPIA_TEST_POSTGRES_URL (as .ci/run sets it) and Debian's chromium; skipped otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pipia.bank.loader import load_bank
from pipia.report import build_report_context
from pipia.store import Directory, Store, UserStore
from pipia.team.tracking import Tracking

from ..store_support import postgres_schema
from .drive import choose, settle, widget
from .proxy import HeaderProxy
from .server import VIEWPORT, Server, free_port, needs_chromium

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
PEOPLE = {"admin@example.com": "Ada Admin", "editor@example.com": "张编辑", "reviewer@example.com": "李审核",
          "approver@example.com": "赵批准", "viewer@example.com": "Vic Viewer", "stranger@example.com": "Sam Stranger"}


@pytest.fixture
def database() -> Iterator[str]:
    """A PostgreSQL schema of its own, dropped afterwards."""
    with postgres_schema("pipia_e2e") as url:
        yield url


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[str]:
    """oidc-provider-mock in a process of its own; returns its issuer URL."""
    port = free_port()
    users = [json.dumps({"sub": email, "email": email, "name": name}) for email, name in PEOPLE.items()]
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"]
    for user in users:
        args += ["--user-claims", user]
    with (tmp_path / "oidc.log").open("ab") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "oidc.log").read_text(errors="replace")) from None
            time.sleep(0.2)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def team_server(tmp_path: Path, database: str, provider: str) -> Iterator[Server]:
    """The app as a team runs it: PostgreSQL, sign-in through the provider, admin@example.com the admin."""
    app = Server(tmp_path / "data", tmp_path / "streamlit.log")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app.port}/oauth2callback"\n'
        f'cookie_secret = "{uuid.uuid4().hex}{uuid.uuid4().hex}"\n'
        'client_id = "pipia"\n'
        'client_secret = "pipia-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    app.env = {"PIPIA_DATABASE_URL": database, "PIPIA_AUTH": "oidc", "PIPIA_ADMIN_EMAIL": "admin@example.com",
               # The test provider speaks plain HTTP on localhost; a real one is HTTPS.
               "AUTHLIB_INSECURE_TRANSPORT": "1"}
    app.args = (f"--secrets.files={secrets}",)
    app.start()
    yield app
    app.stop()


def signed_in(browser: Browser, server: Server, email: str) -> Page:
    """A new browser, signed in as ``email`` through the provider's sign-in form."""
    page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
    page.goto(server.url)
    settle(page)
    expect(page.get_by_text("请使用贵单位的账号登录", exact=False)).to_be_visible()
    widget(page, "pipia-sign-in").locator("button").click()
    page.wait_for_selector('input[name="sub"]', timeout=20_000)
    page.fill('input[name="sub"]', email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(server.url)), timeout=20_000)
    settle(page)
    expect(page.get_by_text(f"已登录：{PEOPLE[email]} <{email}>", exact=False)).to_be_visible()
    return page


def as_person(store: Store, email: str) -> UserStore:
    """The store as the signed-in person ``email`` sees it: their roles decide what they may do."""
    return UserStore(store, Directory(store).get(email))


def open_at(page: Page, server: Server, where: str, assessment: str) -> None:
    page.goto(f"{server.url}/{where}?a={assessment}")
    settle(page)


def click(page: Page, key: str) -> None:
    widget(page, key).locator("button").first.click()
    settle(page)


@pytest.mark.seconds(24)
def test_a_team_takes_an_assessment_from_submission_to_approval(browser: Browser, team_server: Server,
                                                                database: str) -> None:
    admin = signed_in(browser, team_server, "admin@example.com")
    with Store(database) as store:
        assert Directory(store).get("admin@example.com").admin
        (sample,) = store.list_assessments()  # the shipped sample, seeded with no owner: the admin's to hand out
        for email in ("reviewer@example.com", "approver@example.com", "viewer@example.com"):
            UserStore(store, Directory(store).get("admin@example.com")).grant(
                sample.id, email, email.split("@")[0])  # type: ignore[arg-type]
    a = sample.id

    # The admin gives the editor role in the members panel.
    widget(admin, f"menu-{a}").locator("button").first.click()
    settle(admin)
    click(admin, f"team-{a}-open")
    field = widget(admin, f"grant-email-{a}").locator("input")
    field.fill("editor@example.com")
    field.press("Tab")
    settle(admin)
    widget(admin, f"grant-role-{a}").get_by_role("combobox").click()
    admin.locator('[role="option"]').filter(has_text=re.compile("^编辑$")).click()
    settle(admin)
    click(admin, f"grant-{a}")
    expect(admin.get_by_text("已授予 editor@example.com：编辑")).to_be_visible()

    # The editor submits every section; the reviewer sends the first back with a comment and accepts the rest.
    # Each takes the first section's step in the page and the others' through the store, as the same person:
    # one section shows that their role lets them; clicking through every section, each a rerun of the page,
    # is what test_app_review's walk through the whole review does.
    editor = signed_in(browser, team_server, "editor@example.com")
    expect(editor.locator(f".st-key-row-{a}")).to_be_visible()
    open_at(editor, team_server, "review", a)
    sections = [k.removeprefix("st-key-review-submit-") for k in editor.locator('[class*="st-key-review-submit-"]')
                .evaluate_all("els => els.map(e => [...e.classList].find(c => c.startsWith('st-key-review-submit-')))")]
    assert len(sections) > 3
    first = sections[0]
    click(editor, f"review-submit-{first}")
    expect(widget(editor, f"review-{first}")).to_contain_text("待审核")
    with Store(database) as store:
        for section in sections[1:]:
            as_person(store, "editor@example.com").submit(a, section)
    reviewer = signed_in(browser, team_server, "reviewer@example.com")
    open_at(reviewer, team_server, "review", a)
    choose(reviewer, f"review-verdict-{first}", "需更正")
    comment = widget(reviewer, f"review-comment-{first}").locator("input")
    comment.fill("处理者名称与营业执照不一致")
    comment.press("Tab")
    settle(reviewer)
    click(reviewer, f"review-record-{first}")
    with Store(database) as store:
        for section in sections[1:]:
            as_person(store, "reviewer@example.com").assess_section(a, section, "acceptable")

    # Sent back: the editor sees why and submits it again; the reviewer accepts it.
    editor.reload()
    settle(editor)
    expect(editor.get_by_text("处理者名称与营业执照不一致", exact=False)).to_be_visible()
    click(editor, f"review-submit-{first}")
    reviewer.reload()
    settle(reviewer)
    click(reviewer, f"review-record-{first}")

    # The approver records the DPO opinion and approves with the three attestations.
    approver = signed_in(browser, team_server, "approver@example.com")
    open_at(approver, team_server, "review", a)
    approver.locator(".st-key-review-dpo textarea").fill("同意按整改计划出境。")
    approver.locator(".st-key-review-dpo textarea").press("Tab")
    settle(approver)
    click(approver, "review-dpo-save")
    for i in (1, 2, 3):
        widget(approver, f"review-attest-{i}").locator("label").first.click()
        settle(approver)
    version = widget(approver, "review-version").locator("input")
    version.fill("2026 年度评估（已批准）")
    version.press("Tab")
    settle(approver)
    click(approver, "review-approve")
    expect(approver.get_by_text("版本“2026 年度评估（已批准）”", exact=False)).to_be_visible()

    with Store(database) as store:
        as_viewer = UserStore(store, Directory(store).get("viewer@example.com"))
        review = as_viewer.review(a)
        assert review.approved
        authors = {e.kind: e.author for e in review.events}
        assert authors == {"submitted": "editor@example.com", "to_be_corrected": "reviewer@example.com",
                           "acceptable": "reviewer@example.com", "dpo_opinion": "approver@example.com",
                           "approved": "approver@example.com"}
        assert [r.name for r in as_viewer.revisions(a, named_only=True)] == ["2026 年度评估（已批准）"]
        stored = as_viewer.get(a)
        loaded = load_bank(stored.answers.bank.id)
        context = build_report_context(loaded, stored.answers, "zh", Tracking(review=review))
        names = {(r["role"], r["name"]) for r in context["annex"]["approval"]["signoffs"]}
        assert {("评估人员", "张编辑"), ("审核人", "李审核"), ("个人信息保护负责人", "赵批准"), ("批准人", "赵批准")} <= names
        assert context["cover"]["draft"] is False

    # A viewer reads but cannot change anything.
    viewer = signed_in(browser, team_server, "viewer@example.com")
    open_at(viewer, team_server, "review", a)
    assert viewer.locator('[class*="st-key-review-submit-"]').count() == 0
    assert viewer.locator(".st-key-review-approve").count() == 0
    open_at(viewer, team_server, "route", a)
    choose(viewer, "w-processor_is_ciio", "是")
    expect(viewer.get_by_text("您在此评估中的角色只能查看，修改未保存。")).to_be_visible()
    with Store(database) as store:
        assert store.get(a).revision == stored.revision
        assert store.get(a).answers == stored.answers

    # Someone with no role gets nothing: not in the list, not through a crafted URL.
    stranger = signed_in(browser, team_server, "stranger@example.com")
    expect(stranger.locator(f".st-key-row-{a}")).to_have_count(0)
    open_at(stranger, team_server, "questionnaire", a)
    expect(stranger.get_by_text("链接中的评估不存在", exact=False)).to_be_visible()
    assert stored.organisation not in stranger.locator('[data-testid="stApp"]').inner_text()


@pytest.mark.seconds(5)
def test_behind_an_authenticating_proxy_the_user_comes_from_its_header(browser: Browser, tmp_path: Path) -> None:
    app = Server(tmp_path / "data", tmp_path / "streamlit.log", env={"PIPIA_AUTH": "header"})
    app.start()
    try:
        with HeaderProxy(app.url, {"X-Forwarded-Email": "DPO@Example.com",
                                   "X-Forwarded-Preferred-Username": "王五"}) as proxy:
            proxied = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
            proxied.goto(proxy.url)
            settle(proxied)
            expect(proxied.get_by_text("已登录：王五 <dpo@example.com>", exact=False)).to_be_visible()
            expect(proxied.locator("h1")).to_have_text("评估列表")
        direct = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        direct.goto(app.url)
        settle(direct)
        expect(direct.get_by_text("未收到反向代理提供的用户身份", exact=False)).to_be_visible()
        assert direct.locator('[data-testid="stSidebarNav"]').count() == 0
    finally:
        app.stop()
