"""The chair's documents made from one set of notes: minutes, the outline plan, a letter
to each parent and one for a child.

Each document is written as Markdown for its recipient, with the notes' front matter and
the chair's own words (redaction marks kept), then parsed and rendered like any report,
so the same redaction, verification and distribution log apply."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..common.dates import long_date, short_date
from ..common.workdays import add_months, add_working_days
from ..config import Settings, load_settings
from ..document.frontmatter import Attendee, Meta, Person, yaml_quote
from ..document.parser import parse_file, parse_text
from ..document.tree import Document
from ..errors import InputError
from ..lint.engine import FileResult, lint_document
from ..redact.filter import DEFAULT_MARKER, audience_words, make_copy
from ..redact.recipients import Recipient, resolve
from ..render.fields import join_names
from ..render.jobs import Job, RenderRun, render_documents
from .notes import Item, Notes, read_notes

DOCUMENTS = ("minutes", "plan", "letter")
_TITLES = ("Dr", "Mr", "Mrs", "Ms", "Miss", "Mx", "PC", "DC", "Sgt")


@dataclass
class KeyDates:
    """The dates that follow a conference (England and Wales working days)."""

    conference: dt.date
    letter_due: dt.date
    minutes_due: dt.date
    core_group_by: dt.date | None
    review_by: dt.date | None


def key_dates(meta: Meta, plan: str, timescales: dict) -> KeyDates:
    """Letter and minutes due dates; core group and review dates when there is a plan."""
    day = meta.conference.date
    on_plan = plan == "child-protection"
    months = timescales["first_review_within_months" if meta.conference.type != "review"
                        else "later_reviews_every_months"]
    return KeyDates(
        conference=day,
        letter_due=add_working_days(day, timescales["letter_within_working_days"]),
        minutes_due=add_working_days(day, timescales["minutes_within_working_days"]),
        core_group_by=add_working_days(day, timescales["first_core_group_within_working_days"]) if on_plan else None,
        review_by=add_months(day, months) if on_plan else None,
    )


@dataclass
class ChairRun:
    """What a chair's command made: the render results, the dates, letters' lint results and warnings."""

    run: RenderRun
    dates: KeyDates
    lint: dict[str, FileResult] = field(default_factory=dict)   # recipient id → letter lint result
    warnings: list[str] = field(default_factory=list)


def load_notes(path: Path) -> Notes:
    """Parse and check the chair's notes (every problem reported at once)."""
    doc = parse_file(path)
    if doc.meta.conference.date is None:
        raise InputError("the notes need the conference date in the front matter (conference: date:)", str(path),
                         doc.meta.body_line - 1)
    return read_notes(doc)


@dataclass(frozen=True)
class Wanted:
    """One document to make: minutes, plan or letter, for a recipient (a child's own letter if ``child``)."""

    document: str
    recipient: str
    child: bool = False


def default_recipients(meta: Meta, document: str) -> list[str]:
    """Minutes and plan: professionals and each parent or carer.  Letters: each parent or carer."""
    parents = [p.id for p in meta.people if p.role in ("parent", "carer")]
    return parents if document == "letter" else ["professionals", *parents]


def everything(meta: Meta, children: list[str] = ()) -> list[Wanted]:
    """Every document after a conference: minutes and plan for professionals and each
    parent, a letter to each parent, and a letter for each child named."""
    wanted = [Wanted(doc, rid) for doc in DOCUMENTS for rid in default_recipients(meta, doc)]
    return wanted + [Wanted("letter", cid, True) for cid in children]


