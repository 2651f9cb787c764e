"""Route: the screening questions on the left, the route they decide on the right, worked out live."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import streamlit as st

from pipia.assessment.route_findings import LAPSES
from pipia.bank.format import LoadedBank, Section
from pipia.i18n import fmt_date
from pipia.route import check
from pipia.route.screening import InvalidAnswer, MissingAnswer, Reason
from pipia.route.words import asked, why
from pipia.ui import common, failures, session
from pipia.ui.summary import fits, retarget
from pipia.ui.text import t, tn
from pipia.ui.values import cite_list, escape_markdown
from pipia.ui.widgets import View

ROUTE_COLOURS: Mapping[str, str] = MappingProxyType({
    "exempt": "green", "contract_or_certification": "blue", "security_assessment": "red"})


def page() -> None:
    """The route page: the screening questions beside the route decision (exempt / contract_or_certification /
    security_assessment) under the Provisions, which updates as they are answered.
    """
    lang = session.lang()
    st.title(t(lang, "page_route"), anchor=False)
    st.caption(t(lang, "route_intro"))
    view = common.open_view(lang)
    if view is None:
        return
    sections = screening_sections(view)
    if not sections:
        st.info(t(lang, "no_screening"))
        return
    state = view.evaluation.state
    ask, decide = st.columns([1, 1], gap="large")
    with ask:
        common.assessment_date(view)
        for section in sections:
            st.subheader(section.title(lang), anchor=False)
            common.questions(view, state, section)
    # The decision stays in view while the (long) list of screening questions scrolls past it.
    st.html("<style>.st-key-route-decision{position:sticky;top:3.75rem;max-height:calc(100vh - 5rem);"
            "overflow-y:auto}</style>")
    with decide, st.container(border=True, key="route-decision"):
        decision(view)


def screening_sections(view: View) -> list[Section]:
    """The sections holding the questions the route check reads (``bank.roles``: screening and milestones)."""
    wanted = set(view.loaded.bank.roles.route_questions().values())
    return [s for s in view.loaded.bank.sections if s.repeat is None and any(q.id in wanted for q in s.questions)]


def decision(view: View) -> None:
    """Show the route decision: the headline, the rule set and day, reasons, mechanisms, obligations, deadlines and
    warnings with their sources; or what is still needed to decide it.
    """
    lang, evaluation = view.lang, view.evaluation
    decided = evaluation.route
    if decided is None:
        if any(isinstance(r, InvalidAnswer) and r.code == "no_rule_set" for r in evaluation.route_reasons):
            st.warning(t(lang, "no_rule_set"))
        else:
            _needs(view, evaluation.route_reasons)
        return
    colour = ROUTE_COLOURS.get(decided.route, "gray")
    _bank_fit(view, decided.route)
    st.caption(t(lang, "route_decided"))
    # The headline says both parts: the mechanism for the counted part and the transfers that are exempt.
    st.markdown(f"### :{colour}[{escape_markdown(decided.headline(lang))}]", anchors=False)
    st.caption(t(lang, "route_rules", rules=decided.rule_set_title(lang), day=fmt_date(decided.as_of, lang)))
    _statements(view, t(lang, "route_reasons"), decided.reasons)
    _statements(view, t(lang, "route_mechanisms"), decided.mechanisms)
    _statements(view, t(lang, "route_obligations"), decided.obligations)
    if decided.deadlines:
        st.markdown(f"**{t(lang, 'route_deadlines')}**")
        for d in decided.deadlines:
            mark = escape_markdown(check.deadline_status(d, lang))
            if d.passed and d.met_on is None:
                mark = f":red[{mark}]"
            st.markdown(f"- **{d.date.isoformat()}**{mark} {escape_markdown(d.label(lang))}  \n"
                        f"  :gray[{t(lang, 'counted_from', day=d.counted_from.isoformat())}"
                        + (f" · {escape_markdown(d.note(lang))}" if d.note else "") + "]")
            if d.cites:
                st.caption(escape_markdown(cite_list(view.loaded.sources, d.cites, lang)))
    if decided.warnings:
        st.markdown(f"**{t(lang, 'route_warnings')}**")
        for w in decided.warnings:
            if w.id in LAPSES:  # the mechanism in place no longer holds: more than a note
                st.error(_with_cites(view, w.text(lang), w.cites), icon=":material/event_busy:")
            else:
                st.warning(_with_cites(view, w.text(lang), w.cites), icon=":material/info:")


def _bank_fit(view: View, route: str) -> None:
    """The bank in use against the route decided: a mismatch is said, and a fitting bank offered."""
    lang, bank = view.lang, view.loaded.bank
    others = [loaded for _, loaded in session.banks()
              if isinstance(loaded, LoadedBank) and loaded.bank.id != bank.id and fits(loaded.bank, route)]
    if fits(bank, route):
        st.caption(t(lang, "bank_in_use", bank=escape_markdown(bank.title(lang))))
    else:
        st.warning(t(lang, "bank_misfit", bank=escape_markdown(bank.title(lang))) + (
            "" if others else " " + t(lang, "bank_none_fits")), icon=":material/swap_horiz:")
    for loaded in others:
        st.button(t(lang, "bank_switch", bank=loaded.bank.title(lang)), key=f"pipia-switch-{loaded.bank.id}",
                  icon=":material/swap_horiz:", type="tertiary", on_click=failures.guarded(_switch),
                  args=(loaded.bank.id,))


def _switch(bank_id: str) -> None:
    current = session.doc()
    if current is None:
        return
    loaded = session.bank(bank_id)
    moved, dropped = retarget(current.answers, loaded)
    session.commit(moved)
    session.reset_widgets()
    session.flash("success", tn(session.lang(), "bank_switched", dropped, bank=escape_markdown(
        loaded.bank.title(session.lang()))))


def _statements(view: View, title: str, statements: tuple[check.Statement, ...]) -> None:
    if not statements:
        return
    st.markdown(f"**{title}**")
    for s in statements:
        st.markdown(f"- {_with_cites(view, s.text(view.lang), s.cites)}")


def _with_cites(view: View, text: str, cites: tuple[str, ...]) -> str:
    body = escape_markdown(text)
    if cites:
        body += f"  \n  :gray[{escape_markdown(cite_list(view.loaded.sources, cites, view.lang))}]"
    return body


def _needs(view: View, reasons: tuple[Reason, ...]) -> None:
    """What the route check still needs (in the order asked), named as the user sees it; an answer it
    cannot use says why in red."""
    lang = view.lang
    st.info(t(lang, "route_needs"), icon=":material/pending:")
    for reason in reasons:
        name = asked(reason, view.loaded.bank, lang)
        said = "" if isinstance(reason, MissingAnswer) else f" — :red[{escape_markdown(why(reason, lang))}]"
        st.markdown(f"- {escape_markdown(name)}{said}")
