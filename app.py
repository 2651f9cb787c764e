"""pipia — the Streamlit app: page setup, language switch and navigation. Run with `make run`.

The pages are functions in pipia.ui; this file only wires them together.
"""

from __future__ import annotations

import streamlit as st

from pipia.ui import nav, session, shell, signin

st.set_page_config(page_title="pipia · 个人信息保护影响评估", page_icon="🛡️", layout="wide")
lang = session.lang()
signin.gate(lang)  # a team server: nobody goes further without signing in; the single-user app: no-op
session.sync_location()
lang = session.lang()
current = st.navigation(nav.pages(lang))
session.entered(current.url_path)
with st.sidebar:
    shell.open_assessment(lang)
shell.banners(lang)
current.run()
with st.sidebar:
    shell.language_switch(lang)
    signin.signed_in(lang)
session.write_location()
