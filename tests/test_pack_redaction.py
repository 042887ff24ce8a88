"""Packs as an attacker would try them, on a conference of this test's own: a grandparent
posted at the father's address, a report nothing of which may reach the father, an author
he must not know, a private detail declared in only one report, a picture changed between
runs, and the files in each pack folder."""
from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import dedent, run
from PIL import Image
from pypdf import PdfReader

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

FAMILY = dedent("""
    children:
      - {id: amar, name: Amar Kaur, dob: 2014-02-11}
    people:
      - id: mum
        name: Harpreet Kaur
        role: parent
        relationship: Mum to Amar
        private:
          address: 7 Sycamore Walk, Westmoor WM9 2PL
          withhold_from: [dad, gran]
      - {id: dad, name: Lee Ashworth, role: parent, relationship: Dad to Amar}
      - {id: gran, name: June Ashworth, role: relative, relationship: Gran to Amar}
    """)
CONF = "conference: {type: initial, date: 2027-01-14, time: \"10:00\", venue: Westmoor Family Centre, chair: Ann Lowe}\n"
SW = f"""---
kind: social-work-report
{CONF}{FAMILY}author: {{name: Beth Carr, role: Social worker, agency: Westmoor Children's Services}}
shared_with_family: 2027-01-08
---

## What is working well?

You both love Amar. [Harpreet now works at Tamarind Bakery on Saturdays.]{{withhold="dad"}}

![Amar's drawing](drawing.png)

## What are we worried about?

You argue in front of Amar.

## What needs to happen?

Meet the family worker every week.

## What you and your children told me

Amar said he likes football.
"""
POLICE = f"""---
kind: agency-report
withhold_from: [dad, gran]
{CONF}{FAMILY}author: {{name: PC Dee Hart, role: Police officer, agency: Westmoor Police}}
shared_with_family: 2027-01-08
---

## What is working well?

Nothing to add.

## What are we worried about?

Lee was arrested near Quince Row on 2 January.

## What needs to happen?

The bail conditions stay.

## What you and your children told me

None.

## What we can offer

Nothing more.
"""
NO_PRIVATE = FAMILY.replace("    private:\n      address: 7 Sycamore Walk, Westmoor WM9 2PL\n      withhold_from: [dad, gran]\n", "")
REFUGE = f"""---
kind: agency-report
{CONF}{NO_PRIVATE}author: {{name: Orla Pike, role: Support worker, agency: Juniper House Refuge, withhold_from: [dad, gran]}}
shared_with_family: 2027-01-08
---

## What is working well?

You come to every session.

## What are we worried about?

You are still frightened.

## What needs to happen?

Keep coming to the group.

## What you and your children told me

You said you feel safer.

## What we can offer

A weekly group.
"""
MANIFEST = """\
council: Westmoor Council
conferences:
  - id: kaur
    type: initial
    date: 2027-01-14
    time: "10:00"
    venue: Westmoor Family Centre
    chair: Ann Lowe
    strategy_discussion: 2027-01-04
    children:
      - {id: amar, name: Amar Kaur, dob: 2014-02-11, advocate: Sol Reyes}
    people:
      - {id: mum, name: Harpreet Kaur, role: parent, relationship: Mum to Amar, delivery: {by: post, address: "7 Sycamore Walk, Westmoor WM9 2PL"}}
      - {id: dad, name: Lee Ashworth, role: parent, relationship: Dad to Amar, delivery: {by: post, address: "2 Brook Yard, Westmoor WM1 1AA"}}
      - {id: gran, name: June Ashworth, role: relative, relationship: Gran to Amar, delivery: {by: post, address: "2 Brook Yard, Westmoor WM1 1AA"}}
    professionals:
      - {id: beth-carr, name: Beth Carr, role: Social worker, agency: Westmoor Children's Services, delivery: {by: email, email: beth.carr@westmoor.example.gov.uk}}
    reports:
      - sw.md
      - police.md
      - refuge.md
"""


def _drawing(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def conference(tmp_path_factory):
    base = tmp_path_factory.mktemp("kaur")
    for name, text in (("sw.md", SW), ("police.md", POLICE), ("refuge.md", REFUGE), ("manifest.yml", MANIFEST)):
        (base / name).write_text(text, encoding="utf-8")
    (base / "drawing.png").write_bytes(_drawing((10, 120, 200)))
    res = run("pack", str(base / "manifest.yml"), "--out", str(base / "out"), "--pdf", "--today", "2027-01-07")
    assert res.returncode == 0, res.stdout + res.stderr
    return base, res


def _everything(folder: Path) -> str:
    text = []
    for path in folder.iterdir():
        text.append(path.name)
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                text += [z.read(n).decode("latin-1") for n in z.namelist()]
        elif path.suffix == ".pdf":
            text.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)
            reader = PdfReader(str(path))
            text += [str(v) for v in (reader.metadata or {}).values()]
            text += [str(item.title) for item in reader.outline if not isinstance(item, list)]
    return " ".join(text)


def test_a_grandparent_posted_at_the_fathers_home_gets_only_what_he_may_see(conference):
    base, res = conference
    gran = _everything(base / "out" / "kaur" / "gran")
    dad = _everything(base / "out" / "kaur" / "dad")
    mum = _everything(base / "out" / "kaur" / "mum")
    assert "Tamarind" in mum
    for text in (gran, dad):
        assert "Tamarind" not in text and "Sycamore" not in text
    assert "June Ashworth's pack is posted to the home of Lee Ashworth" in res.stdout


