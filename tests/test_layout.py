"""Layout of the Word documents, checked in the DOCX XML and, where it is about what a reader
sees, in LibreOffice's PDF: table columns sized to their content, rows that do not split,
numbers that stay aligned past 9, page numbers as real fields in the body's font, and a
running header that keeps clear of the text however long the children's names are."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import FRONT, ROOT, SAMPLES, dedent, run
from lxml import etree

from pipeline.render.templates import check_template
from pipeline.render.word import column_widths

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATES = sorted((ROOT / "templates").glob("*.docx"))
LONG_NAMES = ("Alexandria-Marguerite Fitzwilliam-Montgomery", "Bartholomew Fitzwilliam-Montgomery")

LAYOUT = FRONT + dedent("""

    # A plan with many steps

    1. Step one.
    2. Step two.
    3. Step three.
    4. Step four.
    5. Step five.
    6. Step six.
    7. Step seven.
    8. Step eight.
    9. Step nine.
    10. Step ten.
    11. Step eleven.
    12. Step twelve.
        1. Part one of step twelve.
        2. Part two of step twelve.

        More about step twelve.

    - A bullet
      - A nested bullet

    | Why | Score | By when |
    |---|---|---|
    | Jamie needs a safe adult to talk to at school every day, and his tutor can see him at the start and end of each day. | 5 | 11 December 2026 |
    | Ellie keeps her nursery place, her key worker and the routine she knows. | 4 | 7 January 2027 |
    | Sam has at least four people who know the safety plan and what to do if Dale comes to the flat. | 5 | 18 December 2026 |
    """)


def w(tag: str) -> str:
    return W + tag


def val(element, attr: str = "val") -> str | None:
    return None if element is None else element.get(w(attr))


def part(docx: Path, name: str):
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def parts(docx: Path, prefix: str) -> list:
    with zipfile.ZipFile(docx) as z:
        return [etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if n.startswith(prefix)]


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def text_width(document) -> int:
    """Page width less the margins, in twips, from the body's section."""
    sect = document.find(f"{w('body')}/{w('sectPr')}")
    margins = sect.find(w("pgMar"))
    return int(val(sect.find(w("pgSz")), "w")) - int(val(margins, "left")) - int(val(margins, "right"))


def body_size(docx: Path) -> int:
    """The body text's size in half-points (Normal's, else the document default)."""
    styles = part(docx, "word/styles.xml")
    normal = styles.find(f"{w('style')}[@{w('styleId')}='Normal']")
    size = normal.find(f"{w('rPr')}/{w('sz')}")
    if size is None:
        size = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('sz')}")
    return int(val(size))


def style(docx: Path, style_id: str):
    return part(docx, "word/styles.xml").find(f"{w('style')}[@{w('styleId')}='{style_id}']")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """A report with long lists and a table, and the school report with very long names."""
    folder = tmp_path_factory.mktemp("layout-sources")
    (folder / "layout.md").write_text(LAYOUT, encoding="utf-8")
    school = (SAMPLES / "initial-conference" / "school-report.md").read_text(encoding="utf-8")
    school = school.replace("name: Jamie Taylor", f"name: {LONG_NAMES[0]}", 1)
    school = school.replace("name: Ellie Taylor", f"name: {LONG_NAMES[1]}", 1)
    (folder / "long-names.md").write_text(school, encoding="utf-8")
    return folder


def _render(sources: Path, out: Path, *extra: str) -> dict[str, Path]:
    res = run("render", str(sources), "--for", "professionals", "--out", str(out), *extra)
    assert res.returncode == 0, res.stderr
    return {"layout": next(out.glob("jamie-taylor_*.docx")), "long": next(out.glob("alexandria-*.docx"))}


@pytest.fixture(scope="module")
def docx(sources, tmp_path_factory) -> dict[str, Path]:
    return _render(sources, tmp_path_factory.mktemp("layout-docx"))


@pytest.fixture(scope="module")
def pdf(sources, tmp_path_factory) -> dict[str, Path]:
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler's pdftotext for word positions")
    made = _render(sources, tmp_path_factory.mktemp("layout-pdf"), "--pdf")
    return {key: path.with_suffix(".pdf") for key, path in made.items()}