def produce(notes: Notes, wanted: list[Wanted], out_dir: Path, make_pdf: bool = False,
            template_dir: Path | None = None, today: dt.date | None = None, marker: str = DEFAULT_MARKER,
            log: Path | None = None, settings: Settings | None = None) -> ChairRun:
    """Make each wanted document from the checked notes; one LibreOffice run converts them all."""
    settings = settings or load_settings()
    today = today or dt.date.today()
    meta = notes.doc.meta
    notes_path = Path(notes.doc.path)
    dates = key_dates(meta, notes.plan, settings.timescales)
    for item in wanted:
        _check_recipient(notes, item)
    jobs, lint = [], {}
    for rid in dict.fromkeys(item.recipient for item in wanted):
        make_copy(notes.doc, resolve(meta, rid, notes.doc.path), marker)  # checked against the notes' own lines
    for item in wanted:
        recipient = resolve(meta, item.recipient, notes.doc.path)
        writer = _Writer(notes, recipient, dates, settings)
        body = writer.child_letter() if item.child else getattr(writer, item.document)()
        doc = _document(notes, item.document, body, writer.title(item.document, item.child))
        if item.document == "letter":
            lint[item.recipient] = lint_document(doc, settings, "child" if item.child else "family")
        jobs.append(Job(doc, item.recipient, notes_path))
    run = render_documents(jobs, out_dir, make_pdf, template_dir, today, marker, log)
    result = ChairRun(run, dates, lint)
    kinds = {item.document for item in wanted}
    if "letter" in kinds and today > dates.letter_due:
        result.warnings.append(_late("the letters", dates.letter_due, today))
    if kinds & {"minutes", "plan"} and today > dates.minutes_due:
        result.warnings.append(_late("the minutes and plan", dates.minutes_due, today))
    return result


def _late(what: str, due: dt.date, today: dt.date) -> str:
    return f"{what} were due by {long_date(due)}: {(today - due).days} day(s) late; send them today"


def _check_recipient(notes: Notes, item: Wanted) -> None:
    meta = notes.doc.meta
    rid = item.recipient
    person = meta.person(rid)
    if item.child:
        if person is None or person not in meta.children:
            raise InputError(f"--child '{rid}' is not one of the children in the notes "
                             f"({', '.join(c.id for c in meta.children)})", notes.doc.path)
        return
    if item.document == "letter" and (person is None or person not in meta.people):
        raise InputError(f"--for '{rid}' is not a parent or carer in the notes' people "
                         f"({', '.join(p.id for p in meta.people) or 'none listed'}); for a child use --child",
                         notes.doc.path)


def _document(notes: Notes, kind: str, body: str, title: str) -> Document:
    """Parse a generated document: the notes' front matter with its kind and title set."""
    lines = notes.doc.lines[: notes.doc.meta.body_line - 1]
    front = [line for line in lines[:-1] if not re.match(r"(kind|title|audience):", line)]
    text = "\n".join(front + [f"kind: {kind}", f"title: {yaml_quote(title)}", "---", "", body])
    path = str(Path(notes.doc.path).parent / f"{kind}.md")
    try:
        return parse_text(text, path)
    except InputError as exc:
        raise InputError(f"could not make the {kind} from these notes ({exc.message}); check the marks "
                         "around that text", notes.doc.path) from None


def _first_name(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w.rstrip(".") not in _TITLES]
    return words[0] if words else name


def _mentions(text: str, person: Person) -> bool:
    names = {person.name, _first_name(person.name)}
    pattern = r"\b(" + "|".join(re.escape(n) for n in names) + r")\b"
    if person.role in ("parent", "carer"):
        pattern += r"|\b(both )?parents\b"
    return re.search(pattern, text, re.I) is not None


