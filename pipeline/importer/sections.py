"""Which kind of report a Word file is, and its headings as the sections that kind needs
(``style_rules/structure.yml``): Word's heading levels moved so that sections are ``##``,
a paragraph that is only bold and names a section made its heading, and the sections not
found added at the end with the skeleton's prompts."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..lint.structure import assign_sections, heading_key
from .pandoc import stringify

MAX_HEADING_WORDS = 15


@dataclass
class Outline:
    """The blocks with their headings set, and what was changed to get there."""

    blocks: list
    promoted: list[str] = field(default_factory=list)   # bold paragraphs made headings
    missing: list[dict] = field(default_factory=list)   # the kind's sections not found


def detect_kind(title: str, blocks: list, structure: dict) -> tuple[str | None, str]:
    """(kind, how it was told): from the document's title or first heading matching a kind's
    title, else from the kind whose sections its headings match best; (None, "") if neither."""
    headings = [text for _, text in _candidates(blocks)]
    names = {heading_key(t) for t in [title, *headings[:1]] if t}
    for kind, spec in structure.items():
        if heading_key(spec.get("title", "")) in names:
            return kind, "from its title"
    scores = []
    for kind, spec in structure.items():
        sections = spec.get("sections", [])
        if sections:
            found = sum(1 for sid in assign_sections(headings, spec) if sid)
            scores.append((found, found / len(sections), kind))
    best = max(scores, default=(0, 0, None))
    return (best[2], "from its headings") if best[0] >= 2 else (None, "")


def outline(blocks: list, spec: dict) -> Outline:
    """Set the headings of ``blocks`` for a kind (``spec``: its entry in the structure)."""
    candidates = _candidates(blocks)
    ids = assign_sections([text for _, text in candidates], spec)
    result = Outline(list(blocks))
    levels = [blocks[i]["c"][0] for (i, _), sid in zip(candidates, ids) if sid and blocks[i]["t"] == "Header"]
    headers = [b["c"][0] for b in blocks if b["t"] == "Header"]
    section_level = min(levels, default=0)
    if section_level:
        shift = 2 - section_level
    elif headers:
        top = min(headers)
        title_only = headers.count(top) == 1 and headers[0] == top and len(headers) > 1
        shift = (1 if title_only else 2) - top
    else:
        shift = 0
    for (i, text), sid in zip(candidates, ids):
        block = blocks[i]
        if block["t"] == "Header":
            level = max(1, min(6, block["c"][0] + shift))
            result.blocks[i] = {"t": "Header", "c": [level, block["c"][1], block["c"][2]]}
        elif sid:
            bold = next(x for x in block["c"] if x["t"] == "Strong")
            result.blocks[i] = {"t": "Header", "c": [2, ["", [], []], bold["c"]]}
            result.promoted.append(text)
    found = set(filter(None, ids))
    result.missing = [s for s in spec.get("sections", []) if s["id"] not in found]
    return result


def missing_sections(missing: list[dict]) -> str:
    """Markdown for the sections not found: heading, prompt and starter, as the skeleton has them."""
    parts = []
    for section in missing:
        parts.append(f"## {section['name']}")
        if section.get("prompt"):
            parts.append(f"<!-- {section['prompt']} -->")
        if section.get("starter"):
            parts.append(section["starter"])
    return "\n\n".join(parts)


def _candidates(blocks: list) -> list[tuple[int, str]]:
    """(index, text) of every heading and of every short paragraph that is only bold."""
    found = []
    for i, block in enumerate(blocks):
        if block["t"] == "Header":
            found.append((i, " ".join(stringify(block["c"][2]).split())))
        elif block["t"] == "Para":
            inlines = [x for x in block["c"] if x["t"] not in ("Space", "SoftBreak")]
            text = " ".join(stringify(block["c"]).split())
            if len(inlines) == 1 and inlines[0]["t"] == "Strong" and 0 < len(text.split()) <= MAX_HEADING_WORDS:
                found.append((i, text))
    return found
