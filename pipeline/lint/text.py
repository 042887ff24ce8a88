"""The lintable text of a document: units (headings, paragraphs, list items, table cells)
with their words and sentences, each mapped back to source line and column."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..document.tree import Document, Node

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|\n")
_LIST_WITHOUT_STOP = re.compile(r"[.!?:;][\"'”’)]*\s*$")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first: int  # index of first token
    last: int   # index after last token


@dataclass
class Section:
    """A heading and what follows it, up to the next heading of the same or a higher level."""

    title: str
    level: int
    line: int
    id: str | None = None
    words: int = 0


@dataclass
class Unit:
    """One run of prose: a heading, a paragraph, a list item's paragraph or a table cell."""

    kind: str
    text: str
    line: int
    starts: list[int]
    nodes: list[Node]
    section: Section | None
    quoted: bool = False
    professional_only: bool = False
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """Source (line, column) of character ``offset`` in :attr:`text`."""
        if not self.nodes:
            return self.line, 1
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        node = self.nodes[i]
        return node.position(min(offset - self.starts[i], max(len(node.text) - 1, 0)))

    def end_position(self, end: int) -> tuple[int, int]:
        """Source (line, column) just after the character before ``end``."""
        line, col = self.position(max(end - 1, 0))
        return line, col + 1


def units_of(doc: Document, abbreviations: frozenset[str]) -> tuple[list[Unit], list[Section]]:
    """Collect the prose units of a document in order, with their sections."""
    units: list[Unit] = []
    sections: list[Section] = []
    current: list[Section | None] = [None]
    family_words = {"family", "parents", "children", "all"} | {p.id for p in doc.meta.family}

    def visit(node: Node, quoted: bool, professional: bool = False) -> None:
        t = node.type
        if t == "heading":
            unit = _unit(node, "heading", current[0], quoted)
            section = Section(unit.text.strip(), node.attrs.get("level", 1), node.line)
            sections.append(section)
            current[0] = section
            unit.section = section
            units.append(unit)
            return
        if t in ("paragraph", "cell"):
            unit = _unit(node, "cell" if t == "cell" else "paragraph", current[0], quoted)
            unit.professional_only = professional
            if unit.text.strip():
                units.append(unit)
            return
        if t in ("code_block", "html", "comment", "thematic_break", "page_break"):
            return
        if t == "div" and "only" in node.attrs:
            professional = professional or not (set(node.attrs["only"].split()) & family_words)
        for child in node.children:
            visit(child, quoted or t == "blockquote", professional)

    visit(doc.root, False)
    for footnote in doc.footnotes.values():
        visit(footnote, False)
    for unit in units:
        _analyse(unit, abbreviations)
        if unit.section is not None and unit.kind != "heading":
            unit.section.words += len(unit.tokens)
    return units, sections


def _unit(node: Node, kind: str, section: Section | None, quoted: bool) -> Unit:
    parts: list[str] = []
    starts: list[int] = []
    nodes: list[Node] = []
    length = 0

    def collect(n: Node) -> None:
        nonlocal length
        if n.type in ("text", "code", "html_inline"):
            starts.append(length)
            nodes.append(n)
            parts.append(n.text)
            length += len(n.text)
        elif n.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            length += 1
        elif n.type not in ("comment_inline", "footnote_ref"):
            for c in n.children:
                collect(c)

    for child in node.children:
        collect(child)
    return Unit(kind, "".join(parts), node.line, starts, nodes, section, quoted)


def _analyse(unit: Unit, abbreviations: frozenset[str]) -> None:
    text = unit.text
    unit.tokens = [Token(m.start(), m.end(), m.group(), m.group().lower()) for m in WORD.finditer(text)]
    if unit.kind == "heading":
        unit.sentences = [Sentence(0, len(text), 0, len(unit.tokens))] if unit.tokens else []
        return
    bounds = []
    for m in _SENTENCE_END.finditer(text):
        before = WORD.findall(text[max(0, m.start() - 12): m.start() + 1])
        if m.group().startswith(".") and before and before[-1].lower() in abbreviations:
            continue
        bounds.append(m.end())
    if not bounds or bounds[-1] < len(text.rstrip()):
        bounds.append(len(text))
    token_starts = [t.start for t in unit.tokens]
    start = 0
    for end in bounds:
        first = bisect.bisect_left(token_starts, start)
        last = bisect.bisect_left(token_starts, end)
        if last > first:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            unit.sentences.append(Sentence(start + lead, end, first, last))
        start = end


def needs_stop(text: str) -> bool:
    """True when a unit's text does not end with sentence punctuation (list items, cells)."""
    return not _LIST_WITHOUT_STOP.search(text)
