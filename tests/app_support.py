"""What the app tests share: the AppTest harness, its fixtures (``data_dir``, ``app``, registered for every
test module by tests/conftest.py) and helpers that drive pages and read them back.

Each test has its own database (a temporary PIPIA_DATA_DIR) and uses the small bank in tests/data/app,
which has every question type. AppTest runs the real app.py through a two-line harness that can open a
page directly (it has no sidebar to click); everything else is the app as a user gets it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.store import Store, default_url

ROOT = Path(__file__).resolve().parents[1]
APP_BANK = Path(__file__).parent / "data" / "app"


HARNESS = f"""
from pathlib import Path
import streamlit as st
from pipia.ui import nav, session
goto = st.session_state.pop("test.goto", None)
if goto is not None:
    st.switch_page(nav.page(goto, session.lang()))
exec(compile(Path({str(ROOT / "app.py")!r}).read_text(encoding="utf-8"), "app.py", "exec"))
"""
# Each AppTest start looks for Streamlit components in the metadata of every installed distribution (about
# 0.35 s of CPU, a fifth of the app tests' time). What is installed does not change while the tests run, so
# one look per process is enough; the app itself looks once per server start.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

TIMEOUT = 60  # the first run imports pandas and friends: far more than AppTest's default 3 s

App = Callable[..., AppTest]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("PIPIA_DATA_DIR", str(folder))
    monkeypatch.setenv("PIPIA_BANKS", str(APP_BANK))
    monkeypatch.delenv("PIPIA_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def app(data_dir: Path) -> App:
    """A new browser session on the app (the same database each time within a test)."""

    def start(query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_string(HARNESS, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return start


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.session_state["test.goto"] = page
    return run(at)


def store() -> Store:
    return Store(default_url())


def stored(assessment_id: str) -> Answers:
    with store() as s:
        return s.get(assessment_id).answers


def create(at: AppTest, organisation: str = "示例公司") -> str:
    """Create an assessment from the app test bank; returns its id (the app opens it on the route page)."""
    bank = at.radio(key="pipia-new-bank")
    bank.set_value(next(i for i, label in enumerate(bank.options) if label.startswith("应用测试题库")))
    at.text_input(key="pipia-new-organisation").input(organisation)
    at.button(key="pipia-create").click()
    run(at)
    assert at.title[0].value == "出境路径"
    return str(at.query_params["a"])


def menu(at: AppTest, assessment: str) -> AppTest:
    """Open an assessment's menu of actions (it draws its buttons only when open)."""
    at.session_state[f"menu-{assessment}"] = True
    return run(at)


def texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error,
                                            *at.success, *at.header, *at.subheader, *at.title])


VALID = """\
bank: {id: app-test, version: "1.0"}
meta: {organisation: 导入公司, assessment_date: 2026-03-01}
answers:
  processor_is_ciio: no
  individuals_non_sensitive: 120000
repeats:
  recipients:
    - {recipient_name: Acme Inc., recipient_country: us}
"""


def answered(data_dir: Path) -> str:
    """An assessment of the app test bank, partly answered, with a blocking finding and another one."""
    text = VALID.replace("answers:\n", "answers:\n  important_data: no\n  consent: no\n  pi_officer: no\n")
    answers, _ = answers_mod.parse(text, "a.yaml")
    with store() as s:
        return s.create(answers).id


# Markdown that would make every viewer's browser fetch a URL, render a link, or style text.
PAYLOAD = "![x](http://127.0.0.1:9/leak.png) [link](http://127.0.0.1:9/) **bold** :red[red] <img src=x>"


PIECES = ("![x](http", "[link](http", "**bold**", ":red[red]")  # any of them unescaped is Markdown read


MARKDOWN_FIELDS = {"body", "label", "help", "content"}  # what Streamlit renders as Markdown on any element


def markdown_texts(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown: bodies, labels, help, radio options."""
    found: list[str] = []

    def fields(message: Any) -> None:
        for descriptor, value in message.ListFields():
            items = value if getattr(descriptor, "is_repeated", False) else [value]
            for item in items:
                if hasattr(item, "ListFields"):
                    fields(item)
                elif isinstance(item, str) and descriptor.name in MARKDOWN_FIELDS:
                    found.append(f"{type(message).__name__}.{descriptor.name}: {item}")

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields") and type(node).__name__ != "Html":
            fields(proto)
            if type(node).__name__ == "Radio":
                found.extend(node.options)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)  # the whole element tree, whatever the element type
    return found


def assert_no_user_markdown(at: AppTest, where: str) -> None:
    leaks = [text for text in markdown_texts(at) if any(piece in text for piece in PIECES)]
    # HTML the app writes itself (the risk matrix) is not Markdown, but user text in it must be escaped.
    leaks += [str(h.proto.body) for h in at.get("html") if "<img src=x>" in str(h.proto.body)]
    assert not leaks, f"{where}: user text drawn as Markdown: {leaks}"

