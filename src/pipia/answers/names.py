"""What an item of a repeated section (an overseas recipient) is called wherever it is shown.

One rule for every surface — the questionnaire's switch, the results, the findings, the report's risk table
and its questions and answers: the answer to the group's title question, or, while it has none, the
group's label and the item's number from 1 ("Overseas recipient 2").
"""

from __future__ import annotations

from typing import Any

from pipia.bank.format import Bank
from pipia.i18n import Localized, sentence


def item_name(bank: Bank, group: str, item: int, title: Any) -> Localized:
    """The display name of item ``item`` (from 0) of repeat group ``group``, given its title answer
    ``title`` (any value; only non-blank text names an item). Raises KeyError for a group the bank lacks."""
    if isinstance(title, str) and title.strip():
        return Localized.of(title.strip(), title.strip())
    label = bank.groups[group].label
    return Localized.of(f"{label.zh} {item + 1}", f"{sentence(label.en)} {item + 1}")
