"""The Word writer: turns the document tree's blocks into real Word content (heading
styles, numbered lists that restart, tables with header rows, quotes, links, footnotes,
page breaks) in place of the template's ``{{ body }}`` paragraph."""
from __future__ import annotations

import io
from pathlib import Path

from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ..document.tree import Node
from ..errors import InputError
from .images import clean_picture

BODY_MARKER = "\u2063confpack-body\u2063"
_BULLETS = ["•", "◦", "▪"]
_NUMBER_FORMATS = [("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}.")]
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class WordWriter:
    """Writes blocks into a python-docx Document before a marker paragraph."""

    def __init__(self, document, footnotes: dict[str, Node], base_dir: Path):
        self.doc = document
        self.footnote_defs = footnotes
        self.base_dir = base_dir
        self.anchor = self._find_marker()
        self.heading_shift = 0
        self._bullet_num: int | None = None
        self._abstract: dict[str, int] = {}
        self._footnote_ids: dict[str, int] = {}
        self._footnotes_el = None
        self._style_ids: dict[str, str | None] = {}

    # -- entry point ---------------------------------------------------------------
    def write(self, blocks: list[Node]) -> None:
        levels = [n.attrs["level"] for b in blocks for n in b.walk() if n.type == "heading"]
        self.heading_shift = min(levels) - 1 if levels else 0
        for block in blocks:
            self._block(block, container=None)
        self.anchor._p.getparent().remove(self.anchor._p)

    def _find_marker(self) -> Paragraph:
        for paragraph in self.doc.paragraphs:
            if BODY_MARKER in paragraph.text:
                return paragraph
        raise InputError("the template has no paragraph holding only {{ body }}; add one where the report text goes")

    # -- blocks --------------------------------------------------------------------
    def _new_paragraph(self, style: str | None, container=None) -> Paragraph:
        if container is not None:  # a table cell
            paragraph = container.add_paragraph()
        else:
            paragraph = self.anchor.insert_paragraph_before()
        if style:
            self._set_style(paragraph, style)
        return paragraph

    def _style_id(self, name: str) -> str | None:
        """The template's id for a style name (looked up once: python-docx's lookup is slow)."""
        if name not in self._style_ids:
            style = next((s for s in self.doc.styles if s.name == name), None)
            self._style_ids[name] = style.style_id if style is not None else None
        return self._style_ids[name]

    def _set_style(self, paragraph: Paragraph, name: str) -> None:
        style_id = self._style_id(name)
        if style_id:
            paragraph._p.get_or_add_pPr().style = style_id

    def _block(self, node: Node, container, quote: bool = False, list_ctx=None) -> None:
        t = node.type
        if t == "heading":
            level = min(max(node.attrs["level"] - self.heading_shift, 1), 3)
            self._inlines(self._new_paragraph(f"Heading {level}", container), node.children)
        elif t == "paragraph":
            paragraph = self._new_paragraph("Quote" if quote else None, container)
            if list_ctx is not None:
                self._list_format(paragraph, *list_ctx)
            self._inlines(paragraph, node.children)
        elif t in ("bullet_list", "ordered_list"):
            self._list(node, container, quote, depth=list_ctx[2] + 1 if list_ctx else 0)
        elif t == "blockquote":
            for child in node.children:
                self._block(child, container, quote=True, list_ctx=list_ctx)
        elif t == "table":
            self._table(node, container)
        elif t == "code_block":
            for line in node.text.rstrip("\n").split("\n"):
                run = self._new_paragraph(None, container).add_run(line)
                run.font.name = "Courier New"
        elif t == "thematic_break":
            paragraph = self._new_paragraph(None, container)
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="404040"/></w:pBdr>'))
        elif t == "page_break":
            self._new_paragraph(None, container).add_run().add_break(WD_BREAK.PAGE)
        elif t == "div":
            for child in node.children:
                self._block(child, container, quote, list_ctx)
        elif t == "html":  # not interpreted: shown as the characters the author typed
            for line in node.text.rstrip("\n").split("\n"):
                self._run(self._new_paragraph(None, container), line, {})
        # comments are notes for authors: they never reach any output

    def _list(self, node: Node, container, quote: bool, depth: int) -> None:
        ordered = node.type == "ordered_list"
        num_id = self._ordered_num(depth, node.attrs.get("start", 1)) if ordered else self._bullet()
        for item in node.children:
            first = True
            for child in item.children:
                if child.type == "paragraph":
                    ctx = (num_id if first else None, ordered, depth)
                    self._block(child, container, quote, list_ctx=ctx)
                    first = False
                else:
                    self._block(child, container, quote, list_ctx=(None, ordered, depth))

    def _list_format(self, paragraph: Paragraph, num_id: int | None, ordered: bool, depth: int) -> None:
        self._set_style(paragraph, "List Number" if ordered else "List Bullet")
        pPr = paragraph._p.get_or_add_pPr()
        num_pr = _el("w:numPr")
        num_pr.append(_el("w:ilvl", {"w:val": str(depth if num_id is not None else 0)}))
        num_pr.append(_el("w:numId", {"w:val": str(num_id if num_id is not None else 0)}))
        pPr.insert(1 if pPr.pStyle is not None else 0, num_pr)
        if num_id is None:  # a second paragraph in the same item: indented, no number
            paragraph.paragraph_format.left_indent = Pt(36 * (depth + 1))

    # -- numbering -----------------------------------------------------------------
    def _abstract_num(self, kind: str) -> int:
        if kind in self._abstract:
            return self._abstract[kind]
        numbering = self.doc.part.numbering_part.element
        name = f"confpack-{kind}"
        for abstract in numbering.findall(qn("w:abstractNum")):
            label = abstract.find(qn("w:name"))
            if label is not None and label.get(qn("w:val")) == name:
                self._abstract[kind] = int(abstract.get(qn("w:abstractNumId")))
                return self._abstract[kind]
        ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        new_id = max(ids, default=0) + 1
        levels = []
        for i in range(9):
            indent = 720 * (i + 1)
            if kind == "bullet":
                fmt, text = "bullet", _BULLETS[i % 3]
            else:
                fmt, pattern = _NUMBER_FORMATS[i % 3]
                text = pattern.format(n=i + 1)
            levels.append(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>')
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_id}">'
                             f'<w:multiLevelType w:val="hybridMultilevel"/><w:name w:val="{name}"/>'
                             + "".join(levels) + "</w:abstractNum>")
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        self._abstract[kind] = new_id
        return new_id

    def _bullet(self) -> int:
        if self._bullet_num is None:
            self._bullet_num = self.doc.part.numbering_part.element.add_num(self._abstract_num("bullet")).numId
        return self._bullet_num

    def _ordered_num(self, depth: int, start: int) -> int:
        """A fresh numbering instance, so every ordered list restarts at its own start."""
        num = self.doc.part.numbering_part.element.add_num(self._abstract_num("number"))
        num.append(parse_xml(f'<w:lvlOverride {nsdecls("w")} w:ilvl="{depth}">'
                             f'<w:startOverride w:val="{start}"/></w:lvlOverride>'))
        return num.numId

    # -- tables --------------------------------------------------------------------
    def _table(self, node: Node, container) -> None:
        rows = [row for part in node.children for row in part.children]
        if not rows:
            return
        width = max(len(r.children) for r in rows)
        host = container if container is not None else self.doc
        table = host.add_table(rows=len(rows), cols=width)
        grid = self._style_id("Table Grid")
        if grid:
            table._tbl.tblPr.append(parse_xml(f'<w:tblStyle {nsdecls("w")} w:val="{grid}"/>'))
        if container is None:
            self.anchor._p.addprevious(table._tbl)
        for r, row in enumerate(rows):
            header = bool(row.children and row.children[0].attrs.get("header"))
            if header:
                trPr = table.rows[r]._tr.get_or_add_trPr()
                trPr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
            for c, cell_node in enumerate(row.children):
                cell = table.cell(r, c)
                paragraph = cell.paragraphs[0]
                align = cell_node.attrs.get("align")
                if align in ("center", "right"):
                    paragraph.alignment = {"center": 1, "right": 2}[align]
                self._inlines(paragraph, cell_node.children, {"bold": header})

    # -- inlines -------------------------------------------------------------------
    def _inlines(self, paragraph: Paragraph, nodes: list[Node], fmt: dict | None = None) -> None:
        fmt = fmt or {}
        for node in nodes:
            t = node.type
            if t == "text":
                self._run(paragraph, node.text, fmt)
            elif t == "code":
                self._run(paragraph, node.text, {**fmt, "code": True})
            elif t == "softbreak":
                self._run(paragraph, " ", fmt)
            elif t == "hardbreak":
                paragraph.add_run().add_break()
            elif t in ("strong", "em", "strike"):
                key = {"strong": "bold", "em": "italic", "strike": "strike"}[t]
                self._inlines(paragraph, node.children, {**fmt, key: True})
            elif t == "span":
                self._inlines(paragraph, node.children, fmt)
            elif t == "link":
                self._link(paragraph, node, fmt)
            elif t == "image":
                self._image(paragraph, node)
            elif t == "footnote_ref":
                self._footnote_ref(paragraph, node)
            elif t == "html_inline":  # "<said>" is text to a reader, not markup
                self._run(paragraph, node.text, fmt)

    @staticmethod
    def _run(paragraph: Paragraph, text: str, fmt: dict) -> None:
        """Append a run built directly in XML (python-docx's run.text handles text a character at a time)."""
        r = _el("w:r")
        props = []
        if fmt.get("code"):
            props.append(_el("w:rFonts", {"w:ascii": "Courier New", "w:hAnsi": "Courier New"}))
        if fmt.get("bold"):
            props.append(_el("w:b"))
        if fmt.get("italic"):
            props.append(_el("w:i"))
        if fmt.get("strike"):
            props.append(_el("w:strike"))
        if fmt.get("link"):
            props += [_el("w:color", {"w:val": "0563C1"}), _el("w:u", {"w:val": "single"})]
        if props:
            rpr = _el("w:rPr")
            rpr.extend(props)
            r.append(rpr)
        t = _el("w:t", {"xml:space": "preserve"})
        t.text = text
        r.append(t)
        paragraph._p.append(r)

    def _link(self, paragraph: Paragraph, node: Node, fmt: dict) -> None:
        href = node.attrs.get("href", "")
        start = len(paragraph._p)
        self._inlines(paragraph, node.children, {**fmt, "link": True})
        runs = list(paragraph._p)[start:]
        if not href or href.startswith("#"):
            return
        r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
        link = parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}" w:history="1"/>')
        for run in runs:
            link.append(run)
        paragraph._p.append(link)

    def _image(self, paragraph: Paragraph, node: Node) -> None:
        src = node.attrs.get("src", "")
        alt = node.plain_text()
        path = (self.base_dir / src).resolve() if src and "://" not in src else None
        if path is not None and not path.is_relative_to(self.base_dir.resolve()):
            raise InputError(f"image '{src}' is outside the report's folder; copy the picture next to the report "
                             "and name it from there", line=node.line)
        if path is None or not path.is_file():
            raise InputError(f"image '{src}' not found next to the report; put the file there or remove the image",
                             line=node.line)
        picture = clean_picture(path.read_bytes(), src, node.line)
        shape = paragraph.add_run().add_picture(io.BytesIO(picture))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt)

    # -- footnotes -----------------------------------------------------------------
    def _footnotes(self):
        if self._footnotes_el is None:
            part = self.doc.part
            for rel in part.rels.values():
                if rel.reltype == RT.FOOTNOTES:
                    self._footnotes_el = rel.target_part.element
                    break
            else:
                xml = (f'<w:footnotes {nsdecls("w")}>'
                       '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                       '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                       '</w:r></w:p></w:footnote></w:footnotes>')
                fpart = XmlPart(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, parse_xml(xml), part.package)
                part.relate_to(fpart, RT.FOOTNOTES)
                self._footnotes_el = fpart.element
        return self._footnotes_el

    def _footnote_ref(self, paragraph: Paragraph, node: Node) -> None:
        label = node.attrs.get("label", "")
        if label not in self.footnote_defs:
            raise InputError(f"footnote [^{label}] has no text; add a line '[^{label}]: …'", line=node.line)
        if paragraph._p.getparent() is not None and paragraph._p.getparent().tag == qn("w:footnote"):
            # Word has no footnotes inside footnotes: the inner note's text goes in brackets
            self._run(paragraph, " (", {})
            for block in (b for b in self.footnote_defs[label].children if b.type == "paragraph"):
                self._inlines(paragraph, block.children)
            self._run(paragraph, ")", {})
            return
        notes = self._footnotes()
        if label not in self._footnote_ids:
            ids = [int(f.get(qn("w:id"))) for f in notes.findall(qn("w:footnote"))]
            fid = max(ids + [0]) + 1
            self._footnote_ids[label] = fid
            footnote = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{fid}"/>')
            notes.append(footnote)
            for i, block in enumerate(b for b in self.footnote_defs[label].children if b.type == "paragraph"):
                p = parse_xml(f'<w:p {nsdecls("w")}/>')
                footnote.append(p)
                fp = Paragraph(p, paragraph._parent)
                if i == 0:
                    mark = fp.add_run()
                    mark._r.append(parse_xml(f'<w:footnoteRef {nsdecls("w")}/>'))
                    mark.font.superscript = True
                    fp.add_run(" ")
                self._inlines(fp, block.children)
        run = paragraph.add_run()
        run.font.superscript = True
        run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{self._footnote_ids[label]}"/>'))


def _el(tag: str, attrs: dict[str, str] | None = None):
    """A new WordprocessingML element with (prefixed) attributes."""
    element = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        element.set(qn(key), value)
    return element
