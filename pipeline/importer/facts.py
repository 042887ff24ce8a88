"""The key facts a Word report states about its conference (children, dates, place, chair,
author), found in a two-column table of labels and values (as on the first page of every
document ``confpack render`` makes) or in "Label: value" paragraphs before the first
heading, and taken out of the body into the front matter."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..common.dates import parse_date
from ..lint.structure import heading_key
from .pandoc import stringify

# What each label (as heading_key writes it) holds.
_LABELS = {
    "children": ("child or children", "children", "child", "child's name", "childs name", "name of child",
                 "child's full name", "name of child or children", "children's names", "young person"),
    "dob": ("date of birth", "dob", "d o b", "child's date of birth"),
    "school": ("school", "child's school"),
    "meeting": ("meeting", "type of meeting", "conference type", "type of conference"),
    "when": ("date and time", "date", "conference date", "date of conference", "meeting date", "date of meeting"),
    "time": ("time", "conference time", "time of conference"),
    "venue": ("place", "venue", "location", "where"),
    "chair": ("chair", "conference chair", "chairperson", "chaired by"),
    "written_by": ("written by", "author", "report by", "report author", "completed by", "report written by"),
    "role": ("role", "job title", "author's role", "your role"),
    "agency": ("agency", "organisation", "organization", "service", "author's agency"),
    "shared": ("shared with the family on", "shared with family", "date shared with family",
               "shared with the family", "date shared"),
}
_FIELD = {label: name for name, labels in _LABELS.items() for label in labels}
_CONFPACK_TABLES = {"what the reader needs first", "about the meeting"}   # confpack's templates
_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\S)", re.I)


@dataclass
class Child:
    name: str
    dob: dt.date | None = None
    school: str = ""


@dataclass
class Facts:
    """What was found; empty fields stay prompts in the front matter."""

    children: list[Child] = field(default_factory=list)
    conference_type: str = ""
    date: dt.date | None = None
    time: str = ""               # "14:30"
    venue: str = ""
    chair: str = ""
    author_name: str = ""
    author_role: str = ""
    author_agency: str = ""
    shared: dt.date | None = None
    blank: set[str] = field(default_factory=set)        # front-matter fields the document shows empty
    unread: list[str] = field(default_factory=list)     # labels found but not understood

    def found(self) -> list[str]:
        """What was filled in, in words."""
        names = [("children", self.children), ("meeting type", self.conference_type),
                 ("conference date", self.date), ("time", self.time), ("place", self.venue), ("chair", self.chair),
                 ("author", self.author_name), ("author's role", self.author_role),
                 ("author's agency", self.author_agency), ("date shared with the family", self.shared)]
        return [name for name, value in names if value]


def take_facts(blocks: list) -> tuple[Facts, list]:
    """The facts and the blocks left: a table of facts before the first heading is taken
    out whole (with, for confpack's own first page, the template text before it), or else
    "Label: value" paragraphs before the first heading, one by one."""
    facts = Facts()
    for i, block in enumerate(blocks):
        if block["t"] == "Header":
            break
        if block["t"] == "Table":
            pairs = _table_pairs(block)
            if sum(1 for label, _ in pairs if label in _FIELD) >= 3:
                for label, values in pairs:
                    _read(facts, label, values)
                ours = heading_key(pairs[0][0]) in _CONFPACK_TABLES if pairs else False
                return facts, blocks[i + 1:] if ours else blocks[:i] + blocks[i + 1:]
    kept = []
    heading_seen = False
    for block in blocks:
        heading_seen |= block["t"] == "Header"
        pair = None if heading_seen or block["t"] != "Para" else _pair(stringify(block["c"]))
        if pair:
            _read(facts, *pair)
        else:
            kept.append(block)
    return facts, kept


def _table_pairs(table: dict) -> list[tuple[str, list[str]]]:
    """(label, value paragraphs) of each row of a two-column table."""
    _, _, specs, head, bodies, foot = table["c"]
    if len(specs) != 2:
        return []
    rows = head[1] + [r for body in bodies for r in body[2] + body[3]] + foot[1]
    pairs = []
    for row in rows:
        cells = row[1]
        if len(cells) != 2:
            continue
        label = heading_key(stringify(cells[0][4]))
        values = [" ".join(stringify(b).split()) for b in cells[1][4]]
        pairs.append((label, [v for v in values if v]))
    return pairs


def _pair(text: str) -> tuple[str, list[str]] | None:
    label, colon, value = text.partition(":")
    label = heading_key(label)
    if colon and label in _FIELD and value.strip():
        return label, [" ".join(value.split())]
    return None


def _read(facts: Facts, label: str, values: list[str]) -> None:
    name = _FIELD.get(label)
    if name is None or not values:
        if label not in _CONFPACK_TABLES and values:
            facts.unread.append(f"{label}: {' '.join(values)}")
        return
    value = values[0]
    if name == "children":
        facts.children = _children(values)
    elif name == "dob" and len(facts.children) == 1:
        facts.children[0].dob = parse_date(value)
    elif name == "school" and len(facts.children) == 1:
        facts.children[0].school = value
    elif name == "meeting":
        words = value.lower().split()
        facts.conference_type = "initial" if "initial" in words else "review" if "review" in words else ""
    elif name == "when":
        day, at, hour = value.rpartition(" at ")
        if not at:
            day = hour = value
        facts.date = parse_date(day) or _date_in(day)
        facts.time = _clock(hour) or facts.time
    elif name == "time":
        facts.time = _clock(value)
    elif name == "venue":
        facts.venue = value
    elif name == "chair":
        facts.chair = value
    elif name == "written_by":
        parts = [p.strip() for p in value.split(",")]      # "Name, Role, Agency"
        facts.author_name = parts[0]
        if len(parts) == 2:
            facts.author_role = parts[1]
        elif len(parts) > 2:
            facts.author_role, facts.author_agency = ", ".join(parts[1:-1]), parts[-1]
        facts.blank |= {f"author.{key}" for key, part in zip(("name", "role", "agency"), parts + [""] * 3)
                        if not part and len(parts) > 1}
    elif name == "role":
        facts.author_role = value
    elif name == "agency":
        facts.author_agency = value
    elif name == "shared":
        facts.shared = parse_date(value) or _date_in(value)


def _children(values: list[str]) -> list[Child]:
    """"Jamie Taylor and Ellie Taylor" then (as confpack prints them) "Jamie Taylor, born 14
    May 2015, Hollins Park Academy; Ellie Taylor, born 21 October 2022"."""
    details = next((v for v in values if ", born " in v), "")
    if details:
        children = []
        for part in details.split("; "):
            name, _, rest = part.partition(", born ")
            born, _, school = rest.partition(", ")
            children.append(Child(name.strip(), parse_date(born), school.strip()))
        return children
    names = re.split(r",\s*|\s+and\s+|\s*&\s*", values[0])
    return [Child(name.strip()) for name in names if name.strip()]


def _date_in(text: str) -> dt.date | None:
    """A date written somewhere in ``text`` ("Thursday 3 December 2026, 10am")."""
    match = re.search(r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}", text)
    return parse_date(match.group()) if match else None


def _clock(text: str) -> str:
    """"10am", "2:30pm", "14:30", "midday" → "HH:MM" (24-hour); "" when there is none."""
    if re.search(r"\b(midday|noon)\b", text, re.I):
        return "12:00"
    for match in _TIME.finditer(text):
        hours, minutes, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
        if not half and match.group(2) is None:
            continue    # a bare number is not a time
        if half.startswith("p") and hours < 12:
            hours += 12
        elif half.startswith("a") and hours == 12:
            hours = 0
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    return ""
