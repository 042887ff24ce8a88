"""The chair's documents made from one set of notes: minutes, the outline plan, a letter
to each parent and one for a child.

Each document is written as Markdown for its recipient, with the notes' front matter and
the chair's own words (redaction marks kept), then parsed and rendered like any report,
so the same redaction, verification and distribution log apply."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..common.dates import long_date, short_date
from ..common.workdays import add_months, add_working_days, working_day_on_or_before
from ..config import Settings
from ..document.build import bullets, copied, heading, marked, para, table, wording, wording_inline
from ..document.frontmatter import Attendee, Meta, Person
from ..document.parser import parse_file
from ..document.tree import Document, Node
from ..errors import InputError
from ..lint.engine import FileResult, lint_document
from ..lint.voice import third_person_left
from ..redact.audience import Recipient, Viewer, resolve
from ..redact.filter import make_copy
from ..render.fields import first_name, join_names
from ..render.jobs import Job, Output, RenderRun, render_documents
from .notes import Item, Notes, read_notes
from .reader import Reader

DOCUMENTS = ("minutes", "plan", "letter")


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
        review_by=working_day_on_or_before(add_months(day, months)) if on_plan else None,
    )


@dataclass
class ChairRun:
    """What a chair's command made: the render results, the dates, letters' lint results and warnings."""

    run: RenderRun
    dates: KeyDates
    lint: dict[str, FileResult] = field(default_factory=dict)   # recipient id → letter lint result
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)   # letters not written: over their reading age


def load_notes(path: Path, settings: Settings) -> Notes:
    """Parse and check the chair's notes (every problem reported at once)."""
    doc = parse_file(path)
    if doc.meta.conference.date is None:
        raise InputError("the notes need the conference date in the front matter (conference: date:)", str(path),
                         doc.meta.body_line - 1)
    return read_notes(doc, settings)


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


def produce(notes: Notes, wanted: list[Wanted], settings: Settings, output: Output,
            allow_reading_age: bool = False) -> ChairRun:
    """Make each wanted document from the checked notes; one LibreOffice run converts them all.

    Letters are refused (with the line of the notes to change) when they would still talk
    about their reader in the third person or lack the contacts a family needs; a child's
    letter over the child's reading age is not written unless ``allow_reading_age``, which
    the distribution log records.  Letters are never dated before the meeting."""
    today = output.today or dt.date.today()
    meta = notes.doc.meta
    notes_path = Path(notes.doc.path)
    dates = key_dates(meta, notes.plan, settings.timescales)
    for item in wanted:
        _check_recipient(notes, item)
    letters = [item for item in wanted if item.document == "letter"]
    contacts = _contacts(notes, settings, letters)
    result = ChairRun(RenderRun(), dates)
    if letters and today < dates.conference:
        result.warnings.append(f"today ({long_date(today)}) is before the meeting: the letters are dated "
                               f"{long_date(dates.conference)}, the day of the meeting")
    output = dataclasses.replace(output, today=max(today, dates.conference))
    jobs, problems = [], []
    for rid in dict.fromkeys(item.recipient for item in wanted):
        make_copy(notes.doc, resolve(meta, rid, notes.doc.path), settings.removed_marker)  # the notes' own lines
    for item in wanted:
        recipient = resolve(meta, item.recipient, notes.doc.path)
        writer = _Writer(notes, recipient, dates, settings, contacts, item.child)
        kind = "child-letter" if item.child else item.document
        body = writer.child_letter() if item.child else getattr(writer, item.document)()
        doc = _document(notes, kind, body, writer.title(kind), settings.council.get("name"))
        note = ""
        if item.document == "letter":
            left = third_person_left(body, recipient.person, settings.voice)
            if left:
                word, line = left[0]
                problems.append(InputError(
                    f"the letter to {recipient.person.name} would still talk about them, not to them: '{word}'; "
                    "write this line so it can be said to them (their name, or 'you'), then run again",
                    notes.doc.path, line))
                continue
            lint = result.lint[item.recipient] = lint_document(doc, settings, "child" if item.child else "family")
            over = _over_reading_age(lint, settings)
            if over and item.child and not allow_reading_age:
                result.refused.append(f"the letter for {recipient.person.name} was not written: {over}")
                continue
            note = f"sent over its reading age with --allow-reading-age: {over}" if over and item.child else ""
        jobs.append(Job(doc, item.recipient, notes_path, note))
    result.run = render_documents(jobs, settings, output)
    result.run.errors[:0] = problems
    kinds = {item.document for item in wanted}
    if letters and today > dates.letter_due:
        result.warnings.append(_late("the letters", dates.letter_due, today))
    if kinds & {"minutes", "plan"} and today > dates.minutes_due:
        result.warnings.append(_late("the minutes and plan", dates.minutes_due, today))
    return result


