"""Issue 13: letters a family can act on, on a conference of our own (the Walshes, with
Northmere Borough Council): second person to every reader, a child's letter of its own,
contacts and routes from the notes and the council's settings, and the dates."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run
from test_render import docx_text

from pipeline.chair.documents import key_dates
from pipeline.chair.reader import Reader
from pipeline.config import load_settings
from pipeline.document.frontmatter import Attendee, Meeting, Meta, Person

WALSH = Path(__file__).parent / "fixtures" / "walsh"
SETTINGS = load_settings(WALSH / ".confpack.toml")
VERBS = SETTINGS.voice["verbs"]

KERRY = Person("mum", "Kerry Walsh", 1, "parent", "Mum to Noah and Mia")
DARREN = Person("dad", "Darren Walsh", 1, "parent", "Dad to Noah and Mia")
NOAH = Person("noah", "Noah Walsh", 1, pronouns="he")
MIA = Person("mia", "Mia Walsh", 1, pronouns="she")
META = Meta(children=[NOAH, MIA], people=[KERRY, DARREN], attendees=[Attendee("Ben Okoro", "Social worker")])


def to(person: Person, text: str, child: bool = False) -> str:
    return Reader.of(META, person, VERBS, child).text(text)


# --- rewriting for the reader ------------------------------------------------------------------

@pytest.mark.parametrize("person, text, expected", [
    (KERRY, "Kerry and Darren have made real changes.", "You and Darren have made real changes."),
    (DARREN, "Kerry and Darren have made real changes.", "Kerry and you have made real changes."),
    (KERRY, "Noah and Mia have seen and heard Darren hurt Kerry.", "Noah and Mia have seen and heard Darren hurt you."),
    (DARREN, "Noah and Mia have seen and heard Darren hurt Kerry.", "Noah and Mia have seen and heard you hurt Kerry."),
    (KERRY, "Kerry has asked for help and she wants the arguments to stop.",
     "You have asked for help and you want the arguments to stop."),
    (KERRY, "Ben will visit Kerry and help her with her safety plan.",
     "Ben will visit you and help you with your safety plan."),
    (KERRY, "Noah checks on his mum from school. Ms Walsh's flat is safe.",
     "Noah checks on you from school. Your flat is safe."),
    (DARREN, "Darren always keeps to the plan. He watches the children play.",
     "You always keep to the plan. You watch the children play."),
])
def test_a_parents_letter_speaks_to_them_and_names_the_other_parent(person, text, expected):
    assert to(person, text) == expected


@pytest.mark.parametrize("person, text, expected", [
    (NOAH, "Darren will have Noah and Mia to stay every other weekend and take Mia to Saturday swimming.",
     "Your dad will have you and Mia to stay every other weekend and take Mia to Saturday swimming."),
    (MIA, "Dad will have Mia to stay and take her to Saturday swimming.",
     "Your dad will have you to stay and take you to Saturday swimming."),
    (NOAH, "Ben Okoro will see Noah and Mia on their own at school.",
     "Ben will see you and Mia on your own at school."),
    (NOAH, "Kerry will take Noah to his football club.", "Your mum will take you to your football club."),
])
def test_a_childs_letter_has_the_right_pronouns_for_the_child_and_everyone_else(person, text, expected):
    assert to(person, text, child=True) == expected


def test_a_pronoun_after_someone_else_is_named_is_left_alone():
    assert to(KERRY, "Kerry met Ben and he said she was doing well.") == "You met Ben and he said she was doing well."


# --- dates ---------------------------------------------------------------------------------------

def test_a_statutory_date_on_a_weekend_moves_to_the_working_day_before():
    d = key_dates(Meta(conference=Meeting(type="initial", date=dt.date(2027, 6, 25))), "child-protection",
                  SETTINGS.timescales)
    assert d.review_by == dt.date(2027, 9, 24)   # three months on is Saturday 25 September 2027


def test_a_statutory_date_on_a_bank_holiday_moves_to_the_working_day_before():
    d = key_dates(Meta(conference=Meeting(type="initial", date=dt.date(2026, 12, 29))), "child-protection",
                  SETTINGS.timescales)
    assert d.review_by == dt.date(2027, 3, 25)   # 29 March 2027 is Easter Monday, 26 March Good Friday


# --- refusals ------------------------------------------------------------------------------------

@pytest.fixture
def walsh(tmp_path):
    """A copy of the Walshes' notes and settings that a test may change."""
    folder = tmp_path / "walsh"
    shutil.copytree(WALSH, folder)
    return folder