# -- tables ---------------------------------------------------------------------------------
def table_starting(document, first_cell: str):
    return next(t for t in document.iter(w("tbl")) if text_of(t.find(f"{w('tr')}/{w('tc')}")) == first_cell)


def test_table_columns_are_sized_to_their_content_and_span_the_text_width(docx):
    document = part(docx["layout"], "word/document.xml")
    width = text_width(document)
    table = table_starting(document, "Why")
    props = table.find(w("tblPr"))
    assert val(props.find(w("tblLayout")), "type") == "fixed"
    assert (val(props.find(w("tblW")), "type"), val(props.find(w("tblW")), "w")) == ("dxa", str(width))
    grid = [int(val(c, "w")) for c in table.iter(w("gridCol"))]
    assert sum(grid) == width
    for row in table.iter(w("tr")):
        assert [int(val(c.find(f"{w('tcPr')}/{w('tcW')}"), "w")) for c in row.iter(w("tc"))] == grid
    why, score, when = grid
    em = body_size(docx["layout"]) * 10  # twips
    assert score < when < why
    assert score <= 0.15 * width, "a column of single digits stays narrow"
    assert score >= 5 * 0.6 * em, "but it still holds its header word, 'Score'"
    assert when >= 16 * 0.55 * em, "a date such as '11 December 2026' fits on one line"
    assert why >= 0.5 * width, "the long text gets most of the width"


def test_column_widths_always_fill_the_width():
    long_text = "Jamie needs a safe adult to talk to at school every day, " * 3
    cases = {
        "short and long": [[("Score", True), ("5", False)], [("Why", True), (long_text, False)]],
        "everything fits on one line": [[("Who", True), ("You", False)], [("When", True), ("Monday", False)]],
        "too many columns": [[(f"Heading{i}", True), ("Extraordinarily-long-word", False)] for i in range(14)],
        "empty cells": [[("", True), ("", False)], [("", True), ("", False)]],
    }
    for name, columns in cases.items():
        widths = column_widths(columns, 9638, 240)
        assert sum(widths) == 9638 and min(widths) > 0, (name, widths)
    short, long_ = column_widths(cases["short and long"], 9638, 240)
    assert short < 0.15 * 9638 < long_
    narrow, wide = column_widths([[("a", False)] * 3, [("b", False), ("a much longer cell of text", False)]], 9638, 240)
    assert narrow < wide, "the rest is shared by typical text length"


def test_rows_never_split_across_pages_and_header_rows_repeat(docx):
    document = part(docx["layout"], "word/document.xml")
    tables = list(document.iter(w("tbl")))
    assert len(tables) == 2  # the template's facts table and the report's
    for table in tables:
        rows = list(table.iter(w("tr")))
        for i, row in enumerate(rows):
            props = row.find(w("trPr"))
            assert props is not None and props.find(w("cantSplit")) is not None, i
            assert (props.find(w("tblHeader")) is not None) == (i == 0), i


# -- lists ----------------------------------------------------------------------------------
def abstract_levels(docx: Path, name: str) -> list[tuple[int, int, str | None, str | None]]:
    """(left, hanging, suffix, justification) of each level of the writer's abstract numbering ``name``."""
    numbering = part(docx, "word/numbering.xml")
    abstract = next(a for a in numbering.iter(w("abstractNum")) if val(a.find(w("name"))) == name)
    levels = []
    for lvl in abstract.iter(w("lvl")):
        ind = lvl.find(f"{w('pPr')}/{w('ind')}")
        levels.append((int(val(ind, "left")), int(val(ind, "hanging")), val(lvl.find(w("suff"))),
                       val(lvl.find(w("lvlJc")))))
    return levels


