"""The report context as types: every name a report template can print, with what it holds.

``ReportContext`` is the one description of the context. The context builders (``context``, ``chapters``,
``annexes``, ``legal``) produce its parts and ``context.build_context`` validates them into it, so a part
that drifts from this description fails every test that builds a report. From the same classes,
``names`` checks the names a user's template reads (``cover.procesor`` is refused, with the names near it)
and ``build_templates --docs`` writes the documentation of template names (templates/CONTEXT.md).

Every value is text, a yes/no, a number or a list of these: what a template can print and test, and
nothing with methods (see ``render``). Texts are already in the report's language; numbers that a
template only prints (counts, numbers of items) are text too, so that a template never formats them.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from pipia.i18n import Lang
from pipia.model import Model

__all__ = [
    "Annex", "Approval", "Chapter1", "Chapter2", "Conclusion", "ContextModel", "Cover", "DataMap", "DataRow",
    "Deadline", "Destination", "Dimension", "Entry", "FindingEntry", "FocusItem", "Item", "LabelValue",
    "Legend", "Matrix", "MatrixCell", "MatrixRow", "MissingQuestion", "Notes", "ProcessorItems", "QaEntry",
    "QaSection", "RatedEntry", "Recipient", "Reference", "ReportContext", "RouteCheck", "Scenario", "Signoff",
    "SourceShare", "Statement", "Status", "TransferItems",
]


class ContextModel(Model):
    """A part of the report context: strict (a number is not text), frozen, no unknown field."""

    model_config = ConfigDict(strict=True)


# -- cover, notes, status ------------------------------------------------------------------------------
class Cover(ContextModel):
    """The cover page, and the page header."""

    processor: str = Field(description="The personal information processor's name: the assessment's "
                                       "organisation, else the answer naming the processor.")
    title: str = Field(description="The title of the assessment, as entered; may be empty.")
    date: str = Field(description="The assessment date, written out (2026年10月15日 / 15 October 2026); may be "
                                  "empty.")
    route: str = Field(description="The mechanism the question bank assesses for (个人信息保护认证 / the "
                                   "standard contract …).")
    bank: str = Field(description="The question bank's title and version.")
    tool: str = Field(description="The tool and its version (pipia 0.1.0).")
    draft: bool = Field(description="True until the approver approves these very answers: the report is a "
                                    "draft.")


class Notes(ContextModel):
    """The notes (说明) after the cover."""

    completed: str = Field(description="The date the assessment was completed, written out.")
    valid_until: str = Field(description="Three months after that date: the filing must follow the assessment "
                                         "within three months. Empty without a date.")
    basis: str = Field(description="The article the route's focus items come from (《个人信息出境认证办法》第六条).")
    route: str = Field(description="The mechanism, as on the cover.")


class MissingQuestion(ContextModel):
    """A required question still unanswered."""

    key: str = Field(description="Where the answer goes (question id, or group[item].question id).")
    question: str = Field(description="The question's text.")
    recipient: str = Field(description="The overseas recipient it is asked about; empty for the processor's "
                                       "questions.")


class Status(ContextModel):
    """How complete the assessment is."""

    complete: bool = Field(description="True when every required question is answered.")
    missing_count: str = Field(description="How many required questions are unanswered (text: \"0\", \"3\").")
    missing: list[MissingQuestion] = Field(description="The unanswered required questions, in the order asked.")
    short_groups: list[str] = Field(description="Ids of repeated sections with fewer items than they need.")


# -- chapter 一 ------------------------------------------------------------------------------------------
class Entry(ContextModel):
    """A question and its answer, as chapter 一 and Annex 7 print it."""

    key: str = Field(description="Where the answer goes (question id, or group[item].question id).")
    question: str = Field(description="The question's text, without form instructions such as 可多选.")
    lead: str = Field(description="The question as the label of its answer in running text (ends in ：or ？).")
    answer: str = Field(description="The answer in words (option labels, dates, counts), or 未回答 / "
                                    "Unanswered, 未填写（非必答）/ Not given (optional).")
    answered: bool = Field(description="True when the question has an answer.")
    missing: bool = Field(description="True when the question is required and unanswered: print it in red "
                                      "(``rt(e.missing)``).")
    comment: str = Field(description="The assessor's note on the answer; may be empty.")
    evidence: list[str] = Field(description="The documents named as evidence.")
    recipient: str = Field(description="The overseas recipient the answer is about; empty for the processor's "
                                       "answers and under a recipient's own heading.")


class Item(ContextModel):
    """One item of the CAC template's chapter 一: the answers to the questions the bank tags with it."""

    id: str = Field(description="The coverage id of the item (report.1.1.1 …).")
    label: str = Field(description="The item's label in the bank.")
    entries: list[Entry] = Field(description="The questions and answers, in the order asked; an optional "
                                             "question left blank is left out.")
    empty: bool = Field(description="True when there is nothing to print under the item.")


