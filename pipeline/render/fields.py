"""The fixed fields a template shows (header, first-page table, letter address block),
built from the front matter the recipient may see, never from the whole front matter."""
from __future__ import annotations

import datetime as dt

from ..common.dates import clock, long_date, short_date
from ..document.frontmatter import Meta
from ..redact.audience import Recipient

CONFERENCE_TYPES = {"initial": "Initial child protection conference",
                    "review": "Review child protection conference"}


def join_names(names: list[str]) -> str:
    """"Jamie", "Jamie and Ellie", "Jamie, Ellie and Sam"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


TITLES = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "PC", "DC", "Sgt")


def first_name(name: str) -> str:
    """"Sam" for "Sam Taylor"; titles are skipped ("Dr Ruth Oyelaran" → "Ruth")."""
    words = [w for w in name.replace(",", " ").split() if w.rstrip(".") not in TITLES]
    return words[0] if words else name


def template_fields(meta: Meta, recipient: Recipient, title: str, today: dt.date | None = None,
                    addressee: tuple[str, str] | None = None, council: dict[str, str] | None = None,
                    salutation: str = "first name") -> dict[str, str]:
    """Every placeholder value for one recipient's copy, as plain strings, from the front
    matter they may see (:func:`pipeline.redact.audience.visible_meta`).  ``addressee``
    (name, address) names the person a group's copy is addressed to, such as one professional;
    ``council`` is the council's details from the settings; ``salutation`` "first name" greets
    a person as "Dear Sam", "full name" as "Dear Sam Taylor"."""
    conf = meta.conference
    details = []
    for child in meta.children:
        parts = [child.name] + ([f"born {short_date(child.dob)}"] if child.dob else []) + (
            [child.school] if child.school else [])
        details.append(", ".join(parts))
    person = recipient.person
    name, address = addressee or (person.name if person else recipient.label,
                                  person.private.get("address", "") if person else "")
    council = council or {}
    author = meta.author
    return {
        "title": meta.title or title,
        "child_names": join_names([c.name for c in meta.children]),
        "child_details": "; ".join(details),
        "conference_type": CONFERENCE_TYPES.get(conf.type, "Child protection conference"),
        "conference_date": long_date(conf.date),
        "conference_time": clock(conf.time),
        "venue": conf.venue,
        "chair": conf.chair,
        "author_name": meta.author.name,
        "author_role": meta.author.role,
        "author_agency": meta.author.agency,
        "shared_date": long_date(meta.shared_with_family),
        "copy_for": f"Copy for {name}",
        "recipient_name": name,
        "recipient_address": address,
        "letter_date": long_date(today or dt.date.today()),
        "salutation": first_name(name) if salutation == "first name" and (person or addressee) else name,
        "written_by": ", ".join(x for x in (author.name, author.role, author.agency) if x),
        "council_name": council.get("name", ""),
        "council_address": council.get("address", ""),
        "council_phone": council.get("phone", ""),
        "council_email": council.get("email", ""),
        "council_web": council.get("web", ""),
    }
