"""Tracked changes and comments in a Word file: listed, and never accepted silently.

Pandoc (``--track-changes=all``) marks them as spans: ``insertion`` and ``deletion`` around
the changed words, ``paragraph-insertion`` and ``paragraph-deletion`` for a paragraph mark,
``comment-start`` (holding the comment's text) and ``comment-end``.  Accepting keeps the
insertions and drops the deletions and the comments, so neither a deleted word nor a
comment ever reaches the Markdown."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .pandoc import attribute, classes, stringify

_KINDS = {"insertion": "insertion", "paragraph-insertion": "insertion", "deletion": "deletion",
          "paragraph-deletion": "deletion", "comment-start": "comment"}
_MARKS = set(_KINDS) | {"comment-end"}
_WORDS = {"insertion": "tracked insertion", "deletion": "tracked deletion", "comment": "comment"}


@dataclass(frozen=True)
class Change:
    """One tracked change or comment: ``kind`` is insertion, deletion or comment."""

    kind: str
    author: str
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "author": self.author, "text": self.text}

    def __str__(self) -> str:
        by = f" by {self.author}" if self.author else ""
        return f"{_WORDS[self.kind]}{by}: “{self.text}”"


def counted(changes: list[Change]) -> str:
    """"1 tracked insertion and 2 comments"."""
    parts = [f"{n} {_WORDS[kind]}{'s' if n > 1 else ''}" for kind in _WORDS
             if (n := sum(1 for c in changes if c.kind == kind))]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


class UnresolvedChanges(InputError):
    """The Word file has tracked changes or comments and they were not to be accepted."""

    def __init__(self, changes: list[Change], path: str):
        super().__init__(f"has {counted(changes)}, which confpack never accepts silently; accept or reject them "
                         "in Word (Review > Accept, Reject) and save it, or import with --accept-changes to keep the "
                         "insertions and drop the deletions and comments", path)
        self.changes = changes

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(f"  {change}" for change in self.changes)])


def _mark(element) -> str | None:
    if isinstance(element, dict) and element.get("t") == "Span":
        found = _MARKS.intersection(classes(element["c"][0]))
        return next(iter(found)) if found else None
    return None


def find_changes(tree) -> list[Change]:
    """Every tracked change and comment, in document order."""
    found: list[Change] = []

    def visit(element) -> None:
        if isinstance(element, list):
            for item in element:
                visit(item)
            return
        if not isinstance(element, dict):
            return
        mark = _mark(element)
        if mark in _KINDS:
            attr, content = element["c"]
            text = " ".join(stringify(content).split())
            if mark.startswith("paragraph-"):
                text = "a new paragraph" if mark == "paragraph-insertion" else "the break between two paragraphs"
            found.append(Change(_KINDS[mark], attribute(attr, "author"), text))
            if mark == "comment-start":
                return
        visit(element.get("c"))

    visit(tree)
    return found


def accept(blocks: list) -> list:
    """The blocks with every change accepted: insertions kept, deletions (of words and of
    paragraph marks, which joins the paragraph to the next) and comments dropped."""
    return _blocks(blocks)


def _blocks(blocks: list) -> list:
    out: list = []
    join_next = False
    for block in blocks:
        block, joins = _element(block)
        if join_next and out and block["t"] in ("Para", "Plain") and out[-1]["t"] in ("Para", "Plain"):
            out[-1] = {"t": out[-1]["t"], "c": out[-1]["c"] + [{"t": "Space"}] + block["c"]}
        else:
            out.append(block)
        join_next = joins
    return out


def _element(element) -> tuple:
    """(the element with its changes accepted, whether its paragraph mark was deleted)."""
    kind = element.get("t") if isinstance(element, dict) else None
    if kind in ("Para", "Plain"):
        inlines = element["c"]
        joins = any(_mark(i) == "paragraph-deletion" for i in inlines)
        return {"t": kind, "c": _inlines(inlines)}, joins
    return _walk(element), False


def _walk(value):
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "t" in v for v in value):
            if any(v["t"] in ("Para", "Plain", "Header", "Div", "BlockQuote", "BulletList", "OrderedList", "Table")
                   for v in value):
                return _blocks(value)
            return _inlines(value)
        return [_walk(v) for v in value]
    if isinstance(value, dict) and "c" in value:
        return {"t": value["t"], "c": _walk(value["c"])}
    return value


def _inlines(inlines: list) -> list:
    out: list = []
    dropped = False    # the words just before were deleted: no space left hanging before punctuation
    for element in inlines:
        mark = _mark(element)
        if mark in (None, "insertion"):
            new = _inlines(element["c"][1]) if mark else [_walk(element)]
            if dropped and new and out and out[-1]["t"] == "Space" and (
                    new[0]["t"] == "Space" or new[0]["t"] == "Str" and new[0]["c"][:1] in tuple(".,;:!?)")):
                out.pop()
            out.extend(new)
            dropped = dropped and not new
        else:
            dropped = True
    if dropped and out and out[-1]["t"] == "Space":
        out.pop()
    return out