class ProcessorItems(ContextModel):
    """Chapter 一 (一): the personal information processor."""

    basic: Item = Field(description="1. Basic information (report.1.1.1).")
    business: Item = Field(description="2. Overall business and processing of personal information "
                                       "(report.1.1.2).")
    compliance: Item = Field(description="4. Compliance with personal information protection law "
                                         "(report.1.1.4).")


class TransferItems(ContextModel):
    """Chapter 一 (一) 3: the personal information to be transferred."""

    business: Item = Field(description="(1) Business, collection and use, information systems (report.1.1.3.1).")
    purpose: Item = Field(description="(2) Purposes, scope and methods, and their legality (report.1.1.3.2).")
    scale: Item = Field(description="(3) Scale, scope, types and sensitivity (report.1.1.3.3).")
    storage: Item = Field(description="(4) Systems and data centres, the transfer link (report.1.1.3.4).")
    onward: Item = Field(description="(5) Onward provision abroad (report.1.1.3.5).")


class Destination(ContextModel):
    """The profile of a recipient's country or region, when the bank links one; every text empty otherwise."""

    name: str = Field(description="The country or region.")
    summary: str = Field(description="Its personal information protection law, in brief.")
    as_of: str = Field(description="The date the profile was last checked, written out.")
    stale: str = Field(description="A warning when the profile was checked more than 12 months before the "
                                   "assessment date; empty otherwise.")
    unconfirmed: list[str] = Field(description="Facts of the profile marked to be confirmed, which the signer must "
                                               "check.")


class Recipient(ContextModel):
    """Chapter 一 (二): one overseas recipient."""

    no: str = Field(description="Its number, from 1.")
    name: str = Field(description="Its name, from its name question; #2 while it has none.")
    basic: Item = Field(description="(1) Basic information (report.1.2.1).")
    purpose: Item = Field(description="(2) Purposes and methods of processing (report.1.2.2).")
    measures: Item = Field(description="(3) Management and technical measures (report.1.2.3).")
    destination: Destination = Field(description="The profile of its country or region.")


class Chapter1(ContextModel):
    """Chapter 一、出境活动整体情况, item by item of the CAC template."""

    processor: ProcessorItems = Field(description="(一) The processor.")
    transfer: TransferItems = Field(description="(一) 3 The personal information to be transferred.")
    recipients: list[Recipient] = Field(description="(二) Each overseas recipient.")
    other: Item = Field(description="(三) Other matters the processor wishes to explain (report.1.3).")


