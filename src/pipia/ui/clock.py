"""Times as the user reads them: a stored UTC time shown in the browser's time zone."""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st


def local_time(moment: dt.datetime) -> str:
    """A stored UTC time in the browser's time zone when it is known, as ``YYYY-MM-DD HH:MM``."""
    zone = st.context.timezone
    if zone:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            moment = moment.astimezone(ZoneInfo(zone))
    return moment.strftime("%Y-%m-%d %H:%M")
