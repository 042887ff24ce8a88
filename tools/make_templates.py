"""Build confpack's Word templates: run ``python tools/make_templates.py`` from the repository
(``--out FOLDER`` writes them elsewhere; by default they replace ``templates/*.docx``).

Every template is ordinary Word formatting (named styles, a real header and footer, a plain
table), so a council can open the .docx in Word or LibreOffice and change the logo, fonts,
colours and address block without touching this script. Text in ``{{ name }}`` is filled in
by confpack (docxtpl); the paragraph holding only ``{{ body }}`` is replaced by the report.
"""
from __future__ import annotations

import datetime as dt
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
FONT, LANG = "Arial", "en-GB"
NAVY, GREY = RGBColor(0x1F, 0x38, 0x64), RGBColor(0x40, 0x40, 0x40)  # 12.4:1 and 10.4:1 on white
HEADER_FILL = "D9E2F3"  # pale blue behind the table's header row; navy text on it is 10:1
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
TEXT_WIDTH = Cm(17)  # A4 (21 cm) less two 2 cm margins
HEADER_DISTANCE = Cm(0.8)  # page edge to header and to footer
HEADER_SIZE = 9  # pt: the running header fits two lines between its distance from the edge and the text

# name: (human name for the file's properties, layout, type sizes in pt: body, title, h1, h2, h3)
STANDARD, CHILD, LETTER = (12, 24, 16, 14, 12), (14, 30, 24, 22, 20), (12, 18, 16, 14, 12)
CHILD_LETTER = (16, 28, 22, 20, 18)   # large, clear type for a child to read
TEMPLATES = {
    "agency-report": ("Partner agency report template", "report", STANDARD),
    "social-work-report": ("Social worker's report template", "report", STANDARD),
    "parent-report": ("Parent's report template", "report", STANDARD),
    "child-report": ("Child's report template", "report", CHILD),
    "agenda": ("Conference agenda template", "meeting", STANDARD),
    "minutes": ("Conference minutes template", "meeting", STANDARD),
    "plan": ("Outline child protection plan template", "meeting", STANDARD),
    "letter": ("Post-conference letter template", "letter", LETTER),
    "child-letter": ("Letter to a child after the conference template", "child-letter", CHILD_LETTER),
    "invitation": ("Conference invitation letter template", "letter", LETTER),
    "leaflet": ("Information leaflet template", "meeting", STANDARD),
}

MEETING_ROWS = [
    ("Child or children", ["{{ child_names }}", "{{ child_details }}"]),
    ("Meeting", ["{{ conference_type }}"]),
    ("Date and time", ["{{ conference_date }} at {{ conference_time }}"]),
    ("Place", ["{{ venue }}"]),
    ("Chair", ["{{ chair }}"]),
]
REPORT_ROWS = MEETING_ROWS + [
    ("Written by", ["{{ written_by }}"]),
    ("Shared with the family on", ["{{ shared_date }}"]),
]
LETTER_ROWS = [
    ("Meeting", ["{{ conference_type }}"]),
    ("Date and time", ["{{ conference_date }} at {{ conference_time }}"]),
    ("Place", ["{{ venue }}"]),
    ("Chair", ["{{ chair }}"]),
]


# -- small XML helpers -------------------------------------------------------------------
def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _plain_fonts(rPr) -> None:
    """Arial in every script slot, and no theme fonts (they would override it)."""
    fonts = rPr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)


def _border(pPr, side: str, size: int, space: int) -> None:
    """A single navy border on one side of a paragraph style (size in eighths of a point)."""
    for old in pPr.findall(qn("w:pBdr")):
        pPr.remove(old)
    pBdr = _el("w:pBdr")
    pBdr.append(_el(f"w:{side}", val="single", sz=str(size), space=str(space), color=str(NAVY)))
    pPr.insert_element_before(pBdr, *[f"w:{t}" for t in (
        "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
        "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
        "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
        "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")])