# -- chapter 二 ------------------------------------------------------------------------------------------
class FindingEntry(ContextModel):
    """A problem found and what to do about it (chapter 二 and Annex 6), with how its fix is tracked."""

    no: str = Field(description="Its number, from 1, in the order to deal with them (blocking first, then by "
                                "severity).")
    recipient: str = Field(description="The overseas recipient it concerns; empty for the processor.")
    text: str = Field(description="The problem.")
    action: str = Field(description="The fix or mitigation recommended.")
    priority: str = Field(description="Its priority, in words (立即（构成出境障碍的问题）/ 高 / 中 / 低).")
    blocking: bool = Field(description="True when it stands in the way of the transfer.")
    severity: str = Field(description="high, medium or low (a code, for tests in templates).")
    mitigate: bool = Field(description="True when the risk is to be mitigated rather than fixed.")
    status: str = Field(description="The status of its fix, in words; empty when none is recorded.")
    status_code: str = Field(description="The status as the app's store records it (open, in_progress, done, "
                                         "accepted); empty otherwise.")
    owner: str = Field(description="Who is responsible for the fix.")
    due: str = Field(description="When the fix is due, written out.")
    evidence: str = Field(description="The evidence that the fix is made.")
    justification: str = Field(description="Why the risk is accepted, when it is.")
    overdue: bool = Field(description="True when the fix is past its due date and not done.")
    recorded: bool = Field(description="True when the fix's state was recorded (in the app or the bank's "
                                       "rectification table).")
    rectification: str = Field(description="All of the above as one line, printed after 整改情况：/ Status:.")


class RatedEntry(Entry):
    """A question and its answer in chapter 二, with the scoring rules' reading of the answer."""

    assessment: str = Field(description="符合 / No gap, 存在不符合项 / Gap, or the findings it raised (问题1、2 / "
                                        "Finding 1, 2); empty for an answer that is not scored.")


class FocusItem(ContextModel):
    """Chapter 二: one focus item of the route, as the rules list them."""

    id: str = Field(description="The coverage id of the item (focus.…).")
    number: str = Field(description="Its number as a heading prefix (（一） / (1)).")
    label: str = Field(description="The item's label in the bank.")
    cites: str = Field(description="The provision it comes from, as a lawyer cites it.")
    entries: list[RatedEntry] = Field(description="The scored answers and analyses that bear on it.")
    findings: list[FindingEntry] = Field(description="The problems found under it.")
    summary: str = Field(description="One sentence: how many points were assessed and problems found.")


class Chapter2(ContextModel):
    """Chapter 二、拟出境活动的影响评估情况及结论."""

    basis: str = Field(description="The article the focus items come from.")
    focus: list[FocusItem] = Field(description="Each focus item, in the rules' order.")
    risk_number: str = Field(description="The heading number of the risk analysis (after the focus items).")
    conclusion_number: str = Field(description="The heading number of the conclusion.")


# -- risk ------------------------------------------------------------------------------------------------
class SourceShare(ContextModel):
    """One risk-source dimension of a scenario's likelihood."""

    name: str = Field(description="The risk source.")
    share: str = Field(description="The share of its scored points found to be gaps (40%), or — when none was "
                                   "scored.")
    level: str = Field(description="The likelihood it gives, in words.")


class Scenario(ContextModel):
    """A transfer scenario (an overseas recipient and what it receives), rated by GB/T 39335 Appendix D."""

    no: str = Field(description="Its number, from 1 (the recipient's).")
    recipient: str = Field(description="The overseas recipient.")
    impact: str = Field(description="The impact on individuals' rights, in words.")
    likelihood: str = Field(description="The likelihood of a security incident, in words.")
    risk: str = Field(description="The risk level, in words.")
    risk_code: str = Field(description="low, medium, high or severe.")
    colour: str = Field(description="The risk level's fill colour (hex RGB, for ``{% cellbg %}``).")
    treatment: str = Field(description="How the risk is to be treated, in words.")
    impact_reasons: list[str] = Field(description="Why the impact is what it is, step by step.")
    likelihood_reasons: list[str] = Field(description="Why the likelihood is what it is, step by step.")
    sources: list[SourceShare] = Field(description="The likelihood of each risk-source dimension.")


class Conclusion(ContextModel):
    """The conclusion of the assessment (chapter 二, last item)."""

    code: str = Field(description="proceed, proceed_after_fixes, do_not_proceed or incomplete.")
    label: str = Field(description="The conclusion, in words.")
    risk: str = Field(description="The overall risk level, in words; empty when nothing could be rated.")
    risk_code: str = Field(description="low, medium, high or severe; empty when nothing could be rated.")
    provisional: bool = Field(description="True while the assessment is incomplete.")
    statement: str = Field(description="The conclusion as one sentence.")
    reasons: list[str] = Field(description="The reasons for it, including a route that does not match.")
    blocking: int = Field(description="How many problems stand in the way of the transfer.")
    findings: str = Field(description="How many problems were found (text).")
    recorded: int = Field(description="How many of them have a recorded fix.")


