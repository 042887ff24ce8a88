"""Dates and times written the British way: "Thursday 3 December 2026", "10am"."""
from __future__ import annotations

import datetime as dt
import re

_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%A %d %B %Y", "%a %d %b %Y", "%d/%m/%Y", "%d.%m.%Y")


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


def parse_date(text: str) -> dt.date | None:
    """A date as people write it in the UK: "11 December 2026", "11/12/2026", "2026-12-11"."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", " ".join(text.replace(",", " ").split()))
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None
