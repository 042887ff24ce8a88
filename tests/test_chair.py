"""The chair's tools: minutes, outline plan and letters from one set of notes, through the
real templates, the real LibreOffice and real PDF text extraction."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run
from test_render import docx_text

from pipeline.chair.documents import key_dates
from pipeline.common.pdftext import pdf_text
from pipeline.config import load_settings
from pipeline.document.frontmatter import Meeting, Meta
from pipeline.lint.engine import lint_document

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

NOTES = SAMPLES / "chair" / "conference-notes.md"
MUM_ADDRESS = "14 Mill Lane"
TIMESCALES = load_settings().timescales


def _meta(day: dt.date, kind: str = "initial") -> Meta:
    return Meta(conference=Meeting(type=kind, date=day))


def test_dates_across_the_christmas_bank_holidays():
    # Thursday 24 December 2026: Christmas Day (Fri), Boxing Day substitute (Mon 28th), New Year's Day (Fri)
    d = key_dates(_meta(dt.date(2026, 12, 24)), "child-protection", TIMESCALES)
    assert d.letter_due == dt.date(2026, 12, 29)
    assert d.minutes_due == dt.date(2027, 1, 5)
    assert d.core_group_by == dt.date(2027, 1, 12)
    assert d.review_by == dt.date(2027, 3, 24)


def test_dates_across_the_august_bank_holiday_weekend_and_a_review():
    d = key_dates(_meta(dt.date(2026, 8, 28), "review"), "child-protection", TIMESCALES)
    assert d.letter_due == dt.date(2026, 9, 1)          # Monday 31 August is a bank holiday
    assert d.review_by == dt.date(2027, 2, 26)          # every 6 months: Sunday 28 February → Friday 26th


def test_no_core_group_or_review_without_a_plan():
    d = key_dates(_meta(dt.date(2026, 12, 3)), "child-in-need", TIMESCALES)
    assert d.core_group_by is None and d.review_by is None
    assert d.letter_due == dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every document for the sample conference, with PDFs, made by the real commands."""
    out = tmp_path_factory.mktemp("chair")
    results = {}
    for args in (["minutes"], ["plan"], ["letter", "--for", "mum", "--for", "dad", "--child", "jamie"]):
        res = run(*args, str(NOTES), "--out", str(out), "--pdf", "--today", "2026-12-03")
        assert res.returncode == 0, res.stderr
        results[args[0]] = res
    return out, results


def _text(out: Path, kind: str, who: str) -> str:
    return docx_text(out / f"jamie-ellie-taylor_{kind}_for-{who}.docx")


def test_every_document_is_written_as_docx_and_checked_pdf(made):
    out, _ = made
    names = {p.name for p in out.glob("*.pdf")}
    expected = {f"jamie-ellie-taylor_{kind}_for-{who}.pdf" for kind in ("minutes", "plan")
                for who in ("professionals", "mum", "dad")}
    expected |= {f"jamie-ellie-taylor_letter_for-{who}.pdf" for who in ("mum", "dad")}
    expected |= {"jamie-ellie-taylor_child-letter_for-jamie.pdf"}
    assert names == expected
    letter = pdf_text(out / "jamie-ellie-taylor_letter_for-dad.pdf")
    assert "Dear Dale," in letter and "What you need to do" in letter
    plan = pdf_text(out / "jamie-ellie-taylor_plan_for-mum.pdf")
    assert plan.index("Who does what by when") < plan.index("Start the Caring Dads course") < plan.index(
        "Contingency plan")
    assert "{{" not in letter + plan and "]{" not in letter + plan


def test_minutes_keep_the_familys_and_childs_words_and_the_dissent(made):
    out, _ = made
    for who in ("professionals", "mum", "dad"):
        text = _text(out, "minutes", who)
        assert "I moved so Dale can" in text and "I know I've made mistakes" in text
        assert "I want Dad to stop shouting" in text
        assert "Formal disagreement" in text and "he has kept away since his arrest" in text
        assert "Dr Ruth Oyelaran" in text            # apologies recorded
        assert "Sam Taylor 5" in text                # scaling scores kept
    assert "Sam is settling well in the new flat" in _text(out, "minutes", "professionals")
    assert "Sam is settling well in the new flat" in _text(out, "minutes", "mum")
    dad = _text(out, "minutes", "dad")
    assert "settling well in the new flat" not in dad and "[removed]" in dad


def test_nothing_about_mums_new_home_reaches_dad(made):
    out, _ = made
    for path in out.glob("*for-dad*"):
        text = docx_text(path) if path.suffix == ".docx" else pdf_text(path)
        for secret in (MUM_ADDRESS, "Mill Lane", "900123", "Eastbrook Park"):
            assert secret not in text, (path.name, secret)


