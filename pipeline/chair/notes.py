"""The chair's notes: read the sections, tables and lists of a `kind: minutes` document
and check them, reporting every problem with its line."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..common.dates import parse_date
from ..document.tree import Document, Node
from ..errors import InputError, InputErrors
from ..lint.structure import assign_sections
from ..redact.filter import blocked_by

PLANS = {
    "child protection plan": "child-protection",
    "child in need plan": "child-in-need",
    "early help": "early-help",
    "no further action": "no-further-action",
}
CATEGORIES = ("neglect", "emotional abuse", "physical abuse", "sexual abuse")
MAX_PAIRS = 4


@dataclass
class Item:
    """A piece of the notes: its Markdown source (spans kept, so redaction still applies),
    its plain text, its line, and the audience marks of the divs around it."""

    source: str
    text: str
    line: int
    guards: tuple[dict, ...] = ()

    def markdown(self) -> str:
        """The source wrapped in spans carrying the marks of its divs, so a copy of it made
        elsewhere is withheld from the same people."""
        out = self.source
        for guard in self.guards:
            out = "[" + out + "]{" + " ".join(f'{k}="{v}"' for k, v in guard.items()) + "}"
        return out

    def visible(self, words: frozenset[str], sees_all: bool = False) -> bool:
        return sees_all or not any(blocked_by(g, words) for g in self.guards)


@dataclass
class Step:
    what: Item
    who: Item
    by: dt.date
    line: int


@dataclass
class Notes:
    doc: Document
    sections: dict[str, tuple[int, int]]            # id → (first, last) source line of its content
    pairs: list[tuple[Item, Item]] = field(default_factory=list)
    scores: list[tuple[Item, int, Item]] = field(default_factory=list)
    recommendations: list[tuple[Item, Item, Item | None]] = field(default_factory=list)
    plan: str = ""
    category: str | None = None
    why: Item | None = None
    core_group: list[Item] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def section_source(self, sid: str) -> str:
        """The raw Markdown under a section's heading (marks and quotes kept)."""
        if sid not in self.sections:
            return ""
        first, last = self.sections[sid]
        return "\n".join(self.doc.lines[first - 1:last]).strip("\n")


def read_notes(doc: Document) -> Notes:
    """Check a chair's notes; raises InputErrors listing every problem."""
    problems: list[InputError] = []

    def problem(line: int, message: str) -> None:
        problems.append(InputError(message, doc.path, line))

    if doc.meta.kind != "minutes":
        raise InputError("the chair's notes need 'kind: minutes' in the front matter (see 'confpack new minutes')",
                         doc.path, 1)
    blocks = _sections(doc)
    notes = Notes(doc, {sid: (first, last) for sid, (first, last, _) in blocks.items()})
    nodes = {sid: b for sid, (_, _, b) in blocks.items()}

    for row in _rows(nodes.get("danger-statements", []), doc):
        danger, goal = (row.cells + [None, None])[:2]
        if not danger or not danger.text:
            problem(row.line, "this row has no danger statement; write what we are worried could happen")
        elif not goal or not goal.text:
            problem(row.line, "this danger statement has no safety goal; add what we want to see instead")
        else:
            notes.pairs.append((danger, goal))
    if len(notes.pairs) > MAX_PAIRS:
        problem(blocks["danger-statements"][0], f"{len(notes.pairs)} danger statements: keep to at most {MAX_PAIRS}")

    for row in _rows(nodes.get("scaling", []), doc):
        who, score, why = (row.cells + [None, None, None])[:3]
        value = re.fullmatch(r"\s*(\d+)\s*(?:/\s*10)?\s*", score.text if score else "")
        if not who or not who.text:
            problem(row.line, "this score has no name; say whose score it is")
        elif not value or not 0 <= int(value.group(1)) <= 10:
            problem(row.line, f"score '{score.text if score else ''}' for {who.text} must be a whole number from 0 to 10")
        else:
            notes.scores.append((who, int(value.group(1)), why or Item("", "", row.line)))

    for row in _rows(nodes.get("recommendations", []), doc):
        who, rec, dissent = (row.cells + [None, None, None])[:3]
        if not who or not who.text or not rec or not rec.text:
            problem(row.line, "each recommendation needs who made it and what they recommend")
        else:
            notes.recommendations.append((who, rec, dissent if dissent and dissent.text else None))

    _decision(notes, nodes, blocks, problem)
    for item in _list_items(nodes.get("core-group", []), doc):
        notes.core_group.append(item)

    for row in _rows(nodes.get("next-steps", []), doc):
        what, who, by = (row.cells + [None, None, None])[:3]
        if not what or not what.text:
            problem(row.line, "this next step does not say what will happen")
            continue
        if not who or not who.text:
            problem(row.line, f"next step '{what.text[:40]}' has no owner; say who will do it")
            continue
        day = parse_date(by.text) if by and by.text else None
        if day is None:
            problem(row.line, f"next step '{what.text[:40]}' needs a date in 'By when', e.g. 11 December 2026")
            continue
        notes.steps.append(Step(what, who, day, row.line))
    if "next-steps" in blocks and not notes.steps and not any(p.line >= blocks["next-steps"][0] for p in problems):
        problem(blocks["next-steps"][0], "no next steps: add a table What | Who | By when")
    if problems:
        raise InputErrors(sorted(problems, key=lambda e: e.line or 0))
    return notes


