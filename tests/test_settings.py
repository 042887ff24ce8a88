"""Every documented setting takes effect in every command that uses it, read from one
project settings file; every data file is checked when it is read; anything unexpected is
one line and exit code 2."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import ROOT, SAMPLES, dedent, run
from test_render import docx_text

from pipeline.common.resources import data_dir

REPORT = dedent("""
    ---
    kind: agency-report
    conference: {type: initial, date: 2026-12-03, time: "10:00", venue: Eastbrook Family Centre, chair: Angela Pryce}
    children:
      - {id: jamie, name: Jamie Taylor, dob: 2015-05-14}
      - {id: ellie, name: Ellie Taylor, dob: 2022-10-21}
    people:
      - {id: mum, name: Sam Taylor, role: parent, relationship: Mum to Jamie and Ellie}
      - {id: dad, name: Dale Brennick, role: parent, relationship: Dad to Jamie and Ellie}
    author: {name: Ruth Okafor, role: Teacher, agency: Hollins Park Academy}
    shared_with_family: 2026-11-30
    ---

    ## What is working well?

    You read with Jamie. You met the EBCS team. [You moved in October.]{withhold="dad"}

    ## What are we worried about?

    Jamie is tired.

    ## What needs to happen?

    I will call you.

    ## What you and your children told me

    You said you want help.

    ## What we can offer

    A weekly club.
    """)
MANIFEST = dedent("""
    conferences:
      - id: taylor
        type: initial
        date: 2026-12-03
        time: "10:00"
        venue: Eastbrook Family Centre
        chair: Angela Pryce
        strategy_discussion: 2026-11-16
        children:
          - {id: jamie, name: Jamie Taylor, dob: 2015-05-14}
          - {id: ellie, name: Ellie Taylor, dob: 2022-10-21}
        people:
          - {id: mum, name: Sam Taylor, role: parent, relationship: Mum to Jamie and Ellie, delivery: {by: email, email: sam@example.org}}
          - {id: dad, name: Dale Brennick, role: parent, relationship: Dad to Jamie and Ellie, delivery: {by: email, email: dale@example.org}}
        reports:
          - report.md
    """)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A council's project: its own settings file, style rules, glossary and timescales."""
    base = tmp_path_factory.mktemp("project")
    rules = base / "rules"
    shutil.copytree(data_dir("style_rules"), rules)
    structure = (rules / "structure.yml").read_text(encoding="utf-8")
    (rules / "structure.yml").write_text(structure.replace("title: Partner agency report to conference",
                                                           "title: Westmoor partner report")
                                         .replace("name: What is working well?", "name: What is going well for you?"),
                                         encoding="utf-8")
    letters = (rules / "letters.yml").read_text(encoding="utf-8")
    (rules / "letters.yml").write_text(letters.replace('who_came: "Who came"', 'who_came: "People at the meeting"')
                                       .replace("You are invited to a meeting about {children}.",
                                                "Westmoor invites you to a meeting about {children}."),
                                       encoding="utf-8")
    (base / "extra.yml").write_text("terms:\n  - {term: EBCS, kind: acronym, plain: the family support team}\n",
                                    encoding="utf-8")
    (base / ".confpack.toml").write_text(dedent("""
        removed_marker = "(held back)"
        style_rules = "rules"
        glossary = ["extra.yml"]

        [timescales]
        minutes_within_working_days = 2

        [thresholds.family]
        max_reading_age = 30

        [levels]
        "jargon.acronym" = "error"

        [council]
        name = "Westmoor Council"
        phone = "01632 960 500"
        complaints = "write to Westmoor Complaints, Town Hall, Westmoor."
        advocacy = "Westmoor Advocacy can help you. Call 01632 960 555."
        """), encoding="utf-8")
    (base / "report.md").write_text(REPORT, encoding="utf-8")
    (base / "manifest.yml").write_text(MANIFEST, encoding="utf-8")
    shutil.copy(SAMPLES / "chair" / "conference-notes.md", base / "notes.md")
    return base


