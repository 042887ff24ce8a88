"""The documents a pack adds to the reports: an invitation to each person, the agenda and
the information leaflets, written as Markdown with front matter made from the manifest and
parsed like any report (so redaction and verification apply to them too).

Each family member's delivery address and email are private details withheld from every
other family member who does not share them."""
from __future__ import annotations

from pathlib import Path

from ..common.dates import clock, long_date
from ..common.resources import data_dir
from ..common.workdays import add_working_days
from ..config import Settings
from ..document.frontmatter import split_front_matter, yaml_quote
from ..document.parser import parse_text, read_source
from ..document.tree import Document
from ..redact.filter import normalise
from ..render.fields import join_names
from .manifest import Conference, Invitee, Manifest


def front_matter(conf: Conference, manifest: Manifest, kind: str, title: str) -> str:
    """YAML front matter for a generated document about this conference."""
    family = conf.people + conf.children
    lines = ["---", f"kind: {kind}", f"title: {yaml_quote(title)}", "conference:", f"  type: {conf.type}",
             f"  date: {conf.date.isoformat()}", f"  time: {yaml_quote(conf.time)}",
             f"  venue: {yaml_quote(conf.venue)}",
             f"  chair: {yaml_quote(conf.chair)}", "children:"]
    for child in conf.children:
        lines += [f"  - id: {child.id}", f"    name: {yaml_quote(child.name)}"]
        if child.dob:
            lines.append(f"    dob: {child.dob.isoformat()}")
        lines += _private(child, family)
    if conf.people:
        lines.append("people:")
    for person in conf.people:
        lines += [f"  - id: {person.id}", f"    name: {yaml_quote(person.name)}", f"    role: {person.role}"]
        if person.relationship:
            lines.append(f"    relationship: {yaml_quote(person.relationship)}")
        lines += _private(person, family)
    lines += ["author:", f"  name: {yaml_quote(conf.chair)}", "  role: Chair of the conference",
              f"  agency: {yaml_quote(manifest.council)}", "---", ""]
    return "\n".join(lines)


def _private(who: Invitee, family: list[Invitee]) -> list[str]:
    """The delivery details of one family member, withheld from family members who do not share them."""
    details = {k: v for k, v in (("address", who.delivery.address), ("email", who.delivery.email)) if v}
    others = [o.id for o in family if o is not who and not _same_home(o, who)]
    if not details or not others:
        return []
    lines = ["    private:"] + [f"      {k}: {yaml_quote(v)}" for k, v in details.items()]
    return lines + [f"      withhold_from: [{', '.join(others)}]"]


def _same_home(a: Invitee, b: Invitee) -> bool:
    """Two family members who share an address (or, without addresses, an email)."""
    if a.delivery.address and b.delivery.address:
        return normalise(a.delivery.address) == normalise(b.delivery.address)
    return bool(a.delivery.email) and normalise(a.delivery.email) == normalise(b.delivery.email)


def _values(conf: Conference, settings: Settings) -> dict[str, str]:
    days = settings.timescales["reports_before_initial_working_days" if conf.type == "initial"
                               else "reports_before_review_working_days"]
    return {"children": join_names([c.name.split()[0] for c in conf.children]), "date": long_date(conf.date),
            "time": clock(conf.time), "venue": conf.venue, "chair": conf.chair,
            "reports_by": long_date(add_working_days(conf.date, -days))}


def invitation(conf: Conference, manifest: Manifest, settings: Settings, who: Invitee) -> Document:
    """The invitation letter to one person, in the second person."""
    body = settings.letters["invitation"][who.group]
    text = front_matter(conf, manifest, "invitation", "Invitation to a child protection conference")
    text += body.format(**_values(conf, settings)) + "\n"
    if who.group == "child" and who.advocate:
        text += f"\n{who.advocate.split()[0]} can help you have your say. Ask your social worker how to reach them.\n"
    return parse_text(text, str(manifest.path.parent / conf.id / f"invitation-{who.id}.md"))


def agenda(conf: Conference, manifest: Manifest, settings: Settings) -> Document:
    items = "\n".join(f"{i}. {item}" for i, item in enumerate(settings.letters["agenda"], 1))
    text = front_matter(conf, manifest, "agenda", "Agenda") + "## What we will talk about\n\n" + items + "\n"
    return parse_text(text, str(manifest.path.parent / conf.id / "agenda.md"))


def leaflet(conf: Conference, manifest: Manifest, reader: str, template_dir: Path | None = None) -> Document:
    """The information leaflet for ``reader`` ("parents" or "children"), from
    ``templates/leaflets/READER.md`` (a council can replace it)."""
    path = (template_dir or data_dir("templates")) / "leaflets" / f"{reader}.md"
    source = read_source(path)
    yaml_text, _, body_line = split_front_matter(source)
    title = next((line.split(":", 1)[1].strip() for line in (yaml_text or "").splitlines()
                  if line.startswith("title:")), "About child protection conferences")
    body = "\n".join(source.split("\n")[body_line - 1:])
    text = front_matter(conf, manifest, "leaflet", title) + body
    return parse_text(text, str(path))
