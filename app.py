"""pipia — the Streamlit app. Run with `make run` (or `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from pipia.errors import BankError
from pipia.loader import load_bank
from pipia.resources import shipped_banks

st.set_page_config(page_title="pipia · 个人信息保护影响评估", layout="wide")
st.title("个人信息保护影响评估 · PIPIA")
st.caption("Personal information protection impact assessment for outbound transfers of personal information")

st.subheader("题库 · Question banks")
for path in shipped_banks():
    try:
        loaded = load_bank(path)
    except BankError as exc:
        st.error(f"{path.name}: {len(exc.errors)} problem(s)\n\n" + "\n".join(str(p) for p in exc.errors[:5]))
        continue
    bank = loaded.bank
    with st.container(border=True):
        st.markdown(f"**{bank.title.zh}** · {bank.title.en}")
        st.caption(f"`{bank.id}` · version {bank.version} · {len(bank.sections)} sections · "
                   f"{len(bank.questions)} questions")
