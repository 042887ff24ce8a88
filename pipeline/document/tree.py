"""The one document tree every stage shares (pandoc-style): readers build it, filters
transform it, writers consume it.  Every node keeps its 1-based source line and column."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .frontmatter import Meta

BLOCKS = {
    "document", "heading", "paragraph", "bullet_list", "ordered_list", "list_item", "blockquote",
    "table", "table_part", "row", "cell", "code_block", "thematic_break", "div", "html", "comment", "page_break",
    "footnote",
}
INLINES = {
    "text", "code", "softbreak", "hardbreak", "strong", "em", "strike", "link", "image", "span",
    "footnote_ref", "html_inline", "comment_inline",
}


@dataclass(slots=True)
class Node:
    """A block or inline element.

    ``attrs`` holds per-type data: heading ``level``; ordered_list ``start``; cell ``header``
    and ``align``; link ``href``/``title``; image ``src``; footnote ``label``; and the
    audience attributes ``only``/``withhold``/``class`` of spans, divs, links and images.
    ``charpos`` is set on text whose characters are not contiguous in the source
    (escapes, entities): one (line, column) per character.
    """

    type: str
    children: list["Node"] = field(default_factory=list)
    text: str = ""
    attrs: dict = field(default_factory=dict)
    line: int = 0
    col: int = 0
    end_line: int = 0
    charpos: list[tuple[int, int]] | None = None

    def walk(self) -> Iterator["Node"]:
        """This node and all below it, depth first, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def plain_text(self) -> str:
        """The readable text of this node (soft breaks as spaces; comments and HTML left out)."""
        if self.type in ("text", "code", "html_inline"):
            return self.text
        if self.type in ("softbreak", "hardbreak"):
            return " "
        if self.type in ("comment", "comment_inline", "footnote_ref"):
            return ""
        sep = "\n" if self.type in BLOCKS and self.type not in ("heading", "paragraph", "cell") else ""
        return sep.join(c.plain_text() for c in self.children)

    def position(self, offset: int) -> tuple[int, int]:
        """Source (line, column) of character ``offset`` of this text node."""
        if self.charpos:
            return self.charpos[min(offset, len(self.charpos) - 1)]
        return self.line, self.col + offset


@dataclass
class Document:
    """A parsed report: its front matter, its tree and its footnotes."""

    path: str
    source: str
    meta: Meta
    root: Node
    footnotes: dict[str, Node] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.source.split("\n")