def _decision(notes: Notes, nodes, blocks, problem) -> None:
    if "decision" not in blocks:
        problem(notes.doc.meta.body_line, "there is no '## Decision' section; add one with 'Plan: …' and 'Why: …'")
        return
    fields: dict[str, Item] = {}
    for item in _list_items(nodes["decision"], notes.doc):
        key, _, value = item.source.partition(":")
        if value:
            key = key.strip(" *_").lower()
            fields[key] = Item(value.strip(), value.strip(" *_").strip(), item.line, item.guards)
            fields[key].text = re.sub(r"[*_]", "", fields[key].text)
    plan = fields.get("plan")
    line = blocks["decision"][0]
    if plan is None:
        problem(line, "the decision needs a line 'Plan: child protection plan' (or child in need plan, early help, "
                      "no further action)")
        return
    kind = next((v for k, v in PLANS.items() if k in plan.text.lower()), None)
    if kind is None:
        problem(plan.line, f"plan '{plan.text}' is not one of: {', '.join(PLANS)}")
        return
    notes.plan = kind
    category = fields.get("category")
    if kind == "child-protection":
        found = [c for c in CATEGORIES if c in category.text.lower()] if category else []
        if len(found) != 1:
            where = category.line if category else plan.line
            problem(where, "a child protection plan has exactly one category: neglect, emotional abuse, "
                           f"physical abuse or sexual abuse (found {len(found)})")
        else:
            notes.category = found[0]
    elif category is not None and category.text:
        problem(category.line, "only a child protection plan has a category; take this line out")
    notes.why = fields.get("why") or fields.get("reason")
    if notes.why is None:
        problem(plan.line, "say why in a line 'Why: …' so the family understands the decision")


@dataclass
class _Row:
    cells: list[Item]
    line: int


def _rows(nodes: list[Node], doc: Document) -> list[_Row]:
    """Body rows of every table in these blocks, each cell with its own Markdown source."""
    rows = []
    lines = doc.lines
    for node, guards in _guarded(nodes):
        if node.type != "table":
            continue
        parts = [p for p in node.children if p.type == "table_part"]
        for part in parts[1:]:
            for row in part.children:
                sources = _split_row(lines[row.line - 1])
                cells = [Item(src, cell.plain_text().strip(), row.line, guards)
                         for src, cell in zip(sources, row.children)]
                rows.append(_Row(cells, row.line))
    return rows


def _guarded(nodes: list[Node], guards: tuple[dict, ...] = ()):
    """Every node with the audience marks of the divs it sits in."""
    for node in nodes:
        marks = {k: node.attrs[k] for k in ("only", "withhold") if k in node.attrs}
        inner = guards + (marks,) if node.type == "div" and marks else guards
        yield node, guards
        yield from _guarded(node.children, inner)


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return [c.strip() for c in cells]


def _list_items(nodes: list[Node], doc: Document) -> list[Item]:
    items = []
    all_lines = doc.lines
    for node, guards in _guarded(nodes):
        if node.type == "list_item":
            lines = all_lines[node.line - 1: max(node.end_line, node.line)]
            source = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", " ".join(l.strip() for l in lines if l.strip()))
            items.append(Item(source, node.plain_text().strip(), node.line, guards))
    return items


def _sections(doc: Document) -> dict[str, tuple[int, int, list[Node]]]:
    """Section id → (first content line, last content line, top-level blocks under it)."""
    from ..config import load_settings

    spec = load_settings().structure["minutes"]
    headings = [b for b in doc.root.children if b.type == "heading"]
    ids = assign_sections([h.plain_text() for h in headings], spec)
    out = {}
    for i, heading in enumerate(headings):
        sid = ids[i]
        if sid is None:
            continue
        end = next((h.line - 1 for h in headings[i + 1:] if h.attrs["level"] <= heading.attrs["level"]),
                   len(doc.lines))
        blocks = [b for b in doc.root.children if heading.line < b.line <= end]
        out[sid] = (heading.line + 1, end, blocks)
    return out
