"""Pandoc's tree of a Word file made plain before it is written as Markdown: Word's style
wrappers unwrapped, quotes (Word's *Quote* styles) told from merely indented paragraphs,
runs of bold or italic that Word split joined again, and what Markdown cannot hold
(pictures, invisible control characters) taken out and counted."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .pandoc import attribute

QUOTE_STYLES = {"quote", "intense quote", "block text", "block quote", "blockquote", "quotation"}
_UNWRAP = {"Underline", "SmallCaps", "Superscript", "Subscript", "Span", "Cite"}
_JOIN = {"Emph", "Strong", "Strikeout"}
# C0 and C1 controls, direction controls and separators: the Markdown reader refuses them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@dataclass
class Tidied:
    """What tidying took out, for the import's messages."""

    pictures: int = 0
    indented: int = 0      # indented paragraphs pandoc read as quotes, kept as ordinary paragraphs
    controls: int = 0


def tidy(blocks: list, found: Tidied) -> list:
    """The blocks made plain for the Markdown writer; ``found`` counts what was taken out."""
    return _Tidy(found).blocks(blocks)


class _Tidy:
    def __init__(self, found: Tidied):
        self.found = found

    def blocks(self, blocks: list, quoted: bool = False) -> list:
        out: list = []
        for block in blocks:
            for tidied in self.block(block, quoted):
                if out and _continues(out[-1], tidied):
                    items = tidied["c"] if tidied["t"] == "BulletList" else tidied["c"][1]
                    (out[-1]["c"] if tidied["t"] == "BulletList" else out[-1]["c"][1]).extend(items)
                else:
                    out.append(tidied)
        return out

    def block(self, block: dict, quoted: bool) -> list:
        kind, c = block["t"], block.get("c")
        if kind == "Div":
            style = attribute(c[0], "custom-style").lower()
            if style in QUOTE_STYLES and not quoted:
                return [{"t": "BlockQuote", "c": self.blocks(c[1], quoted=True)}]
            return self.blocks(c[1], quoted)
        if kind == "BlockQuote":
            if not quoted:   # indentation, not Word's Quote style: the family's words are marked by style
                self.found.indented += 1
            return self.blocks(c, quoted)
        if kind in ("Para", "Plain"):
            inlines = self.inlines(c)
            return [{"t": "Para", "c": inlines}] if _has_text(inlines) else []
        if kind == "Header":
            return [{"t": "Header", "c": [c[0], c[1], self.inlines(c[2])]}]
        if kind == "LineBlock":
            lines = [self.inlines(line) for line in c]
            joined = [part for i, line in enumerate(lines) for part in ([{"t": "LineBreak"}] if i else []) + line]
            return [{"t": "Para", "c": joined}] if _has_text(joined) else []
        if kind == "BulletList":
            return [{"t": kind, "c": [self.blocks(item, quoted) for item in c]}]
        if kind == "OrderedList":
            return [{"t": kind, "c": [c[0], [self.blocks(item, quoted) for item in c[1]]]}]
        if kind == "DefinitionList":
            out = []
            for term, definitions in c:
                out.append({"t": "Para", "c": [{"t": "Strong", "c": self.inlines(term)}]})
                for definition in definitions:
                    out.extend(self.blocks(definition, quoted))
            return out
        if kind == "Table":
            return [self.table(c)]
        if kind == "Figure":
            return self.blocks(c[2], quoted)
        if kind in ("CodeBlock", "HorizontalRule"):
            return [block]
        return []   # RawBlock, Null

    def table(self, c: list) -> dict:
        attr, caption, specs, head, bodies, foot = c

        def rows(rows: list) -> list:
            return [[r[0], [[cell[0], cell[1], cell[2], cell[3], self.blocks(cell[4])] for cell in r[1]]]
                    for r in rows]

        return {"t": "Table", "c": [attr, [caption[0], self.blocks(caption[1])], specs, [head[0], rows(head[1])],
                                    [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies],
                                    [foot[0], rows(foot[1])]]}

    def inlines(self, inlines: list) -> list:
        out: list = []
        for element in inlines:
            kind, c = element["t"], element.get("c")
            if kind in _UNWRAP:
                out.extend(self.inlines(c[-1] if kind in ("Span", "Cite") else c))
            elif kind == "Image":
                self.found.pictures += 1
            elif kind == "Str":
                text, n = _CONTROL.subn("", c)
                self.found.controls += n
                if text:
                    out.append({"t": "Str", "c": text})
            elif kind in _JOIN:
                out.append({"t": kind, "c": self.inlines(c)})
            elif kind == "Link":
                out.append({"t": "Link", "c": [c[0], self.inlines(c[1]), c[2]]})
            elif kind == "Quoted":
                out.append({"t": "Quoted", "c": [c[0], self.inlines(c[1])]})
            elif kind == "Note":
                out.append({"t": "Note", "c": self.blocks(c)})
            elif kind != "RawInline":
                out.append(element)
        return _join(out)


def _continues(before: dict, block: dict) -> bool:
    """A list right after a list of its kind carries it on: pandoc reads list paragraphs that
    Word numbers as one list as several (python-docx's list styles; LibreOffice's numbering,
    which starts each again at 1), and a list that starts again with nothing between is rare."""
    if block["t"] == "OrderedList":
        return before["t"] == "OrderedList" and before["c"][0][1:] == block["c"][0][1:]
    return before["t"] == block["t"] == "BulletList"


def _has_text(inlines: list) -> bool:
    return any(i["t"] not in ("Space", "SoftBreak", "LineBreak") for i in inlines)


def _join(inlines: list) -> list:
    """Join bold (or italic, or struck) runs that Word split: **a****b** and **a** **b** become **a b**."""
    out: list = []
    for element in inlines:
        kind = element["t"]
        if kind in _JOIN and out:
            if out[-1]["t"] == kind:
                out[-1] = {"t": kind, "c": out[-1]["c"] + element["c"]}
                continue
            if out[-1]["t"] == "Space" and len(out) > 1 and out[-2]["t"] == kind:
                out.pop()
                out[-1] = {"t": kind, "c": out[-1]["c"] + [{"t": "Space"}] + element["c"]}
                continue
        if kind in _JOIN and not _has_text(element["c"]):
            out.extend(element["c"])
            continue
        out.append(element)
    return out