def test_numbered_levels_leave_room_for_two_digits_at_every_depth(docx):
    """Numbers are right-aligned where the hanging indent starts: "9." and "10." end together,
    their text starts together after a short tab, and wide numbers have room on the left."""
    em = body_size(docx["layout"]) * 10
    numbers = abstract_levels(docx["layout"], "confpack-number")
    assert len(numbers) == 9
    for depth, (left, hanging, suffix, jc) in enumerate(numbers):
        assert (jc, suffix) == ("right", "tab")
        assert 0.3 * em <= hanging < em, "a visible gap, small enough that PDF text keeps '1.' with its item"
        number_end = left - hanging
        room = number_end - (numbers[depth - 1][0] if depth else 0)
        assert room >= 1.7 * em, "'10.' (about 1.6 ems) fits left of where the numbers end"
    bullets = abstract_levels(docx["layout"], "confpack-bullet")
    assert [(left, hanging, jc) for left, hanging, _, jc in bullets] == [(720 * (i + 1), 360, "left")
                                                                          for i in range(9)]
    assert numbers[0][0] == bullets[0][0], "top-level numbered and bulleted text line up"
    document = part(docx["layout"], "word/document.xml")
    more = next(p for p in document.iter(w("p")) if text_of(p) == "More about step twelve.")
    assert int(val(more.find(f"{w('pPr')}/{w('ind')}"), "left")) == numbers[0][0], "a second paragraph lines up"


def pdf_lines(pdf: Path, page: int) -> list[tuple[float, float, float, float, list[tuple[float, float, str]]]]:
    """The lines of one page as (x_min, y_min, x_max, y_max, [(x_min, x_max, word)]), top to bottom."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout

    def box(attrs: str) -> dict[str, float]:
        return {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', attrs)}

    lines = []
    for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", out, re.S):
        b = box(attrs)
        words = [(box(a)["xMin"], box(a)["xMax"], html.unescape(t))
                 for a, t in re.findall(r"<word ([^>]*)>(.*?)</word>", body, re.S)]
        lines.append((b["xMin"], b["yMin"], b["xMax"], b["yMax"], words))
    return sorted(lines, key=lambda line: (line[1], line[0]))


def words_of(line) -> list[str]:
    return [word[2] for word in line[4]]


@pytest.mark.libreoffice
def test_items_ten_to_twelve_line_up_with_one_to_nine_in_the_pdf(pdf):
    rows: dict[tuple[int, int], list[tuple[float, float, str]]] = {}  # the words on each printed line
    for page in (1, 2):
        for _, y_min, _, _, words in pdf_lines(pdf["layout"], page):
            rows.setdefault((page, round(y_min)), []).extend(words)
    lines = [sorted(words) for _, words in sorted(rows.items())]
    steps = [words for words in lines if len(words) >= 2 and words[1][2] == "Step"]
    assert [words[0][2] for words in steps] == [f"{n}." for n in range(1, 13)]
    assert max(w[0][1] for w in steps) - min(w[0][1] for w in steps) < 0.5, "'9.' and '10.' end together"
    assert max(w[1][0] for w in steps) - min(w[1][0] for w in steps) < 0.5, "text after 1. to 12. starts together"
    part_one = next(words for words in lines if words[0][2] == "a)")
    assert part_one[0][0] > steps[0][1][0], "the nested 'a)' is indented past the text of its item"
    bullet = next(words for words in lines if words[-2:] and [w[2] for w in words[-2:]] == ["A", "bullet"])
    assert abs(bullet[-2][0] - steps[0][1][0]) < 0.5, "numbered and bulleted text line up"


# -- footer ---------------------------------------------------------------------------------
def field_sequence(paragraph) -> list[str]:
    """The paragraph's runs as field markers and text: 'begin', 'instr PAGE', 'separate', '1', 'end'."""
    seq = []
    for r in paragraph.iter(w("r")):
        for child in r:
            if child.tag == w("fldChar"):
                seq.append(val(child, "fldCharType"))
            elif child.tag == w("instrText"):
                seq.append("instr " + child.text.strip())
            elif child.tag == w("t"):
                seq.append(child.text)
    return seq


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_footer_has_page_n_of_m_as_complex_fields_in_the_body_font_and_size(template):
    footer = next(f for f in parts(template, "word/footer") if f.find(f".//{w('fldChar')}") is not None)
    paragraph = next(p for p in footer.iter(w("p")) if p.find(f".//{w('fldChar')}") is not None)
    assert val(paragraph.find(f"{w('pPr')}/{w('pStyle')}")) == "Footer"
    assert field_sequence(paragraph) == ["{{ council_name }}", "Page ", "begin", "instr PAGE", "separate", "1", "end",
                                         " of ", "begin", "instr NUMPAGES", "separate", "1", "end"]
    assert all(r.find(w("rPr")) is None for r in paragraph.iter(w("r"))), \
        "no direct formatting: every run of the fields takes the Footer style"
    footer_style = style(template, "Footer")
    assert footer_style.find(f"{w('rPr')}/{w('rFonts')}") is None, "the font comes from Normal, the body's"
    assert int(val(footer_style.find(f"{w('rPr')}/{w('sz')}"))) == body_size(template)


