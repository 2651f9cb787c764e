"""Table answers (the data inventory) in and out of ``st.data_editor``, without losing edits.

``st.data_editor`` keeps, in its widget state, the edits made since it was drawn, relative to the frame
it was given. Feeding its output back as the next input makes every second edit disappear (upstream
#7749), so the app gives it a fixed source (the rows as they were when the editor appeared) and rebuilds
the answer from that source plus the recorded edits (``apply_edits``) after every change.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..bank import Question
from .values import from_widget, to_widget

Row = dict[str, Any]


def source_rows(question: Question, value: Any) -> list[Row]:
    """The table answer as editor rows: one dict per row, every column present, values as cells show them."""
    rows = value if isinstance(value, list) else []
    return [
        {c.id: to_widget(c, row.get(c.id)) if isinstance(row, Mapping) else None for c in question.columns}
        for row in rows
    ]


def apply_edits(question: Question, source: Sequence[Row], edits: Mapping[str, Any]) -> list[Row]:
    """The canonical table answer: ``source`` with the editor's recorded edits applied.

    ``edits`` is the editor's state: ``edited_rows`` ({row position: {column: value}}), ``added_rows``
    (a list of {column: value}) and ``deleted_rows`` (row positions), positions counted in ``source``.
    Empty rows are dropped; empty cells are left out of a row.
    """
    rows = [dict(row) for row in source]
    for position, changes in (edits.get("edited_rows") or {}).items():
        index = int(position)
        if 0 <= index < len(rows):
            rows[index].update(changes)
    deleted = {int(i) for i in edits.get("deleted_rows") or ()}
    kept = [row for i, row in enumerate(rows) if i not in deleted]
    kept += [dict(row) for row in edits.get("added_rows") or ()]
    columns = {c.id: c for c in question.columns}
    out = []
    for row in kept:
        clean = {}
        for key, cell in row.items():
            if key in columns and (value := from_widget(columns[key], _cell(cell))) is not None:
                clean[key] = value
        if clean:
            out.append(clean)
    return out


def _cell(value: Any) -> Any:
    """A cell as the editor hands it back: NaN for an empty number, ISO text for a date, "" for cleared text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "tolist"):  # numpy arrays from list columns
        return value.tolist()
    return value
