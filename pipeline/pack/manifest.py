"""The conference manifest for ``confpack pack``: every conference of a week, who is
invited, how each person receives their pack, and the report files.  Validated whole
before anything is made: every problem is reported at once, each with its line."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..common.yamlcheck import Checker, compose
from ..document.frontmatter import CONFERENCE_TYPES
from ..document.parser import read_source
from ..redact.private import home_of, inbox_of

_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
POLICIES = ("block", "flag")
FAMILY_ROLES = ("parent", "carer", "relative", "other")


@dataclass
class Delivery:
    by: str = ""                  # email | post
    email: str = ""
    address: str = ""
    password: str | None = None   # a literal, "generate", or None for no password
    line: int = 0                 # the manifest line of the delivery details


@dataclass
class Invitee:
    """Someone who gets a pack: a family member, an invited child or a professional."""

    id: str
    name: str
    line: int
    group: str                    # family | child | professional
    role: str = ""
    relationship: str = ""
    agency: str = ""
    dob: dt.date | None = None
    invited: bool = True
    advocate: str = ""
    delivery: Delivery = field(default_factory=Delivery)


@dataclass
class Conference:
    id: str
    line: int
    type: str = ""
    date: dt.date | None = None
    time: str = ""
    venue: str = ""
    chair: str = ""
    strategy_discussion: dt.date | None = None
    previous_date: dt.date | None = None
    previous_type: str = "review"
    children: list[Invitee] = field(default_factory=list)
    people: list[Invitee] = field(default_factory=list)
    professionals: list[Invitee] = field(default_factory=list)
    reports: list[tuple[Path, int]] = field(default_factory=list)   # (path, manifest line)
    lint_errors: str | None = None        # per-conference policy override

    @property
    def recipients(self) -> list[Invitee]:
        """Everyone who gets a pack: family, invited children, professionals."""
        return self.people + [c for c in self.children if c.invited] + self.professionals


@dataclass
class Manifest:
    path: Path
    conferences: list[Conference]
    lint_errors: str = "flag"
    missing_reports: str = "flag"
    council: str = ""     # the council's name for this week, overriding [council] name in the settings


def same_home(a: Invitee, b: Invitee) -> bool:
    """Two family members who live at one address (however it is spelt)."""
    return bool(a.delivery.address and b.delivery.address) and home_of(a.delivery.address) == home_of(b.delivery.address)


def same_inbox(a: Invitee, b: Invitee) -> bool:
    """Two family members who read one email inbox."""
    return bool(a.delivery.email and b.delivery.email) and inbox_of(a.delivery.email) == inbox_of(b.delivery.email)


def household(conf: Conference, who: Invitee) -> tuple[str, ...]:
    """The other family members at the address or inbox this person's pack is delivered to:
    anyone there may open it, so it holds only what every one of them may see."""
    if who.group == "professional" or not (who.delivery.address or who.delivery.email):
        return ()
    by_post = who.delivery.by == "post"
    return tuple(o.id for o in conf.people + conf.children
                 if o is not who and (same_home(o, who) if by_post else same_inbox(o, who)))


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; raises InputErrors listing every problem."""
    return _Reader(path).manifest(compose(read_source(path), str(path)))