# -- styles ------------------------------------------------------------------------------
def _style(doc, name: str, *, size=None, bold=None, italic=None, color=None, before=None, after=None,
           align=None, left=None, tabs=None):
    """Get (or add, based on Normal) a paragraph style and give it plain, explicit formatting.

    The style's old character formatting (theme fonts and colours) is dropped, so fonts come
    from Normal: change Normal's font once and every style follows."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style, style.quick_style = doc.styles["Normal"], True
    if name != "Normal" and style.element.rPr is not None:
        style.element.remove(style.element.rPr)
    font, fmt = style.font, style.paragraph_format
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if align is not None:
        fmt.alignment = align
    if left is not None:
        fmt.left_indent = left
    if tabs is not None:
        fmt.tab_stops.clear_all()
        for position, alignment in tabs:
            fmt.tab_stops.add_tab_stop(position, alignment)
    _sync_linked_character_style(doc, style)
    return style


def _sync_linked_character_style(doc, style) -> None:
    """Word pairs "Heading 1" with "Heading 1 Char"; keep the pair looking the same."""
    link = style.element.find(qn("w:link"))
    if link is None:
        return
    for other in doc.styles.element.findall(qn("w:style")):
        if other.get(qn("w:styleId")) == link.get(qn("w:val")):
            if other.rPr is not None:
                other.remove(other.rPr)
            if style.element.rPr is not None:
                other.append(deepcopy(style.element.rPr))


def set_up_styles(doc, sizes) -> None:
    body, title, h1, h2, h3 = sizes
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _plain_fonts(rPr)
    for tag in ("w:sz", "w:szCs"):
        rPr.find(qn(tag)).set(qn("w:val"), str(body * 2))
    lang = rPr.find(qn("w:lang"))
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")  # 6 pt
    spacing.set(qn("w:line"), "276")  # 1.15 lines

    normal = _style(doc, "Normal", size=body, after=6)
    _plain_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.line_spacing = 1.15

    _style(doc, "Title", size=title, bold=True, color=NAVY, before=0, after=12)
    _border(doc.styles["Title"].element.get_or_add_pPr(), "bottom", 12, 4)
    _style(doc, "Heading 1", size=h1, bold=True, color=NAVY, before=18, after=6)
    _style(doc, "Heading 2", size=h2, bold=True, color=NAVY, before=14, after=6)
    _style(doc, "Heading 3", size=h3, bold=True, color=NAVY, before=12, after=4)
    quote = _style(doc, "Quote", italic=True, before=6, after=6, left=Cm(0.6))
    _border(quote.element.get_or_add_pPr(), "left", 24, 8)
    for name in ("List Bullet", "List Number"):
        _style(doc, name, after=3)
    edge = [(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)]  # the page number at the right margin
    # The running header: small, single-spaced, one paragraph kept whole, "for whom" at the right margin.
    header = _style(doc, "Header", size=HEADER_SIZE, color=GREY, before=0, after=6,
                    tabs=[(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)])
    header.paragraph_format.keep_together = True
    header.paragraph_format.line_spacing = 1.0
    # Page numbers in the body's font and size (the font comes from Normal, the size is the body's).
    footer = _style(doc, "Footer", size=body, color=GREY, before=0, after=0, tabs=edge)
    footer.paragraph_format.line_spacing = 1.0
    _style(doc, "Table Text", before=3, after=3)  # paragraphs inside tables (confpack's writer uses it too)
    doc.styles["Table Text"].paragraph_format.line_spacing = 1.0


def set_up_letter_styles(doc) -> None:
    _style(doc, "Sender Address", bold=True, color=NAVY, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Sender Address Line", color=GREY, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Recipient Address", after=0)
    _style(doc, "Signature", after=0)


# -- page, header and footer -------------------------------------------------------------
def set_up_page(doc, child: bool = False) -> None:
    """A4 with 2 cm margins, the running header and "Page N of M" in the footer.  A child's
    letter has no running header (it is a letter to them, not a case file) and a kinder
    footer line."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Cm(2))
    section.header_distance = section.footer_distance = HEADER_DISTANCE

    # Long names wrap onto a second line, which still ends above the text; whose copy it is
    # sits at the right margin (a tab to the right tab stop), after the names.
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    if not child:
        header.add_run("{{ child_names }} · {{ conference_type }}\t{{ copy_for }}")

    page = section.footer.paragraphs[0]   # the council's name on every page, the page number at the right
    page.style = doc.styles["Footer"]
    page.add_run("{{ council_name }}\tPage ")
    _field(page, "PAGE")
    page.add_run(" of ")
    _field(page, "NUMPAGES")
    section.footer.add_paragraph("This letter is for you. Keep it somewhere safe." if child else
                                 "Confidential: please keep this safe and do not share it.", style="Footer")


