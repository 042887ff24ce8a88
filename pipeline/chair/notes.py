"""The chair's notes: read the sections, tables and lists of a `kind: minutes` document
and check them, reporting every problem with its line.

Each piece taken from the notes is an :class:`Item` that keeps its nodes (spans and marks
included) and the marks of the divs around it, so whatever is made from it reaches only
the people who may see it."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..common.dates import parse_date
from ..config import Settings
from ..document.build import copied, marked
from ..document.tree import Document, Node
from ..errors import InputError, InputErrors
from ..lint.structure import assign_sections
from ..redact.audience import Viewer

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
    """A piece of the notes (a cell, a list item): its inline nodes, plain text, line, and
    the audience marks of the divs around it."""

    nodes: list[Node]
    text: str
    line: int
    guards: tuple[dict, ...] = ()

    @property
    def marks(self) -> list[dict]:
        """Every mark on or in it: text made from it must carry them all."""
        inner = [{k: n.attrs[k] for k in ("only", "withhold") if k in n.attrs}
                 for node in self.nodes for n in node.walk()]
        return [*self.guards, *(m for m in inner if m)]

    def inline(self) -> list[Node]:
        """Copies of its nodes, wrapped in its divs' marks."""
        return marked(copied(self.nodes), self.guards)

    def derived(self, text: str) -> list[Node]:
        """Text made from this item (a date, a name turned into "your dad"), marked with every
        mark the item has, so it is withheld wherever any part of the item is."""
        return marked([Node("text", text=text, line=self.line, col=1)], self.marks)

    def visible(self, viewer: Viewer) -> bool:
        return not any(viewer.blocked_by(g) for g in self.guards)


@dataclass
class Step:
    what: Item
    who: Item
    by: dt.date
    when: Item
    line: int

    @property
    def items(self) -> tuple[Item, ...]:
        return self.what, self.who, self.when


@dataclass
class Notes:
    doc: Document
    sections: dict[str, tuple[Node, list[Node]]]   # id → (heading, blocks under it)
    pairs: list[tuple[Item, Item]] = field(default_factory=list)
    scores: list[tuple[Item, int, Item]] = field(default_factory=list)
    recommendations: list[tuple[Item, Item, Item | None]] = field(default_factory=list)
    plan: str = ""
    plan_item: Item | None = None
    category: str | None = None
    category_item: Item | None = None
    why: Item | None = None
    core_group: list[Item] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def section(self, sid: str) -> list[Node]:
        """Copies of a section's heading and blocks (marks and quotes kept)."""
        if sid not in self.sections:
            return []
        heading, blocks = self.sections[sid]
        return copied([heading, *blocks])


class _Problems(list):
    """Every problem in the notes, each with its line (reported together, in line order)."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def __call__(self, line: int, message: str) -> None:
        self.append(InputError(message, self.path, line))


def read_notes(doc: Document, settings: Settings) -> Notes:
    """Check a chair's notes; raises InputErrors listing every problem."""
    if doc.meta.kind != "minutes":
        raise InputError("the chair's notes need 'kind: minutes' in the front matter (see 'confpack new minutes')",
                         doc.path, 1)
    problem = _Problems(doc.path)
    notes = Notes(doc, _sections(doc, settings.structure["minutes"]))
    blocks = {sid: b for sid, (_, b) in notes.sections.items()}
    lines = {sid: h.line + 1 for sid, (h, _) in notes.sections.items()}
    _dangers(notes, blocks, lines, problem)
    _scaling(notes, blocks, problem)
    _recommendations(notes, blocks, problem)
    _decision(notes, blocks, lines, problem)
    notes.core_group = _list_items(blocks.get("core-group", []))
    _steps(notes, blocks, lines, problem)
    if problem:
        raise InputErrors(sorted(problem, key=lambda e: e.line or 0))
    return notes


def _dangers(notes: Notes, blocks, lines, problem) -> None:
    for row in _rows(blocks.get("danger-statements", [])):
        danger, goal = (row.cells + [None, None])[:2]
        if not danger or not danger.text:
            problem(row.line, "this row has no danger statement; write what we are worried could happen")
        elif not goal or not goal.text:
            problem(row.line, "this danger statement has no safety goal; add what we want to see instead")
        else:
            notes.pairs.append((danger, goal))
    if len(notes.pairs) > MAX_PAIRS:
        problem(lines["danger-statements"], f"{len(notes.pairs)} danger statements: keep to at most {MAX_PAIRS}")


def _scaling(notes: Notes, blocks, problem) -> None:
    for row in _rows(blocks.get("scaling", [])):
        who, score, why = (row.cells + [None, None, None])[:3]
        value = re.fullmatch(r"\s*(\d+)\s*(?:/\s*10)?\s*", score.text if score else "")
        if not who or not who.text:
            problem(row.line, "this score has no name; say whose score it is")
        elif not value or not 0 <= int(value.group(1)) <= 10:
            problem(row.line, f"score '{score.text if score else ''}' for {who.text} must be a whole number from 0 to 10")
        else:
            notes.scores.append((who, int(value.group(1)), why or Item([], "", row.line)))


def _recommendations(notes: Notes, blocks, problem) -> None:
    for row in _rows(blocks.get("recommendations", [])):
        who, rec, dissent = (row.cells + [None, None, None])[:3]
        if not who or not who.text or not rec or not rec.text:
            problem(row.line, "each recommendation needs who made it and what they recommend")
        else:
            notes.recommendations.append((who, rec, dissent if dissent and dissent.text else None))