class _Reader(Checker):
    """The manifest, read with the shared :class:`Checker`, collecting every problem with its
    line instead of stopping at the first."""

    def __init__(self, path: Path):
        super().__init__(str(path), collect=True)
        self.path = path

    def text(self, node, what: str, empty: bool = False) -> str:
        return super().text(node, what, empty)

    # -- the manifest ----------------------------------------------------------------------
    def manifest(self, root) -> Manifest:
        top = self.mapping(root, "the manifest", ("policy", "council", "conferences"), ("conferences",))
        result = Manifest(self.path, [])
        if "policy" in top:
            policy = self.mapping(top["policy"], "policy", ("lint_errors", "missing_reports"))
            for key in policy:
                setattr(result, key, self.choice(policy[key], f"policy {key}", POLICIES) or "flag")
        if "council" in top:
            result.council = self.text(top["council"], "council")
        seen: set[str] = set()
        for node in self.seq(top.get("conferences"), "conferences"):
            conference = self.conference(node, seen)
            if conference:
                result.conferences.append(conference)
        if "conferences" in top and not result.conferences and not self.problems:
            self.problem(top["conferences"], "no conferences listed")
        self.finish()
        return result

    def conference(self, node, seen: set[str]) -> Conference | None:
        allowed = ("id", "type", "date", "time", "venue", "chair", "strategy_discussion", "previous_conference",
                   "children", "people", "professionals", "reports", "lint_errors")
        m = self.mapping(node, "this conference", allowed, ("id", "type", "date", "time", "venue", "chair",
                                                            "children", "people", "reports"))
        if not m:
            return None
        c = Conference(self.ident(m.get("id"), "conference id", seen) if "id" in m else "", node.start_mark.line + 1)
        c.type = self.choice(m.get("type"), "conference type", CONFERENCE_TYPES)
        c.date = self.date(m.get("date"), "conference date")
        c.time = self.text(m.get("time"), "conference time")
        if c.time and not _TIME.match(c.time):
            self.problem(m["time"], f"conference time '{c.time}' must be 24-hour HH:MM in quotes, e.g. \"10:00\"")
        c.venue, c.chair = self.text(m.get("venue"), "venue"), self.text(m.get("chair"), "chair")
        if c.type == "initial":
            if "strategy_discussion" in m:
                c.strategy_discussion = self.date(m["strategy_discussion"], "strategy_discussion")
            else:
                self.problem(node, f"initial conference '{c.id}' needs 'strategy_discussion: YYYY-MM-DD' "
                                   "(the date of the strategy discussion)")
            if "previous_conference" in m:
                self.problem(m["previous_conference"], "previous_conference is for review conferences only")
        elif c.type == "review":
            if "previous_conference" in m:
                prev = self.mapping(m["previous_conference"], "previous_conference", ("date", "type"), ("date",))
                c.previous_date = self.date(prev.get("date"), "previous_conference date")
                if "type" in prev:
                    c.previous_type = self.choice(prev["type"], "previous_conference type", CONFERENCE_TYPES) or "review"
            else:
                self.problem(node, f"review conference '{c.id}' needs 'previous_conference: {{date: YYYY-MM-DD, "
                                   "type: initial}}' (the conference before this one)")
        if "lint_errors" in m:
            c.lint_errors = self.choice(m["lint_errors"], "lint_errors", POLICIES) or None
        ids: set[str] = set()
        c.children = [self.invitee(n, "child", ids) for n in self.seq(m.get("children"), "children")]
        c.people = [self.invitee(n, "family", ids) for n in self.seq(m.get("people"), "people")]
        c.professionals = [self.invitee(n, "professional", ids)
                           for n in self.seq(m.get("professionals"), "professionals")]
        if "children" in m and not c.children:
            self.problem(m["children"], f"conference '{c.id}' lists no children")
        for n in self.seq(m.get("reports"), "reports"):
            name = self.text(n, "report file")
            if name:
                c.reports.append(((self.path.parent / name), n.start_mark.line + 1))
        return c

    def invitee(self, node, group: str, ids: set[str]) -> Invitee:
        fields = {"child": ("id", "name", "dob", "invited", "advocate", "delivery"),
                  "family": ("id", "name", "role", "relationship", "delivery"),
                  "professional": ("id", "name", "role", "agency", "delivery")}[group]
        required = ("id", "name", "dob") if group == "child" else ("id", "name", "role", "delivery")
        m = self.mapping(node, f"this {'person' if group != 'child' else 'child'}", fields, required)
        who = Invitee(self.ident(m["id"], "id", ids) if "id" in m else "", self.text(m.get("name"), "name"),
                      node.start_mark.line + 1, group)
        if group == "child":
            who.dob = self.date(m.get("dob"), "dob")
            who.invited = self.flag(m.get("invited"), "invited") if "invited" in m else False
            who.advocate = self.text(m.get("advocate"), "advocate")
            if who.invited and "delivery" not in m:
                self.problem(node, f"invited child '{who.id}' needs 'delivery' (how they get their pack)")
        elif group == "family":
            who.role = self.choice(m.get("role"), "role", FAMILY_ROLES)
            who.relationship = self.text(m.get("relationship"), "relationship")
        else:
            who.role, who.agency = self.text(m.get("role"), "role"), self.text(m.get("agency"), "agency")
        if "delivery" in m:
            who.delivery = self.delivery(m["delivery"])
        return who

    def delivery(self, node) -> Delivery:
        m = self.mapping(node, "delivery", ("by", "email", "address", "password"), ("by",))
        d = Delivery(by=self.choice(m.get("by"), "delivery by", ("email", "post")),
                     email=self.text(m.get("email"), "email"), address=self.text(m.get("address"), "address"),
                     line=node.start_mark.line + 1)
        if d.email and not _EMAIL.match(d.email):
            self.problem(m["email"], f"'{d.email}' is not an email address")
        if "password" in m:
            d.password = self.text(m["password"], "password") or None
            if d.password and d.password != "generate" and len(d.password) < 8:
                self.problem(m["password"], "a pack password needs at least 8 characters (or write 'generate')")
        return d
