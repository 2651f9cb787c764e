"""The sign-in gate of a team server, and who is signed in (sidebar). The single-user app has neither."""

from __future__ import annotations

import streamlit as st

from pipia.i18n import Lang
from pipia.team.signin import SignInConfigError, settings
from pipia.ui import identity, session
from pipia.ui.text import t
from pipia.ui.values import escape_markdown


def gate(lang: Lang) -> None:
    """Stop the run here until someone is signed in (team mode only)."""
    try:
        config = settings()
    except SignInConfigError as exc:
        st.error(t(lang, "sign_in_config", error=str(exc)))
        st.stop()
    if not config.team:
        return  # the single-user app: its one local user needs no sign-in, and pages work without the store
    if session.user() is not None:
        return
    st.title("pipia", anchor=False)
    email, _ = identity.signed_in_as(config)
    if config.mode == "header":
        st.error(t(lang, "sign_in_no_header"))
    elif st.user.is_logged_in and email is None:
        st.error(t(lang, "sign_in_no_email"))
        st.button(t(lang, "sign_out"), on_click=_sign_out, key="pipia-sign-out")
    else:
        st.write(t(lang, "sign_in_intro"))
        if st.button(t(lang, "sign_in"), type="primary", key="pipia-sign-in", icon=":material/login:"):
            if config.provider:
                st.login(config.provider)
            else:
                st.login()
    st.stop()


def signed_in(lang: Lang) -> None:
    """Who is signed in, and the way out (team mode only)."""
    config = settings()
    current = session.user()
    if not config.team or current is None:
        return
    st.caption(t(lang, "signed_in_as", who=escape_markdown(current.label)))
    if config.mode == "oidc":
        st.button(t(lang, "sign_out"), on_click=_sign_out, key="pipia-sign-out", icon=":material/logout:")


def _sign_out() -> None:
    identity.forget()
    st.logout()