def test_a_letter_without_the_social_workers_contact_is_refused_with_what_to_add(walsh, tmp_path):
    notes = walsh / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace(", phone: 01632 960 720", ""), encoding="utf-8")
    res = run("letter", str(notes), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "the letters need contacts a family can use; add a phone or email for Ben Okoro in attendees" in res.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_a_letter_without_the_councils_complaints_route_is_refused(walsh, tmp_path):
    toml = walsh / ".confpack.toml"
    toml.write_text(re.sub(r"(?m)^(complaints|advocacy) = .*\n", "", toml.read_text(encoding="utf-8")),
                    encoding="utf-8")
    res = run("letter", str(walsh / "notes.md"), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "in .confpack.toml's [council] table: complaints, advocacy" in res.stderr


def test_a_letter_that_would_still_talk_about_its_reader_is_stopped_at_the_line_to_change(walsh, tmp_path):
    notes = walsh / "notes.md"
    text = notes.read_text(encoding="utf-8").replace("Kerry has asked for help", "The mother has asked for help")
    notes.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "The mother has asked" in l)
    res = run("letter", str(notes), "--for", "mum", "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert f"notes.md:{line}: error: the letter to Kerry Walsh would still talk about them, not to them: " \
           "'The mother'" in res.stderr


# --- the documents, made by the real command -----------------------------------------------------

def docx_tables(path: Path) -> int:
    from docx import Document

    return len(Document(str(path)).tables)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every document after the Walshes' conference (DOCX), as the chair makes them."""
    out = tmp_path_factory.mktemp("walsh")
    res = run("after-conference", str(WALSH / "notes.md"), "--child", "noah", "--child", "mia", "--out", str(out),
              "--today", "2027-06-28")
    assert res.returncode == 0, res.stderr
    return out, res


def test_the_childs_letter_has_its_own_warm_template_and_first_name(made):
    out, res = made
    letter = out / "noah-mia-walsh_child-letter_for-noah.docx"
    text = docx_text(letter)
    assert "Dear Noah," in text and "Noah Walsh" not in text
    assert docx_tables(letter) == 0                               # no formal table
    assert "Copy for" not in text and "Initial child protection conference" not in text   # no case-file header
    from docx import Document

    assert Document(str(letter)).styles["Normal"].font.size.pt == 16   # large, clear type
    assert "Your dad will have you and Mia to stay every other weekend and take Mia to Saturday swimming." in text
    assert "Ben will see you and Mia on your own at school." in text
    assert "Ben, your social worker. Phone 01632 960 720." in text
    assert re.search(r"letter for noah: reading age (\d+\.\d)", res.stdout)
    age = float(re.search(r"letter for noah: reading age (\d+\.\d)", res.stdout).group(1))
    assert age <= 9


def test_the_reading_age_printed_is_lints_own_measure(made, tmp_path):
    from pipeline.chair.documents import Wanted, load_notes, produce
    from pipeline.lint.readability import grade, reading_age
    from pipeline.render.jobs import Output

    _, res = made
    result = produce(load_notes(WALSH / "notes.md", SETTINGS), [Wanted("letter", "mia", True)], SETTINGS,
                     Output(tmp_path, today=dt.date(2027, 6, 28)))
    m = result.lint["mia"].metrics
    assert m["reading_age"] == reading_age(grade(m["words"], m["sentences"], m["syllables"])) <= 9
    assert f"letter for mia: reading age {m['reading_age']} (at most 9)" in res.stdout


def test_a_parents_letter_speaks_to_them_with_contacts_and_routes(made):
    out, _ = made
    kerry = docx_text(out / "noah-mia-walsh_letter_for-mum.docx")
    assert "Dear Kerry," in kerry and "Dear Kerry Walsh" not in kerry
    assert "You and Darren have made real changes, but Noah and Mia still hear arguments when Darren drinks. " \
           "You have asked for help and you want the arguments to stop." in kerry
    assert "Ben Okoro, your social worker: 01632 960 720" in kerry
    assert "Farah Siddique, who chaired the meeting: 01632 960 710 or f.siddique@northmere.example.gov.uk" in kerry
    assert "make a complaint to Northmere Borough Council: call 01632 960 777" in kerry
    assert "Northmere Young Voices can speak up for you for free" in kerry
    assert "on or before Friday 24 September 2027" in kerry        # not Saturday 25 September
    darren = docx_text(out / "noah-mia-walsh_letter_for-dad.docx")
    assert "Kerry and you have made real changes, but Noah and Mia still hear arguments when you drink." in darren
    assert "Go to the parenting group with you" in darren


def test_one_council_and_no_template_leftovers_in_any_document(made):
    out, _ = made
    files = sorted(out.glob("*.docx"))
    assert len(files) == 10
    for path in files:
        text = docx_text(path)
        assert "Northmere Borough Council" in text, path.name
        for leftover in ("Eastbrook", "Children's Services", "Children’s Services", "What the reader needs first",
                         "This is your report", "{{", "}}"):
            assert leftover not in text, (path.name, leftover)
        assert not re.search(r"Written by[^\n]*,\s*(\n|$)", text), path.name


def test_a_letter_is_never_dated_before_the_meeting(tmp_path):
    res = run("letter", str(WALSH / "notes.md"), "--for", "mum", "--out", str(tmp_path), "--today", "2027-06-20")
    assert res.returncode == 0, res.stderr
    assert "today (Sunday 20 June 2027) is before the meeting: the letters are dated Friday 25 June 2027" in res.stderr
    text = docx_text(tmp_path / "noah-mia-walsh_letter_for-mum.docx")
    assert "Friday 25 June 2027" in text and "20 June 2027" not in text


def test_a_childs_letter_over_the_childs_reading_age_is_not_written_unless_overridden(walsh, tmp_path):
    notes = walsh / "notes.md"
    hard = ("| Facilitate comprehensive therapeutic interventions addressing Noah's emotional dysregulation and "
            "intergenerational attachment difficulties, coordinated through multidisciplinary consultation | "
            "Ben Okoro | 2 July 2027 |\n")
    text = notes.read_text(encoding="utf-8").replace("| See Noah and Mia on their own", hard + "| See Noah and Mia on their own")
    notes.write_text(text, encoding="utf-8")
    res = run("letter", str(notes), "--child", "noah", "--out", str(tmp_path / "out"))
    assert res.returncode == 1
    assert "refused: the letter for Noah Walsh was not written: its reading age is" in res.stderr
    assert "simplify these sentences (line" in res.stderr and "comprehensive therapeutic" in res.stderr
    assert not list((tmp_path / "out").glob("*child-letter*"))
    again = run("letter", str(notes), "--child", "noah", "--out", str(tmp_path / "out"), "--allow-reading-age")
    assert again.returncode == 0, again.stderr
    assert list((tmp_path / "out").glob("*child-letter_for-noah.docx"))
    with sqlite3.connect(tmp_path / "out" / "distribution-log.sqlite") as db:
        notes_logged = [row[0] for row in db.execute("SELECT note FROM distribution WHERE recipient = 'noah'")]
    assert len(notes_logged) == 1 and notes_logged[0].startswith("sent over its reading age with --allow-reading-age")


@pytest.mark.libreoffice
def test_every_page_of_every_letter_names_the_council(tmp_path):
    from pipeline.common.pdftext import pdf_text

    res = run("letter", str(WALSH / "notes.md"), "--for", "mum", "--child", "noah", "--out", str(tmp_path), "--pdf",
              "--today", "2027-06-28")
    assert res.returncode == 0, res.stderr
    from pypdf import PdfReader

    for pdf in sorted(tmp_path.glob("*.pdf")):
        pages = len(PdfReader(str(pdf)).pages)
        for page in range(pages):
            text = subprocess_pdf_page(pdf, page + 1)
            assert "Northmere Borough Council" in text, (pdf.name, page + 1)
        assert "Eastbrook" not in pdf_text(pdf)


def subprocess_pdf_page(pdf: Path, page: int) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_only_a_subject_changes_the_verb_after_it():
    assert to(KERRY, "Ben told Kerry news about the plan.") == "Ben told you news about the plan."
    assert to(KERRY, "Because Kerry keeps a routine, Noah sleeps well.") == "Because you keep a routine, Noah sleeps well."


def test_a_parents_word_is_the_childs_parent_in_a_childs_letter(walsh, tmp_path):
    notes = walsh / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8").replace(
        "| See Noah and Mia on their own at school |", "| Take Noah and Mia to see the father's family |"),
        encoding="utf-8")
    child = run("letter", str(notes), "--child", "noah", "--out", str(tmp_path / "a"))
    assert child.returncode == 0, child.stderr
    dad = run("letter", str(notes), "--for", "dad", "--out", str(tmp_path / "b"))
    assert dad.returncode == 2 and "the letter to Darren Walsh would still talk about them" in dad.stderr
