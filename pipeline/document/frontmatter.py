"""Split YAML front matter from a report and validate it, keeping line numbers."""
from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from dataclasses import dataclass, field

import yaml

from ..common.yamlcheck import Checker, compose
from ..errors import InputError

KINDS = (
    "agency-report", "social-work-report", "parent-report", "child-report",
    "minutes", "letter", "child-letter", "plan", "agenda", "invitation", "leaflet",
)
CONFERENCE_TYPES = ("initial", "review")
ROLES = ("parent", "carer", "relative", "other")
PRONOUNS = ("she", "he", "they")
AUDIENCES = ("family", "child", "professional")
# The group words a mark or a withhold_from list may use, besides people's and children's ids.
# parents: every parent and carer; carers: carers; relatives: relatives; children: every child;
# family: every person and child in the front matter; all: everyone, professionals included.
GROUPS = ("parents", "carers", "relatives", "children", "family", "professionals", "chair", "all")
_ROLE_GROUPS = {"parent": ("parents",), "carer": ("parents", "carers"), "relative": ("relatives",)}
PRIVATE_FIELDS = ("address", "phone", "email", "school", "other")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Person:
    """A family member named in the front matter (``people``) or a child (``children``)."""

    id: str
    name: str
    line: int
    role: str = "child"
    relationship: str = ""
    dob: _dt.date | None = None
    school: str = ""
    pronouns: str = ""     # "she", "he" or "they": how letters rewritten for this person find them
    private: dict[str, str] = field(default_factory=dict)
    withhold_from: list[str] = field(default_factory=list)   # who must not see the private details
    hidden_from: list[str] = field(default_factory=list)     # who must not learn of this person at all

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""


@dataclass
class Meeting:
    """When and where a conference meets (the front matter's `conference:`)."""

    type: str = ""
    date: _dt.date | None = None
    time: str = ""
    venue: str = ""
    chair: str = ""


@dataclass
class Author:
    name: str = ""
    role: str = ""
    agency: str = ""
    hidden_from: list[str] = field(default_factory=list)     # who must not learn who wrote it


@dataclass
class Attendee:
    """Someone at (or sending apologies to) a conference."""

    name: str
    role: str = ""
    agency: str = ""
    phone: str = ""        # work contacts, printed in letters (a social worker's, the chair's)
    email: str = ""
    line: int = 0
    marks: dict[str, str] = field(default_factory=dict)      # only= / withhold=, as on a span


@dataclass
class Meta:
    """Validated front matter. ``body_line`` is the first source line after it."""

    kind: str | None = None
    title: str = ""
    audience: str | None = None
    conference: Meeting = field(default_factory=Meeting)
    children: list[Person] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    author: Author = field(default_factory=Author)
    shared_with_family: _dt.date | None = None
    attendees: list[Attendee] = field(default_factory=list)
    apologies: list[Attendee] = field(default_factory=list)
    withhold_from: list[str] = field(default_factory=list)   # who must not get this document at all
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)      # "author.agency" → its front-matter line

    @property
    def family(self) -> list[Person]:
        return self.children + self.people

    def person(self, pid: str) -> Person | None:
        return next((p for p in self.family if p.id == pid), None)

    def words_of(self, person: Person) -> frozenset[str]:
        """The audience words that include one family member: their id and groups."""
        words = {person.id, "family", "all"}
        if person in self.children:
            words.add("children")
        words.update(_ROLE_GROUPS.get(person.role, ()))
        return frozenset(words)

    def withheld_from(self, person: Person) -> bool:
        """Whether this whole document is withheld from ``person``."""
        return bool(set(self.withhold_from) & self.words_of(person))