# -- annexes ---------------------------------------------------------------------------------------------
class LabelValue(ContextModel):
    """A label and its value: a row of a two-column table."""

    label: str = Field(description="What is described.")
    value: str = Field(description="Its value, in words.")


class Statement(ContextModel):
    """A statement of the route check with its legal basis."""

    text: str = Field(description="The statement.")
    cites: str = Field(description="The provisions it rests on, as a lawyer cites them.")


class Deadline(ContextModel):
    """A date the route sets."""

    date: str = Field(description="The date, written out, with its status (passed, days left).")
    label: str = Field(description="What is due.")
    note: str = Field(description="A note on it; may be empty.")
    cites: str = Field(description="The provisions that set it.")


class RouteCheck(ContextModel):
    """Annex 1: the route check (exempt / standard contract or certification / security assessment)."""

    decided: bool = Field(description="False when the screening answers do not decide the route; then only "
                                      "``problems`` is filled.")
    problems: list[str] = Field(default=[], description="Why the route could not be decided, each at its "
                                                         "answer; empty when it was.")
    route: str = Field(default="", description="The route found, both parts (the mechanism and the exempt "
                                               "transfers).")
    rule_set: str = Field(default="", description="The dated rules applied.")
    as_of: str = Field(default="", description="The date the route is judged at, written out.")
    facts: list[LabelValue] = Field(default=[], description="The facts the route check relies on.")
    reasons: list[Statement] = Field(default=[], description="Why the route is what it is.")
    mechanisms: list[Statement] = Field(default=[], description="The mechanisms available.")
    obligations: list[Statement] = Field(default=[], description="Obligations that remain whatever the route.")
    deadlines: list[Deadline] = Field(default=[], description="Dates the route sets.")
    warnings: list[Statement] = Field(default=[], description="Points to watch.")


class DataRow(ContextModel):
    """One item of the data inventory."""

    no: str = Field(description="Its number, from 1.")
    cells: list[LabelValue] = Field(description="Each column: its label and the value in words (— when blank).")


class DataMap(ContextModel):
    """Annex 2: the data map, the inventory of personal information to be transferred."""

    title: str = Field(description="The inventory question's text; empty when the bank has none.")
    rows: list[DataRow] = Field(description="Each item of the inventory.")
    empty: bool = Field(description="True when the inventory has no item.")


class MatrixCell(ContextModel):
    """A cell of the risk matrix."""

    level: str = Field(description="The risk level of the cell, in words.")
    code: str = Field(description="low, medium, high or severe.")
    colour: str = Field(description="Its fill colour (hex RGB).")
    scenarios: str = Field(description="The scenarios (recipients) placed in it, joined; may be empty.")


class MatrixRow(ContextModel):
    """A row of the risk matrix: one impact level, from severe down."""

    impact: str = Field(description="The impact level, in words.")
    cells: list[MatrixCell] = Field(description="One cell per likelihood, from low to very high.")


class Legend(ContextModel):
    """A risk level and its treatment."""

    level: str = Field(description="The risk level, in words.")
    colour: str = Field(description="Its fill colour (hex RGB).")
    treatment: str = Field(description="How a risk of that level is treated.")


class Matrix(ContextModel):
    """Annex 4: GB/T 39335 Table D.5 with each scenario in its cell."""

    likelihoods: list[str] = Field(description="The column headings: the four likelihoods, from low.")
    rows: list[MatrixRow] = Field(description="The rows, from severe impact down.")
    legend: list[Legend] = Field(description="Each risk level with its treatment, from severe down.")


