"""A recipient's copy as a filter over the document tree: everything they may not see is
taken out before any writer runs, and private details that appear unmarked stop the render.

Audience words: any person or child id, and the groups parents, family, children,
professionals, chair and all.  The chair sees everything.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document.frontmatter import Meta, Person
from ..document.tree import Document, Node
from ..errors import InputError
from .recipients import Recipient

GROUPS = frozenset({"parents", "family", "children", "professionals", "chair", "all"})
DEFAULT_MARKER = "[removed]"
_AUDIENCE_KEYS = ("only", "withhold")
_NON_ALNUM = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Compare text the way a leak would be seen: any case, spacing, punctuation, hyphenation."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


def audience_words(meta: Meta, recipient: Recipient) -> frozenset[str]:
    """The audience words that include this recipient."""
    if recipient.id == "chair":
        return frozenset({"chair", "professionals", "all"})
    if recipient.id == "professionals":
        return frozenset({"professionals", "all"})
    person = recipient.person
    words = {person.id, "family", "all"}
    if person in meta.children:
        words.add("children")
    elif person.role in ("parent", "carer"):
        words.add("parents")
    return frozenset(words)


def blocked_by(attrs: dict, words: frozenset[str]) -> str | None:
    """Which mark ("only" or "withhold") keeps an element from a reader with these audience
    words, or None when they may see it."""
    only, withhold = attrs.get("only"), attrs.get("withhold")
    if only is not None and not set(only.split()) & words:
        return "only"
    if withhold is not None and set(withhold.split()) & words:
        return "withhold"
    return None


def check_markup(doc: Document) -> None:
    """Every audience word must be known; fail closed on anything else."""
    known = GROUPS | {p.id for p in doc.meta.family}
    for tree in [doc.root, *doc.footnotes.values()]:
        for node in tree.walk():
            for key in _AUDIENCE_KEYS:
                if key in node.attrs:
                    words = node.attrs[key].split()
                    unknown = [w for w in words if w not in known]
                    if not words or unknown:
                        raise InputError(
                            f"{key}=\"{node.attrs[key]}\" names {', '.join(repr(u) for u in unknown) or 'nobody'}; "
                            f"use ids from the front matter ({', '.join(sorted(p.id for p in doc.meta.family))}) "
                            f"or {', '.join(sorted(GROUPS))}", doc.path, node.line)


@dataclass
class Private:
    """A private detail the recipient must not see: whose, which field, and its forms to search for."""

    owner: Person
    field: str
    value: str
    forms: list[str]  # normalised strings, any one of which is a leak

    @property
    def label(self) -> str:
        return f"{self.owner.name}'s private {self.field}"


@dataclass
class Removed:
    rule: str   # "withhold" or "only"
    line: int
    text: str


@dataclass
class Copy:
    """One recipient's view of a document."""

    recipient: Recipient
    blocks: list[Node]
    footnotes: dict[str, Node]
    removed: list[Removed] = field(default_factory=list)
    private: list[Private] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.removed:
            out[item.rule] = out.get(item.rule, 0) + 1
        if self.private:
            out["private"] = len(self.private)
        return out


def private_details(meta: Meta, recipient: Recipient) -> list[Private]:
    """Private details declared in the front matter that this recipient must not see."""
    if recipient.id == "chair":
        return []
    words = audience_words(meta, recipient)
    found = []
    for person in meta.family:
        if person.withhold_from and set(person.withhold_from) & words:
            for key, value in person.private.items():
                found.append(Private(person, re.sub(r"\d+$", "", key), value, _forms(key, value)))
    return found