def test_each_parents_letter_has_their_own_steps_and_the_dates(made):
    out, _ = made
    dad = _text(out, "letter", "dad")
    mine, others = dad.split("What you need to do")[1].split("What other people will do")
    assert "Start the Caring Dads course" in mine and "Go to the first core group meeting" in mine
    assert "domestic abuse support worker" not in mine
    assert "Meet their domestic abuse support worker" in others
    assert "Thursday 17 December 2026" in dad and "Wednesday 3 March 2027" in dad   # core group and review
    assert "Friday 4 December 2026" in dad                                         # the letter's due date
    assert "You told us at the meeting that you did not agree" in dad
    mum = _text(out, "letter", "mum")
    assert "Meet your domestic abuse support worker" in mum.split("What you need to do")[1].split(
        "What other people will do")[0]
    assert MUM_ADDRESS in mum                     # her own address block
    assert "did not agree" not in mum.split("If you do not agree")[1].split("If you do not agree with")[0]
    for text in (dad, mum):
        assert "emotional harm" in text and "Jamie and Ellie have seen and heard" in text
        assert "make a complaint" in text


def test_the_childs_letter_speaks_to_the_child(made):
    out, _ = made
    text = _text(out, "child-letter", "jamie")
    assert "Dear Jamie," in text and "Jamie Taylor" not in text
    assert "What grown-ups are worried about" in text and "Who you can talk to" in text
    assert "Hannah will visit you and Ellie at home every two weeks" in text
    assert "Hannah, your social worker" in text and "Priya, who helps you have your say" in text
    assert "Childline" in text and "0800 1111" in text
    assert "Dale Brennick" not in text


def test_generated_letters_pass_the_family_and_child_reading_ages(made, tmp_path):
    _, results = made
    printed = dict(re.findall(r"letter for (\w+): reading age ([\d.]+)", results["letter"].stdout))
    assert set(printed) == {"mum", "dad", "jamie"}
    assert float(printed["mum"]) <= 11 and float(printed["dad"]) <= 11 and float(printed["jamie"]) <= 9
    assert "lint error" not in results["letter"].stdout


def test_the_printed_reading_age_is_the_linters(made, tmp_path):
    """The generated letter, linted on its own, gives the same figure and no errors."""
    from pipeline.chair.documents import Wanted, _contacts, _document, _Writer, load_notes
    from pipeline.redact.audience import resolve

    settings = load_settings(SAMPLES / ".confpack.toml")
    notes = load_notes(NOTES, settings)
    dates = key_dates(notes.doc.meta, notes.plan, settings.timescales)
    contacts = _contacts(notes, settings, [Wanted("letter", "jamie", True)])
    writer = _Writer(notes, resolve(notes.doc.meta, "jamie"), dates, settings, contacts, child=True)
    doc = _document(notes, "child-letter", writer.child_letter(), writer.title("child-letter"), None)
    result = lint_document(doc, settings, "child")
    assert result.metrics["reading_age"] <= 9
    assert not [f for f in result.findings if f.severity == "error"]
    assert not [f for f in result.findings if f.rule.startswith(("voice", "jargon"))], result.findings


BROKEN = [  # (text in the notes, what it becomes, the message, text on the line the error must name)
    ("| Sam Taylor | 5 |", "| Sam Taylor | 11 |", "score '11' for Sam Taylor must be a whole number from 0 to 10",
     "| Sam Taylor | 11 |"),
    ("| Dale Brennick | 7 |", "| Dale Brennick | seven |", "score 'seven' for Dale Brennick must be a whole number",
     "| Dale Brennick | seven |"),
    ("- Category: emotional abuse", "- Category: emotional abuse and neglect", "exactly one category",
     "- Category: emotional abuse and neglect"),
    ("- Category: emotional abuse\n", "", "exactly one category", "- Plan: child protection plan"),
    ("| Start the Caring Dads course | Dale Brennick | 29 January 2027 |",
     "| Start the Caring Dads course | | 29 January 2027 |", "has no owner", "| Start the Caring Dads course |"),
    ("| Start the Caring Dads course | Dale Brennick | 29 January 2027 |",
     "| Start the Caring Dads course | Dale Brennick | soon |", "needs a date in 'By when'",
     "| Start the Caring Dads course |"),
    ("| Dale only sees the children at the contact centre, and Jamie keeps no secrets for anyone. |", "| |",
     "this danger statement has no safety goal", "Dale may use Jamie"),
    ("## Decision", "## Outcome", "there is no '## Decision' section", None),
]