def test_a_report_withheld_in_full_leaves_no_trace(conference):
    base, _ = conference
    for who in ("dad", "gran"):
        folder = base / "out" / "kaur" / who
        text = _everything(folder)
        assert "Quince" not in text and "Westmoor Police" not in text and "Dee Hart" not in text
        names = sorted(p.name for p in folder.iterdir())
        assert names == ["01-invitation.docx", "02-agenda.docx", "03-social-work-report.docx",
                         "04-agency-report.docx", "05-leaflet.docx", f"kaur-{who}-pack.pdf"], names
        assert not [p for p in folder.iterdir() if p.name.startswith(".")], "pack metadata inside a pack"
    assert "Quince" in _everything(base / "out" / "kaur" / "mum")


def test_a_hidden_author_is_in_no_header_bookmark_or_name(conference):
    base, _ = conference
    for who in ("dad", "gran"):
        text = _everything(base / "out" / "kaur" / who)
        assert "Juniper" not in text and "Orla Pike" not in text and "You come to every session" in text
    mum = _everything(base / "out" / "kaur" / "mum")
    assert "Juniper House Refuge" in mum and "Orla Pike" in mum


def test_a_detail_in_one_report_protects_the_others_and_the_manifest(conference, tmp_path):
    base, _ = conference
    (tmp_path / "sw.md").write_text(SW, encoding="utf-8")
    (tmp_path / "drawing.png").write_bytes(_drawing((10, 120, 200)))
    (tmp_path / "police.md").write_text(POLICE, encoding="utf-8")
    (tmp_path / "refuge.md").write_text(REFUGE.replace("You are still frightened.",
                                                       "You are still frightened at 7 Sycamore Walk."),
                                        encoding="utf-8")
    (tmp_path / "manifest.yml").write_text(MANIFEST, encoding="utf-8")
    res = run("pack", str(tmp_path / "manifest.yml"), "--out", str(tmp_path / "out"), "--today", "2027-01-07")
    assert res.returncode == 1
    line = REFUGE.replace("You are still frightened.", "You are still frightened at 7 Sycamore Walk.") \
        .split("\n").index("You are still frightened at 7 Sycamore Walk.") + 1
    assert f"refuge.md:{line}: error: Harpreet Kaur's private address appears here without a mark" in res.stdout


def test_reruns_see_pictures_and_state_lives_outside_the_packs(conference, tmp_path):
    base, _ = conference
    out = base / "out"
    state = json.loads((out / ".confpack" / "kaur" / "dad.json").read_text(encoding="utf-8"))
    assert state["hash"] and state["rows"]
    again = run("pack", str(base / "manifest.yml"), "--out", str(out), "--pdf", "--today", "2027-01-07")
    assert "kaur: unchanged" in again.stdout, again.stdout
    (base / "drawing.png").write_bytes(_drawing((200, 30, 30)))
    changed = run("pack", str(base / "manifest.yml"), "--out", str(out), "--pdf", "--today", "2027-01-07")
    assert "kaur: made, 4 packs made, 0 unchanged" in changed.stdout, changed.stdout


def _invitee(pid, by, address="", email="", group="family"):
    from pipeline.pack.manifest import Delivery, Invitee

    return Invitee(pid, pid.title(), 1, group, role="parent", delivery=Delivery(by, email, address))


def test_households_see_through_spellings_aliases_and_plus_addresses():
    from pipeline.pack.manifest import Conference, household

    conf = Conference("c", 1, people=[
        _invitee("dad", "post", "22 Oak Road, Westmoor WM1 2AB"),
        _invitee("nan", "post", "22 Oak Rd, Westmoor"),                     # the same home, spelt another way
        _invitee("aunt", "post", "Flat 2, 22 Oak Road, Westmoor"),          # another flat: another home
        _invitee("mum", "email", email="dale.brennick@gmail.com"),
        _invitee("gran", "email", email="Dale.Brennick+nan@googlemail.com"),  # the same Gmail inbox
    ])
    ids = {w.id: household(conf, w) for w in conf.people}
    assert ids["nan"] == ("dad",) and ids["dad"] == ("nan",) and ids["aunt"] == ()
    assert ids["gran"] == ("mum",) and ids["mum"] == ("gran",)


def test_a_shared_inbox_keeps_a_parents_address_out_of_her_own_pack(tmp_path):
    text = MANIFEST.replace(
        '{by: post, address: "7 Sycamore Walk, Westmoor WM9 2PL"}',
        '{by: email, email: kaur.family@example.org, address: "7 Sycamore Walk, Westmoor WM9 2PL"}').replace(
        'delivery: {by: post, address: "2 Brook Yard, Westmoor WM1 1AA"}}\n      - {id: gran',
        'delivery: {by: email, email: Kaur.Family@example.org}}\n      - {id: gran')
    for name, body in (("sw.md", SW), ("police.md", POLICE), ("refuge.md", REFUGE), ("manifest.yml", text)):
        (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "drawing.png").write_bytes(_drawing((10, 120, 200)))
    res = run("pack", str(tmp_path / "manifest.yml"), "--out", str(tmp_path / "out"), "--today", "2027-01-07")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Harpreet Kaur's pack is emailed to an address Lee Ashworth also uses" in res.stdout
    mum = _everything(tmp_path / "out" / "kaur" / "mum")
    assert "Sycamore" not in mum and "Tamarind" not in mum and "Quince" not in mum
