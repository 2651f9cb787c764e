"""What the route check finds wrong with the mechanism already in place, as findings of the assessment.

A security assessment result or a certificate that expired before the assessment date, or a standard
contract filing deadline passed without a filing in time, is a problem of the transfer itself, not only a
line in the route annex: ``pipia score``, the conclusion and the action plan must show it. Each route
warning below becomes one finding on the question whose date revealed it. Pure: no printing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pipia.assessment.findings import Finding
from pipia.bank.format import Bank
from pipia.i18n import Message, msg
from pipia.route.check import RouteDecision


@dataclass(frozen=True)
class _Lapse:
    question: str
    blocking: bool
    action: Message


# Warning id -> the question whose date shows it, whether it stops the transfer, and the fix.
LAPSES: Mapping[str, _Lapse] = MappingProxyType({
    # Transfers on a lapsed result or certificate have no PIPL Art. 38 condition at all.
    "lapsed_security_assessment": _Lapse(
        "security_assessment_pass_date",
        True,
        msg("route_finding.lapsed_security_assessment"),
    ),
    "lapsed_certificate": _Lapse(
        "certificate_issue_date",
        True,
        msg("route_finding.lapsed_certificate"),
    ),
    # A late filing is a breach of Standard Contract Measures Art. 7, but the contract itself is in force.
    "filing_overdue": _Lapse(
        "contract_filing_date",
        False,
        msg("route_finding.filing_overdue"),
    ),
})


def route_findings(bank: Bank, decision: RouteDecision | None) -> list[Finding]:
    """Findings for the lapses the route check (``decision``, of the answers' screening facts and dates)
    reports.

    Returns [] while the screening answers cannot decide the route (``decision`` None: that is reported as
    missing answers).
    Legal sources: Provisions Art. 9, Certification Measures Art. 8, Standard Contract Measures Art. 7.
    """
    return list(_findings(bank, decision))


def _findings(bank: Bank, decision: RouteDecision | None) -> Iterator[Finding]:
    if decision is None:
        return
    for warning in decision.warnings:
        lapse = LAPSES.get(warning.id)
        if lapse is None:
            continue
        question = lapse.question if lapse.question in bank.questions else "contract_effective_date"
        yield Finding(question, question, None, None, None, "high", lapse.blocking, warning.text, lapse.action,
                      "route")
