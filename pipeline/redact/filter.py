"""A recipient's copy as a filter over the document tree: everything they may not see is
taken out before any writer runs, and a private detail left unmarked stops the copy with
the source line to fix."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..document.frontmatter import Meta
from ..document.tree import Document, Node
from ..errors import InputError, InputErrors
from .audience import Recipient, Viewer, check_words, visible_meta
from .fold import Haystack, decode_url
from .private import Secret, secrets_of

DEFAULT_MARKER = "[removed]"
_PROSE = ("heading", "paragraph", "cell")
_TAGS = re.compile(r"<[^<>]*>")
_INLINE_PARENTS = ("heading", "paragraph", "cell", "strong", "em", "strike", "link", "span", "image")


class WithheldInFull(Exception):
    """The whole document is withheld from this recipient: nothing of it may reach them."""


@dataclass
class Removed:
    rule: str    # "withhold" or "only"
    line: int
    text: str
    href: str = ""


@dataclass
class Copy:
    """One recipient's view of a document: the front matter and tree they may see."""

    recipient: Recipient
    meta: Meta
    blocks: list[Node]
    footnotes: dict[str, Node]
    removed: list[Removed] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.removed:
            out[item.rule] = out.get(item.rule, 0) + 1
        if self.secrets:
            out["private"] = len(self.secrets)
        return out

    @property
    def visible(self) -> bool:
        """True when anything but removal markers is left."""
        for tree in [*self.blocks, *self.footnotes.values()]:
            for node in tree.walk():
                if node.type == "image" or (node.type in ("text", "code") and node.text.strip()
                                            and not node.attrs.get("marker")):
                    return True
                if node.type in ("code_block", "html") and node.text.strip():
                    return True
        return False


def make_copy(doc: Document, recipient: Recipient, marker: str = DEFAULT_MARKER,
              extra: Iterable[Secret] = ()) -> Copy:
    """Filter the document for one recipient; InputError when it cannot be done safely,
    :class:`WithheldInFull` when none of it may reach them.  ``extra`` adds private details
    declared elsewhere in the conference (other reports, the manifest)."""
    check_words(doc)
    viewer = Viewer(doc.meta, recipient)
    if viewer.excluded(doc.meta.withhold_from):
        raise WithheldInFull(f"{doc.path} is withheld from {recipient.label} in full")
    seen: set[tuple] = set()
    secrets = []
    for secret in [*secrets_of(doc.meta, doc.path), *extra]:
        key = (secret.label, secret.forms, secret.withhold_from)
        if key not in seen and viewer.kept_from(secret.withhold_from, secret.owner):
            seen.add(key)
            secrets.append(secret)
    copy = Copy(recipient, visible_meta(doc.meta, viewer), [], {}, secrets=secrets)
    filt = _Filter(viewer, marker, copy.removed)
    copy.blocks = filt.blocks(doc.root.children)
    pending = [n.attrs.get("label") for b in copy.blocks for n in b.walk() if n.type == "footnote_ref"]
    while pending:   # footnotes the visible text uses, and those they use in turn
        label = pending.pop()
        note = doc.footnotes.get(label)
        if note is None or label in copy.footnotes:
            continue
        copy.footnotes[label] = Node("footnote", filt.blocks(note.children), attrs=dict(note.attrs),
                                     line=note.line, end_line=note.end_line)
        pending += [n.attrs.get("label") for n in copy.footnotes[label].walk() if n.type == "footnote_ref"]
    refuse_unmarked(doc, copy)
    return copy


class _Filter:
    def __init__(self, viewer: Viewer, marker: str, removed: list[Removed]):
        self.viewer, self.marker, self.removed = viewer, marker, removed

    def _note(self, node: Node, rule: str) -> None:
        href = " ".join(n.attrs.get("href", "") or n.attrs.get("src", "") for n in node.walk()
                        if n.type in ("link", "image"))
        self.removed.append(Removed(rule, node.line, node.plain_text(), href))

    @staticmethod
    def _silent(node: Node) -> bool:
        return "silent" in node.attrs.get("class", [])

    def _rule(self, node: Node, block: bool) -> str | None:
        rule = self.viewer.blocked_by(node.attrs)
        if rule is None and not block and node.type in ("link", "image"):
            # a withheld span inside a link's text takes the link, and its address, with it
            rule = next((r for n in node.walk() if (r := self.viewer.blocked_by(n.attrs))), None)
        return rule

    def blocks(self, nodes: list[Node]) -> list[Node]:
        return self._filter(nodes, block=True)

    def _filter(self, nodes: list[Node], block: bool) -> list[Node]:
        out = []
        for node in nodes:
            if node.type in ("comment", "comment_inline"):
                continue  # authors' notes never reach any output
            rule = self._rule(node, block)
            if rule:
                self._note(node, rule)
                if node.type == "row" or self._silent(node):
                    continue   # a table row goes whole
                mark = Node("text", text=self.marker, attrs={"marker": True}, line=node.line, col=node.col)
                if node.type == "list_item":
                    mark = Node("list_item", [Node("paragraph", [mark], line=node.line)], line=node.line)
                elif block:
                    mark = Node("paragraph", [mark], line=node.line, end_line=node.line)
                out.append(mark)
                continue
            inline = node.type in _INLINE_PARENTS
            out.append(Node(node.type, self._filter(node.children, block=not inline), node.text, dict(node.attrs),
                            node.line, node.col, node.end_line, node.charpos))
        return out