def _over_reading_age(lint: FileResult, settings: Settings) -> str:
    """Why a letter is over its reader's reading age, with the sentences to simplify ("" if it is not)."""
    limit = settings.audiences[lint.audience]["max_reading_age"]
    age = lint.metrics.get("reading_age")
    if age is None or age <= limit:
        return ""
    hard = [f for f in lint.findings if f.rule in ("readability.hard-sentence", "readability.very-hard-sentence")]
    hard.sort(key=_sentence_age, reverse=True)   # the hardest first
    said = "; ".join(f"line {f.line}: '{f.match[:80]}'" for f in hard[:5])
    return (f"its reading age is {age:g}, over the limit of {limit:g}; simplify " +
            (f"these sentences ({said})" if said else "its longest sentences and words"))


def _sentence_age(finding) -> float:
    found = re.search(r"reading age ([\d.]+)", finding.message)
    return float(found.group(1)) if found else 0.0


@dataclass
class Contacts:
    """Who a family can contact about a letter: the social worker, the chair and the council."""

    social_worker: Attendee | None
    chair: Attendee | None
    council: dict[str, str]


def _how(phone: str, email: str) -> str:
    """"07700 900 123 or hannah@example.org": a phone number and an email, whichever there are."""
    return " or ".join(x for x in (phone, email) if x)


def _contacts(notes: Notes, settings: Settings, letters: list[Wanted]) -> Contacts:
    """The contacts the letters print; refused with what to add when a letter would lack one."""
    meta = notes.doc.meta
    people = meta.attendees + meta.apologies
    worker = next((a for a in people if "social worker" in a.role.lower()), None)
    chair = next((a for a in people if a.name == meta.conference.chair), None)
    council = settings.council
    contacts = Contacts(worker, chair, council)
    missing = []
    if letters and worker is None:
        missing.append("the social worker in attendees (name, role: Social worker, phone or email)")
    if any(not w.child for w in letters):
        if worker is not None and not (worker.phone or worker.email):
            missing.append(f"a phone or email for {worker.name} in attendees")
        if chair is None:
            missing.append(f"the chair, {meta.conference.chair or '(conference: chair:)'}, in attendees with a phone "
                           "or email")
        elif not (chair.phone or chair.email):
            missing.append(f"a phone or email for {chair.name} in attendees")
        keys = [k for k in ("name", "complaints", "advocacy") if k not in council] + (
            [] if council.get("phone") or council.get("email") else ["phone"])
        if keys:
            missing.append(f"in .confpack.toml's [council] table: {', '.join(keys)} "
                           "(for example complaints = \"call 01632 960 100 or write to ...\")")
    if missing:
        raise InputError("the letters need contacts a family can use; add " + "; ".join(missing),
                         notes.doc.path, meta.body_line - 1)
    return contacts


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


def _document(notes: Notes, kind: str, blocks: list[Node], title: str, council: str | None) -> Document:
    """A generated document: the notes' front matter with its kind and title set (and the
    council's name as the chair's agency, so one council signs), a tree whose nodes keep the
    notes' lines, and the notes' footnotes whole."""
    meta = dataclasses.replace(notes.doc.meta, kind=kind, title=title)
    if council:
        meta.author = dataclasses.replace(meta.author, agency=council)
    return Document(notes.doc.path, notes.doc.source, meta, Node("document", blocks, line=1, col=1),
                    dict(notes.doc.footnotes))


def _mentions(text: str, person: Person) -> bool:
    names = {person.name, first_name(person.name)}
    pattern = r"\b(" + "|".join(re.escape(n) for n in names) + r")\b"
    if person.role in ("parent", "carer"):
        pattern += r"|\b(both )?parents\b"
    return re.search(pattern, text, re.I) is not None


def _their(nodes: list[Node]) -> list[Node]:
    """A step written to its owner ("Meet your worker"), told to someone else."""
    for node in (n for top in nodes for n in top.walk()):
        if node.type == "text":
            node.text = re.sub(r"\byour(self)?\b", lambda m: "themselves" if m.group(1) else "their", node.text)
            node.charpos = None
    return nodes