def _field(paragraph, code: str) -> None:
    """A complex Word field (PAGE, NUMPAGES) that Word and LibreOffice update themselves: begin,
    instruction, separate, a placeholder result, end.  Its runs have no formatting of their own,
    so they look like the rest of the paragraph (the Footer style) and follow it when rebranded."""
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))


# -- the first-page table ----------------------------------------------------------------
def facts_table(doc, heading: str, rows, description: str, label_width=Cm(6)) -> None:
    """A two-column table: a repeating header row, bold labels, values in the second column."""
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = (label_width, TEXT_WIDTH - label_width)
    for index, (label, values) in enumerate([(heading, ["Details"])] + rows):
        row = table.add_row()
        trPr = row._tr.get_or_add_trPr()
        trPr.append(_el("w:cantSplit"))
        if index == 0:
            trPr.append(_el("w:tblHeader"))
        for column, (cell, texts, width) in enumerate(zip(row.cells, ([label], values), widths)):
            cell.width = width
            for n, text in enumerate(texts):
                paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                paragraph.style = doc.styles["Table Text"]
                run = paragraph.add_run(text)  # one run per paragraph keeps {{ tags }} whole
                run.bold = True if index == 0 or column == 0 else None
            if index == 0:
                cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", color="auto", fill=HEADER_FILL))
    for column, width in zip(table.columns, widths):
        column.width = width
    tblPr = table._tbl.tblPr
    look = tblPr.find(qn("w:tblLook"))
    if look is None:
        look = _el("w:tblLook")
        tblPr.append(look)
    for key, value in dict(val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0",
                           noHBand="1", noVBand="1").items():
        look.set(qn(f"w:{key}"), value)
    tblPr.append(_el("w:tblCaption", val=heading))
    tblPr.append(_el("w:tblDescription", val=description))