def test_lint_uses_the_glossary_levels_and_thresholds(project):
    data = json.loads(run("lint", str(project / "report.md"), "--format", "json").stdout)
    found = [f for f in data["files"][0]["findings"] if f["match"] == "EBCS"]
    assert found and found[0]["severity"] == "error" and found[0]["suggestions"] == ["the family support team"]
    assert not [f for f in data["files"][0]["findings"] if f["rule"] == "readability.reading-age"]


def test_render_uses_the_marker_and_the_style_rules(project, tmp_path):
    assert run("render", str(project / "report.md"), "--for", "dad", "--out", str(tmp_path)).returncode == 0
    text = docx_text(next(tmp_path.glob("*.docx")))
    assert "(held back)" in text and "[removed]" not in text and "Westmoor partner report" in text


def test_new_uses_the_style_rules(project):
    res = run("new", "agency-report", "--out", str(project / "fresh.md"))
    assert res.returncode == 0
    assert "## What is going well for you?" in (project / "fresh.md").read_text(encoding="utf-8")


def test_the_chairs_documents_use_the_marker_wording_timescales_and_thresholds(project, tmp_path):
    res = run("after-conference", str(project / "notes.md"), "--out", str(tmp_path), "--today", "2026-12-03")
    assert res.returncode == 0, res.stderr
    minutes = docx_text(tmp_path / "jamie-ellie-taylor_minutes_for-dad.docx")
    assert "People at the meeting" in minutes and "Who came" not in minutes
    assert "(held back)" in minutes and "[removed]" not in minutes
    assert "Minutes and outline plan due by: Monday 7 December 2026" in minutes   # 2 working days, not 5
    assert "reading age" in res.stdout and "(at most 30)" in res.stdout
    letter = docx_text(tmp_path / "jamie-ellie-taylor_letter_for-mum.docx")
    assert "complaint to Westmoor Council: write to Westmoor Complaints" in letter
    assert "Eastbrook Council" not in letter   # one council: the settings' (the notes name another in places)


def test_packs_use_the_marker_wording_glossary_and_levels(project, tmp_path):
    dry = run("pack", str(project / "manifest.yml"), "--dry-run")
    assert "report.md has 1 lint error(s)" in dry.stdout and "EBCS" in dry.stdout
    res = run("pack", str(project / "manifest.yml"), "--out", str(tmp_path), "--today", "2026-12-01")
    assert res.returncode == 0, res.stdout + res.stderr
    invitation = docx_text(tmp_path / "taylor" / "dad" / "01-invitation.docx")
    assert "Westmoor invites you to a meeting about Jamie and Ellie" in invitation
    report = docx_text(tmp_path / "taylor" / "dad" / "03-agency-report.docx")
    assert "(held back)" in report and "Westmoor partner report" in report


