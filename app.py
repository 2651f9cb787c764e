"""pipia — the Streamlit app: page setup, language switch and navigation. Run with `make run`.

The pages are functions in pipia.ui; this file only wires them together.
"""

from __future__ import annotations

import streamlit as st

from pipia.ui import keeper, nav, session, shell, signin
from pipia.ui.failures import guard

st.set_page_config(page_title="pipia · 个人信息保护影响评估", page_icon="🛡️", layout="wide")
lang = session.lang()
# A team server: nobody goes further without signing in; the single-user app: no-op. A sign-in that fails
# (the database down) stops the run with the plain message: it never lets the page through.
with guard(stop=True):
    signin.gate(lang)
# Each part fails on its own, with a plain message (see pipia.ui.failures): the rest stays usable.
with guard():
    session.sync_location()
    session.follow_store()
lang = session.lang()
current = st.navigation(nav.pages(lang))
session.entered(current.url_path)
with st.sidebar, guard():
    shell.open_assessment(lang)
with guard():
    shell.banners(lang)
with guard():
    current.run()
with st.sidebar:
    shell.language_switch(lang)
    keeper.install(lang)
    with guard():
        signin.signed_in(lang)
session.write_location()
