"""The Word writer: turns the document tree's blocks into real Word content (heading
styles, numbered lists that restart, tables with header rows, quotes, links, footnotes,
page breaks) in place of the template's ``{{ body }}`` paragraph."""
from __future__ import annotations

import io
from html import escape
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from ..document.tree import Node
from ..errors import InputError
from .images import clean_picture

BODY_MARKER = "\u2063confpack-body\u2063"
_BULLETS = ["•", "◦", "▪"]
_NUMBER_FORMATS = [("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}.")]
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_A4_TEXT = 9638      # twips: 17 cm, A4 less 2 cm margins, if the template's section does not say
_NUMBER_ROOM = 2.0   # ems left of where list numbers end: room for "10.", "iii)" or "viii."
_NUMBER_GAP = 0.5    # ems from the end of a list number to its text
_CHAR = 0.6          # ems: a wide average character (Arial, or DejaVu Sans standing in for it)
_BOLD = 1.1          # bold header text is wider
_CELL_PAD = 300      # twips per cell: Word's default cell margins (2 x 108) and some slack
_WHOLE = 24          # characters: a cell this short (a date, a score, a name) stays on one line if it can
_LONG_WORD = 20      # characters: a longer word (a web address) may break rather than widen its column


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
        self._em: int | None = None
        self._width: int | None = None

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
        if num_id is None:  # a second paragraph in the same item: indented like the item's text, no number
            paragraph.paragraph_format.left_indent = Twips(self._indent(ordered, depth)[0])
            paragraph.paragraph_format.first_line_indent = 0

    # -- measures ------------------------------------------------------------------
    def _body_em(self) -> int:
        """The body text's size in twips (the default paragraph style's, else the document default, else 11 pt)."""
        if self._em is None:
            styles = self.doc.styles.element
            sizes = (styles.xpath("./w:style[@w:type='paragraph'][@w:default='1']/w:rPr/w:sz/@w:val")
                     + styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val"))
            self._em = int(sizes[0]) * 10 if sizes and sizes[0].isdigit() else 220
        return self._em

    def _body_width(self) -> int:
        """The body's text width in twips: the page width less the margins, from the last section."""
        if self._width is None:
            section = self.doc.sections[-1]
            width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
            self._width = width // 635 if width > 0 else _A4_TEXT
        return self._width

    def _indent(self, ordered: bool, depth: int) -> tuple[int, int]:
        """(left, hanging) in twips for list level ``depth``; bullets as before.

        Numbers are right-aligned where the hanging indent starts, so "9." and "10." end
        together and their text starts together, a short gap after them; a level's numbers
        end ``_NUMBER_ROOM`` ems after the text of the level above starts (the top level's
        text lines up with a bullet list's)."""
        if not ordered:
            return 720 * (depth + 1), 360
        em = self._body_em()
        gap, step = round(em * _NUMBER_GAP), round(em * (_NUMBER_ROOM + _NUMBER_GAP))
        return 360 + em + gap + step * depth, gap

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
            left, hang = self._indent(kind != "bullet", i)
            if kind == "bullet":
                fmt, text, suffix, jc, tabs = "bullet", _BULLETS[i % 3], "", "left", ""
            else:
                fmt, pattern = _NUMBER_FORMATS[i % 3]
                text, suffix, jc = pattern.format(n=i + 1), '<w:suff w:val="tab"/>', "right"
                tabs = f'<w:tabs><w:tab w:val="num" w:pos="{left}"/></w:tabs>'
            levels.append(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{suffix}<w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="{jc}"/><w:pPr>{tabs}<w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr></w:lvl>')
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
        """A fixed-layout table as wide as the text, its columns sized to their content; rows
        never split across pages and header rows repeat on every page."""
        rows = [row for part in node.children for row in part.children]
        if not rows:
            return
        width = max(len(r.children) for r in rows)
        heads = [bool(row.children and row.children[0].attrs.get("header")) for row in rows]
        columns = [[(_cell_text(row.children[c]), head) for row, head in zip(rows, heads) if c < len(row.children)]
                   for c in range(width)]
        total = self._body_width() if container is None else (container.width or 0) // 635 or self._body_width()
        widths = column_widths(columns, total, self._body_em())
        grid, text = self._style_id("Table Grid"), self._style_id("Table Text")
        p = f'<w:p><w:pPr><w:pStyle w:val="{escape(text)}"/></w:pPr></w:p>' if text else "<w:p/>"
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{p}</w:tc>' for w in widths)
        xml = ([f'<w:tbl {nsdecls("w")}><w:tblPr>', f'<w:tblStyle w:val="{escape(grid)}"/>' if grid else "",
                f'<w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/>',
                '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
                'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
               + [f'<w:gridCol w:w="{w}"/>' for w in widths] + ["</w:tblGrid>"]
               + [f'<w:tr><w:trPr><w:cantSplit/>{"<w:tblHeader/>" if head else ""}</w:trPr>{cells}</w:tr>'
                  for head in heads] + ["</w:tbl>"])
        tbl = parse_xml("".join(xml))
        if container is None:
            self.anchor._p.addprevious(tbl)
            table = Table(tbl, self.anchor._parent)
        else:
            container._tc.append(tbl)
            container._tc.append(_el("w:p"))
            table = Table(tbl, container)
        for tr, row, head in zip(tbl.tr_lst, rows, heads):
            for tc, cell_node in zip(tr.tc_lst, row.children):
                paragraph = Paragraph(tc.p_lst[0], _Cell(tc, table))
                align = cell_node.attrs.get("align")
                if align in ("center", "right"):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.RIGHT
                self._inlines(paragraph, cell_node.children, {"bold": head})

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


def _cell_text(node: Node) -> str:
    """A cell's readable text, its line breaks kept (for measuring)."""
    if node.type == "hardbreak":
        return "\n"
    if node.children:
        return "".join(_cell_text(c) for c in node.children)
    return node.plain_text()


def column_widths(columns: list[list[tuple[str, bool]]], total: int, em: int) -> list[int]:
    """Column widths in twips, summing to ``total``, for columns of (text, is header) cells.

    Every column gets at least its longest word (capped at ``_LONG_WORD`` characters), or,
    when the table has room, its longest short cell whole (a date, a score); the rest of the
    width goes to the columns in proportion to their typical text length, none wider than its
    longest line needs while another column still wraps."""
    def twips(chars: float) -> float:
        return chars * em * _CHAR + _CELL_PAD

    word_min, whole_min, natural, weight = [], [], [], []
    for cells in columns:
        scale = [(_BOLD if head else 1.0, text) for text, head in cells]
        words = [k * min(len(w), _LONG_WORD) for k, text in scale for w in text.split()] or [1.0]
        lines = [k * len(line.strip()) for k, text in scale for line in text.split("\n")] or [1.0]
        word_min.append(twips(max(words)))
        whole_min.append(twips(max([max(words)] + [n for n in lines if n <= _WHOLE])))
        natural.append(twips(max(lines + words)))
        body = [len(text) for text, head in cells if not head] or [len(text) for text, _ in cells] or [1]
        weight.append(max(sum(body) / len(body), 1.0))
    widths = next((list(m) for m in (whole_min, word_min) if sum(m) <= total), None)
    if widths is None:  # too many columns for their longest words: shrink them all alike
        return _whole_twips([w * total / sum(word_min) for w in word_min], total)
    spare = total - sum(widths)
    growing = [i for i, w in enumerate(widths) if w < natural[i]]
    while spare > 1 and growing:
        share = sum(weight[i] for i in growing)
        full = [i for i in growing if widths[i] + spare * weight[i] / share >= natural[i]]
        if not full:
            for i in growing:
                widths[i] += spare * weight[i] / share
            spare = 0
        for i in full:  # these reach their longest line: the others share what is left
            spare -= natural[i] - widths[i]
            widths[i] = natural[i]
        growing = [i for i in growing if i not in full]
    if spare > 1:  # every cell fits on one line: the table still spans the text width
        widths = [w + spare * k / sum(weight) for w, k in zip(widths, weight)]
    return _whole_twips(widths, total)


def _whole_twips(widths: list[float], total: int) -> list[int]:
    """Rounded widths whose sum is exactly ``total`` (the last column takes the rounding)."""
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def _el(tag: str, attrs: dict[str, str] | None = None):
    """A new WordprocessingML element with (prefixed) attributes."""
    element = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        element.set(qn(key), value)
    return element
