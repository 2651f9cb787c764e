"""Data integrity of every shipped question bank, its sources registry and its destination profiles.

Each check runs once per bank (ids are the bank file names) and goes through the loaded bank, so it sees
exactly what the app, the scoring and the report see, ``extends`` resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from pipia.answers.format import Answers
from pipia.assessment import visibility
from pipia.bank import loader
from pipia.bank.format import Bank, Column, LoadedBank, Option, Question
from pipia.bank.loader import load_bank
from pipia.cli import main
from pipia.files.resources import questionnaires_dir, shipped_banks
from pipia.i18n import Localized

BANK_FILES = shipped_banks()
BASE_ID = "pipia-certification"
DERIVED_ID = "pipia-standard-contract"

FOCUS_ITEMS = [f"focus.{n}" for n in range(1, 7)]
REPORT_ITEMS = [
    "report.1.1.1", "report.1.1.2",
    "report.1.1.3.1", "report.1.1.3.2", "report.1.1.3.3", "report.1.1.3.4", "report.1.1.3.5",
    "report.1.1.4", "report.1.2.1", "report.1.2.2", "report.1.2.3", "report.1.3",
]
# The article whose six items are the focus items, per route.
FOCUS_ARTICLE = {"certification": "cert-measures:6", "standard_contract": "sc-measures:5"}

SENSITIVE = [
    "biometric", "religious_belief", "specific_identity", "medical_health",
    "financial_account", "whereabouts", "minors_under_14", "other_sensitive",
]
EXEMPTIONS = [
    "contract_necessity", "hr_management", "emergency", "foreign_collected",
    "no_personal_information", "ftz_negative_list", "none",
]
INVENTORY_COLUMNS = [
    "item", "category", "sensitive_category", "individuals", "purpose", "source",
    "retention", "systems", "storage_cn", "storage_abroad", "transfer_link", "recipients",
]
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module", params=BANK_FILES, ids=[p.stem for p in BANK_FILES])
def loaded(request: pytest.FixtureRequest) -> LoadedBank:
    path: Path = request.param
    return load_bank(path)


def test_both_routes_are_shipped() -> None:
    ids = {load_bank(path).id for path in BANK_FILES}
    assert {BASE_ID, DERIVED_ID} <= ids


def test_the_shipped_banks_lint_without_warnings_on_the_day_their_profiles_were_checked() -> None:
    checked = max(d.as_of for d in load_bank(BANK_FILES[0]).destinations.destinations)  # type: ignore[union-attr]
    assert loader.lint(BANK_FILES, today=checked) == []


def test_pipia_lint_passes_and_warns_only_about_stale_destination_profiles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["lint", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert f"{len(BANK_FILES)} banks checked: 0 errors" in err, err
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert all("more than 12 months ago" in line for line in warnings), warnings


def test_lint_warns_when_a_destination_profile_was_checked_more_than_12_months_ago() -> None:
    profiles = load_bank(BANK_FILES[0]).destinations
    assert profiles is not None
    oldest = min(d.as_of for d in profiles.destinations)
    stale = oldest + dt.timedelta(days=367)
    warned = loader.lint(BANK_FILES, today=stale)
    assert warned and all(p.level == "warning" and p.path.endswith(".as_of") for p in warned)
    assert {p.file for p in warned} == {str(questionnaires_dir() / "library" / "destinations.yaml")}
    assert loader.lint(BANK_FILES, today=oldest + dt.timedelta(days=360)) == []


# -- citations and coverage -------------------------------------------------------------------------
def test_every_question_cites_an_existing_source_and_article(loaded: LoadedBank) -> None:
    unresolved = [
        f"{question.id}: {cite}"
        for question in loaded.bank.questions.values()
        for cite in question.cites
        if not _resolves(loaded, cite)
    ]
    assert not unresolved


def test_every_coverage_item_cites_an_existing_article(loaded: LoadedBank) -> None:
    assert all(_resolves(loaded, cite) for item in loaded.bank.coverage for cite in item.cites)


def test_focus_items_are_the_six_items_of_the_routes_measures(loaded: LoadedBank) -> None:
    bank = loaded.bank
    article = FOCUS_ARTICLE[bank.route]
    focus = {item.id: item for item in bank.coverage if item.kind == "focus"}
    assert list(focus) == FOCUS_ITEMS
    for n, item_id in enumerate(FOCUS_ITEMS, start=1):
        assert focus[item_id].cites == (f"{article}({n})",)


def test_report_items_are_chapter_one_of_the_cac_template(loaded: LoadedBank) -> None:
    report = [item.id for item in loaded.bank.coverage if item.kind == "report"]
    assert report == REPORT_ITEMS


@pytest.mark.parametrize("item", FOCUS_ITEMS + REPORT_ITEMS)
def test_every_focus_and_report_item_is_covered_by_a_question(loaded: LoadedBank, item: str) -> None:
    covering = [q.id for q in loaded.bank.questions.values() if item in q.covers]
    assert covering, f"no question in {loaded.id} covers {item}"


def test_every_question_says_what_it_covers(loaded: LoadedBank) -> None:
    assert [q.id for q in loaded.bank.questions.values() if not q.covers] == []


# -- texts ------------------------------------------------------------------------------------------
def test_every_string_has_chinese_and_english(loaded: LoadedBank) -> None:
    texts = list(_localized(loaded.bank))
    assert len(texts) > 500
    assert [t for t in texts if not _bilingual(t)] == []


def test_every_question_tells_the_dpo_what_to_look_at(loaded: LoadedBank) -> None:
    assert [q.id for q in loaded.bank.questions.values() if q.help is None] == []


# -- options, scoring -------------------------------------------------------------------------------
def test_every_option_that_reveals_a_gap_has_a_finding_and_an_action(loaded: LoadedBank) -> None:
    silent = [
        where for where, option in _options(loaded.bank)
        if (option.risk > 0 or option.blocking) and (option.finding is None or option.action is None)
    ]
    assert silent == []


def test_blocking_answers_carry_the_full_risk(loaded: LoadedBank) -> None:
    assert [where for where, option in _options(loaded.bank) if option.blocking and option.risk != 1.0] == []


def test_the_problems_that_stop_a_transfer_are_blocking(loaded: LoadedBank) -> None:
    bank = loaded.bank
    blocking = {(q.id, o.value) for q in bank.questions.values() for o in q.options if o.blocking}
    expected = {
        ("legal_basis", "none"),                       # no legal basis
        ("separate_consent", "not_obtained"),          # PIPL 39
        ("sensitive_consent", "not_obtained"),         # PIPL 29
        ("minors_guardian_consent", "not_obtained"),   # PIPL 31
        ("recipient_art42_list", "yes"),               # PIPL 42
        ("security_assessment_status", "not_filed"),   # important data / thresholds without assessment
        ("sensitive_protection", "none"),              # PIPL 28(2): strict protection is a precondition
        ("dest_overall_impact", "material"),           # PIPL 38(3): the recipient must meet the PIPL standard
        ("sector_clearance", "pending"),               # sector rules: approval, filing or assessment first
        ("sector_data", "population_health"),          # storage abroad forbidden
        ("sector_data", "personal_financial"),         # export forbidden unless an exception applies
        ("sector_data", "ride_hailing"),               # may not flow out
    }
    assert expected <= blocking


def test_coerced_consent_blocks_exactly_where_consent_is_the_legal_basis(loaded: LoadedBank) -> None:
    # PIPL Arts 14, 16, 39: consent obtained by pre-ticked boxes, bundling or refusal of unrelated services
    # is not valid consent; it stops a transfer that rests on consent.
    option = loaded.bank.questions["fair_means"].option("some")
    assert option is not None and not option.blocking and option.blocking_if is not None
    assert option.blocking_if.evaluate({"legal_basis": ["consent", "contract"]}.get)
    assert not option.blocking_if.evaluate({"legal_basis": ["contract"]}.get)
    assert {"pipl:14", "pipl:16", "pipl:39"} <= set(loaded.bank.questions["fair_means"].cites)


def test_what_the_processor_cannot_fix_is_mitigated_and_monitored(loaded: LoadedBank) -> None:
    questions = loaded.bank.questions
    assert questions["dest_government_access"].option("broad").remedy == "mitigate"  # type: ignore[union-attr]
    assert questions["dest_overall_impact"].option("mitigated").remedy == "mitigate"  # type: ignore[union-attr]
    # Answers the processor can change itself stay "fix".
    assert questions["dest_government_access"].option("not_assessed").remedy == "fix"  # type: ignore[union-attr]
    assert questions["separate_consent"].option("bundled").remedy == "fix"  # type: ignore[union-attr]


def test_the_conclusion_knows_when_the_transfer_is_already_running(loaded: LoadedBank) -> None:
    scoring = loaded.bank.scoring
    assert scoring is not None and scoring.conclusion.ongoing_if is not None
    running = scoring.conclusion.ongoing_if
    assert running.evaluate({"transfer_status": "ongoing_unassessed"}.get)
    assert running.evaluate({"transfer_status": "ongoing_reassessment"}.get)
    assert not running.evaluate({"transfer_status": "planned"}.get)


def test_consistency_checks_are_switched_on_with_every_cross_check(loaded: LoadedBank) -> None:
    scoring = loaded.bank.scoring
    assert scoring is not None
    c = scoring.consistency
    assert c is not None, "consistency checks are off: under-counts in screening would go unflagged"
    assert (c.non_sensitive_count, c.sensitive_count) == ("individuals_non_sensitive", "individuals_sensitive")
    assert (c.inventory, c.inventory_sensitive_column, c.inventory_individuals_column) == (
        "data_inventory", "sensitive_category", "individuals")
    assert (c.inventory_recipients_column, c.minors_question, c.minors_category) == (
        "recipients", "minors_involved", "minors_under_14")
    assert {r.id for r in c.rules} >= {
        "consent_obtained_by_coercion", "consent_without_notice", "deidentified_without_aggregation_check"}
    # The inventory's sensitive categories are the recipients' categories, so the two can be compared.
    column = next(col for col in loaded.bank.questions["data_inventory"].columns if col.id == "sensitive_category")
    assert set(scoring.impact.sensitive) <= {o.value for o in column.options}


def test_every_scored_question_names_a_dimension_and_every_dimension_is_used(loaded: LoadedBank) -> None:
    bank = loaded.bank
    risky = [q for q in bank.questions.values() if q.max_risk > 0]
    assert [q.id for q in risky if q.dimension is None] == []
    used = {q.dimension for q in risky}
    assert used == {d.id for d in bank.dimensions}


def test_dimensions_feed_all_four_gbt_39335_risk_sources(loaded: LoadedBank) -> None:
    sources = {d.risk_source for d in loaded.bank.dimensions}
    assert sources == {"network", "process", "people", "business"}


def test_the_questions_that_matter_most_weigh_more(loaded: LoadedBank) -> None:
    questions = loaded.bank.questions
    for qid in ("legal_basis", "separate_consent", "recipient_agreement", "encryption_in_transit",
                "recipient_art42_list"):
        assert questions[qid].weight >= 2, qid


def test_scoring_parameters_are_the_agreed_starting_values(loaded: LoadedBank) -> None:
    scoring = loaded.bank.scoring
    assert scoring is not None
    assert scoring.scenario_group == "recipients"
    assert (scoring.severity.medium, scoring.severity.high) == (0.4, 0.7)
    assert (scoring.likelihood.medium, scoring.likelihood.high, scoring.likelihood.very_high) == (0.15, 0.35, 0.6)
    assert [(cue.at_least, cue.level) for cue in scoring.scale_cues] == [(1_000_000, "medium"), (10_000_000, "high")]
    impact = scoring.impact
    assert impact.categories_question == "recipient_data_categories"
    assert impact.levels == {"general": "low", **{value: "high" for value in SENSITIVE}}
    assert impact.vulnerable == ("minors_under_14",)
    assert set(impact.sensitive) == set(SENSITIVE)
    assert (impact.scale_question, impact.sensitive_scale_raise_at) == ("recipient_individuals", 500_000)
    assert (impact.deidentified_question, impact.deidentified_values) == ("recipient_deidentified", ("deidentified_verified",))


# -- ids other modules rely on ----------------------------------------------------------------------
def test_screening_questions_the_route_check_reads(loaded: LoadedBank) -> None:
    bank = loaded.bank
    screening = next(s for s in bank.sections if s.id == "screening")
    assert screening.repeat is None
    asked = {q.id: q for q in screening.questions}
    assert asked["processor_is_ciio"].type == "yes_no"
    assert asked["important_data"].type == "yes_no"
    exemptions = asked["exemptions"]
    assert exemptions.type == "multiple_choice"
    assert [o.value for o in exemptions.options] == EXEMPTIONS
    assert [o.value for o in exemptions.options if o.exclusive] == ["none"]
    for qid in ("individuals_non_sensitive", "individuals_sensitive"):
        count = asked[qid]
        assert (count.type, count.integer, count.minimum) == ("number", True, 0)
        assert count.unit == Localized(zh="人", en="people")
    for qid in ("contract_effective_date", "certificate_issue_date", "security_assessment_pass_date"):
        assert (asked[qid].type, asked[qid].required) == ("date", False)


def test_data_inventory_table_has_the_agreed_columns(loaded: LoadedBank) -> None:
    bank = loaded.bank
    inventory = bank.questions["data_inventory"]
    assert (inventory.type, bank.section_of["data_inventory"].id) == ("table", "data_inventory")
    columns = {c.id: c for c in inventory.columns}
    assert set(INVENTORY_COLUMNS) <= set(columns)
    assert [o.value for o in columns["sensitive_category"].options] == ["none", *SENSITIVE]
    assert (columns["category"].type, columns["individuals"].type) == ("single_choice", "number")


def test_recipient_group_and_its_sections(loaded: LoadedBank) -> None:
    bank = loaded.bank
    group = bank.groups["recipients"]
    assert (group.title_question, group.min_items) == ("recipient_name", 1)
    repeated = {s.id: s for s in bank.sections if s.repeat == "recipients"}
    assert set(repeated) == {"recipient", "destination_law"}
    assert repeated["destination_law"].destination_from == "recipient_country"
    members = {q.id: q for q in bank.group_questions("recipients")}
    assert [o.value for o in members["recipient_data_categories"].options] == ["general", *SENSITIVE]
    assert [o.value for o in members["recipient_deidentified"].options] == [
        "identifiable", "partly_deidentified", "deidentified_verified"]
    assert members["recipient_individuals"].type == "number"
    art42 = members["recipient_art42_list"]
    assert art42.type == "yes_no" and art42.option("yes") == next(o for o in art42.options if o.blocking)


def test_every_country_option_has_a_destination_profile(loaded: LoadedBank) -> None:
    assert loaded.destinations is not None
    countries = [o.value for o in loaded.bank.questions["recipient_country"].options]
    assert countries[-1] == "other"
    assert [c for c in countries[:-1] if c not in loaded.destinations.by_id] == []
    assert {"us", "eu", "uk", "sg", "jp", "kr", "hk"} <= set(countries)


# -- conditions behave as a DPO expects -------------------------------------------------------------
# Screening answers that decide the contract route on 2026-06-01; a case changes one of them.
SCREENED: dict[str, object] = {"processor_is_ciio": False, "important_data": False, "exemptions": ["none"],
                               "individuals_non_sensitive": 200_000, "individuals_sensitive": 100}
ALL_EXEMPT = {"exemptions": ["hr_management"], "individuals_non_sensitive": 0, "individuals_sensitive": 0}


@pytest.mark.parametrize(
    ("question", "hidden_when", "shown_when"),
    [
        ("minors_guardian_consent", {"minors_involved": False}, {"minors_involved": True}),
        ("sensitive_consent", {"individuals_sensitive": 0}, {"individuals_sensitive": 1}),
        ("separate_consent", {"legal_basis": ["contract"]}, {"legal_basis": ["contract", "consent"]}),
        ("exemption_basis", {"exemptions": ["none"]}, {"exemptions": ["hr_management"]}),
        # Shown on the route the rule sets decide (thresholds of library/route-rules.yaml, not of the bank)...
        ("security_assessment_status", {**SCREENED, "individuals_non_sensitive": 999_999},
         {**SCREENED, "individuals_non_sensitive": 1_000_000}),
        ("security_assessment_status", {**SCREENED, "individuals_sensitive": 9_999},
         {**SCREENED, "individuals_sensitive": 10_000}),
        ("security_assessment_status", SCREENED, {**SCREENED, "important_data": True}),
        # ...and to every CIIO, even one whose transfers are all exempt: it answers "not required".
        ("security_assessment_status", {**SCREENED, **ALL_EXEMPT}, {**SCREENED, **ALL_EXEMPT, "processor_is_ciio": True}),
    ],
    ids=["guardian-consent", "sensitive-consent", "separate-consent", "exemption-basis",
         "assessment-at-1m", "assessment-at-10k", "assessment-important-data", "assessment-ciio-exempt"],
)
def test_follow_up_questions_appear_only_when_they_apply(
    loaded: LoadedBank, question: str, hidden_when: dict[str, object], shown_when: dict[str, object]
) -> None:
    assert question not in _visible(loaded.bank, hidden_when)
    assert question in _visible(loaded.bank, shown_when)


def test_contract_terms_are_asked_per_recipient_only_once_an_agreement_exists(loaded: LoadedBank) -> None:
    terms = [q.id for q in loaded.bank.group_questions("recipients") if q.id.startswith("term_")]
    assert terms
    without = _visible(loaded.bank, {}, {"recipient_name": "X", "recipient_agreement": "none"})
    with_one = _visible(loaded.bank, {}, {"recipient_name": "X", "recipient_agreement": "signed"})
    assert not set(terms) & without
    assert set(terms) <= with_one


# -- the shared libraries ---------------------------------------------------------------------------
def test_registry_lists_the_instruments_the_issue_names(loaded: LoadedBank) -> None:
    required = {
        "pipl", "cert-measures", "provisions-2024", "ndsr", "sc-measures", "standard-contract", "sa-measures",
        "gbt-39335", "gbt-35273", "gbt-45574", "sc-filing-guide", "pipia-template", "cac-qa-2025-04",
        "cac-qa-2025-05", "civil-code",
    }
    assert required <= set(loaded.sources.by_id)
    assert "1259" in loaded.sources.by_id["civil-code"].article_ids


def test_sources_known_only_from_drafts_or_summaries_say_so(loaded: LoadedBank) -> None:
    for source_id in ("gbt-39335", "gbt-45574", "tc260-pg-20222a", "gbt-46068", "sa-measures"):
        note = loaded.sources.by_id[source_id].note
        assert note is not None and _bilingual(note), source_id


def test_destination_profiles_are_sourced_and_dated(loaded: LoadedBank) -> None:
    assert loaded.destinations is not None
    for profile in loaded.destinations.destinations:
        assert profile.sources and profile.facts, profile.id
        assert all(s.url.startswith("https://") for s in profile.sources), profile.id
        assert all(_bilingual(text) for text in [profile.name, profile.summary, *(f.text for f in profile.facts)])


@pytest.mark.parametrize("region", ["hk", "mo", "tw"])
def test_greater_china_profiles_say_transfers_there_are_outbound(loaded: LoadedBank, region: str) -> None:
    assert loaded.destinations is not None
    profile = loaded.destinations.by_id[region]
    assert "属于个人信息出境" in profile.summary.zh
    assert "outbound transfer" in profile.summary.en


# -- the derived bank really reuses the base ---------------------------------------------------------
def test_the_contract_bank_is_built_on_the_certification_bank() -> None:
    base, derived = _bank_file(BASE_ID), _bank_file(DERIVED_ID)
    raw = yaml.safe_load(derived.read_text(encoding="utf-8"))
    assert raw["extends"] == BASE_ID
    assert "sections" not in raw, "the derived bank must patch the base, not copy its sections"
    assert _lines(derived) * 5 < _lines(base)


def test_the_contract_bank_keeps_most_questions_and_keys_focus_to_sc_measures_art_5() -> None:
    base, derived = load_bank(BASE_ID).bank, load_bank(DERIVED_ID).bank
    assert derived.route == "standard_contract"
    shared = set(base.questions) & set(derived.questions)
    assert len(shared) >= 0.9 * len(derived.questions)
    assert [s.id for s in derived.sections] == [s.id for s in base.sections]
    certification_only = [
        f"{q.id}: {cite}" for q in derived.questions.values() for cite in q.cites
        if cite.startswith(("cert-measures:6", "tc260-pg-20222a"))
    ]
    assert certification_only == []
    assert {"sc_filing_status", "sc_transfer_timing", "sc_template_fidelity", "assessment_window"} <= set(
        derived.questions)
    assert not {"certification_status", "certification_maintenance"} & set(derived.questions)


# -- helpers ----------------------------------------------------------------------------------------
def _resolves(loaded: LoadedBank, cite: str) -> bool:
    source_id, _, article = cite.partition(":")
    source = loaded.sources.by_id.get(source_id)
    return source is not None and (not article or article in source.article_ids)


def _bilingual(text: Localized) -> bool:
    """Both languages present, the Chinese written in Chinese and the English mostly not."""
    zh, en = text.zh.strip(), text.en.strip()
    if not zh or not en:
        return False
    zh_ok = bool(CJK.search(zh)) or zh == en  # proper names such as ISO/IEC 27001 read the same
    en_ok = len(CJK.findall(en)) <= 0.2 * len(en)
    return zh_ok and en_ok


def _localized(node: object) -> Iterator[Localized]:
    if isinstance(node, Localized):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _localized(getattr(node, name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _localized(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _localized(item)


def _options(bank: Bank) -> Iterator[tuple[str, Option]]:
    for question in bank.questions.values():
        for option in question.options:
            yield f"{question.id}.{option.value}", option
        for column in question.columns:
            yield from _column_options(question, column)


def _column_options(question: Question, column: Column) -> Iterator[tuple[str, Option]]:
    for option in column.options:
        yield f"{question.id}.{column.id}.{option.value}", option


def _visible(bank: Bank, answers: dict[str, object], recipient: dict[str, object] | None = None) -> set[str]:
    data: dict[str, object] = {"bank": {"id": bank.id, "version": bank.version}, "answers": answers,
                               "meta": {"assessment_date": "2026-06-01"}}
    if recipient is not None:
        data["repeats"] = {"recipients": [recipient]}
    state = visibility.evaluate(bank, Answers.model_validate(data))
    return {slot.question.id for slot in state.visible}


def _bank_file(bank_id: str) -> Path:
    return next(path for path in BANK_FILES if load_bank(path).id == bank_id)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_shipped_banks_are_the_top_level_yaml_files() -> None:
    assert {p.name for p in BANK_FILES} >= {"certification.yaml", "standard-contract.yaml"}
    assert all(p.parent == questionnaires_dir() for p in BANK_FILES)


# -- citations a lawyer checks --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "present", "absent"),
    [
        ("consent_withdrawal", "pipl:15", None),                 # withdrawal of consent
        ("fair_means", "pipl:16", None),                         # no refusal of service for refusing consent
        ("storage_and_links", "sa-template:2.2(4)", "sa-template:2.2(3)"),  # storage and links, not the item list
        ("compliance_record", "pipia-template:1.1.4", "cert-measures:16"),  # compliance record, not interviews
        ("important_data_identification", "cac-qa-2025-05", None),          # the 2-month rule's source
        ("foreign_authority_requests", "dsl:36", None),          # DSL Art. 36 beside PIPL Art. 41
        ("compliance_audit", "audit-measures", None),
        ("incident_plan", "incident-reporting", None),
        ("minors_rules", "minors-online", None),
    ],
)
def test_questions_cite_the_provision_that_lays_down_their_rule(
    loaded: LoadedBank, question: str, present: str, absent: str | None
) -> None:
    cites = loaded.bank.questions[question].cites
    assert present in cites
    assert absent is None or absent not in cites


def test_certification_questions_cite_the_standard_in_force(loaded: LoadedBank) -> None:
    # GB/T 46068-2025 (in force 1 March 2026) is the standard of record; the 2022 practice guide is only cited
    # beside it.
    citing_guide = [q.id for q in loaded.bank.questions.values() if "tc260-pg-20222a" in q.cites]
    assert citing_guide or loaded.bank.route != "certification"
    assert [q for q in citing_guide if "gbt-46068" not in loaded.bank.questions[q].cites] == []


def test_the_registry_names_the_instruments_a_lawyer_expects(loaded: LoadedBank) -> None:
    sources = loaded.sources.by_id
    assert "36" in sources["dsl"].article_ids
    for source_id in ("audit-measures", "incident-reporting", "minors-online"):
        assert source_id in sources
    cert = sources["cert-measures"]
    assert cert.number is not None and "国家互联网信息办公室" in cert.number and "国家市场监督管理总局" in cert.number
    assert cert.issued == dt.date(2025, 10, 14)
    assert sources["incident-reporting"].effective == dt.date(2025, 11, 1)


SECTOR_SOURCES = [
    "hgr-regulations", "credit-reporting-regulations", "population-health-measures", "pbc-financial-information",
    "automotive-data-provisions", "ride-hailing-measures", "surveying-mapping-law",
]


def test_every_sector_rule_is_a_screening_item_with_its_source_and_a_consequence(loaded: LoadedBank) -> None:
    question = loaded.bank.questions["sector_data"]
    assert set(SECTOR_SOURCES) <= set(question.cites)
    sectors = [o for o in question.options if o.value != "none"]
    assert len(sectors) == len(SECTOR_SOURCES)
    # Each either stops the transfer itself, or is serious and needs the blocking clearance follow-up.
    clearance = loaded.bank.questions["sector_clearance"]
    assert clearance.show_if is not None and clearance.option("pending").blocking  # type: ignore[union-attr]
    for option in sectors:
        assert option.blocking or option.severity == "high", option.value
        assert option.finding is not None and "待律师确认" in option.finding.zh, option.value


def test_sources_outside_the_reference_collection_are_marked_for_counsel(loaded: LoadedBank) -> None:
    for source_id in ("dsl", "audit-measures", "incident-reporting", "minors-online", *SECTOR_SOURCES):
        note = loaded.sources.by_id[source_id].note
        assert note is not None and "待律师确认" in note.zh and "confirmed by counsel" in note.en, source_id


def test_interpretations_are_marked_as_the_tools_reading(loaded: LoadedBank) -> None:
    questions = loaded.bank.questions
    sensitive_consent = questions["sensitive_consent"].help
    assert sensitive_consent is not None and "第十三条第二款" in sensitive_consent.zh
    assert "本工具的理解" in sensitive_consent.zh
    minors = questions["minors_rules"].help
    assert minors is not None and "专门的个人信息处理规则" in minors.zh and "本工具建议的做法" in minors.zh


def test_the_art_5_1_exemption_lists_every_example_the_provisions_give(loaded: LoadedBank) -> None:
    option = loaded.bank.questions["exemptions"].option("contract_necessity")
    assert option is not None
    for example in ("跨境购物", "跨境寄递", "跨境汇款", "跨境支付", "跨境开户", "机票酒店预订", "签证办理", "考试服务"):
        assert example in option.label.zh, example


def test_a_classification_that_decides_the_route_is_warned_about(loaded: LoadedBank) -> None:
    # Bare ID numbers: sensitive under GB/T 35273 Table B.1, not under GB/T 45574 Appendix A.
    question = loaded.bank.questions["id_number_classification"]
    assert {"gbt-45574:A", "gbt-35273:B.1"} <= set(question.cites)
    lenient = question.option("counted_general")
    assert lenient is not None and lenient.finding is not None and "出境条件" in lenient.finding.zh
