"""Report: choose the language and the Word template, then download the .docx (and a PDF when
LibreOffice is installed). Files are built only when a download button is clicked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from pipia.answers.format import Answers
from pipia.i18n import Lang
from pipia.report import ReportError, check_template, libreoffice_available, make_report, to_pdf
from pipia.store import StoreError
from pipia.team.tracking import Tracking
from pipia.ui import common, failures, session
from pipia.ui.shell import LANGUAGES
from pipia.ui.text import t
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import View

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_MB = 10
_CHECKED = "pipia.template-checked"  # (upload's file id, unknown names, problem) of the last check


def page() -> None:
    """The report page: choose the report's language and, optionally, an own Word template, then download the Word
    report (and PDF where LibreOffice is installed).
    """
    lang = session.lang()
    st.title(t(lang, "page_report"), anchor=False)
    st.caption(t(lang, "report_intro"))
    view = common.open_view(lang)
    if view is None:
        return
    if view.loaded.bank.scoring is None:
        st.info(t(lang, "no_scoring"))
        return
    common.incomplete_note(view)
    with st.container(border=True, key="report-options"):
        st.session_state.setdefault("pipia-report-lang", lang)
        report_lang: Lang = st.segmented_control(t(lang, "report_language"), list(LANGUAGES),
                                                 format_func=LANGUAGES.__getitem__, key="pipia-report-lang") or lang
        own = st.toggle(t(lang, "template_upload"), key="pipia-own-template", help=t(lang, "template_help"))
        uploaded = _uploaded_template(lang) if own else None
    if own and uploaded is None:
        return
    template, template_name = uploaded or (None, "")
    build = failures.download(_builder(view, report_lang, template, template_name, _tracking()), lang)
    stem = _file_stem(view.answers, report_lang)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.download_button(t(lang, "download_docx"), data=build, file_name=f"{stem}.docx", mime=DOCX,
                           on_click="ignore", type="primary", icon=":material/download:", key="pipia-docx")
        if libreoffice_available():
            st.download_button(t(lang, "download_pdf"), data=failures.download(lambda: to_pdf(build()), lang),
                               file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore",
                               icon=":material/picture_as_pdf:", key="pipia-pdf")
        else:
            st.caption(t(lang, "pdf_needs_libreoffice"))
    st.caption(t(lang, "report_built_on_click"))


def _builder(view: View, lang: Lang, template: bytes | None, template_name: str,
             tracking: Tracking) -> Callable[[], bytes]:
    # Runs when a download is clicked, outside the script run: it holds everything it needs, the
    # assessment's evaluation included (worked out already for the page, not again for the report).
    loaded, answers, evaluation = view.loaded, view.answers, view.evaluation
    return lambda: make_report(loaded, answers, lang=lang, template=template, template_name=template_name,
                               tracking=tracking, evaluation=evaluation)


def _tracking() -> Tracking:
    """What the team recorded about the open assessment (actions' status, review, approval), for the report."""
    doc = session.doc()
    if doc is None:
        return Tracking(today=dt.date.today())
    try:
        return Tracking(actions=session.store().actions(doc.id), today=dt.date.today(),
                        review=session.store().review(doc.id))
    except StoreError:
        return Tracking(today=dt.date.today())


def _uploaded_template(lang: Lang) -> tuple[bytes, str] | None:
    """An uploaded .docx template and its name, once checked; None (having said why) until one is usable."""
    upload = st.file_uploader(t(lang, "template_file"), type=["docx"], max_upload_size=MAX_TEMPLATE_MB,
                              key="pipia-template-file")
    if upload is None:
        st.caption(t(lang, "template_upload_hint"))
        return None
    data: bytes = upload.getvalue()
    name = t(lang, "template_named", name=upload.name)
    # The check compiles the template in a child process (a second or so): once per upload, not per rerun.
    checked = st.session_state.get(_CHECKED)
    if checked is None or checked[0] != upload.file_id:
        try:
            checked = (upload.file_id, check_template(data, name), None)
        except ReportError as exc:
            checked = (upload.file_id, [], str(exc))
        st.session_state[_CHECKED] = checked
    _, unknown, problem = checked
    if problem is not None:
        st.error(t(lang, "template_invalid", error=escape_markdown(problem)))
        return None
    if unknown:
        st.error(t(lang, "template_unknown_names", names=escape_markdown(", ".join(p.name for p in unknown))))
        return None
    return data, name


def _file_stem(answers: Answers, lang: Lang) -> str:
    name = answers.meta.organisation or answers.meta.title or "PIPIA"
    day = answers.meta.assessment_date.isoformat() if answers.meta.assessment_date else ""
    stem = t(lang, "report_file_stem")
    return "-".join(x for x in (stem, name, day) if x).replace("/", "-").replace("\\", "-")[:120]
