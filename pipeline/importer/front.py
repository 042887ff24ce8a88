"""The front matter of an imported report: the skeleton's (as ``confpack new KIND`` writes
it), with every fact found in the Word file written in and the rest left as its prompts."""
from __future__ import annotations

import re
import unicodedata

from ..document.frontmatter import yaml_quote
from ..document.skeleton import skeleton
from .facts import Child, Facts

_LINE = re.compile(r"^(?P<lead>(?P<indent> *)(?:- )?(?P<key>\w+):[ \t]*)(?P<value>.*?)(?P<comment>[ \t]+#.*)?$")
_PROMPTS = {"conference.type": "meeting type", "conference.date": "conference date", "conference.time": "time",
            "conference.venue": "place", "conference.chair": "chair", "children": "children",
            "people": "family members (people)", "author.name": "author", "author.role": "author's role",
            "author.agency": "author's agency", "shared_with_family": "date shared with the family"}


def front_matter(kind: str, structure: dict, facts: Facts, title: str = "") -> tuple[str, list[str]]:
    """(the front matter, with its closing ``---``; what was left as prompts, in words)."""
    text = skeleton(kind, structure)
    lines = text[:text.index("\n---\n", 3)].split("\n")[1:]
    ids = _ids(facts.children)
    values = {
        "kind": kind, "conference.type": facts.conference_type, "conference.date": _date(facts.date),
        "conference.time": facts.time and yaml_quote(facts.time), "conference.venue": _text(facts.venue),
        "conference.chair": _text(facts.chair), "author.name": _text(facts.author_name),
        "author.role": _text(facts.author_role), "author.agency": _text(facts.author_agency),
        "shared_with_family": _date(facts.shared),
    }
    out, seen = ["---"], set()
    section = ""
    for line in lines:
        match = _LINE.match(line)
        if match and not match["indent"]:
            section = match["key"]
        path = f"{section}.{match['key']}" if match and match["indent"] else section
        seen.add(path)
        if section == "children" and facts.children:
            if match and not match["indent"]:
                out.append(line)
                out += _children(facts.children, ids, _comment(lines))
            continue
        if path in facts.blank:
            continue
        if match and values.get(path):
            out.append(match["lead"] + values[path] + (match["comment"] or ""))
            if path == "kind" and title:
                out.append(f"title: {yaml_quote(title)}")
            continue
        out.append(line.replace("child1", ids[0]) if ids and section == "people" else line)
    prompts = [word for path, word in _PROMPTS.items() if path in seen and path not in facts.blank and not (
        facts.children if path == "children" else path != "people" and values.get(path))]
    if any(child.dob is None for child in facts.children):
        prompts.append("children's dates of birth")
    return "\n".join(out + ["---", ""]), prompts


def _children(children: list[Child], ids: list[str], comment: str) -> list[str]:
    out = []
    for n, (child, cid) in enumerate(zip(children, ids)):
        out.append(f"  - id: {cid}" + (comment if n == 0 else ""))
        out.append(f"    name: {yaml_quote(child.name)}")
        out.append(f"    dob: {_date(child.dob) or 'YYYY-MM-DD'}")
        if child.school:
            out.append(f"    school: {yaml_quote(child.school)}")
    return out


def _comment(lines: list[str]) -> str:
    """The skeleton's comment on its first child's id line."""
    for line in lines:
        match = _LINE.match(line)
        if match and match["key"] == "id" and match["comment"]:
            return match["comment"]
    return ""


def _ids(children: list[Child]) -> list[str]:
    """Lower-case ids from first names ("Zoë Ann" → zoe), made unique."""
    ids: list[str] = []
    for child in children:
        first = unicodedata.normalize("NFKD", child.name.split()[0] if child.name.split() else "")
        base = re.sub(r"[^a-z0-9]+", "-", first.encode("ascii", "ignore").decode().lower()).strip("-")
        base = base if base[:1].isalpha() else f"child-{base}".rstrip("-")
        cid, n = base, 1
        while cid in ids:
            n += 1
            cid = f"{base}-{n}"
        ids.append(cid)
    return ids


def _date(day) -> str:
    return day.isoformat() if day else ""


def _text(value: str) -> str:
    return yaml_quote(value) if value else ""