class Dimension(ContextModel):
    """Annex 5: the gap score of one dimension of the bank's scoring."""

    code: str = Field(description="D1, D2 …")
    label: str = Field(description="The dimension.")
    score: str = Field(description="Its gap score from 0 to 100 as text (one decimal at most), or —.")
    value: float | None = Field(description="The same score as a number, for tests; none when nothing was scored.")
    source: str = Field(description="The risk source it feeds; may be empty.")
    answered: str = Field(description="How many scored points were answered (text).")


class _Numbered(ContextModel):
    no: str = Field(description="Section and question number (3.2).")


class QaEntry(Entry, _Numbered):
    """Annex 7: a question and its answer, numbered (``no`` first, then the fields of ``Entry``)."""


class QaSection(ContextModel):
    """Annex 7: the questions of one section (once per recipient for a repeated one)."""

    title: str = Field(description="The section's title, with the recipient's name for a repeated one.")
    questions: list[QaEntry] = Field(description="Every visible question, in the order asked.")


class Reference(ContextModel):
    """Annex 8: a source cited, once."""

    no: str = Field(description="Its number, from 1.")
    id: str = Field(description="Its id in the sources registry; empty for citations the registry lacks.")
    title: str = Field(description="Its full title (with the standard's number).")
    short: str = Field(description="The short name citations use.")
    alias: str = Field(description="The short name, when the full title does not contain it; else empty.")
    kind: str = Field(description="Law, administrative regulation, national standard …, in words.")
    issuer: str = Field(description="Who issued it.")
    number: str = Field(description="Its document number.")
    dates: str = Field(description="Issued and in-force dates, written out.")
    url: str = Field(description="Where the official text is.")
    note: str = Field(description="A note on it (to be confirmed by counsel …).")
    articles: list[str] = Field(description="The articles cited from it, with the tool's summary in brackets.")


class Signoff(ContextModel):
    """Annex 9: a sign-off recorded in the review log."""

    role: str = Field(description="Assessor, reviewer, PI protection officer or approver, in words.")
    name: str = Field(description="Who.")
    date: str = Field(description="When, written out.")
    opinion: str = Field(description="What they said.")


class Approval(ContextModel):
    """Annex 9: the approval page."""

    signoffs: list[Signoff] = Field(description="The sign-offs the review log records; empty without a log.")
    approved: bool = Field(description="True when the latest decision approves these very answers.")
    version: str = Field(description="The name of the approved version; empty unless approved.")
    statement: str = Field(description="The decision and its reason, as one sentence; empty without one.")
    assessor: str = Field(description="The assessor named in the assessment.")
    reviewer: str = Field(description="The reviewer named in the assessment.")
    dpo: str = Field(description="The person who approves the report, from the bank's approver question.")
    date: str = Field(description="The assessment date, written out.")


class Annex(ContextModel):
    """The annexes GB/T 39335 §5.7 asks of a report."""

    route: RouteCheck = Field(description="Annex 1: the route check.")
    data_map: DataMap = Field(description="Annex 2: the data map.")
    matrix: Matrix = Field(description="Annex 4: the risk matrix.")
    dimensions: list[Dimension] = Field(description="Annex 5: the gap score of each dimension.")
    actions: list[FindingEntry] = Field(description="Annex 6: the action plan, one entry per problem found.")
    qa: list[QaSection] = Field(description="Annex 7: every question and answer, section by section.")
    references: list[Reference] = Field(description="Annex 8: the legal references.")
    approval: Approval = Field(description="Annex 9: the approval page.")


class ReportContext(ContextModel):
    """Everything a report template prints, in one language (the names a template starts from)."""

    lang: Lang = Field(description="The report's language: zh or en.")
    cover: Cover = Field(description="The cover page and page header.")
    notes: Notes = Field(description="The notes (说明).")
    status: Status = Field(description="How complete the assessment is.")
    chapter1: Chapter1 = Field(description="Chapter 一: the transfer, item by item of the CAC template.")
    chapter2: Chapter2 = Field(description="Chapter 二: the assessment, focus item by focus item.")
    scenarios: list[Scenario] = Field(description="Each transfer scenario rated (chapter 二 and Annex 3).")
    conclusion: Conclusion = Field(description="The conclusion.")
    annex: Annex = Field(description="Annexes 1 to 9.")
