"""Documents built as trees, not as text to parse again: the chair's minutes, plan and
letters and a pack's invitation and agenda.  Every node made here carries the source line
of what it was made from (the notes, the front matter, the manifest), so redaction,
verification and every refusal point at a line the user can open and fix."""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Iterable, Union

from .tree import Node

Part = Union[str, Node, Iterable[Node]]
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SLOT = re.compile("\ue010(\\w+)\ue011")   # a placeholder while its wording is parsed


def inline(parts: Part | list[Part], line: int) -> list[Node]:
    """Inline nodes from strings (plain text, never parsed), nodes and lists of nodes."""
    if isinstance(parts, (str, Node)):
        parts = [parts]
    out: list[Node] = []
    for part in parts:
        if isinstance(part, str):
            if part:
                out.append(Node("text", text=part, line=line, col=1))
        elif isinstance(part, Node):
            out.append(part)
        else:
            out.extend(inline(list(part), line))
    return out


def para(parts: Part | list[Part], line: int) -> Node:
    return Node("paragraph", inline(parts, line), line=line, col=1, end_line=line)


def heading(level: int, parts: Part | list[Part], line: int) -> Node:
    return Node("heading", inline(parts, line), attrs={"level": level}, line=line, col=1, end_line=line)


def bullets(items: list[tuple[Part | list[Part], int]], guards: list[list[dict]] | None = None) -> Node:
    """A bullet list; ``guards[i]`` are marks that keep item ``i`` from some readers."""
    children = []
    for i, (parts, line) in enumerate(items):
        attrs = {"guards": guards[i]} if guards and guards[i] else {}
        children.append(Node("list_item", [para(parts, line)], attrs=attrs, line=line, col=1, end_line=line))
    return Node("bullet_list", children, line=items[0][1] if items else 0, col=1)


def ordered(items: list[tuple[Part | list[Part], int]], start: int = 1) -> Node:
    """A numbered list."""
    node = bullets(items)
    node.type, node.attrs = "ordered_list", {"start": start}
    return node


def table(header: list[str], rows: list[tuple[list[Part | list[Part]], int]], line: int,
          guards: list[list[dict]] | None = None) -> Node:
    """A table with a header row; ``guards[i]`` are marks that keep row ``i`` from some readers."""
    def cells(parts: list, row_line: int, head: bool) -> list[Node]:
        return [Node("cell", inline(p, row_line), attrs={"header": head, "align": None}, line=row_line, col=1)
                for p in parts]

    head = Node("table_part", [Node("row", cells(header, line, True), line=line)], line=line)
    body = []
    for i, (parts, row_line) in enumerate(rows):
        attrs = {"guards": guards[i]} if guards and guards[i] else {}
        body.append(Node("row", cells(parts, row_line, False), attrs=attrs, line=row_line))
    return Node("table", [head, Node("table_part", body, line=line)], line=line, col=1)


def marked(nodes: list[Node], marks: Iterable[dict]) -> list[Node]:
    """Inline nodes wrapped in spans carrying each mark, so they reach only who may see it."""
    for mark in marks:
        line = nodes[0].line if nodes else 0
        nodes = [Node("span", nodes, attrs=dict(mark), line=line, col=1)]
    return nodes


def copied(nodes: Iterable[Node]) -> list[Node]:
    """Deep copies, so a document built from another never shares (and changes) its nodes."""
    return [copy.deepcopy(n) for n in nodes]


def fill(template: list[Node], values: dict[str, Part], line: int) -> list[Node]:
    """Copies of ``template`` blocks (from :func:`wording`) with each placeholder in their text
    replaced by ``values[name]`` (plain text or nodes); the copies take ``line``."""
    out = copied(template)
    parents = []
    for block in out:
        for node in block.walk():
            node.line = line
            if any(c.type == "text" and "\ue010" in c.text for c in node.children):
                parents.append(node)
    for node in parents:
        node.children = _joined([piece for child in node.children for piece in _fill_text(child, values, line)])
    return out


def _joined(nodes: list[Node]) -> list[Node]:
    """Neighbouring plain text nodes as one (one run in Word, one phrase to a reader)."""
    out: list[Node] = []
    for node in nodes:
        if out and node.type == out[-1].type == "text" and not node.attrs and not out[-1].attrs:
            out[-1] = Node("text", text=out[-1].text + node.text, line=out[-1].line, col=out[-1].col)
        else:
            out.append(node)
    return out


def _fill_text(node: Node, values: dict[str, Part], line: int) -> list[Node]:
    if node.type != "text" or "\ue010" not in node.text:
        return [node]
    out: list[Node] = []
    pos = 0
    for m in _SLOT.finditer(node.text):
        value = values.get(m.group(1), "{" + m.group(1) + "}")
        out += inline(node.text[pos:m.start()], line) + inline(value, line)
        pos = m.end()
    return out + inline(node.text[pos:], line)


@lru_cache(maxsize=256)
def _wording(markdown: str) -> tuple[Node, ...]:
    from .parser import parse_text

    slotted = _PLACEHOLDER.sub(lambda m: f"\ue010{m.group(1)}\ue011", markdown)
    return tuple(parse_text(slotted, "<wording>").root.children)


def wording(markdown: str, values: dict[str, Part], line: int) -> list[Node]:
    """Blocks from a piece of wording (Markdown data, such as ``style_rules/letters.yml``)
    with its ``{placeholders}`` filled; every node takes ``line``."""
    return fill(list(_wording(markdown)), values, line)


def wording_inline(markdown: str, values: dict[str, Part], line: int) -> list[Node]:
    """The inline nodes of a one-paragraph piece of wording."""
    blocks = wording(markdown, values, line)
    return [child for block in blocks for child in block.children] if blocks else []
