"""`confpack import` (the Python API): Word reports made with python-docx and with pandoc,
real tracked changes and comments, what is not carried over, and the round trip of the
samples through `confpack render` and back."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES, dedent
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from pipeline.config import load_settings
from pipeline.document.parser import parse_text
from pipeline.errors import InputError
from pipeline.importer import UnresolvedChanges, import_docx, import_docx_bytes
from pipeline.lint import lint_text
from pipeline.render.jobs import Job, Output, docx_text, render_documents

W = nsdecls("w")


@pytest.fixture(scope="module")
def settings():
    return load_settings(None)


def save(document, path: Path) -> Path:
    document.save(str(path))
    return path


def word_report() -> docx.Document:
    """A school's report as people write them in Word: a facts table, Heading 1 sections,
    bold and italic, lists, a table, a Quote-style paragraph and an indented one."""
    d = docx.Document()
    d.add_paragraph("Partner agency report to conference", style="Title")
    facts = d.add_table(rows=0, cols=2)
    for label, value in [("Child's name", "Jamie Taylor"), ("Date of birth", "14/05/2015"),
                         ("Date of conference", "Thursday 3 December 2026 at 10am"), ("Chair", "Priya Shah"),
                         ("Author", "Ruth Okafor, Teacher, Eastbrook Academy")]:
        row = facts.add_row().cells
        row[0].text, row[1].text = label, value
    d.add_heading("What is working well?", 1)
    p = d.add_paragraph("You read with Jamie ")
    p.add_run("every").bold = True
    p.add_run(" night and ")
    p.add_run("always").italic = True
    p.add_run(" on time.")
    d.add_paragraph("Jamie goes to football club.", style="List Bullet")
    d.add_paragraph("Jamie sleeps well.", style="List Bullet")
    d.add_heading("What are we worried about?", 1)
    d.add_paragraph("I just want school to be normal.", style="Quote")
    indented = d.add_paragraph("An indented paragraph is not a quote.")
    indented.paragraph_format.left_indent = Cm(1.5)
    table = d.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Who", "Score", "Why", "Sam", "7", "A | B"]):
        cell.text = text
    d.add_paragraph("What needs to happen?").runs[0].bold = True
    d.add_paragraph("Ruth will phone you every Friday.")
    return d


def test_a_word_report_becomes_markdown_with_front_matter_sections_and_structure(tmp_path, settings):
    result = import_docx(save(word_report(), tmp_path / "school.docx"), settings)
    md = result.markdown
    assert md.startswith("---\nkind: agency-report\n")
    assert '    name: "Jamie Taylor"\n    dob: 2015-05-14\n' in md and "  - id: jamie" in md
    assert "  date: 2026-12-03\n  time: \"10:00\"\n" in md and 'chair: "Priya Shah"' in md
    assert 'name: "Ruth Okafor"' in md and 'role: "Teacher"' in md and 'agency: "Eastbrook Academy"' in md
    assert "venue: Where the meeting is" in md      # not in the Word file: the skeleton's prompt stays
    assert "## What is working well?\n\nYou read with Jamie **every** night and *always* on time.\n\n" \
           "- Jamie goes to football club.\n- Jamie sleeps well.\n" in md
    assert "> I just want school to be normal.\n\nAn indented paragraph is not a quote.\n" in md
    assert "| Who | Score | Why |\n| --- | --- | --- |\n| Sam | 7 | A \\| B |\n" in md
    assert "## What needs to happen?\n\nRuth will phone you every Friday." in md   # a bold paragraph made a heading
    assert "## What we can offer\n\n<!-- What your agency will do to help" in md   # missing sections added
    assert "Child's name" not in md                                                  # the facts table is gone
    text = "\n".join(result.messages)
    assert "from its title" in text and "venue" not in text and "place" in text
    assert "What needs to happen?" in text and "1 indented passage(s)" in text
    doc = parse_text(md.replace("YYYY-MM-DD", "2026-11-30"), "imported.md")
    quote = next(n for n in doc.root.walk() if n.type == "blockquote")
    assert quote.plain_text().strip() == "I just want school to be normal."


def test_nested_lists_footnotes_and_links_through_pandoc_made_docx(tmp_path, settings):
    source = tmp_path / "in.md"
    source.write_text(dedent("""
        # What is working well?

        You told me about [the refuge's page](https://example.org/refuge?a=1&b=(2)).[^n]

        - one
            - nested one
            - nested two
        - two

        3. three
        4. four
            1. inner

        # What are we worried about?

        Text.

        [^n]: Seen on 3 May, with *emphasis*.
        """), encoding="utf-8")
    out = tmp_path / "in.docx"
    subprocess.run(["pandoc", "--from=markdown-smart", str(source), "-o", str(out)], check=True)
    md = import_docx(out, settings, kind="agency-report").markdown
    assert "[the refuge's page](https://example.org/refuge?a=1&b=%282%29).[^1]" in md
    assert "- one\n  - nested one\n  - nested two\n- two\n" in md
    assert "3. three\n4. four\n   1. inner\n" in md
    assert md.rstrip().endswith("[^1]: Seen on 3 May, with *emphasis*.")
    assert "## What are we worried about?\n\nText." in md      # Heading 1 sections become ##
    doc = parse_text(md.replace("YYYY-MM-DD", "2026-12-03"), "x.md")
    assert doc.footnotes["1"].plain_text().strip() == "Seen on 3 May, with emphasis."


def test_characters_markdown_would_read_as_markup_come_back_as_typed(tmp_path, settings):
    tricky = ["# not a heading", "1. not a list", "- not a bullet", "> not a quote", "::: not a div",
              "3 * 4 = 12 and a_b and _under_ and [brackets] and `ticks` and \\newpage",
              "<!-- not a comment --> and <b>not bold</b> &amp; more", "===", "~~not struck~~ 100%"]
    d = docx.Document()
    d.add_heading("What is working well?", 1)
    for text in tricky:
        d.add_paragraph(text)
    md = import_docx(save(d, tmp_path / "t.docx"), settings, kind="agency-report").markdown
    doc = parse_text(md.replace("YYYY-MM-DD", "2026-12-03"), "t.md")
    paragraphs = [n.plain_text() for n in doc.root.children if n.type == "paragraph"]
    assert paragraphs[:len(tricky)] == tricky


def tracked(tmp_path: Path) -> Path:
    """A Word file with a real tracked insertion and deletion (w:ins, w:del) and a comment."""
    d = docx.Document()
    d.add_heading("What is working well?", 1)
    p = d.add_paragraph("You read with Jamie ")
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="Ruth Okafor" w:date="2026-11-20T10:00:00Z">'
                          '<w:r><w:t xml:space="preserve">every night</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="Ruth Okafor" w:date="2026-11-20T10:00:00Z"><w:r>'
                          '<w:delText xml:space="preserve"> at Flat 2, 14 Mill Lane</w:delText></w:r></w:del>'))
    p.add_run(".")
    commented = d.add_paragraph("The school says Jamie is settled.")
    d.add_comment(commented.runs, text="Which teacher said this?", author="Mark Denholm", initials="MD")
    return save(d, tmp_path / "tracked.docx")


def test_tracked_changes_and_comments_stop_the_import_with_a_list(tmp_path, settings):
    with pytest.raises(UnresolvedChanges) as caught:
        import_docx(tracked(tmp_path), settings)
    assert [c.as_dict() for c in caught.value.changes] == [
        {"kind": "insertion", "author": "Ruth Okafor", "text": "every night"},
        {"kind": "deletion", "author": "Ruth Okafor", "text": "at Flat 2, 14 Mill Lane"},
        {"kind": "comment", "author": "Mark Denholm", "text": "Which teacher said this?"}]
    said = str(caught.value)
    assert "has 1 tracked insertion, 1 tracked deletion and 1 comment, which" in said
    assert "--accept-changes" in said and "tracked deletion by Ruth Okafor: “at Flat 2, 14 Mill Lane”" in said


def test_accepting_keeps_insertions_and_drops_deletions_and_comments(tmp_path, settings):
    result = import_docx(tracked(tmp_path), settings, kind="agency-report", accept_changes=True)
    assert "You read with Jamie every night.\n\nThe school says Jamie is settled.\n" in result.markdown
    assert "Mill Lane" not in result.markdown and "Which teacher" not in result.markdown
    assert [c.kind for c in result.changes] == ["insertion", "deletion", "comment"]
    assert any("kept 1 insertion(s), dropped 1 deletion(s) and 1 comment(s)" in m for m in result.messages)


def test_what_is_not_carried_over_is_said(tmp_path, settings):
    d = word_report()
    d.sections[0].header.paragraphs[0].text = "Eastbrook Academy safeguarding"
    box = d.add_paragraph("After the box.")
    box._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
        '<w:t>Text in a box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    d.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    image = io.BytesIO()
    from PIL import Image
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    d.add_picture(image)
    messages = "\n".join(import_docx(save(d, tmp_path / "more.docx"), settings).messages)
    assert "1 picture(s) not carried over" in messages
    assert "A text box was not carried over: “Text in a box”" in messages
    assert "“Eastbrook Academy safeguarding”" in messages
    assert "1 page break(s) not carried over" in messages


def test_kind_from_headings_or_given_and_said_when_unknown(tmp_path, settings):
    d = docx.Document()
    for heading in ("What is going well for your family?", "What are you worried about?", "What would help?"):
        d.add_heading(heading, 1)
        d.add_paragraph("Words.")
    path = save(d, tmp_path / "parent.docx")
    found = import_docx(path, settings)
    assert found.markdown.startswith("---\nkind: parent-report\n")
    assert "Imported as parent-report (Parent's report to conference), from its headings." in found.messages
    assert import_docx(path, settings, kind="child-report").markdown.startswith("---\nkind: child-report\n")
    plain = docx.Document()
    plain.add_paragraph("Just some words.")
    result = import_docx(save(plain, tmp_path / "plain.docx"), settings)
    assert result.markdown.startswith("---\nkind: agency-report\n")
    assert any("Could not tell the kind" in m for m in result.messages)
    with pytest.raises(InputError, match="unknown kind 'leter'"):
        import_docx(path, settings, kind="leter")


def test_files_that_are_not_word_reports_are_refused_clearly(tmp_path, settings):
    with pytest.raises(InputError, match="is not a Word .docx file"):
        import_docx_bytes(b"just text", "notes.docx", settings)
    with pytest.raises(InputError, match="old Word .doc file"):
        import_docx_bytes(b"\xd0\xcf\x11\xe0" + bytes(100), "old.doc", settings)
    with pytest.raises(InputError, match="file not found"):
        import_docx(tmp_path / "missing.docx", settings)


def test_without_pandoc_the_error_names_the_package(tmp_path, settings, monkeypatch):
    path = save(word_report(), tmp_path / "r.docx")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="apt-get install pandoc"):
        import_docx(path, settings)


def test_the_imported_report_lints(tmp_path, settings):
    md = import_docx(save(word_report(), tmp_path / "school.docx"), settings).markdown
    result = lint_text(md.replace("YYYY-MM-DD", "2026-12-03"), settings, "school.md")
    assert {f.rule for f in result.findings} >= {"structure.empty-section"}   # the sections it added
    assert result.metrics["words"] > 20


@pytest.mark.parametrize("sample", sorted(p.name for p in (SAMPLES / "initial-conference").glob("*.md")))
def test_round_trip_a_rendered_report_renders_to_the_same_text(sample, tmp_path, settings):
    source = SAMPLES / "initial-conference" / sample
    first = render_documents([Job(parse_text(source.read_text(encoding="utf-8"), str(source)), "professionals",
                                  source)], settings, Output(tmp_path / "first"))
    assert not first.errors, first.errors
    made = first.rendered[0].docx
    result = import_docx(made, settings)
    assert result.changes == []
    imported = tmp_path / sample
    imported.write_text(result.markdown, encoding="utf-8")
    second = render_documents([Job(parse_text(result.markdown, str(imported)), "professionals", imported)],
                              settings, Output(tmp_path / "second"))
    assert not second.errors, second.errors
    assert docx_text(second.rendered[0].docx) == docx_text(made)


@pytest.mark.libreoffice
def test_round_trip_survives_saving_the_word_file_in_libreoffice(tmp_path, settings):
    source = SAMPLES / "initial-conference" / "school-report.md"
    made = render_documents([Job(parse_text(source.read_text(encoding="utf-8"), str(source)), "professionals",
                                 source)], settings, Output(tmp_path / "first")).rendered[0].docx
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(made)],
                   capture_output=True, timeout=300, check=True)
    result = import_docx(next((tmp_path / "saved").glob("*.docx")), settings)
    assert "1. From 9 November" in result.markdown and "\n6. I will go to every plan meeting" in result.markdown
    imported = tmp_path / "imported.md"
    imported.write_text(result.markdown, encoding="utf-8")
    again = render_documents([Job(parse_text(result.markdown, str(imported)), "professionals", imported)], settings,
                             Output(tmp_path / "second")).rendered[0].docx
    assert docx_text(again) == docx_text(made)
