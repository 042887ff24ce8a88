"""Who a copy is for: a person or child from the front matter, professionals or the chair."""
from __future__ import annotations

from dataclasses import dataclass

from ..document.frontmatter import Meta, Person
from ..errors import InputError

GROUPS = ("professionals", "chair")


@dataclass(frozen=True)
class Recipient:
    id: str
    label: str                   # "Sam Taylor", "professionals"
    person: Person | None = None

    @property
    def is_family(self) -> bool:
        return self.person is not None


def resolve(meta: Meta, recipient: str, path: str | None = None) -> Recipient:
    """The recipient named by ``--for``; an id the front matter does not know is an error."""
    if recipient in GROUPS:
        return Recipient(recipient, "professionals" if recipient == "professionals" else "the chair")
    person = meta.person(recipient)
    if person is None:
        known = [p.id for p in meta.family] + list(GROUPS)
        raise InputError(f"'{recipient}' is not a person or child in this report's front matter; "
                         f"use one of: {', '.join(known)}", path)
    return Recipient(person.id, person.name, person)
