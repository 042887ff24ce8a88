"""The documents a pack adds to the reports: an invitation to each person, the agenda and
the information leaflets, built as trees from the manifest (so redaction and verification
apply to them as to any report, and a refusal names the manifest's line).

Each family member's delivery address and email are private details withheld from every
other family member who does not live at that address or read that inbox."""
from __future__ import annotations

from pathlib import Path

from ..common.dates import clock, long_date
from ..common.resources import data_dir
from ..common.workdays import add_working_days
from ..config import Settings
from ..document.build import ordered, wording
from ..document.frontmatter import Author, Meeting, Meta, Person
from ..document.parser import parse_text, read_source
from ..document.tree import Document, Node
from ..errors import InputError
from ..redact.fold import words
from ..redact.private import Secret, forms_of
from ..render.fields import join_names
from .manifest import Conference, Invitee, Manifest, same_home, same_inbox


def conference_meta(conf: Conference, manifest: Manifest, kind: str, title: str, council: str) -> Meta:
    """Front matter for a document made from the manifest: the conference, its children and
    people (their delivery details are private details of the whole conference: see
    :func:`delivery_secrets`)."""
    def person(who: Invitee, role: str) -> Person:
        return Person(id=who.id, name=who.name, line=who.line, role=role, relationship=who.relationship,
                      dob=who.dob)

    lines = {"conference.venue": conf.line, "conference.chair": conf.line, "author.agency": conf.line}
    return Meta(kind=kind, title=title,
                conference=Meeting(conf.type, conf.date, conf.time, conf.venue, conf.chair),
                children=[person(c, "child") for c in conf.children], people=[person(p, p.role) for p in conf.people],
                author=Author(conf.chair, "Chair of the conference", council),
                body_line=conf.line, lines=lines)


def delivery_secrets(conf: Conference, manifest: Manifest) -> list[Secret]:
    """Each family member's delivery address, withheld from those who do not live there, and
    email, withheld from those who do not read that inbox."""
    family = conf.people + conf.children
    names = frozenset(w for o in family for _, _, w in words(o.name))
    found = []
    for who in family:
        for key, value, same in (("address", who.delivery.address, same_home),
                                 ("email", who.delivery.email, same_inbox)):
            away = frozenset(o.id for o in family if o is not who and not same(o, who))
            if value and away:
                try:
                    forms = forms_of(key, value, names)
                except ValueError as exc:
                    raise InputError(f"{who.name}'s delivery {key} '{value}' {exc}", str(manifest.path),
                                     who.delivery.line) from None
                found.append(Secret(f"{who.name}'s {key}", who.id, away, forms, str(manifest.path),
                                    who.delivery.line))
    return found


def _values(conf: Conference, settings: Settings) -> dict[str, str]:
    days = settings.timescales["reports_before_initial_working_days" if conf.type == "initial"
                               else "reports_before_review_working_days"]
    return {"children": join_names([c.name.split()[0] for c in conf.children]), "date": long_date(conf.date),
            "time": clock(conf.time), "venue": conf.venue, "chair": conf.chair,
            "reports_by": long_date(add_working_days(conf.date, -days))}


def _document(conf: Conference, manifest: Manifest, kind: str, title: str, blocks: list[Node],
              settings: Settings) -> Document:
    meta = conference_meta(conf, manifest, kind, title, settings.council.get("name", ""))
    return Document(str(manifest.path), "", meta, Node("document", blocks, line=1, col=1))


def invitation(conf: Conference, manifest: Manifest, settings: Settings, who: Invitee) -> Document:
    """The invitation letter to one person, in the second person."""
    blocks = wording(settings.letters["invitation"][who.group], _values(conf, settings), conf.line)
    if who.group == "child" and who.advocate:
        blocks += wording(settings.letters["wording"]["advocate_invitation"], {"name": who.advocate.split()[0]},
                          who.line)
    return _document(conf, manifest, "invitation", "Invitation to a child protection conference", blocks, settings)


def agenda(conf: Conference, manifest: Manifest, settings: Settings) -> Document:
    items = [(item, conf.line) for item in settings.letters["agenda"]]
    blocks = [*wording("## " + settings.letters["wording"]["agenda_heading"], {}, conf.line), ordered(items)]
    return _document(conf, manifest, "agenda", "Agenda", blocks, settings)


def leaflet(conf: Conference, manifest: Manifest, reader: str, settings: Settings,
            template_dir: Path | None = None) -> Document:
    """The information leaflet for ``reader`` ("parents" or "children"), from
    ``templates/leaflets/READER.md`` (a council can replace it)."""
    path = (template_dir or data_dir("templates")) / "leaflets" / f"{reader}.md"
    source = parse_text(read_source(path), str(path))
    title = source.meta.title or "About child protection conferences"
    meta = conference_meta(conf, manifest, "leaflet", title, settings.council.get("name", ""))
    return Document(str(path), source.source, meta, source.root, source.footnotes)
