"""Files made from an assessment for the team's own tools: the action plan as a spreadsheet (.xlsx, .csv)
and the deadlines and due dates as a calendar (.ics). Pure: bytes and text out, nothing written to disk."""

from pipia.exports.calendar import calendar
from pipia.exports.plan import COLUMNS, plan_csv, plan_rows, plan_xlsx

__all__ = ["COLUMNS", "calendar", "plan_csv", "plan_rows", "plan_xlsx"]
