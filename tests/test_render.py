"""`confpack render`, `new` and `templates check` against the real templates, real
LibreOffice and real PDF text extraction."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import FRONT, ROOT, SAMPLES, dedent, run
from docx import Document as open_docx

from pipeline.common.pdftext import pdf_text

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

ARTEFACTS = ROOT / "artefacts"
SAMPLE_DIR = SAMPLES / "initial-conference"


def docx_text(path: Path) -> str:
    """Every word a reader could see in the DOCX: body, tables, headers, footers, footnotes."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = " ".join(z.read(n).decode("utf-8") for n in parts)
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def outputs_by_source(out: Path) -> dict[Path, list[Path]]:
    """Each source file's outputs, from the distribution log (file names never name the source)."""
    import json
    import sqlite3

    with sqlite3.connect(out / "distribution-log.sqlite") as db:
        rows = db.execute("SELECT source, outputs FROM distribution").fetchall()
    return {Path(source).resolve(): [Path(o["file"]) for o in json.loads(outputs)] for source, outputs in rows}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    res = run("render", str(SAMPLE_DIR), "--for", "professionals", "--out", str(out), "--pdf")
    assert res.returncode == 0, res.stderr
    return out, res


def test_every_sample_becomes_a_docx_and_a_checked_pdf(rendered):
    out, res = rendered
    docx = sorted(out.glob("*.docx"))
    pdfs = sorted(out.glob("*.pdf"))
    assert len(docx) == len(pdfs) == len(list(SAMPLE_DIR.glob("*.md")))
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"
    for path in docx:
        assert re.fullmatch(r"[a-z0-9-]+(_[a-z0-9-]+)+\.docx", path.name), path.name
        assert path.name.startswith("jamie-ellie-taylor_") and path.name.endswith("_for-professionals.docx")
        open_docx(str(path))  # python-docx reopens it


def test_pdf_has_every_heading_and_key_sentences_in_order(rendered):
    out, _ = rendered
    from pipeline.document.parser import parse_file

    made = outputs_by_source(out)
    for md in SAMPLE_DIR.glob("*.md"):
        doc = parse_file(md)
        pdf = next(p for p in made[md.resolve()] if p.suffix == ".pdf")
        text = " ".join(pdf_text(pdf).split())
        headings = [n.plain_text().strip() for n in doc.root.walk() if n.type == "heading"]
        positions = [text.find(h) for h in headings]
        assert -1 not in positions, (md.name, [h for h, p in zip(headings, positions) if p < 0])
        assert positions == sorted(positions), md.name
        first_para = next(n.plain_text().strip() for n in doc.root.walk() if n.type == "paragraph")
        assert " ".join(first_para.split()[:6]) in text
        for leak in ("{{", "{%", "**", ":::", "]{", "<!--"):
            assert leak not in text, (md.name, leak)
        assert "Thursday 3 December 2026" in text and "Copy for professionals" in text