@pytest.mark.parametrize("old,new,message,on_line", BROKEN, ids=[b[2][:30] for b in BROKEN])
def test_notes_problems_are_reported_with_their_line(tmp_path, old, new, message, on_line):
    source = NOTES.read_text(encoding="utf-8")
    assert old in source
    broken = source.replace(old, new, 1)
    notes = tmp_path / "notes.md"
    notes.write_text(broken, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    res = run("minutes", str(notes), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr
    if on_line:
        line = next(i for i, text in enumerate(broken.split("\n"), 1) if on_line in text)
        assert f"notes.md:{line}: error: " in res.stderr, res.stderr
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


def test_every_problem_is_listed_at_once(tmp_path):
    source = NOTES.read_text(encoding="utf-8")
    source = source.replace("| Sam Taylor | 5 |", "| Sam Taylor | 12 |").replace(
        "| Meet your domestic abuse support worker every week | Sam Taylor | 11 December 2026 |",
        "| Meet your domestic abuse support worker every week | Sam Taylor | |")
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    res = run("plan", str(notes), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    lines = [l for l in res.stderr.splitlines() if ": error:" in l]
    assert len(lines) == 2 and "score '12'" in lines[0] and "needs a date" in lines[1]


def test_a_step_only_for_professionals_stays_out_of_the_family_copies(tmp_path):
    source = NOTES.read_text(encoding="utf-8").replace("## Contingency plan", """\
::: {only="professionals"}
| What | Who | By when |
|---|---|---|
| Share the police call records with the school | Tom Halloran | 8 December 2026 |
:::

## Contingency plan""")
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    out = tmp_path / "out"
    res = run("plan", str(notes), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "police call records" in _text(out, "plan", "professionals")
    for who in ("mum", "dad"):
        plan = _text(out, "plan", who)
        assert "police call records" not in plan
        assert "[removed]" not in plan and "Tom Halloran" not in plan   # the row goes, not just its words
    res = run("letter", str(notes), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "police call records" not in _text(out, "letter", "dad")


def test_an_unmarked_private_address_in_the_notes_is_refused_at_its_line(tmp_path):
    source = NOTES.read_text(encoding="utf-8")
    source = source.replace("[Sam is settling well in the new flat near Eastbrook Park.]{withhold=\"dad\"}",
                            "Sam now lives at Flat 2, 14 Mill Lane.")
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    line = source.split("\n").index("Sam now lives at Flat 2, 14 Mill Lane.") + 1
    res = run("minutes", str(notes), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert f"notes.md:{line}: error" in res.stderr and "private address" in res.stderr
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


def test_late_minutes_are_warned_about(tmp_path):
    res = run("minutes", str(NOTES), "--out", str(tmp_path), "--for", "professionals", "--today", "2026-12-14")
    assert res.returncode == 0, res.stderr
    assert "were due by Thursday 10 December 2026" in res.stderr and "4 day(s) late" in res.stderr
    res = run("minutes", str(NOTES), "--out", str(tmp_path), "--for", "professionals", "--today", "2026-12-10")
    assert "late" not in res.stderr


def test_a_letter_is_only_for_a_parent_or_carer(tmp_path):
    res = run("letter", str(NOTES), "--out", str(tmp_path), "--for", "professionals")
    assert res.returncode == 2 and "not a parent or carer" in res.stderr
    res = run("letter", str(NOTES), "--out", str(tmp_path), "--child", "mum")
    assert res.returncode == 2 and "not one of the children" in res.stderr


def test_after_conference_makes_everything_in_one_run(tmp_path):
    res = run("after-conference", str(NOTES), "--out", str(tmp_path), "--child", "jamie", "--today", "2026-12-03")
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert names == sorted([f"jamie-ellie-taylor_{k}_for-{w}.docx" for k in ("minutes", "plan")
                            for w in ("professionals", "mum", "dad")] +
                           [f"jamie-ellie-taylor_letter_for-{w}.docx" for w in ("mum", "dad")] +
                           ["jamie-ellie-taylor_child-letter_for-jamie.docx"])
    log = run("log", str(tmp_path))
    assert log.stdout.count("conference-notes.md") == 9


def test_new_minutes_gives_notes_the_commands_can_check(tmp_path):
    notes = tmp_path / "notes.md"
    assert run("new", "minutes", "--out", str(notes)).returncode == 0
    text = notes.read_text(encoding="utf-8").replace("YYYY-MM-DD", "2026-12-03")
    notes.write_text(text, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    res = run("minutes", str(notes), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "score '0 to 10' for Name, role must be a whole number" in res.stderr   # the starter asks to be filled in


def test_marks_travel_with_every_cell_footnote_date_and_name(tmp_path):
    """A withheld 'By when' cell, a 'Who' cell withheld from the child, a footnote whose mark
    crosses a line break, a withheld attendee and a withheld part of the decision: none of
    them reaches the reader it is kept from, in any document, and each reaches the others."""
    source = NOTES.read_text(encoding="utf-8")
    edits = [
        ("| Set up contact at the contact centre twice a month | Hannah Greaves | 18 December 2026 |",
         '| Set up contact at the contact centre twice a month | Hannah Greaves | [19 December 2026]{withhold="dad"} |'),
        ("| Visit Jamie and Ellie at home every two weeks | Hannah Greaves | 10 December 2026 |",
         '| Visit Jamie and Ellie at home every two weeks | [Nadia Okonkwo]{withhold="jamie"} | 10 December 2026 |'),
        ("Dale has not yet started a course to help him change.",
         "Dale has not yet started a course to help him change.[^refuge]"),
        ("- Dale does not go to Sam's home or Jamie's school.",
         "- Dale does not go to Sam's home or Jamie's school.\n\n[^refuge]: Sam's new [flat is near the\n"
         "    Tamarisk Allotments]{withhold=\"dad\"}."),
        ("  - {name: Priya Nair, role: Advocate for Jamie, agency: Eastbrook Children's Rights Service}",
         "  - {name: Priya Nair, role: Advocate for Jamie, agency: Eastbrook Children's Rights Service}\n"
         "  - {name: Wren Abernethy, role: Refuge support worker, withhold: dad}"),
        ("We need a plan so they are safe and feel safe.",
         'We need a plan so they are safe and feel safe. [Sam has moved near Quillwort Common.]{withhold="dad"}'),
    ]
    for old, new in edits:
        assert old in source, old
        source = source.replace(old, new)
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    out = tmp_path / "out"
    res = run("after-conference", str(notes), "--out", str(out), "--child", "jamie", "--today", "2026-12-03")
    assert res.returncode == 0, res.stderr
    dad = " ".join(docx_text(p) for p in out.glob("*_for-dad.docx"))
    mum = " ".join(docx_text(p) for p in out.glob("*_for-mum.docx"))
    jamie = " ".join(docx_text(p) for p in out.glob("*_for-jamie.docx"))
    assert dad and mum and jamie
    for secret in ("19 December 2026", "Tamarisk", "Wren Abernethy", "Refuge support worker", "Quillwort"):
        assert secret not in dad, secret
    for shown in ("19 December 2026", "Tamarisk Allotments", "Wren Abernethy", "Quillwort"):
        assert shown in mum, shown
    assert "Nadia" not in jamie and "Nadia Okonkwo" in mum
    assert "contact centre" in dad      # the step itself is not withheld, only its date


def test_a_refusal_in_a_generated_document_names_the_notes_line(tmp_path):
    source = NOTES.read_text(encoding="utf-8").replace(
        "| Start the Caring Dads course | Dale Brennick | 29 January 2027 |",
        "| Start the Caring Dads course near 14 Mill Lane | Dale Brennick | 29 January 2027 |")
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    line = next(i for i, text in enumerate(source.split("\n"), 1) if "near 14 Mill Lane" in text)
    res = run("plan", str(notes), "--out", str(tmp_path / "out"), "--for", "dad")
    assert res.returncode == 2
    assert f"notes.md:{line}: error: Sam Taylor's private address appears here without a mark" in res.stderr
    assert res.stderr.count("error:") == 1, res.stderr      # each problem once


def test_the_childs_letter_keeps_the_marks_of_the_category_and_plan_lines(tmp_path):
    source = NOTES.read_text(encoding="utf-8").replace(
        "- Category: emotional abuse", '- Category: [sexual abuse]{withhold="jamie"}')
    notes = tmp_path / "notes.md"
    notes.write_text(source, encoding="utf-8")
    shutil.copy(SAMPLES / ".confpack.toml", tmp_path)   # the council's contacts
    out = tmp_path / "out"
    res = run("letter", str(notes), "--out", str(out), "--for", "mum", "--child", "jamie", "--today", "2026-12-03")
    assert res.returncode == 0, res.stderr
    jamie = _text(out, "child-letter", "jamie")
    assert "touch you" not in jamie and "sexual" not in jamie and "What grown-ups are worried about" in jamie
    assert "sexual harm" in _text(out, "letter", "mum")