def _forms(key: str, value: str) -> list[str]:
    """What to search for: the whole value, and for an address each distinctive line of it
    (one with a number, or of three or more words: not a bare town name)."""
    forms = {normalise(value)}
    if key.startswith("phone"):
        digits = re.sub(r"\D", "", value)
        forms.add(digits)
        if digits.startswith("44"):
            forms.add("0" + digits[2:])
        elif digits.startswith("0"):
            forms.add("44" + digits[1:])
    elif key.startswith(("address", "school", "other")):
        for part in re.split(r"[,\n;]", value):
            if re.search(r"\d", part) or len(part.split()) >= 3:
                forms.add(normalise(part))
        postcode = re.search(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", value, re.I)
        if postcode:
            forms.add(normalise(postcode.group()))
    return sorted(f for f in forms if len(f) >= 4)


def make_copy(doc: Document, recipient: Recipient, marker: str = DEFAULT_MARKER) -> Copy:
    """Filter the document for one recipient; raises InputError when it cannot be done safely."""
    check_markup(doc)
    words = audience_words(doc.meta, recipient)
    sees_all = recipient.id == "chair"
    copy = Copy(recipient, [], {}, private=private_details(doc.meta, recipient))
    filt = _Filter(words, sees_all, marker, copy.removed)
    copy.blocks = filt.blocks(doc.root.children)
    used = {n.attrs.get("label") for b in copy.blocks for n in b.walk() if n.type == "footnote_ref"}
    for label, note in doc.footnotes.items():
        if label in used:
            copy.footnotes[label] = Node("footnote", filt.blocks(note.children), attrs=dict(note.attrs),
                                         line=note.line)
    _refuse_unmarked_private(doc, copy)
    return copy


class _Filter:
    def __init__(self, words: frozenset[str], sees_all: bool, marker: str, removed: list[Removed]):
        self.words, self.sees_all, self.marker, self.removed = words, sees_all, marker, removed

    def _blocked_by(self, node: Node) -> str | None:
        return None if self.sees_all else blocked_by(node.attrs, self.words)

    def _note(self, node: Node, rule: str) -> None:
        self.removed.append(Removed(rule, node.line, node.plain_text()))

    def _silent(self, node: Node) -> bool:
        return "silent" in node.attrs.get("class", [])

    def blocks(self, nodes: list[Node]) -> list[Node]:
        out = []
        for node in nodes:
            if node.type == "comment":
                continue  # authors' notes never reach any output
            rule = self._blocked_by(node)
            if rule:
                self._note(node, rule)
                if not self._silent(node):
                    out.append(Node("paragraph", [Node("text", text=self.marker, line=node.line)], line=node.line,
                                    end_line=node.line))
                continue
            out.append(self._copy(node, block=True))
        return out

    def inlines(self, nodes: list[Node]) -> list[Node]:
        out = []
        for node in nodes:
            if node.type == "comment_inline":
                continue
            rule = self._blocked_by(node)
            if rule:
                self._note(node, rule)
                if not self._silent(node):
                    out.append(Node("text", text=self.marker, line=node.line, col=node.col))
                continue
            out.append(self._copy(node, block=False))
        return out

    def _copy(self, node: Node, block: bool) -> Node:
        inline_parent = node.type in ("heading", "paragraph", "cell", "strong", "em", "strike", "link", "span",
                                      "image")
        children = self.inlines(node.children) if inline_parent else self.blocks(node.children)
        return Node(node.type, children, node.text, dict(node.attrs), node.line, node.col, node.end_line,
                    node.charpos)


def _refuse_unmarked_private(doc: Document, copy: Copy) -> None:
    """A private detail left in what this recipient would see: refuse, pointing at the line."""
    if not copy.private:
        return
    for tree in [*copy.blocks, *copy.footnotes.values()]:
        for node in tree.walk():
            if node.type not in ("heading", "paragraph", "cell", "code_block", "html"):
                continue
            text = normalise(node.text if node.type in ("code_block", "html") else node.plain_text())
            hrefs = " ".join(n.attrs.get("href", "") + n.attrs.get("src", "") for n in node.walk())
            text += normalise(hrefs)
            for item in copy.private:
                if any(form in text for form in item.forms):
                    raise InputError(
                        f"{item.label} appears here without a mark, and {copy.recipient.label} must not see it; "
                        f"wrap it in [...]{{withhold=\"{copy.recipient.id}\"}} or take it out",
                        doc.path, node.line)
