"""A recipient's copy as safe HTML for the editor's preview: the template's key facts, then
headings, paragraphs, lists, tables, quotes, links and footnotes.  Every word is escaped.
What the recipient may not see is shown to the author as a marked gap that names the mark
that withheld it, never its words."""
from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from ..document.tree import Document, Node
from ..redact.audience import Viewer
from ..redact.filter import Copy

FACTS = (("Child or children", "child_names"), ("Meeting", "conference_type"), ("Date and time", "when"),
         ("Place", "venue"), ("Chair", "chair"), ("Written by", "author"),
         ("Shared with the family on", "shared_date"))
_SCHEMES = ("http", "https", "mailto")
_BLOCK_TAGS = {"bullet_list": "ul", "list_item": "li", "blockquote": "blockquote", "table": "table", "row": "tr"}
_INLINE_TAGS = {"strong": "strong", "em": "em", "strike": "s"}


def copy_html(doc: Document, copy: Copy, fields: dict[str, str] | None) -> str:
    """The HTML of one recipient's copy of ``doc``; ``fields``: the template's fields for them
    (None for a document without a kind, which has no template)."""
    return _Writer(doc, copy).document(fields)


def withheld(words: str) -> str:
    return f'<span class="withheld">[withheld: {escape(words)}]</span>'


class _Writer:
    def __init__(self, doc: Document, copy: Copy):
        self.copy = copy
        self.viewer = Viewer(doc.meta, copy.recipient)
        self.marked = {(n.line, n.col): n for tree in [doc.root, *doc.footnotes.values()] for n in tree.walk()
                       if "only" in n.attrs or "withhold" in n.attrs or n.type in ("link", "image", "div")}
        levels = [n.attrs["level"] for b in copy.blocks for n in b.walk() if n.type == "heading"]
        self.shift = 3 - min(levels, default=1)     # the preview sits under the page's own <h2>
        self.notes: list[str] = []

    def document(self, fields: dict[str, str] | None) -> str:
        body = self.blocks(self.copy.blocks)
        notes = ""
        for label in list(self.notes):     # a footnote may cite another: the list grows as it is read
            note = self.copy.footnotes.get(label)
            if note is not None:
                notes += f"<li>{self.blocks(note.children)}</li>"
        if notes:
            notes = f'<hr><ol class="footnotes" aria-label="Footnotes">{notes}</ol>'
        return (_facts(fields) if fields else "") + body + notes

    def block(self, node: Node) -> str:
        t = node.type
        if t == "heading":
            level = max(3, min(6, node.attrs["level"] + self.shift))
            return f"<h{level}>{self.inlines(node.children)}</h{level}>"
        if t == "paragraph":
            return f"<p>{self.inlines(node.children)}</p>"
        if t in _BLOCK_TAGS:
            tag = _BLOCK_TAGS[t]
            return f"<{tag}>{self.blocks(node.children)}</{tag}>"
        if t == "ordered_list":
            start = node.attrs.get("start", 1)
            return f"<ol{f' start={start}' if start != 1 else ''}>{self.blocks(node.children)}</ol>"
        if t == "table_part":
            head = all(c.attrs.get("header") for row in node.children for c in row.children)
            tag = "thead" if head else "tbody"
            return f"<{tag}>{self.blocks(node.children)}</{tag}>"
        if t == "cell":
            align = node.attrs.get("align")
            style = f' style="text-align: {align}"' if align in ("left", "right", "center") else ""
            if node.attrs.get("header"):
                return f'<th scope="col"{style}>{self.inlines(node.children)}</th>'
            return f"<td{style}>{self.inlines(node.children)}</td>"
        if t == "code_block":
            return f"<pre><code>{escape(node.text)}</code></pre>"
        if t in ("thematic_break", "page_break"):
            return "<hr>"
        if t == "div":
            return self.blocks(node.children)
        if t == "html":     # printed as the characters the author typed
            return f"<p>{escape(node.text)}</p>"
        return ""

    def blocks(self, nodes: list[Node]) -> str:
        return "".join(self.block(n) for n in nodes)

    def inlines(self, nodes: list[Node]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, node: Node) -> str:
        t = node.type
        if t == "text":
            return self.gap(node) if node.attrs.get("marker") else escape(node.text)
        if t in ("code", "html_inline"):
            return f"<code>{escape(node.text)}</code>" if t == "code" else escape(node.text)
        if t == "softbreak":
            return " "
        if t == "hardbreak":
            return "<br>"
        if t in _INLINE_TAGS:
            tag = _INLINE_TAGS[t]
            return f"<{tag}>{self.inlines(node.children)}</{tag}>"
        if t == "span":
            return self.inlines(node.children)
        if t == "link":
            return _link(self.inlines(node.children), node.attrs.get("href", ""))
        if t == "image":
            alt = node.plain_text().strip()
            return f'<span class="picture">[picture{": " + escape(alt) if alt else ""}]</span>'
        if t == "footnote_ref":
            label = node.attrs.get("label", "")
            if label not in self.notes:
                self.notes.append(label)
            return f"<sup>[{self.notes.index(label) + 1}]</sup>"
        return ""

    def gap(self, marker: Node) -> str:
        """A removal marker: which mark withheld the words there (found at the same place in
        the source), never the words."""
        source = self.marked.get((marker.line, marker.col))
        for node in source.walk() if source is not None else ():
            for key in ("only", "withhold"):
                if key in node.attrs and self.viewer.blocked_by({key: node.attrs[key]}):
                    return withheld(f'{key}="{node.attrs[key]}", line {marker.line}')
        return withheld(f"line {marker.line}")


def _facts(fields: dict[str, str]) -> str:
    values = dict(fields)
    values["when"] = " at ".join(v for v in (fields["conference_date"], fields["conference_time"]) if v)
    values["author"] = ", ".join(v for v in (fields["author_name"], fields["author_role"], fields["author_agency"])
                                 if v)
    rows = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(values[key])}</td></tr>'
                   for label, key in FACTS if values[key])
    caption = f"{fields['title']} ({fields['copy_for']})" if fields["title"] else fields["copy_for"]
    return f'<table class="facts"><caption>{escape(caption)}</caption>{rows}</table>'


def _link(text: str, href: str) -> str:
    """A link a reader can follow only to the web or e-mail; any other address is shown, not linked."""
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme in _SCHEMES:
        return f'<a href="{escape(href)}" rel="noopener noreferrer" target="_blank">{text}</a>'
    return f"{text} ({escape(href)})" if href else text