def _their(what: str) -> str:
    """A step written to its owner ("Meet your worker"), told to someone else."""
    return re.sub(r"\byour(self)?\b", lambda m: "themselves" if m.group(1) else "their", what)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class _Writer:
    """Writes one recipient's Markdown body for each document."""

    def __init__(self, notes: Notes, recipient: Recipient, dates: KeyDates, settings: Settings):
        self.notes, self.recipient, self.dates = notes, recipient, dates
        self.meta = notes.doc.meta
        self.wording = settings.letters
        self.structure = settings.structure
        self.words = audience_words(self.meta, recipient)
        self.sees_all = recipient.id == "chair"
        self.children = join_names([_first_name(c.name) for c in self.meta.children])

    def title(self, document: str, is_child: bool) -> str:
        if is_child:
            return self.wording["child_title"]
        return self.structure[document]["title"]

    def _see(self, *items: Item | None) -> bool:
        return all(i is None or i.visible(self.words, self.sees_all) for i in items)

    def _say(self, key: str, **extra) -> str:
        value = self.wording
        for part in key.split("."):
            value = value[part]
        values = {"children": self.children, "date": long_date(self.dates.conference), **extra}
        return " ".join(value.split()).format(**values)

    # -- minutes -------------------------------------------------------------------------
    def minutes(self) -> str:
        out = ["## Who came", "", "| Name | Role | Agency |", "|---|---|---|"]
        out += [f"| {_cell(a.name)} | {_cell(a.role)} | {_cell(a.agency)} |" for a in self.meta.attendees]
        if self.meta.apologies:
            out += ["", "Sent apologies:", ""]
            out += [f"- {', '.join(x for x in (a.name, a.role, a.agency) if x)}" for a in self.meta.apologies]
        out += ["", "## Important dates", "", *self._dates(minutes=True)]
        for sid, (first, _) in sorted(self.notes.sections.items(), key=lambda kv: kv[1][0]):
            heading = self.notes.doc.lines[first - 2]
            out += ["", heading, ""]
            if sid == "decision":
                out += self._decision()
            else:
                out.append(self.notes.section_source(sid))
            if sid == "recommendations":
                out += ["", "### Formal disagreement", ""] + self._dissent()
        return "\n".join(out) + "\n" + self._footnotes()

    def _dissent(self) -> list[str]:
        rows = [(who, dissent) for who, _, dissent in self.notes.recommendations if dissent and self._see(dissent)]
        if not rows:
            return ["Nobody formally disagreed with the decision."]
        return [f"- **{who.markdown()}**: {dissent.markdown()}" for who, dissent in rows]

    def _dates(self, minutes: bool = False) -> list[str]:
        d = self.dates
        out = []
        if minutes:
            out += [f"- Letter to parents due by: {long_date(d.letter_due)}",
                    f"- Minutes and outline plan due by: {long_date(d.minutes_due)}"]
        if d.core_group_by:
            out.append(f"- First core group meeting: on or before {long_date(d.core_group_by)}")
        if d.review_by:
            out.append(f"- Review child protection conference: on or before {long_date(d.review_by)}")
        return out

    def _decision(self) -> list[str]:
        out = [self._say(f"plans.{self.notes.plan}.decided")]
        if self.notes.category:
            out[0] += " " + self._say(f"categories.{self.notes.category}")
        if self.notes.why and self._see(self.notes.why):
            out += ["", f"Why: {self.notes.why.markdown()}"]
        return out

    def _footnotes(self) -> str:
        lines = self.notes.doc.lines
        return "\n".join("\n".join(lines[n.line - 1: max(n.end_line, n.line)]) for n in self.notes.doc.footnotes.values())

    # -- outline plan --------------------------------------------------------------------
    def plan(self) -> str:
        out = ["## What we decided", "", *self._decision()]
        pairs = [(d, g) for d, g in self.notes.pairs if self._see(d, g)]
        if pairs:
            out += ["", "## What we are worried about and what we want to see", "",
                    "| What we are worried about | What we want to see instead |", "|---|---|"]
            out += [f"| {d.markdown()} | {g.markdown()} |" for d, g in pairs]
        out += ["", "## Who does what by when", "", "| What | Who | By when |", "|---|---|---|"]
        out += [f"| {s.what.markdown()} | {s.who.markdown()} | {short_date(s.by)} |"
                for s in self.notes.steps if self._see(s.what, s.who)]
        members = [m for m in self.notes.core_group if self._see(m)]
        if members:
            out += ["", "## Core group", ""]
            if self.dates.core_group_by:
                out += [self._say("meetings.core_group", date=long_date(self.dates.core_group_by)), ""]
            out += [f"- {m.markdown()}" for m in members]
        for sid in ("contingency", "bottom-lines"):
            if sid in self.notes.sections:
                heading = self.notes.doc.lines[self.notes.sections[sid][0] - 2]
                out += ["", heading, "", self.notes.section_source(sid)]
        if self.dates.review_by:
            out += ["", "## The next conference", "", self._say("meetings.review", date=long_date(self.dates.review_by))]
        return "\n".join(out) + "\n" + self._footnotes()

    # -- letters -------------------------------------------------------------------------
    def _came(self, person: Person) -> str:
        def listed(people: list[Attendee]) -> bool:
            return any(_first_name(a.name) == _first_name(person.name) and a.name.split()[-1] == person.name.split()[-1]
                       for a in people)
        if listed(self.meta.attendees):
            return "came"
        return "apologies" if listed(self.meta.apologies) else "invited"

    def letter(self) -> str:
        person = self.recipient.person
        opening = {"came": "Thank you for coming to the meeting about {children} on {date}.",
                   "apologies": "I am sorry you could not come to the meeting about {children} on {date}.",
                   "invited": "I am writing to you about the meeting about {children} on {date}."}
        out = [opening[self._came(person)].format(children=self.children, date=long_date(self.dates.conference)),
               "This letter tells you what we decided, why, and what happens next. "
               f"We promised to send it to you by {long_date(self.dates.letter_due)}.",
               "", "## What we decided", "", self._say(f"plans.{self.notes.plan}.decided")]
        if self.notes.category:
            out.append(self._say(f"categories.{self.notes.category}"))
        if self.notes.why and self._see(self.notes.why):
            out += ["", "## Why we decided this", "", self.notes.why.markdown()]
        out += ["", "## What this means for you", "", self._say(f"plans.{self.notes.plan}.meaning")]
        steps = [s for s in self.notes.steps if self._see(s.what, s.who)]
        mine = [s for s in steps if _mentions(s.who.text, person)]
        others = [s for s in steps if s not in mine]
        out += ["", "## What you need to do", ""]
        if mine:
            out += ["| What | By when |", "|---|---|"]
            out += [f"| {s.what.markdown()} | {short_date(s.by)} |" for s in mine]
        else:
            out.append("There is nothing in the plan just for you to do. Please come to the meetings about the plan.")
        if others:
            out += ["", "## What other people will do", "", "| Who | What | By when |", "|---|---|---|"]
            out += [f"| {s.who.markdown()} | {_their(s.what.markdown())} | {short_date(s.by)} |" for s in others]
        meetings = []
        if self.dates.core_group_by:
            meetings.append(self._say("meetings.core_group", date=long_date(self.dates.core_group_by)))
        if self.dates.review_by:
            meetings.append(self._say("meetings.review", date=long_date(self.dates.review_by)))
        if meetings:
            out += ["", "## The next meetings", "", *(f"- {m}" for m in meetings)]
        out += ["", "## If you do not agree", ""]
        if any(_mentions(who.text, person) for who, _, dissent in self.notes.recommendations if dissent):
            out += ["You told us at the meeting that you did not agree. The minutes say this, and your reasons.", ""]
        out.append(self._say("disagree"))
        return "\n".join(out) + "\n"

    def child_letter(self) -> str:
        child = self.recipient.person
        name = _first_name(child.name)
        others = [_first_name(c.name) for c in self.meta.children if c is not child]
        about = "you" + (f" and {join_names(others)}" if others else "")
        out = [f"On {long_date(self.dates.conference)}, some grown-ups met to talk about how to keep {about} safe.",
               "This letter tells you what we decided.", "",
               "## What grown-ups are worried about", "",
               self.wording["child_worries"][self.notes.category or "none"], "",
               "## What will happen next", "", self._say(f"plans.{self.notes.plan}.child"), ""]
        for step in self.notes.steps:
            if self._see(step.what, step.who) and re.search(rf"\b({re.escape(name)}|children)\b", step.what.text):
                out.append(f"- {self._who_for_child(step.who.text)} will {self._for_child(step.what.markdown(), name)}.")
        if self.dates.review_by:
            out += ["", f"The grown-ups will meet again by {self.dates.review_by:%B %Y} to check how things are going."]
        out += ["", "## Who you can talk to", ""]
        family = {p.name.lower() for p in self.meta.family}
        workers = [a for a in self.meta.attendees if a.name.lower() not in family]
        advocates = [a for a in workers if "advocate" in a.role.lower()]
        for a in workers:
            if "social worker" in a.role.lower():
                out.append(f"- {_first_name(a.name)}, your social worker.")
        for a in advocates:
            if len(advocates) == 1 or name.lower() in a.role.lower():
                out.append(f"- {_first_name(a.name)}, who helps you have your say.")
        out += ["- A teacher you trust at school."]
        out += [f"- {line}" for line in self.wording["child_talk"]]
        return "\n".join(out) + "\n"

    def _who_for_child(self, who: str) -> str:
        names = []
        for part in re.split(r"\s*(?:,|\band\b|&)\s*", who):
            person = next((p for p in self.meta.people if p.name.lower() == part.lower()
                           or _first_name(p.name).lower() == part.lower()), None)
            if person and person.relationship:
                names.append("your " + person.relationship.split()[0].lower())
            elif part:
                names.append(_first_name(part))
        text = join_names(names) or who
        return text[0].upper() + text[1:]

    @staticmethod
    def _for_child(what: str, name: str) -> str:
        what = re.sub(rf"\b{re.escape(name)}'s\b", "your", what)
        what = re.sub(rf"\b{re.escape(name)}\b", "you", what)
        return (what[0].lower() + what[1:]).rstrip(".")
