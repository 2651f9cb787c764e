"""Questionnaire: one section at a time, its questions, and where the DPO is in the whole bank."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pipia.assessment.visibility import State
from pipia.bank.format import Section
from pipia.bank.library import Destination
from pipia.i18n import Lang, fmt_date
from pipia.ui import common, failures, session
from pipia.ui.location import DETAILS
from pipia.ui.summary import section_progress
from pipia.ui.text import DESTINATION_TOPICS, sentence, t
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import Ref, View

TOPICS = ("pi_law", "standards", "international", "supervision", "government_access", "other")


def page() -> None:
    """The questionnaire page: the assessment's details and its sections one at a time, with a contents list in the
    sidebar showing each section's progress.
    """
    lang = session.lang()
    view = common.open_view(lang)
    if view is None:
        st.title(t(lang, "page_questionnaire"), anchor=False)
        return
    bank = view.loaded.bank
    state = view.evaluation.state
    ids = [DETAILS, *(s.id for s in bank.sections)]
    here = session.here()
    current = here.section if here.section in ids else _first_open(view, state)
    if here.section != current:
        session.go(section=current)  # into the URL, so a refresh comes back here
    with st.sidebar:
        _contents(view, state, ids, current)
    if current == DETAILS:
        st.header(t(lang, "details"), anchor=False)
        st.caption(t(lang, "details_intro"))
        common.details(view)
    else:
        section = next(s for s in bank.sections if s.id == current)
        _section(view, state, section)
        if here.question:
            _scroll_to(section, here.item, here.question)
    _steps(lang, ids, current)


def _scroll_to(section: Section, item: int, question: str) -> None:
    """Arriving from a link to a question (results): bring it into view, once, not at every answer."""
    target = (section.id, item, question)
    # The question comes from the URL: only a question of this section (an id of the bank, [a-z0-9_])
    # may reach the script below, never text a crafted link chose.
    if st.session_state.get("pipia.scrolled") == target or question not in {q.id for q in section.questions}:
        return
    st.session_state["pipia.scrolled"] = target
    ref = Ref(question, section.repeat, item if section.repeat else None)
    st.html(f"""<script>setTimeout(() => document.querySelector(".st-key-box-{ref.key}")
                ?.scrollIntoView({{block: "center"}}), 400)</script>""", unsafe_allow_javascript=True)


def _first_open(view: View, state: State) -> str:
    """Where a freshly opened assessment starts: the first section with a required answer missing."""
    missing = state.missing
    return missing[0].section.id if missing else view.loaded.bank.sections[0].id


def _contents(view: View, state: State, ids: list[str], current: str) -> None:
    lang, bank = view.lang, view.loaded.bank
    done, required = state.progress()
    st.divider()
    st.progress(done / required if required else 1.0, text=t(lang, "overall_progress", done=done, total=required))
    titles = {DETAILS: t(lang, "details"), **{s.id: s.title(lang) for s in bank.sections}}
    marks = {s.id: _mark(*section_progress(state, s)) for s in bank.sections}
    key = "pipia-section"
    st.session_state[key] = current
    st.radio(t(lang, "sections"), ids, key=key, label_visibility="collapsed", on_change=_chosen,
             format_func=lambda i: f"{titles[i]} {marks.get(i, '')}".strip())


def _mark(done: int, total: int) -> str:
    if total == 0:
        return ""
    return "✓" if done == total else f"· {done}/{total}"


def _chosen() -> None:
    session.go(section=st.session_state["pipia-section"])


def _steps(lang: Lang, ids: list[str], current: str) -> None:
    position = ids.index(current)
    st.divider()
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if position > 0:
            st.button(t(lang, "previous"), icon=":material/arrow_back:", key="pipia-previous", on_click=session.go,
                      kwargs={"section": ids[position - 1]})
        else:
            st.empty()
        if position < len(ids) - 1:
            st.button(t(lang, "next"), icon=":material/arrow_forward:", icon_position="right", key="pipia-next",
                      on_click=session.go, kwargs={"section": ids[position + 1]}, type="primary")


def _section(view: View, state: State, section: Section) -> None:
    lang = view.lang
    st.header(section.title(lang), anchor=False)
    if section.intro is not None:
        st.caption(escape_markdown(section.intro(lang)))
    item = None
    if section.repeat is not None:
        item = _items(view, section.repeat)
        if item is None:
            return
    done, total = section_progress(state, section, item)
    if total:
        st.progress(done / total, text=t(lang, "section_progress", done=done, total=total))
    if section.destination_from is None:
        common.questions(view, state, section, item)
        return
    asked, profile = st.columns([3, 2], gap="medium")
    with asked:
        common.questions(view, state, section, item)
    with profile:
        _destination(view, section, item)


# -- repeated sections: one page per overseas recipient ----------------------------------------------------
def _items(view: View, group_id: str) -> int | None:
    lang, answers = view.lang, view.answers
    group = view.loaded.bank.groups[group_id]
    count = len(answers.items(group_id))
    item = min(session.here().item, max(count - 1, 0))
    evaluation = view.evaluation  # looked up once, not once per item: the switch names every recipient
    names = [evaluation.name(group_id, i)(lang) for i in range(count)]
    labels = [escape_markdown(name) for name in names]  # once each: the switch asks three times per option
    key = f"pipia-item-{group_id}"
    with st.container(horizontal=True, vertical_alignment="bottom"):
        if count:
            st.session_state[key] = item
            st.segmented_control(sentence(group.label(lang)), list(range(count)), key=key, on_change=_item_chosen,
                                 format_func=labels.__getitem__, args=(group_id,))
        st.button(t(lang, "add_item", what=group.label(lang)), icon=":material/add:", key=f"pipia-add-{group_id}",
                  on_click=_add_item, args=(group_id,), disabled=count >= group.max_items)
        if count:
            st.button(t(lang, "remove_item"), icon=":material/delete:", key=f"pipia-remove-{group_id}",
                      on_click=_ask_remove, args=(group_id, item), disabled=count <= group.min_items)
    if not count:
        st.info(t(lang, "no_items", what=group.label(lang)))
        return None
    if st.session_state.get("pipia.remove") == (group_id, item):
        st.error(t(lang, "remove_confirm", name=escape_markdown(names[item])), icon=":material/warning:")
        with st.container(horizontal=True):
            st.button(t(lang, "remove_for_good"), key="pipia-remove-yes", type="primary", on_click=_remove,
                      args=(group_id, item))
            st.button(t(lang, "cancel"), key="pipia-remove-no", on_click=_ask_remove, args=(group_id, None))
    return item


def _item_chosen(group_id: str) -> None:
    chosen = st.session_state.get(f"pipia-item-{group_id}")
    if isinstance(chosen, int):
        session.go(item=chosen)


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _add_item(group_id: str) -> None:
    doc = session.doc()
    if doc is not None:
        session.commit(doc.answers.with_item(group_id))
        session.go(item=len(doc.answers.items(group_id)))


def _ask_remove(group_id: str, item: int | None) -> None:
    st.session_state["pipia.remove"] = (group_id, item) if item is not None else None


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _remove(group_id: str, item: int) -> None:
    doc = session.doc()
    st.session_state["pipia.remove"] = None
    if doc is not None:
        session.commit(doc.answers.without_item(group_id, item))
        session.reset_widgets()  # later items moved up one place: their widgets reseed
        session.go(item=max(item - 1, 0))


# -- the destination's law beside the destination questions -----------------------------------------------
def _destination(view: View, section: Section, item: int | None) -> None:
    lang, loaded = view.lang, view.loaded
    assert section.destination_from is not None
    country = view.answers.response(section.destination_from, item, section.repeat)
    value = country.value if country is not None else None
    profile = loaded.destinations.by_id.get(value) if loaded.destinations and isinstance(value, str) else None
    with st.container(border=True, key="destination-profile"):
        st.markdown(f"**{t(lang, 'destination_profile')}**")
        if profile is None:
            question = loaded.bank.questions[section.destination_from]
            st.caption(t(lang, "destination_none" if value else "destination_choose",
                         question=escape_markdown(question.text(lang))))
            return
        _profile(lang, profile, view.answers.meta.assessment_date or dt.date.today())


def _profile(lang: Lang, d: Destination, day: dt.date) -> None:
    """A destination's profile; ``day`` is the assessment date (today before one is set). As in the report,
    facts checked more than 12 months before it are flagged for the signer to verify."""
    st.markdown(f"#### {escape_markdown(d.name(lang))}", anchors=False)
    st.caption(t(lang, "checked_on", day=fmt_date(d.as_of, lang)))
    if d.stale_at(day):
        st.warning(t(lang, "destination_stale", checked=fmt_date(d.as_of, lang), at=fmt_date(day, lang)),
                   icon=":material/history:")
    st.markdown(escape_markdown(d.summary(lang)))
    for topic in TOPICS:
        facts = [f for f in d.facts if f.topic == topic]
        if facts:
            # Background reading: smaller than the questions it sits beside.
            st.caption(f"**{DESTINATION_TOPICS[topic](lang)}**\n" + "\n".join(f"- {escape_markdown(f.text(lang))}"
                                                                       for f in facts))
    st.caption(f"**{t(lang, 'sources')}**\n" + "\n".join(f"- [{escape_markdown(s.title)}]({s.url})"
                                                         for s in d.sources))