@pytest.mark.libreoffice
def test_every_page_shows_page_n_of_m_in_the_body_size(pdf):
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf["long"])).pages)
    assert pages >= 2
    first = pdf_lines(pdf["long"], 1)
    body = next(ln for ln in first if words_of(ln)[:3] == ["Sam", "and", "Dale,"])  # a body paragraph
    for page in range(1, pages + 1):
        lines = pdf_lines(pdf["long"], page)
        footer = next(ln for ln in lines if words_of(ln)[-4:] == ["Page", str(page), "of", str(pages)])
        assert abs((footer[3] - footer[1]) - (body[3] - body[1])) < 0.5, "the page number is body-sized"


# -- running header -------------------------------------------------------------------------
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_header_style_keeps_two_lines_clear_of_the_text(template):
    header_style = style(template, "Header")
    ppr, rpr = header_style.find(w("pPr")), header_style.find(w("rPr"))
    size = int(val(rpr.find(w("sz"))))
    assert ppr.find(w("keepLines")) is not None
    assert size < body_size(template), "smaller than the body text"
    tabs = [(val(t), int(val(t, "pos"))) for t in ppr.iter(w("tab"))]
    document = part(template, "word/document.xml")
    assert tabs == [("right", text_width(document))], "whose copy it is sits at the right margin"
    spacing = ppr.find(w("spacing"))
    after = int(val(spacing, "after"))
    assert after > 0, "a gap under the header, kept even when it grows"
    margins = document.find(f"{w('body')}/{w('sectPr')}/{w('pgMar')}")
    room = int(val(margins, "top")) - int(val(margins, "header"))
    assert 2 * size * 10 * 1.2 + after <= room, "two header lines and the gap fit above the text"
    if template.stem == "child-letter":   # a letter to a child, not a case file: no running header
        assert not any(text_of(h).strip() for h in parts(template, "word/header"))
        return
    header = next(h for h in parts(template, "word/header") if "{{ child_names }}" in text_of(h))
    pieces = ["\t" if e.tag == w("tab") else e.text for e in header.iter(w("t"), w("tab"))]
    assert pieces == ["{{ child_names }} · {{ conference_type }}", "\t", "{{ copy_for }}"]


@pytest.mark.libreoffice
def test_long_child_names_wrap_to_two_header_lines_above_the_text(pdf):
    expected = f"{LONG_NAMES[0]} and {LONG_NAMES[1]} · Initial child protection conference Copy for professionals"
    for page in (1, 2):
        lines = pdf_lines(pdf["long"], page)
        last = max(i for i, ln in enumerate(lines) if words_of(ln)[-1] == "professionals")
        header, body = lines[:last + 1], lines[last + 1:]
        assert " ".join(t for ln in header for t in words_of(ln)) == expected, page
        assert len({round(ln[1]) for ln in header}) <= 2, "at most two header lines"
        gap = body[0][1] - max(ln[3] for ln in header)
        assert gap > 8, (page, gap, body[0][4][:3])  # before: 3.4 pt, the title touching the header
    ordinary = pdf_lines(pdf["layout"], 1)
    copy_for = next(ln for ln in ordinary if words_of(ln)[-1] == "professionals")
    assert abs(copy_for[1] - ordinary[0][1]) < 0.5, "ordinary names: one header line"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_every_template_still_passes_the_template_check(template):
    assert check_template(template, template.stem) == []