class _Writer:
    """Builds one recipient's tree for each document."""

    def __init__(self, notes: Notes, recipient: Recipient, dates: KeyDates, settings: Settings,
                 contacts: Contacts, child: bool = False):
        self.notes, self.recipient, self.dates, self.contacts = notes, recipient, dates, contacts
        self.meta = notes.doc.meta
        self.wording = settings.letters
        self.structure = settings.structure
        self.viewer = Viewer(self.meta, recipient)
        known = [c for c in self.meta.children if self.viewer.may_know(c)]
        self.children = join_names([first_name(c.name) for c in known])
        self.line = self.meta.body_line
        person = recipient.person
        self.reader = Reader.of(self.meta, person, settings.voice.get("verbs", {}), child) if person else None

    def _to_reader(self, nodes: list[Node]) -> list[Node]:
        """Text from the notes, rewritten to the letter's reader ("Sam has" → "you have")."""
        return self.reader.rewrite(nodes) if self.reader else nodes

    def title(self, document: str) -> str:
        return self.structure[document]["title"]

    def _see(self, *items: Item | None) -> bool:
        return all(i is None or i.visible(self.viewer) for i in items)

    def _text(self, key: str) -> str:
        value = self.wording
        for part in key.split("."):
            value = value[part]
        return " ".join(value.split()) if isinstance(value, str) else value

    def _say(self, key: str, line: int | None = None, **extra) -> list[Node]:
        """Wording from the letters' data, filled in, as blocks."""
        values = {"children": self.children, "date": long_date(self.dates.conference), **extra}
        return wording(self._text(key), values, line or self.line)

    def _say_marked(self, key: str, item: Item | None, **extra) -> list[Node]:
        """Wording about a marked item (the plan, the category), withheld wherever it is."""
        blocks = self._say(key, item.line if item else None, **extra)
        for block in blocks:
            block.children = marked(block.children, item.marks if item else [])
        return blocks

    def _say_inline(self, key: str, line: int | None = None, **extra) -> list[Node]:
        values = {"children": self.children, "date": long_date(self.dates.conference), **extra}
        return wording_inline(self._text(key), values, line or self.line)

    def _w(self, key: str, line: int | None = None, **values) -> list[Node]:
        """A sentence or heading from the letters' ``wording``, filled in, as inline nodes."""
        return self._say_inline(f"wording.{key}", line, **values)

    def _h(self, level: int, key: str, line: int | None = None) -> Node:
        return heading(level, self._w(key, line), line or self.line)

    def _p(self, key: str, line: int | None = None, **values) -> Node:
        return para(self._w(key, line, **values), line or self.line)

    # -- minutes -------------------------------------------------------------------------
    def minutes(self) -> list[Node]:
        line = self.line
        attendees = self.meta.attendees
        out = [self._h(2, "who_came"),
               table([self._w("name"), self._w("role"), self._w("agency")],
                     [([a.name, a.role, a.agency], a.line) for a in attendees], line,
                     guards=[[a.marks] if a.marks else [] for a in attendees])]
        if self.meta.apologies:
            out.append(self._p("sent_apologies"))
            apologies = self.meta.apologies
            out.append(bullets([(", ".join(x for x in (a.name, a.role, a.agency) if x), a.line) for a in apologies],
                               guards=[[a.marks] if a.marks else [] for a in apologies]))
        out += [self._h(2, "important_dates"), self._dates(minutes=True)]
        for sid, (head, _) in sorted(self.notes.sections.items(), key=lambda kv: kv[1][0].line):
            if sid == "decision":
                out += [copied([head])[0], *self._decision()]
            else:
                out += self.notes.section(sid)
            if sid == "recommendations":
                out += [self._h(3, "formal_disagreement", head.line), *self._dissent(head.line)]
        return out

    def _dissent(self, line: int) -> list[Node]:
        rows = [(who, dissent) for who, _, dissent in self.notes.recommendations if dissent and self._see(dissent)]
        if not rows:
            return [self._p("nobody_disagreed", line)]
        return [bullets([([Node("strong", who.inline(), line=who.line), ": ", dissent.inline()], who.line)
                         for who, dissent in rows])]

    def _dates(self, minutes: bool = False) -> Node:
        d = self.dates
        out = []
        if minutes:
            out += [self._w("letter_due", date=long_date(d.letter_due)),
                    self._w("minutes_due", date=long_date(d.minutes_due))]
        if d.core_group_by:
            out.append(self._w("core_group_due", date=long_date(d.core_group_by)))
        if d.review_by:
            out.append(self._w("review_due", date=long_date(d.review_by)))
        return bullets([(nodes, self.line) for nodes in out])

    def _decision(self) -> list[Node]:
        notes = self.notes
        line = notes.plan_item.line if notes.plan_item else self.line
        decided = self._say_inline(f"plans.{notes.plan}.decided", line)
        if notes.category:
            decided += [" ", *marked(self._say_inline(f"categories.{notes.category}", notes.category_item.line),
                                     notes.category_item.marks)]
        out = [para(marked(decided, notes.plan_item.marks if notes.plan_item else []), line)]
        if notes.why and self._see(notes.why):
            out.append(para([*self._w("why", notes.why.line), " ", notes.why.inline()], notes.why.line))
        return out

    # -- outline plan --------------------------------------------------------------------
    def plan(self) -> list[Node]:
        line = self.line
        out = [self._h(2, "what_we_decided"), *self._decision()]
        pairs = [(d, g) for d, g in self.notes.pairs if self._see(d, g)]
        if pairs:
            out += [self._h(2, "worries_and_goals"),
                    table([self._w("worried_about"), self._w("want_to_see")],
                          [([d.inline(), g.inline()], d.line) for d, g in pairs], line)]
        steps = [s for s in self.notes.steps if self._see(*s.items)]
        out += [self._h(2, "who_does_what"),
                table([self._w("what"), self._w("who"), self._w("by_when")],
                      [([s.what.inline(), s.who.inline(), s.when.derived(short_date(s.by))], s.line) for s in steps],
                      line)]
        members = [m for m in self.notes.core_group if self._see(m)]
        if members:
            out.append(self._h(2, "core_group"))
            if self.dates.core_group_by:
                out += self._say("meetings.core_group", date=long_date(self.dates.core_group_by))
            out.append(bullets([(m.inline(), m.line) for m in members]))
        for sid in ("contingency", "bottom-lines"):
            out += self.notes.section(sid)
        if self.dates.review_by:
            out += [self._h(2, "next_conference"),
                    *self._say("meetings.review", date=long_date(self.dates.review_by))]
        return out

    # -- letters -------------------------------------------------------------------------
    def _came(self, person: Person) -> str:
        def listed(people: list[Attendee]) -> bool:
            return any(first_name(a.name) == first_name(person.name) and a.name.split()[-1] == person.name.split()[-1]
                       for a in people)
        if listed(self.meta.attendees):
            return "came"
        return "apologies" if listed(self.meta.apologies) else "invited"

    def letter(self) -> list[Node]:
        person = self.recipient.person
        line, notes, dates = self.line, self.notes, self.dates
        out = [self._p(f"opening_{self._came(person)}"),
               self._p("letter_purpose", date=long_date(dates.letter_due)),
               self._h(2, "what_we_decided"), *self._decision()[:1]]
        if notes.why and self._see(notes.why):
            out += [self._h(2, "why_we_decided", notes.why.line),
                    para(self._to_reader(notes.why.inline()), notes.why.line)]
        out += [self._h(2, "what_it_means"),
                *self._say_marked(f"plans.{notes.plan}.meaning", notes.plan_item)]
        steps = [s for s in notes.steps if self._see(*s.items)]
        mine = [s for s in steps if _mentions(s.who.text, person)]
        others = [s for s in steps if s not in mine]
        out.append(self._h(2, "what_you_do"))
        if mine:
            out.append(table([self._w("what"), self._w("by_when")],
                             [([marked(self._to_reader(s.what.inline()), s.who.marks),
                                s.when.derived(short_date(s.by))], s.line) for s in mine], line))
        else:
            out.append(self._p("nothing_for_you"))
        if others:
            out += [self._h(2, "what_others_do"),
                    table([self._w("who"), self._w("what"), self._w("by_when")],
                          [([s.who.inline(), self._to_reader(_their(s.what.inline())),
                             s.when.derived(short_date(s.by))], s.line) for s in others], line)]
        meetings = []
        if dates.core_group_by:
            meetings.append(self._say_inline("meetings.core_group", date=long_date(dates.core_group_by)))
        if dates.review_by:
            meetings.append(self._say_inline("meetings.review", date=long_date(dates.review_by)))
        if meetings:
            out += [self._h(2, "next_meetings"), bullets([(m, line) for m in meetings])]
        out += self._who_to_contact()
        out.append(self._h(2, "if_you_disagree"))
        disagreed = [dissent for who, _, dissent in notes.recommendations if dissent and _mentions(who.text, person)]
        if disagreed:
            out.append(para(marked(self._w("you_disagreed", disagreed[0].line), disagreed[0].marks), disagreed[0].line))
        c = self.contacts
        out += self._say("disagree", social_worker=first_name(c.social_worker.name), council=c.council["name"],
                         complaints=c.council["complaints"], advocacy=c.council["advocacy"])
        return out

    def _who_to_contact(self) -> list[Node]:
        c, line = self.contacts, self.line
        worker, chair, council = c.social_worker, c.chair, c.council
        items = [(self._w("contact_social_worker", worker.line, name=worker.name, how=_how(worker.phone, worker.email)),
                  worker.line),
                 (self._w("contact_chair", chair.line, name=chair.name, how=_how(chair.phone, chair.email)), chair.line),
                 (self._w("contact_council", line, council=council["name"],
                          how=", ".join(x for x in (_how(council.get("phone", ""), council.get("email", "")),
                                                    council.get("web", "")) if x)), line)]
        return [self._h(2, "who_to_contact"), bullets(items)]

    def child_letter(self) -> list[Node]:
        child = self.recipient.person
        line, notes = self.line, self.notes
        name = first_name(child.name)
        others = [first_name(c.name) for c in self.meta.children if c is not child and self.viewer.may_know(c)]
        about = "you" + (f" and {join_names(others)}" if others else "")
        out = [self._p("child_opening", about=about),
               self._p("child_purpose"),
               self._h(2, "child_worries_heading"),
               *self._say_marked(f"child_worries.{notes.category or 'none'}", notes.category_item),
               self._h(2, "child_next_heading"),
               *self._say_marked(f"plans.{notes.plan}.child", notes.plan_item)]
        items = []
        for step in notes.steps:
            if self._see(*step.items) and re.search(rf"\b({re.escape(name)}|children)\b", step.what.text):
                who = self._to_reader(step.who.inline())
                what = self._to_reader(step.what.inline())
                _lower_first(what, {first_name(p.name) for p in [*self.meta.family, *self.meta.attendees]})
                items.append((self._w("child_step", step.line, who=who, what=what), step.line))
        if items:
            out.append(bullets(items))
        if self.dates.review_by:
            out.append(self._p("child_review", month=f"{self.dates.review_by:%B %Y}"))
        out.append(self._h(2, "child_talk_heading"))
        family = {p.name.lower() for p in self.meta.family}
        workers = [a for a in self.meta.attendees if a.name.lower() not in family]
        advocates = [a for a in workers if "advocate" in a.role.lower()]
        talk = []
        worker = self.contacts.social_worker
        if worker is not None:
            key = "child_social_worker_phone" if worker.phone else "child_social_worker"
            talk.append((marked(self._w(key, worker.line, name=first_name(worker.name), phone=worker.phone),
                                [worker.marks] if worker.marks else []), worker.line))
        for a in advocates:
            if len(advocates) == 1 or name.lower() in a.role.lower():
                talk.append((marked(self._w("child_advocate", a.line, name=first_name(a.name)),
                                    [a.marks] if a.marks else []), a.line))
        talk.append((self._w("child_teacher"), line))
        talk += [(wording_inline(text, {}, line), line) for text in self.wording["child_talk"]]
        out.append(bullets(talk))
        return out


def _lower_first(nodes: list[Node], names: set[str]) -> None:
    """A step's first word in lower case (not a name, not "CAMHS") and its full stop gone,
    to sit inside a sentence."""
    texts = [n for top in nodes for n in top.walk() if n.type == "text"]
    if texts:
        first = texts[0].text
        word = re.match(r"[\w'’]*", first).group()
        if word not in names and word.rstrip("'’s") not in names and not word[1:2].isupper():
            texts[0].text = first[:1].lower() + first[1:]
        texts[-1].text = texts[-1].text.rstrip(".")
        texts[0].charpos = texts[-1].charpos = None