# -- the documents -----------------------------------------------------------------------
def build(name: str, out: Path = TEMPLATES_DIR) -> Path:
    human, layout, sizes = TEMPLATES[name]
    doc = Document()
    doc._body.clear_content()
    set_up_styles(doc, sizes)
    set_up_page(doc, child=layout == "child-letter")

    if layout == "child-letter":   # warm and plain: no address block, no table, first name only
        set_up_letter_styles(doc)
        doc.add_paragraph("{{ council_name }}", style="Sender Address")
        doc.add_paragraph("{{ letter_date }}", style="Normal").paragraph_format.space_before = Pt(12)
        doc.add_paragraph("{{ title }}", style="Title")
        doc.add_paragraph("Dear {{ salutation }},", style="Normal").paragraph_format.space_before = Pt(6)
        doc.add_paragraph("{{ body }}", style="Normal")
        doc.add_paragraph("From {{ author_name }}", style="Normal").paragraph_format.space_before = Pt(12)
        doc.add_paragraph("who chaired the meeting", style="Signature")
    elif layout == "letter":
        set_up_letter_styles(doc)
        doc.add_paragraph("{{ council_name }}", style="Sender Address")
        doc.add_paragraph("{{ council_address }}", style="Sender Address Line")
        doc.add_paragraph("{{ recipient_name }}", style="Recipient Address").paragraph_format.space_before = Pt(24)
        doc.add_paragraph("{{ recipient_address }}", style="Recipient Address")
        doc.add_paragraph("{{ letter_date }}", style="Normal").paragraph_format.space_before = Pt(18)
        doc.add_paragraph("{{ title }}", style="Title")
        facts_table(doc, "About the meeting", LETTER_ROWS,
                    "The meeting this letter is about: what kind of meeting, its date and time, "
                    "where it is and who chairs it.")
        doc.add_paragraph("Dear {{ salutation }},", style="Normal").paragraph_format.space_before = Pt(12)
        doc.add_paragraph("{{ body }}", style="Normal")
        doc.add_paragraph("Yours sincerely,", style="Normal").paragraph_format.space_before = Pt(12)
        for text in ("{{ author_name }}", "{{ author_role }}", "{{ author_agency }}"):
            doc.add_paragraph(text, style="Signature")
    else:
        doc.add_paragraph("{{ title }}", style="Title")
        rows = REPORT_ROWS if layout == "report" else MEETING_ROWS
        facts_table(doc, "About this report" if layout == "report" else "About the meeting", rows,
                    "Key facts about the meeting: the child or children, the kind of meeting, its date and "
                    "time, where it is and who chairs it"
                    + (", and who wrote this report and when it was shared with the family." if layout == "report"
                       else "."), label_width=Cm(sizes[0] / 2))
        doc.add_paragraph("{{ body }}", style="Normal")

    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.language = human, "confpack", "confpack", LANG
    props.subject = "Child protection conference"
    props.comments = ("confpack template. Words in double curly brackets are filled in by confpack; "
                      "keep them as they are. Change styles, logo and address freely.")
    props.keywords, props.category, props.revision = "", "", 1
    props.created = props.modified = dt.datetime(2026, 1, 1)
    _tidy_package(doc)
    path = out / f"{name}.docx"
    doc.save(str(path))
    return path


def _tidy_package(doc) -> None:
    """British English for theme fonts too; drop python-docx's stale preview picture and its
    Word 2010 copy of the old styles, so styles.xml is the only place styles live."""
    settings = doc.settings.element.find(qn("w:themeFontLang"))
    if settings is not None:
        settings.set(qn("w:val"), LANG)
    for rels, kind in ((doc.part.package.rels, RT.THUMBNAIL), (doc.part.rels, STYLES_WITH_EFFECTS)):
        for rId in [rId for rId, rel in rels.items() if rel.reltype == kind]:
            rels.pop(rId)
    _prune_styles(doc)


# Styles confpack writes with, kept even when the empty template does not use them yet.
WRITER_STYLES = {"Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet",
                 "List Number", "Table Grid", "Header", "Footer", "Table Text", "Hyperlink", "Footnote Text",
                 "Footnote Reference", "Sender Address", "Sender Address Line", "Recipient Address", "Signature"}


def _prune_styles(doc) -> None:
    """Keep only the styles a template uses or confpack writes with (and the styles they are
    based on): python-docx's default styles.xml is 350 KB, which slows every render."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    wanted = {n.lower() for n in WRITER_STYLES}
    used = {style_id for style_id, s in by_id.items()
            if s.get(qn("w:default")) == "1" or s.find(qn("w:name")).get(qn("w:val")).lower() in wanted}
    parts = [doc.element] + [s.header._element for s in doc.sections] + [s.footer._element for s in doc.sections]
    for part in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used |= {e.get(qn("w:val")) for e in part.iter(qn(tag))}
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in used:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATES_DIR, help="folder for the templates")
    folder = parser.parse_args().out
    folder.mkdir(parents=True, exist_ok=True)
    for template in TEMPLATES:
        print(build(template, folder))
