"""A finding: a problem the answers reveal, with the action that closes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipia.bank.format import Severity
from pipia.i18n import Localized, Message


@dataclass(frozen=True)
class Finding:
    """A finding of the assessment: a gap, contradiction or route problem on one question (and overseas recipient), with
    its severity (low, medium, high), whether it blocks the transfer, and the recommended action.
    """

    question: str  # the question it comes from
    slot: str  # where exactly: "legal_basis" or "recipients[1].recipient_contract"
    item: int | None  # the repeat-group item (overseas recipient), if any
    recipient: Localized | None  # that recipient's display name (``names.item_name``)
    dimension: str | None
    severity: Severity
    blocking: bool
    # The program's words (a catalogue Message) for the findings it works out itself, the bank's own
    # {zh, en} texts for a finding an option or a consistency rule of the bank declares.
    text: Message | Localized
    action: Message | Localized
    kind: Literal["gap", "consistency", "route"] = "gap"
    # 'fix': closed by the processor before the transfer (continues); 'mitigate': it can only be reduced
    # and watched (e.g. a destination's government-access law), so the conclusion words it apart.
    remedy: Literal["fix", "mitigate"] = "fix"