def test_a_changed_setting_remakes_the_packs_it_changes(project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    assert run("pack", str(copy / "manifest.yml"), "--out", str(tmp_path / "out")).returncode == 0
    again = run("pack", str(copy / "manifest.yml"), "--out", str(tmp_path / "out"))
    assert "taylor: unchanged" in again.stdout
    toml = copy / ".confpack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("(held back)", "(not for you)"), encoding="utf-8")
    changed = run("pack", str(copy / "manifest.yml"), "--out", str(tmp_path / "out"))
    assert "taylor: made" in changed.stdout
    assert "(not for you)" in docx_text(tmp_path / "out" / "taylor" / "dad" / "03-agency-report.docx")


@pytest.mark.parametrize("file, old, new, message", [
    ("rules.yml", "  jargon.term:\n    level: warning", "  jargon.term:\n    levl: warning",
     "unknown field 'levl' in rules.jargon.term; did you mean 'level'?"),
    ("rules.yml", "  jargon.term:\n    level: warning", "  jargon.term:\n    level: loud", "'loud' is not one of"),
    ("audiences.yml", "max_reading_age: 11", "max_reading_age: eleven", "must be a number"),
    ("timescales.yml", "letter_within_working_days: 1", "letter_within_working_days: soon", "whole number"),
    ("letters.yml", '  who_came: "Who came"\n', "", "wording needs 'who_came'"),
    ("restorative.yml", "  - rule: blaming\n", "  - rule: blamming\n", "did you mean 'blaming'"),
    ("structure.yml", "    audience: family\n", "    audience: families\n", "'families' is not one of"),
    ("restorative.yml", "'priorities\\s+(?:are|", "'priorities\\s+((?:are|", "is not a valid regular expression"),
    ("voice.yml", "[someone in, who]", "[someone in, who, is]", "takes at most 2 entries"),
    ("restorative.yml", "(?P<at>{list:character}(?:", "(?P<at>{list:charakter}(?:", "names {list:charakter}, which 'lists'"),
])
def test_a_typo_in_a_data_file_is_one_line_with_the_file_and_line(tmp_path, file, old, new, message):
    rules = tmp_path / "rules"
    shutil.copytree(data_dir("style_rules"), rules)
    text = (rules / file).read_text(encoding="utf-8")
    assert old in text
    (rules / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / ".confpack.toml").write_text('style_rules = "rules"\n', encoding="utf-8")
    (tmp_path / "r.md").write_text("You came.\n", encoding="utf-8")
    res = run("lint", str(tmp_path / "r.md"))
    res.stderr += res.stdout   # lint reports files it cannot use among its results
    assert res.returncode == 2 and "Traceback" not in res.stderr
    line = next(i for i, text in enumerate(text.replace(old, new, 1).split("\n"), 1) if new.strip().split("\n")[-1] in text) \
        if new else None
    assert message in res.stderr, res.stderr
    assert re.search(rf"{re.escape(str(rules / file))}:\d+: error: ", res.stderr), res.stderr
    if line and "needs" not in message:
        assert f"{rules / file}:{line}: error:" in res.stderr, res.stderr


def test_a_bad_glossary_entry_names_its_line(tmp_path):
    (tmp_path / "extra.yml").write_text("terms:\n  - {term: EBCS, kind: acronim, plain: x}\n", encoding="utf-8")
    (tmp_path / ".confpack.toml").write_text('glossary = ["extra.yml"]\n', encoding="utf-8")
    (tmp_path / "r.md").write_text("You came.\n", encoding="utf-8")
    res = run("lint", str(tmp_path / "r.md"))
    assert res.returncode == 2 and f"{tmp_path / 'extra.yml'}:2: error:" in res.stdout and "acronym" in res.stdout


def test_anything_unexpected_is_one_line_and_exit_2_and_debug_shows_it(tmp_path, monkeypatch):
    from pipeline.render import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(jobs, "render_files", broken)
    (tmp_path / "r.md").write_text(REPORT, encoding="utf-8")
    res = run("render", str(tmp_path / "r.md"), "--for", "mum", "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert res.stderr.strip() == ("confpack could not render: RuntimeError: the disk went away; run again with "
                                  "--debug for details")
    with pytest.raises(RuntimeError):
        run("--debug", "render", str(tmp_path / "r.md"), "--for", "mum", "--out", str(tmp_path / "out"))


def test_the_shipped_data_files_pass_their_schemas_and_hold_every_wording_the_code_uses():
    from pipeline.config import WORDING, load_settings
    from pipeline.lint.glossary import glossary_of

    settings = load_settings()
    assert len(glossary_of(settings).terms) > 500
    code = " ".join((ROOT / "pipeline" / f).read_text(encoding="utf-8")
                    for f in ("chair/documents.py", "pack/documents.py"))
    used = set(re.findall(r'_[whp]\((?:\d, )?"([a-z_]+)"', code)) | set(re.findall(r'\["wording"\]\["([a-z_]+)"\]', code))
    used |= {f"opening_{w}" for w in ("came", "apologies", "invited")}
    assert used and used <= set(WORDING) <= set(settings.letters["wording"])


def test_an_invitation_worded_about_its_reader_is_refused(project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    letters = copy / "rules" / "letters.yml"
    letters.write_text(letters.read_text(encoding="utf-8").replace(
        "Westmoor invites you to a meeting about {children}.",
        "Westmoor invites the parents to a meeting about {children}."), encoding="utf-8")
    res = run("pack", str(copy / "manifest.yml"), "--out", str(tmp_path / "out"))
    assert res.returncode == 1
    assert "would talk about them, not to them: 'the parents'; change the invitation wording" in res.stdout + res.stderr
