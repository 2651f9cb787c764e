"""How the app writes: the catalogue's ``t``/``tn`` (the words themselves live in ``src/pipia/locale``,
see ``pipia.i18n``), risk badges, the browser's language. Banks bring their own texts.

Terms follow the project glossary (境外接收方 overseas recipient, 个人信息保护影响评估 PIPIA, 单独同意
separate consent, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pipia.assessment.risk import label as risk_label
from pipia.i18n import Lang, Message, msg, sentence, t, tn

__all__ = ["LEVEL_COLOURS", "lang_from_locale", "risk_badge", "sentence", "t", "tn"]

# The words for codes the app shows, each key written out so that the catalogue tests find it.
PAGE_TITLES: Mapping[str, Message] = MappingProxyType({
    "assessments": msg("page_assessments"), "route": msg("page_route"), "questionnaire": msg("page_questionnaire"),
    "results": msg("page_results"), "report": msg("page_report"), "review": msg("page_review")})
META_FIELDS: Mapping[str, Message] = MappingProxyType({
    "title": msg("meta_title"), "organisation": msg("meta_organisation"), "assessor": msg("meta_assessor"),
    "reviewer": msg("meta_reviewer"), "assessment_date": msg("assessment_date")})
ANSWER_PARTS: Mapping[str, Message] = MappingProxyType({"comment": msg("comment"), "evidence": msg("evidence")})
ROLE_NAMES: Mapping[str, Message] = MappingProxyType({
    "owner": msg("role_owner"), "editor": msg("role_editor"), "reviewer": msg("role_reviewer"),
    "approver": msg("role_approver"), "viewer": msg("role_viewer")})
BANK_ROUTES: Mapping[str, Message] = MappingProxyType({
    "standard_contract": msg("bank_route_standard_contract"), "certification": msg("bank_route_certification"),
    "security_assessment": msg("bank_route_security_assessment")})
DESTINATION_TOPICS: Mapping[str, Message] = MappingProxyType({
    "pi_law": msg("topic_pi_law"), "standards": msg("topic_standards"), "international": msg("topic_international"),
    "supervision": msg("topic_supervision"), "government_access": msg("topic_government_access"),
    "other": msg("topic_other")})
REVIEW_ATTESTATIONS = (msg("review_attest_1"), msg("review_attest_2"), msg("review_attest_3"))
TABLE_IMPORT_MODES: Mapping[str, Message] = MappingProxyType({
    "replace": msg("table_import_replace"), "append": msg("table_import_append")})
TABLE_EXPORTS: Mapping[str, Message] = MappingProxyType({
    "xlsx": msg("table_export_xlsx"), "csv": msg("table_export_csv")})
ANSWER_EXPORTS: Mapping[str, Message] = MappingProxyType({"yaml": msg("export_yaml"), "json": msg("export_json")})

# Colours of risk levels, as Streamlit's coloured badges name them.
LEVEL_COLOURS: Mapping[str, str] = MappingProxyType({
    "low": "green", "medium": "yellow", "high": "orange", "severe": "red"})


def lang_from_locale(locale: str | None) -> Lang:
    """The browser's language (``navigator.language``, e.g. zh-CN, en-GB): Chinese unless it says otherwise."""
    if locale and not locale.lower().startswith("zh"):
        return "en"
    return "zh"


def risk_badge(level: str | None, lang: Lang) -> str:
    """A risk level as a coloured Markdown badge."""
    if level is None:
        return "—"
    return f":{LEVEL_COLOURS.get(level, 'gray')}-badge[{sentence(risk_label('risk', level)(lang))}]"
