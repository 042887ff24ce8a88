"""Who a copy is for, and what their marks let them see.

A recipient is a person or child from the front matter, ``professionals`` or ``chair``.  A
family member's copy can also go to a household: everyone who lives at the address it is
posted to (or reads the inbox it is sent to), so it holds only what every one of them may
see.  Audience words are ids and the groups in :data:`GROUPS`; the chair sees everything."""
from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

from ..document.frontmatter import GROUPS, Meta, Person
from ..document.tree import Document
from ..errors import InputError

RECIPIENT_GROUPS = ("professionals", "chair")


@dataclass(frozen=True)
class Recipient:
    id: str
    label: str                         # "Sam Taylor", "professionals"
    person: Person | None = None
    household: tuple[Person, ...] = ()  # others at the address the copy goes to

    @property
    def is_family(self) -> bool:
        return self.person is not None

    @property
    def members(self) -> tuple[Person, ...]:
        return ((self.person,) if self.person else ()) + self.household


def resolve(meta: Meta, recipient: str, path: str | None = None, household: tuple[str, ...] = ()) -> Recipient:
    """The recipient named by ``--for``; an id the front matter does not know is an error."""
    if recipient in RECIPIENT_GROUPS:
        return Recipient(recipient, "professionals" if recipient == "professionals" else "the chair")
    person = meta.person(recipient)
    if person is None:
        known = [p.id for p in meta.family] + list(RECIPIENT_GROUPS)
        hint = difflib.get_close_matches(recipient, known, n=1)
        raise InputError(f"'{recipient}' is not a person or child in this report's front matter; " +
                         (f"did you mean '{hint[0]}'? " if hint else "") + f"use one of: {', '.join(known)}", path)
    others = tuple(p for p in (meta.person(h) for h in household) if p is not None and p is not person)
    return Recipient(person.id, person.name, person, others)


def blocked(attrs: dict, words: frozenset[str]) -> str | None:
    """Which mark ("only" or "withhold") keeps an element from a reader with these words."""
    only, withhold = attrs.get("only"), attrs.get("withhold")
    if only is not None and not set(only.split()) & words:
        return "only"
    if withhold is not None and set(withhold.split()) & words:
        return "withhold"
    return None


class Viewer:
    """What one recipient (every member of their household) may see."""

    def __init__(self, meta: Meta, recipient: Recipient):
        self.recipient = recipient
        self.sees_all = recipient.id == "chair"
        if recipient.id == "chair":
            self.members = (frozenset({"chair", "professionals", "all"}),)
        elif recipient.id == "professionals":
            self.members = (frozenset({"professionals", "all"}),)
        else:
            self.members = tuple(meta.words_of(p) for p in recipient.members)
        self.words = frozenset().union(*self.members)

    def blocked_by(self, attrs: dict) -> str | None:
        """The mark that keeps this element from any member of the household, or None.
        ``attrs["guards"]`` (on rows and items of built documents) lists further marks."""
        if self.sees_all:
            return None
        for mark in [attrs, *attrs.get("guards", ())]:
            for words in self.members:
                rule = blocked(mark, words)
                if rule:
                    return rule
        return None

    def excluded(self, names) -> bool:
        """True when a withhold_from list names any member of the household."""
        return not self.sees_all and bool(set(names) & self.words)

    def kept_from(self, names, owner: str) -> bool:
        """True when a withhold_from list names a member of the household other than
        ``owner``: a person's own detail is kept from their copy only when someone else who
        reads it may not see it."""
        if self.sees_all:
            return False
        people = self.recipient.members
        if len(people) != len(self.members):   # professionals: no people, one set of words
            return self.excluded(names)
        return any(set(names) & words and person.id != owner for person, words in zip(people, self.members))

    def may_know(self, person: Person) -> bool:
        return not self.excluded(person.hidden_from)


def check_words(doc: Document) -> None:
    """Every audience word in the marks must be an id or a group; fail closed on anything else."""
    known = set(GROUPS) | {p.id for p in doc.meta.family}
    for tree in [doc.root, *doc.footnotes.values()]:
        for node in tree.walk():
            for mark in [node.attrs, *node.attrs.get("guards", ())]:
                _check_mark(doc, node, mark, known)


def _check_mark(doc: Document, node, mark: dict, known: set[str]) -> None:
    for key in ("only", "withhold"):
        unknown = [w for w in mark.get(key, "").split() if w not in known]
        if unknown:
            hint = difflib.get_close_matches(unknown[0], sorted(known), n=1)
            raise InputError(
                f"{key}=\"{mark[key]}\" names {', '.join(repr(u) for u in unknown)}" +
                (f" (did you mean '{hint[0]}'?)" if hint else "") +
                f"; use ids from the front matter ({', '.join(sorted(p.id for p in doc.meta.family))}) "
                f"or {', '.join(GROUPS)}", doc.path, node.line)


def visible_meta(meta: Meta, viewer: Viewer) -> Meta:
    """The front matter as this viewer may see it: people and children they may not know of
    left out, an author they may not know blanked, other people's private details dropped."""
    if viewer.sees_all:
        return meta

    def person(p: Person) -> Person:
        own = viewer.recipient.person is not None and p.id == viewer.recipient.person.id
        return p if own or not p.private else dataclasses.replace(p, private={})

    author = meta.author
    if viewer.excluded(author.hidden_from):
        author = dataclasses.replace(author, name="", role="", agency="")
    return dataclasses.replace(
        meta, children=[person(c) for c in meta.children if viewer.may_know(c)],
        people=[person(p) for p in meta.people if viewer.may_know(p)], author=author,
        attendees=[a for a in meta.attendees if not viewer.blocked_by(a.marks)],
        apologies=[a for a in meta.apologies if not viewer.blocked_by(a.marks)])