def yaml_quote(value: str) -> str:
    """A string as a quoted YAML scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def split_front_matter(source: str) -> tuple[str | None, int, int]:
    """Return (yaml_text, first_yaml_line, body_start_line); yaml_text is None without front matter.

    Raises InputError when an opening ``---`` has no closing line.
    """
    lines = source.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, 0, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2, i + 2
    raise InputError("front matter opened with '---' on line 1 is never closed; add a '---' line after it", line=1)


def parse_front_matter(yaml_text: str | None, first_line: int, body_line: int) -> Meta:
    """Validate front matter text (lines counted from ``first_line``) into :class:`Meta`."""
    meta = Meta(body_line=body_line)
    if yaml_text is None or not yaml_text.strip():
        return meta
    try:
        root = compose(yaml_text, None, first_line)
    except InputError as exc:
        raise InputError("front matter is " + exc.message, line=exc.line) from None
    _Validator(first_line, yaml_text).fill(root, meta)
    return meta


class _Validator(Checker):
    """The front matter, read with the shared :class:`Checker`: the first problem stops it,
    naming its line; every field's line is kept for later messages."""

    TOP = ("kind", "title", "audience", "conference", "children", "people", "author", "shared_with_family",
           "attendees", "apologies", "withhold_from")

    def __init__(self, first_line: int, source: str = ""):
        super().__init__(None, first_line)
        self.source = source.split("\n")
        self.lines: dict[str, int] = {}

    def fail(self, node, message: str):
        self.problem(node, message)

    def text(self, node, what: str, path: str | None = None) -> str:
        if path:
            self.lines[path] = self.line(node)
        if node is None or not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.fail(node, f"{what} must be a single line of text")
        return super().text(node, what)

    def block(self, node, what: str, path: str) -> str:
        """Text that keeps its lines even when written as a folded block (``>``), so an
        address's lines stay lines."""
        value = self.text(node, what, path)
        if getattr(node, "style", None) == ">":
            lines = [line.strip() for line in self.source[node.start_mark.line + 1:node.end_mark.line]]
            value = "\n".join(line for line in lines if line) or value
        return value

    def date(self, node, what: str) -> _dt.date:
        value = super().date(node, what)
        if value is None:
            self.fail(node, f"{what} is empty; write it as YYYY-MM-DD, e.g. 2026-12-03")
        return value

    def seq(self, node, what: str) -> list:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list (lines starting with '- ')")
        return node.value

    def fill(self, root, meta: Meta) -> None:
        top = self.mapping(root, "the front matter", self.TOP)
        if "kind" in top:
            meta.kind = self.choice(top["kind"], "kind", KINDS)
        if "title" in top:
            meta.title = self.text(top["title"], "title", "title")
        if "audience" in top:
            meta.audience = self.choice(top["audience"], "audience", AUDIENCES)
        if "conference" in top:
            c = self.mapping(top["conference"], "conference", ("type", "date", "time", "venue", "chair"))
            conf = meta.conference
            if "type" in c:
                conf.type = self.choice(c["type"], "conference type", CONFERENCE_TYPES)
            if "date" in c:
                conf.date = self.date(c["date"], "conference date")
            if "time" in c:
                conf.time = self.text(c["time"], "conference time")
                if not _TIME.match(conf.time):
                    self.fail(c["time"], f"conference time '{conf.time}' must be 24-hour HH:MM in quotes, e.g. \"10:00\"")
            for key in ("venue", "chair"):
                if key in c:
                    setattr(conf, key, self.text(c[key], f"conference {key}", f"conference.{key}"))
        if "author" in top:
            a = self.mapping(top["author"], "author", ("name", "role", "agency", "withhold_from"))
            for key in a:
                if key == "withhold_from":
                    meta.author.hidden_from = self.words(a[key], "author withhold_from")
                    self.lines["author.withhold_from"] = self.line(a[key])
                else:
                    setattr(meta.author, key, self.text(a[key], f"author {key}", f"author.{key}"))
        if "withhold_from" in top:
            meta.withhold_from = self.words(top["withhold_from"], "withhold_from")
            self.lines["withhold_from"] = self.line(top["withhold_from"])
        if "shared_with_family" in top:
            meta.shared_with_family = self.date(top["shared_with_family"], "shared_with_family")
        for key in ("attendees", "apologies"):
            for item in self.seq(top[key], key) if key in top else []:
                m = self.mapping(item, f"this entry in {key}", ("name", "role", "agency", "phone", "email", "only",
                                                                  "withhold"))
                if "name" not in m:
                    self.fail(item, f"each entry in {key} needs a 'name'")
                marks = {k: " ".join(self.words(m.pop(k), f"{key} {k}")) for k in ("only", "withhold") if k in m}
                for mark, value in marks.items():
                    if not value:
                        self.fail(item, f"empty {mark}: name who may see this entry, e.g. {mark}: professionals")
                getattr(meta, key).append(Attendee(**{k: self.text(v, f"{key} {k}") for k, v in m.items()},
                                                   line=self.line(item), marks=marks))
        seen: set[str] = set()
        for item in self.seq(top["children"], "children") if "children" in top else []:
            meta.children.append(self.person(item, "child", seen))
        for item in self.seq(top["people"], "people") if "people" in top else []:
            meta.people.append(self.person(item, "person", seen))
        known = [p.id for p in meta.family]
        lists = [(p.withhold_from + p.hidden_from, p.line, f"withhold_from for '{p.id}'") for p in meta.family]
        lists += [(meta.author.hidden_from, self.lines.get("author.withhold_from"), "the author's withhold_from"),
                  (meta.withhold_from, self.lines.get("withhold_from"), "withhold_from")]
        lists += [(a.marks.get(k, "").split(), a.line, f"{k} for {a.name}") for a in meta.attendees + meta.apologies
                  for k in a.marks]
        for words, line, what in lists:
            for word in words:
                if word not in known and word not in GROUPS:
                    hint = difflib.get_close_matches(word, known + list(GROUPS), n=1)
                    raise InputError(f"{what} names '{word}', who is not in children or people" +
                                     (f"; did you mean '{hint[0]}'?" if hint else
                                      f"; use an id ({', '.join(known) or 'none yet'}) or a group "
                                      f"({', '.join(GROUPS)})"), line=line)
        meta.lines = self.lines

    def person(self, node, what: str, seen: set[str]) -> Person:
        fields = ("id", "name", "dob", "school", "pronouns", "private", "withhold_from") if what == "child" else (
            "id", "name", "role", "relationship", "pronouns", "private", "withhold_from")
        m = self.mapping(node, f"this {what}", fields)
        for required in ("id", "name"):
            if required not in m:
                self.fail(node, f"each {what} needs an '{required}'")
        pid = self.ident(m["id"], f"{what} id", seen)
        base = f"{'children' if what == 'child' else 'people'}.{pid}"
        p = Person(id=pid, name=self.text(m["name"], f"{what} name", f"{base}.name"), line=self.line(node))
        if what == "child":
            if "dob" in m:
                p.dob = self.date(m["dob"], "dob")
            if "school" in m:
                p.school = self.text(m["school"], "school", f"{base}.school")
        else:
            p.role = self.choice(m["role"], "role", ROLES) if "role" in m else "other"
            if "relationship" in m:
                p.relationship = self.text(m["relationship"], "relationship", f"{base}.relationship")
        if "pronouns" in m:
            p.pronouns = self.choice(m["pronouns"], "pronouns", PRONOUNS)
        if "withhold_from" in m:
            p.hidden_from = self.words(m["withhold_from"], "withhold_from")
        if "private" in m:
            priv = self.mapping(m["private"], "private", PRIVATE_FIELDS + ("withhold_from",))
            for key, value_node in priv.items():
                if key == "withhold_from":
                    p.withhold_from = self.words(value_node, "withhold_from")
                elif isinstance(value_node, yaml.SequenceNode):
                    for i, v in enumerate(value_node.value):
                        p.private[f"{key}{i + 1}"] = self.block(v, f"private {key}", f"{base}.private.{key}{i + 1}")
                else:
                    p.private[key] = self.block(value_node, f"private {key}", f"{base}.private.{key}")
            if p.private and not p.withhold_from and not p.hidden_from:
                self.fail(m["private"], f"private details for '{p.id}' need 'withhold_from: [...]' naming who must not see them")
        return p
