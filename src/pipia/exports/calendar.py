"""The route's deadlines and the actions' due dates as an iCalendar file (RFC 5545, with the icalendar
library), so they land in the team's calendars.

Every event is an all-day event with a reminder a week ahead. Its UID is made from the assessment's id and
what the event is (``deadline id`` / finding key), so importing a newer file updates the events rather
than adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from icalendar import Alarm, Calendar, Event

from pipia import __version__
from pipia.i18n import Lang, t
from pipia.route.check import Deadline
from pipia.route.workdays import add_months
from pipia.team.actions import STATUS_LABELS, Action

# PIPL Art. 56: the PIPIA report and the processing records are kept at least three years.
RETENTION_MONTHS = 36
_REMIND = dt.timedelta(days=7)


def calendar(assessment_id: str, title: str, deadlines: Sequence[Deadline], actions: Sequence[Action], *,
             assessment_date: dt.date | None, lang: Lang, now: dt.datetime) -> bytes:
    """An .ics calendar: the route deadlines not yet met, the report's retention date (from
    ``assessment_date``), and the due date of every action still open or in progress."""
    cal = Calendar()
    cal.add("prodid", f"-//pipia {__version__}//PIPIA//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"pipia · {title}" if title else "pipia")
    stamp = now.astimezone(dt.UTC)
    for d in deadlines:
        if d.met_on is not None:
            continue
        note = d.note(lang) if d.note else ""
        cal.add_component(_event(f"{assessment_id}-{d.id}", d.date, f"{title}: {d.label(lang)}", note, stamp))
    if assessment_date is not None:
        cal.add_component(_event(f"{assessment_id}-retention", add_months(assessment_date, RETENTION_MONTHS),
                                 f"{title}: {t(lang, 'calendar_retention')}", "", stamp))
    for a in actions:
        if a.record.due is None or a.record.status not in ("open", "in_progress"):
            continue
        summary = f"{title}: {t(lang, 'calendar_action_due', n=a.number)} — {a.finding.action(lang)}"
        details = [a.finding.text(lang), STATUS_LABELS[a.record.status](lang)]
        if a.record.owner:
            details.append(a.record.owner)
        cal.add_component(_event(f"{assessment_id}-action-{a.key}", a.record.due, summary, "\n".join(details),
                                 stamp))
    return bytes(cal.to_ical())


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@pipia")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -_REMIND)
    event.add_component(alarm)
    return event
