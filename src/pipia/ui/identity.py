"""Who is using the app in this browser session: the one local user, or whoever signed in (see pipia.team.signin).

The user is looked up once per browser session and kept in it; what they may do is checked by the store
at every call, so a role granted or taken back counts at once.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pipia.store import Directory, Store, User
from pipia.store.access import user_id
from pipia.team.signin import SignIn, settings

_USER = "pipia.user"


def current(base: Callable[[], Store]) -> User | None:
    """The user of this session, signed in (created at the first sign-in); None when nobody has signed in.
    ``base`` gives the store, asked only when the user is not known yet (a rerun asks several times)."""
    config = settings()
    cached: User | None = st.session_state.get(_USER)
    if config.mode == "local":
        if cached is None:
            cached = st.session_state[_USER] = Directory(base()).local_user()
        return cached
    email, name = signed_in_as(config)
    if email is None:
        st.session_state.pop(_USER, None)
        return None
    if cached is not None and cached.id == user_id(email):
        return cached
    user: User = Directory(base()).sign_in(email, name, admin_email=config.admin_email)
    st.session_state[_USER] = user
    return user


def signed_in_as(config: SignIn) -> tuple[str | None, str]:
    """(e-mail address, display name) of whoever signed in, from the identity provider or the proxy."""
    if config.mode == "oidc":
        if not st.user.is_logged_in:
            return None, ""
        email = st.user.get("email")
        name = st.user.get("name") or st.user.get("preferred_username") or ""
        return (str(email) if email else None), str(name)
    if config.mode == "header":
        headers = st.context.headers
        return _header_text(headers.get(config.header)) or None, _header_text(headers.get(config.name_header))
    return None, ""


def _header_text(value: str | None) -> str:
    """A header value as the proxy meant it: HTTP carries bytes that servers read as Latin-1, while
    proxies send names (王五) as UTF-8."""
    if not value:
        return ""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:  # not UTF-8 bytes after all: keep what arrived
        return value


def forget() -> None:
    """Drop the session's user (signing out)."""
    st.session_state.pop(_USER, None)
