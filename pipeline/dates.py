"""Dates and times written the British way: "Thursday 3 December 2026", "10am"."""
from __future__ import annotations

import datetime as dt


def long_date(day: dt.date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def short_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def clock(hhmm: str) -> str:
    """"10:00" → "10am", "14:30" → "2:30pm", "12:00" → "midday"."""
    if not hhmm:
        return ""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if (hours, minutes) == (12, 0):
        return "midday"
    suffix = "am" if hours < 12 else "pm"
    h12 = hours % 12 or 12
    return f"{h12}{suffix}" if minutes == 0 else f"{h12}:{minutes:02d}{suffix}"


def age_on(dob: dt.date | None, day: dt.date | None) -> int | None:
    if not dob or not day:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