def runs(blocks: list[Node]) -> Iterator[tuple[str, object]]:
    """Each run of text a reader sees, with a function giving the source line of its
    characters: headings, paragraphs, cells (in order, so a street and its number in
    neighbouring cells are found together), list numbers, code, link addresses and picture
    files.  Inline HTML counts twice: as printed, and with its tags read as spaces."""
    for node in blocks:
        if node.type in _PROSE:
            text, line_at = _prose(node)
            yield text, line_at
            if "<" in text:
                yield _TAGS.sub(lambda m: " " * len(m.group()), text), line_at
            for n in node.walk():
                if n.type in ("link", "image"):
                    target = decode_url(n.attrs.get("href", "") or n.attrs.get("src", ""))
                    yield target, (lambda i, line=n.line: line)
        elif node.type in ("code_block", "html"):
            yield node.text, (lambda i, n=node: n.line + n.text[:i].count("\n"))
        elif node.type == "ordered_list":
            for number, item in enumerate(node.children, node.attrs.get("start", 1)):
                yield f"{number}.", (lambda i, line=item.line: line)
                yield from runs(item.children)
        else:
            yield from runs(node.children)


def _prose(node: Node) -> tuple[str, object]:
    parts: list[str] = []
    starts: list[int] = []
    nodes: list[Node] = []
    length = 0
    for n in node.walk():
        if n.type in ("text", "code", "html_inline"):
            starts.append(length)
            nodes.append(n)
            parts.append(n.text)
            length += len(n.text)
        elif n.type in ("softbreak", "hardbreak"):
            parts.append("\n")   # a line break, so a word hyphenated across it is read whole
            length += 1

    def line_at(i: int) -> int:
        k = bisect.bisect_right(starts, i) - 1
        if k < 0:
            return node.line
        return nodes[k].position(i - starts[k])[0] or node.line

    return "".join(parts), line_at


def find_secrets(texts: Iterable[tuple[str, object]], secrets: list[Secret]) -> list[tuple[Secret, int]]:
    """(secret, line) for every whole-word occurrence of any secret's forms, each line once."""
    hay = Haystack()
    for text, line_at in texts:
        hay.add(text, line_at)
    hay.finish()
    found: dict[tuple[str, int], Secret] = {}
    for secret in secrets:
        for form in secret.forms:
            for at in hay.find_all(form):
                found.setdefault((secret.label, hay.line(at)), secret)
    return [(secret, line) for (_, line), secret in sorted(found.items(), key=lambda kv: kv[0][1])]


def refuse_unmarked(doc: Document, copy: Copy) -> None:
    """Refuse a copy where a secret appears without a mark: in the text (naming its line) or
    in a front-matter value that the templates print (naming that field's line)."""
    if not copy.secrets:
        return
    who = copy.recipient
    tip = f'wrap it in [...]{{withhold="{who.id}"}} or take it out' if who.is_family else "take it out"
    problems = [InputError(f"{secret.label} appears here without a mark, and {who.label} must not see it; {tip}",
                           doc.path, line)
                for secret, line in find_secrets(runs([*copy.blocks, *copy.footnotes.values()]), copy.secrets)]
    fields = printed_fields(copy.meta)
    names = {}
    for name, line, _ in fields:
        names.setdefault(line, name)
    for secret, line in find_secrets([(value, lambda i, line=line: line) for _, line, value in fields], copy.secrets):
        problems.append(InputError(f"{secret.label} is in the front matter ({names[line]}), which is printed on "
                                   f"{who.label}'s copy; take it out of there (the private block is enough)",
                                   doc.path, line))
    if problems:
        raise InputErrors(problems)


def printed_fields(meta: Meta) -> list[tuple[str, int, str]]:
    """(name, line, value) of every front-matter value a template or a generated document prints."""
    lines = meta.lines
    out = [("'title'", lines.get("title", 1), meta.title),
           ("the conference's 'venue'", lines.get("conference.venue", 1), meta.conference.venue),
           ("the conference's 'chair'", lines.get("conference.chair", 1), meta.conference.chair)]
    for key in ("name", "role", "agency"):
        out.append((f"the author's '{key}'", lines.get(f"author.{key}", 1), getattr(meta.author, key)))
    for child in meta.children:
        out += [(f"'name' of {child.id}", lines.get(f"children.{child.id}.name", child.line), child.name),
                (f"'school' of {child.name}", lines.get(f"children.{child.id}.school", child.line), child.school)]
    for person in meta.people:
        out += [(f"'name' of {person.id}", lines.get(f"people.{person.id}.name", person.line), person.name),
                (f"'relationship' of {person.name}", lines.get(f"people.{person.id}.relationship", person.line),
                 person.relationship)]
    for a in meta.attendees + meta.apologies:
        out.append((f"the entry for {a.name}", a.line, f"{a.name} {a.role} {a.agency}"))
    return [(name, line, value) for name, line, value in out if value]