def _steps(notes: Notes, blocks, lines, problem) -> None:
    for row in _rows(blocks.get("next-steps", [])):
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
        notes.steps.append(Step(what, who, day, by, row.line))
    if "next-steps" in blocks and not notes.steps and not any(p.line >= lines["next-steps"] for p in problem):
        problem(lines["next-steps"], "no next steps: add a table What | Who | By when")


def _decision(notes: Notes, blocks, lines, problem) -> None:
    if "decision" not in blocks:
        problem(notes.doc.meta.body_line, "there is no '## Decision' section; add one with 'Plan: …' and 'Why: …'")
        return
    fields: dict[str, Item] = {}
    for item in _list_items(blocks["decision"]):
        key, colon, value = item.text.partition(":")
        if colon and value.strip():
            key = key.strip(" *_").lower()
            nodes = _without_prefix(item.nodes, len(key) + 1 + (len(item.text) - len(item.text.lstrip())))
            fields[key] = Item(nodes, value.strip(" *_").strip(), item.line, item.guards)
    plan = fields.get("plan")
    line = lines["decision"]
    if plan is None:
        problem(line, "the decision needs a line 'Plan: child protection plan' (or child in need plan, early help, "
                      "no further action)")
        return
    kind = next((v for k, v in PLANS.items() if k in plan.text.lower()), None)
    if kind is None:
        problem(plan.line, f"plan '{plan.text}' is not one of: {', '.join(PLANS)}")
        return
    notes.plan, notes.plan_item = kind, plan
    category = fields.get("category")
    if kind == "child-protection":
        found = [c for c in CATEGORIES if c in category.text.lower()] if category else []
        if len(found) != 1:
            where = category.line if category else plan.line
            problem(where, "a child protection plan has exactly one category: neglect, emotional abuse, "
                           f"physical abuse or sexual abuse (found {len(found)})")
        else:
            notes.category, notes.category_item = found[0], category
    elif category is not None and category.text:
        problem(category.line, "only a child protection plan has a category; take this line out")
    notes.why = fields.get("why") or fields.get("reason")
    if notes.why is None:
        problem(plan.line, "say why in a line 'Why: …' so the family understands the decision")


def _without_prefix(nodes: list[Node], count: int) -> list[Node]:
    """Copies of inline nodes with their first ``count`` characters of text removed
    ("Why: Jamie…" → "Jamie…"), spans and marks kept."""
    out = []
    for node in copied(nodes):
        if count > 0:
            count = _drop(node, count)
        out.append(node)
    out = [n for n in out if n.type != "text" or n.text]
    first = next((n for top in out for n in top.walk() if n.type == "text"), None)
    if first is not None:
        first.text = first.text.lstrip()
    return out


def _drop(node: Node, count: int) -> int:
    if node.type in ("text", "code"):
        taken = min(count, len(node.text))
        node.text = node.text[taken:].lstrip() if taken == count else node.text[taken:]
        node.charpos = None
        return count - taken
    for child in node.children:
        if count <= 0:
            break
        count = _drop(child, count)
    node.children = [c for c in node.children if c.type != "text" or c.text]
    return count


@dataclass
class _Row:
    cells: list[Item]
    line: int


def _rows(nodes: list[Node]) -> list[_Row]:
    """Body rows of every table in these blocks, each cell an item."""
    rows = []
    for node, guards in _guarded(nodes):
        if node.type != "table":
            continue
        parts = [p for p in node.children if p.type == "table_part"]
        for part in parts[1:]:
            for row in part.children:
                cells = [Item(cell.children, cell.plain_text().strip(), row.line, guards) for cell in row.children]
                rows.append(_Row(cells, row.line))
    return rows


def _guarded(nodes: list[Node], guards: tuple[dict, ...] = ()):
    """Every node with the audience marks of the divs it sits in."""
    for node in nodes:
        marks = {k: node.attrs[k] for k in ("only", "withhold") if k in node.attrs}
        inner = guards + (marks,) if node.type == "div" and marks else guards
        yield node, guards
        yield from _guarded(node.children, inner)


def _list_items(nodes: list[Node]) -> list[Item]:
    items = []
    for node, guards in _guarded(nodes):
        if node.type == "list_item":
            inline: list[Node] = []
            for child in node.children:
                if child.type == "paragraph":
                    if inline:
                        inline.append(Node("softbreak", line=child.line))
                    inline += child.children
            items.append(Item(inline, node.plain_text().strip(), node.line, guards))
    return items


def _sections(doc: Document, spec: dict) -> dict[str, tuple[Node, list[Node]]]:
    """Section id → (its heading, the top-level blocks under it)."""
    headings = [b for b in doc.root.children if b.type == "heading"]
    ids = assign_sections([h.plain_text() for h in headings], spec)
    out = {}
    for i, heading in enumerate(headings):
        sid = ids[i]
        if sid is None:
            continue
        end = next((h.line - 1 for h in headings[i + 1:] if h.attrs["level"] <= heading.attrs["level"]),
                   len(doc.lines))
        out[sid] = (heading, [b for b in doc.root.children if heading.line < b.line <= end])
    return out
