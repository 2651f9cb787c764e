"""Who works on an assessment: its members and their roles, granted by its owner or an admin (team mode).

Shown from the assessment's menu in the list. A role can be given to an address that has not signed in yet:
the person finds the assessment at their first sign-in.
"""

from __future__ import annotations

import streamlit as st

from pipia.i18n import Lang
from pipia.store import ROLES, Role, StoreError
from pipia.ui import failures, session
from pipia.ui.text import ROLE_NAMES, t
from pipia.ui.values import escape_markdown

_OPEN = "pipia.team"


def open_panel(assessment_id: str) -> None:
    """Open the members panel of ``assessment_id`` (one at a time)."""
    st.session_state[_OPEN] = assessment_id


def close() -> None:
    """Close the members panel."""
    st.session_state[_OPEN] = None


def is_open(assessment_id: str) -> bool:
    """Whether the members panel of ``assessment_id`` is open."""
    return bool(st.session_state.get(_OPEN) == assessment_id)


def panel(lang: Lang, assessment_id: str) -> None:
    """The members panel of an assessment: who has which role, and for managers, revoking roles and granting one by
    e-mail. Shows nothing when the store refuses.
    """
    store = session.store()
    try:
        grants = store.grants(assessment_id)
        manage = store.can(assessment_id, "manage")
    except StoreError:
        return
    with st.container(border=True, key=f"team-{assessment_id}"):
        st.markdown(f"**{t(lang, 'members')}**")
        for g in grants:
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"{escape_markdown(g.user.label)} · {ROLE_NAMES[g.role](lang)}")
                if manage:
                    st.button("", icon=":material/person_remove:", help=t(lang, "revoke"),
                              key=f"revoke-{assessment_id}-{g.user.id}-{g.role}", on_click=failures.guarded(_revoke),
                              args=(assessment_id, g.user.id, g.role))
        if manage:
            with st.container(horizontal=True, vertical_alignment="bottom"):
                st.text_input(t(lang, "member_email"), key=f"grant-email-{assessment_id}", width=280)
                st.selectbox(t(lang, "member_role"), ROLES, key=f"grant-role-{assessment_id}", width=180,
                             format_func=lambda r: ROLE_NAMES[r](lang))
                st.button(t(lang, "grant"), key=f"grant-{assessment_id}", on_click=failures.guarded(_grant),
                          args=(assessment_id,), icon=":material/person_add:", type="primary")
        st.button(t(lang, "close"), key=f"team-close-{assessment_id}", on_click=close)


def _grant(assessment_id: str) -> None:
    lang = session.lang()
    email = str(st.session_state.get(f"grant-email-{assessment_id}", "")).strip()
    role: Role = st.session_state.get(f"grant-role-{assessment_id}") or "viewer"
    if not email:
        session.flash("warning", t(lang, "member_email_needed"))
        return
    try:
        session.store().grant(assessment_id, email, role)
    except StoreError as exc:
        session.flash("error", t(lang, "review_failed", error=failures.store_message(exc, lang)))
        return
    st.session_state[f"grant-email-{assessment_id}"] = ""
    session.flash("success", t(lang, "granted", who=escape_markdown(email), role=ROLE_NAMES[role](lang)))


def _revoke(assessment_id: str, user_id: str, role: Role) -> None:
    try:
        session.store().revoke(assessment_id, user_id, role)
    except StoreError as exc:
        session.flash("error", t(session.lang(), "review_failed", error=failures.store_message(exc)))