def test_docx_uses_real_heading_styles_and_list_numbering(rendered):
    out, _ = rendered
    path = next(out.glob("*_social-work-report_*for-professionals.docx"))
    document = open_docx(str(path))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "List Number", "List Bullet", "Quote"} <= styles
    numbered = [p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert numbered and not any(p.text.lstrip().startswith(("•", "1.")) for p in numbered)
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.author == ""
    assert "Jamie Taylor" in document.core_properties.title


def test_author_comments_never_reach_the_output(rendered):
    out, _ = rendered
    path = next(out.glob("*_social-work-report_*for-professionals.docx"))
    assert "Author's note" not in docx_text(path)
    assert "Author's note" not in pdf_text(path.with_suffix(".pdf"))


RICH = FRONT + dedent("""

    # Heading one

    Tom & Jerry <said> "hello" & 'goodbye' — 5 > 3.

    1. First step
    2. Second step
       - nested bullet
         1. nested number one

    A paragraph between the lists.

    1. Again first
    2. Again second

    Then a list that starts at five:

    5. Starts at five

    | Who | What | When |
    |:----|:----:|-----:|
    | You | Take **Jamie** | Monday |

    > Your words: "I love them."

    A [link](https://example.org/help) and a note.[^1]

    \\newpage

    After the page break, *emphasis* and `code`.

    [^1]: The footnote text you asked for.
    """)


def test_rich_markdown_becomes_real_word_content(write, tmp_path):
    src = write("rich.md", RICH)
    out = tmp_path / "out"
    res = run("render", str(src), "--for", "professionals", "--out", str(out), "--pdf")
    assert res.returncode == 0, res.stderr
    docx = next(out.glob("*.docx"))
    document = open_docx(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert 'Tom & Jerry <said> "hello" & \'goodbye\' — 5 > 3.' in text
    nums = [p._p.pPr.numPr for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    ids = [(n.numId.val, n.ilvl.val) for n in nums if n.numId.val]
    first_list = ids[0][0]
    second_list = next(i for i, lvl in ids[3:] if lvl == 0)
    assert first_list != second_list, "a new ordered list must restart numbering"
    numbering = document.part.numbering_part.element
    starts = [o.find('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}startOverride')
              for o in numbering.iter('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lvlOverride')]
    assert "5" in {s.get('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val') for s in starts}
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Who", "What", "When"]
    assert table.rows[0]._tr.trPr is not None  # repeated header row
    xml = docx_text(docx)
    assert "The footnote text you asked for." in xml
    with zipfile.ZipFile(docx) as z:
        assert "word/footnotes.xml" in z.namelist()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "https://example.org/help" in rels
    pdf = pdf_text(docx.with_suffix(".pdf"))
    assert 'Tom & Jerry <said> "hello"' in pdf
    assert re.search(r"1\.\s*First step.*2\.\s*Second step.*1\.\s*Again first.*2\.\s*Again second.*5\.\s*Starts at five",
                     pdf), pdf
    assert "The footnote text you asked for." in pdf
    from pypdf import PdfReader

    reader = PdfReader(str(docx.with_suffix(".pdf")))
    page_with_break = next(i for i, p in enumerate(reader.pages) if "After the page break" in p.extract_text())
    assert page_with_break >= 1
    assert reader.metadata.title and "Jamie Taylor" in reader.metadata.title
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged PDF
    assert str(root.get("/Lang")).startswith("en-GB")


def test_unknown_recipient_and_bad_report_are_clear_errors_others_still_render(write, tmp_path):
    good = write("good.md", FRONT + "\nYou read with Jamie.\n")
    bad = write("bad.md", "---\nkind: agency-report\nconference:\n  date: soon\n---\nHi\n")
    out = tmp_path / "out"
    res = run("render", str(good), str(bad), "--for", "professionals", "--out", str(out))
    assert res.returncode == 2
    assert f"{bad}:4: error:" in res.stderr and "Traceback" not in res.stderr
    assert len(list(out.glob("*.docx"))) == 1
    res = run("render", str(good), "--for", "grandad", "--out", str(out / "x"))
    assert res.returncode == 2 and "use one of: jamie, mum, dad, professionals, chair" in res.stderr


def test_missing_libreoffice_still_writes_docx_and_says_what_to_install(write, tmp_path):
    src = write("r.md", FRONT + "\nYou read with Jamie.\n")
    env = dict(os.environ, PATH=str(Path(shutil.which("python3")).parent))
    out = tmp_path / "out"
    res = run("render", str(src), "--for", "professionals", "--out", str(out), "--pdf", env=env)
    assert res.returncode == 0
    assert "libreoffice-writer-nogui" in res.stderr
    assert len(list(out.glob("*.docx"))) == 1 and not list(out.glob("*.pdf"))


def test_new_gives_a_skeleton_that_parses_and_renders(tmp_path):
    out = run("new", "agency-report")
    assert out.returncode == 0
    for heading in ("## What is working well?", "## What are we worried about?", "## What we can offer"):
        assert heading in out.stdout
    path = tmp_path / "new.md"
    assert run("new", "agency-report", "--out", str(path)).returncode == 0
    assert run("new", "agency-report", "--out", str(path)).returncode == 2  # never overwrites
    text = path.read_text().replace("YYYY-MM-DD", "2026-12-01")
    path.write_text(text)
    res = run("render", str(path), "--for", "professionals", "--out", str(tmp_path / "o"))
    assert res.returncode == 0, res.stderr
    assert run("new", "report-card").returncode == 2


@pytest.mark.parametrize("kind", ["agency-report", "social-work-report", "parent-report", "child-report", "agenda",
                                  "minutes", "plan", "letter", "invitation"])
def test_bundled_templates_pass_the_check(kind):
    res = run("templates", "check", str(ROOT / "templates" / f"{kind}.docx"), "--kind", kind)
    assert res.returncode == 0, res.stdout


def test_templates_check_reports_unknown_and_missing_placeholders(tmp_path):
    from docx import Document

    document = Document(str(ROOT / "templates" / "agency-report.docx"))
    for p in document.paragraphs:
        if p.text.strip() == "{{ body }}":
            p.text = "{{ bodyy }}"
    document.add_paragraph("{{ favourite_colour }}")
    broken = tmp_path / "broken.docx"
    document.save(str(broken))
    res = run("templates", "check", str(broken), "--kind", "agency-report")
    assert res.returncode == 1
    assert "unknown placeholder {{ favourite_colour }}" in res.stdout
    assert "missing placeholder {{ body }}" in res.stdout
    (tmp_path / "fake.docx").write_text("not a zip")
    assert "not a .docx" in run("templates", "check", str(tmp_path / "fake.docx"), "--kind", "agenda").stdout


def test_pngs_of_each_kind_for_a_person_to_look_at(rendered):
    """Writes artefacts/<name>-1.png (first page of each sample) for review."""
    out, _ = rendered
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    ARTEFACTS.mkdir(exist_ok=True)
    for pdf in out.glob("*.pdf"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                        str(ARTEFACTS / pdf.stem)], check=True)
    assert len(list(ARTEFACTS.glob("*.png"))) >= len(list(out.glob("*.pdf")))
