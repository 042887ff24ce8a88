"""`confpack new KIND`: a Markdown skeleton with the right front matter and headings."""
from __future__ import annotations

from ..errors import InputError
from .frontmatter import KINDS

_FRONT = """---
kind: {kind}
conference:
  type: initial              # initial or review
  date: YYYY-MM-DD
  time: "10:00"
  venue: Where the meeting is
  chair: Name of the chair
children:
  - id: child1               # a short id used to mark who may see what
    name: Child's full name
    dob: YYYY-MM-DD
people:
  - id: mum
    name: Parent's full name
    role: parent
    relationship: Mum to child1
author:
  name: Your name
  role: Your job
  agency: Where you work
{extra}---
"""
_SHARED = "shared_with_family: YYYY-MM-DD\n"
_ATTENDEES = """attendees:                   # who came: name, role and agency
  - {name: Parent's full name, role: Mum}
  - {name: Social worker's name, role: Social worker, agency: Children's Services}
apologies:                   # who sent apologies
  - {name: GP's name, role: GP, agency: Surgery}
"""


def skeleton(kind: str, structure: dict) -> str:
    """The Markdown skeleton for ``kind``: front matter, headings and a prompt under each
    (``structure``: the settings' sections of each kind)."""
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    spec = structure.get(kind, {})
    parts = [_FRONT.format(kind=kind, extra=_ATTENDEES if kind == "minutes" else _SHARED)]
    if spec.get("title"):
        parts.append(f"<!-- {spec['title']}. Write to the family as 'you'. Say what you saw, when, what it means "
                     "for the child and what needs to happen. Run 'confpack lint' before you share it. -->\n")
    for section in spec.get("sections", []):
        parts.append(f"## {section['name']}\n")
        if section.get("prompt"):
            parts.append(f"<!-- {section['prompt']} -->\n")
        if section.get("starter"):
            parts.append(section["starter"] + "\n")
    return "\n".join(parts)
