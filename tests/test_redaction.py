"""Redaction: an adversarial suite rendered with the real LibreOffice, each output scanned by
the verifier and, independently, by a plain search of the unzipped DOCX, pdftotext and
pypdf's text extraction (the verifier reads PDF text with pdftotext when it is installed)."""
from __future__ import annotations

import re
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import dedent, run
from pypdf import PdfReader

from pipeline.config import load_settings
from pipeline.redact.verify import scan
from pipeline.render.jobs import Output, render_files

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

FRONT = dedent("""
    ---
    kind: agency-report
    conference:
      type: initial
      date: 2026-12-03
      time: "10:00"
      venue: Eastbrook Family Centre
      chair: Priya Shah
    children:
      - id: jamie
        name: Jamie Taylor
        dob: 2015-05-14
    people:
      - id: mum
        name: Sam Taylor
        role: parent
        relationship: Mum to Jamie
        private:
          address: Flat 2, 14 Mill Lane, Eastbrook EB3 4QT
          phone: 07700 900123
          withhold_from: [dad]
      - id: dad
        name: Dale Brennick
        role: parent
        relationship: Dad to Jamie
    author:
      name: Ruth Okafor
      role: Teacher
      agency: Eastbrook Academy
    ---
    """)
ADDRESS_FORMS = ["14 Mill Lane", "EB3 4QT", "07700900123", "07700 900123"]


@dataclass
class Case:
    id: str
    body: str
    recipient: str = "dad"
    secrets: list[str] = field(default_factory=list)   # must not be recoverable
    shown: list[str] = field(default_factory=list)     # must be there
    outcome: str = "ok"                                # ok | refuse | error
    front: str = FRONT
    marker: bool = True                                # "[removed]" expected


CASES = [
    Case("paragraph-span", 'You came on time. [Zebrafinch moved house]{withhold="dad"} today.\n',
         secrets=["Zebrafinch"], shown=["You came on time."]),
    Case("heading-span", '## Worries about [Quagmire Close]{withhold="dad"}\n\nYou came.\n',
         secrets=["Quagmire Close"], shown=["Worries about"]),
    Case("table-cell", '| Who | Where |\n|---|---|\n| You | [Brindlewood Road]{withhold="dad"} |\n',
         secrets=["Brindlewood"], shown=["Who", "Where"]),
    Case("nested-list", '- One\n  - Two [Marrowbone Flats]{withhold="dad"}\n    1. Three\n',
         secrets=["Marrowbone"], shown=["Three"]),
    Case("bold-in-span", 'Start [**Okapi Terrace** and *Lynx Row*]{withhold="dad"} end.\n',
         secrets=["Okapi Terrace", "Lynx Row"], shown=["Start", "end."]),
    Case("span-in-bold", 'Start **bold [Pangolin Walk]{withhold="dad"} bold** end.\n',
         secrets=["Pangolin Walk"], shown=["Start"]),
    Case("italic", '*You said [Tapir Gardens]{withhold="dad"} was nice.*\n', secrets=["Tapir Gardens"]),
    Case("link-url", 'See [the refuge page](https://refuge-wren.example/stay){withhold="dad"} soon.\n',
         secrets=["refuge-wren", "the refuge page"], shown=["See"]),
    Case("reference-link", 'See [the shelter][s]{withhold="dad"} soon.\n\n[s]: https://shelter-kite.example/x\n',
         secrets=["shelter-kite", "the shelter"], shown=["See"]),
    Case("footnote-text", 'A note.[^1]\n\n[^1]: You live near [Heronsgate Park]{withhold="dad"}.\n',
         secrets=["Heronsgate"], shown=["You live near"]),
    Case("footnote-inside-span", 'Text [hidden bit[^2]]{withhold="dad"} end.\n\n[^2]: Footnote Gannetfield.\n',
         secrets=["Gannetfield", "hidden bit"], shown=["Text"]),
    Case("block-quote", '> You said: "we live by [Sandpiper Lake]{withhold="dad"} now"\n',
         secrets=["Sandpiper Lake"], shown=["You said"]),
    Case("image-alt", 'Look: ![Jamie at Cormorant Bay school](pic.png){withhold="dad"} here.\n',
         secrets=["Cormorant Bay"], shown=["Look:"]),
    Case("escaped-brackets", 'A [note \\[Wolverine Yard\\] here]{withhold="dad"} end.\n',
         secrets=["Wolverine Yard"], shown=["end."]),
    Case("whole-section", '## Public\n\nYou came.\n\n::: {withhold="dad"}\n## Kestrel House\n\nLiving at Kestrel House now.\n\n- item Kestrel\n:::\n',
         secrets=["Kestrel"], shown=["Public", "You came."]),
    Case("div-professionals-list", '::: {only="professionals"}\n- Police note Ocelot\n- Bail Ocelot\n:::\n\nYou came.\n',
         secrets=["Ocelot"], recipient="mum", shown=["You came."]),
    Case("div-table", 'You came.\n\n::: {withhold="dad"}\n| A | B |\n|---|---|\n| Albatross Court | 2 |\n:::\n',
         secrets=["Albatross"]),
    Case("nested-div-span-dad", '::: {only="mum dad"}\nShared text Hedgehog. [Dad cannot see Mongoose]{withhold="dad"}\n:::\n',
         secrets=["Mongoose"], shown=["Shared text Hedgehog."]),
    Case("nested-div-span-mum", '::: {only="mum dad"}\nShared text Hedgehog. [Dad cannot see Mongoose]{withhold="dad"}\n:::\n',
         recipient="mum", shown=["Hedgehog", "Mongoose"], marker=False),
    Case("nested-divs", '::: {only="professionals"}\n::: {withhold="dad"}\nDeep Narwhal\n:::\n:::\n\nYou came.\n',
         recipient="mum", secrets=["Narwhal"], shown=["You came."]),
    Case("only-list-dad", 'A [Support from Ibis Trust]{only="mum professionals"} B\n', secrets=["Ibis Trust"]),
    Case("only-list-mum", 'A [Support from Ibis Trust]{only="mum professionals"} B\n', recipient="mum",
         shown=["Ibis Trust"], marker=False),
    Case("only-parents-child", 'A [Parents only Caracal]{only="parents"} B\n', recipient="jamie",
         secrets=["Caracal"]),
    Case("only-parents-dad", 'A [Parents only Caracal]{only="parents"} B\n', shown=["Caracal"], marker=False),
    Case("withhold-children", 'A [Not for children Serval]{withhold="children"} B\n', recipient="jamie",
         secrets=["Serval"]),
    Case("withhold-family", 'A [Not for family Jackal]{withhold="family"} B\n', recipient="mum", secrets=["Jackal"]),
    Case("withhold-family-professionals", 'A [Not for family Jackal]{withhold="family"} B\n',
         recipient="professionals", shown=["Jackal"], marker=False),
    Case("chair-sees-all", 'A [Hidden Wombat]{only="professionals"} and [Dingo]{withhold="chair"} B\n',
         recipient="chair", shown=["Wombat", "Dingo"], marker=False),
    Case("silent-span", 'Before [quiet Capybara]{withhold="dad" .silent} after.\n', secrets=["Capybara"],
         shown=["Before", "after."], marker=False),
    Case("private-unmarked", "You live at Flat 2, 14 Mill Lane, Eastbrook EB3 4QT.\n", outcome="refuse"),
    Case("private-capitals", "YOUR NEW HOME IS 14 MILL LANE.\n", outcome="refuse"),
    Case("private-split-lines", "Your home is 14 Mill\nLane in Eastbrook.\n", outcome="refuse"),
    Case("private-hyphenated", "Your home is 14 Mill-\nLane in Eastbrook.\n", outcome="refuse"),
    Case("phone-no-spaces", "Call 07700900123 any time.\n", outcome="refuse"),
    Case("phone-international", "Call +44 7700 900123 any time.\n", outcome="refuse"),
    Case("postcode-alone", "The flat is in EB3 4QT.\n", outcome="refuse"),
    Case("private-in-table", "| Where |\n|---|\n| 14 Mill Lane |\n", outcome="refuse"),
    Case("private-in-link", "[map](https://maps.example/14-mill-lane-eb3-4qt)\n", outcome="refuse"),
    Case("private-marked", 'You moved to [Flat 2, 14 Mill Lane, Eastbrook EB3 4QT]{withhold="dad"}.\n',
         secrets=ADDRESS_FORMS, shown=["You moved to"]),
    Case("private-own-copy", "You live at 14 Mill Lane.\n", recipient="mum", shown=["14 Mill Lane"], marker=False),
    Case("private-school-in-header", "You came.\n", outcome="refuse",
         front=FRONT.replace("    dob: 2015-05-14\n",
                             "    dob: 2015-05-14\n    school: Ravenscourt Primary\n"
                             "    private:\n      school: Ravenscourt Primary\n      withhold_from: [dad]\n")),
    Case("html-comment", "You came.\n\n<!-- Secret author note Flamingo -->\n\nEnd <!-- inline Flamingo --> here.\n",
         recipient="mum", secrets=["Flamingo"], shown=["You came."], marker=False),
    Case("code-block-in-div", 'You came.\n\n::: {withhold="dad"}\n```\nCode Lemming\n```\n:::\n',
         secrets=["Lemming"]),
    Case("unknown-word", 'A [x]{withhold="dda"} B\n', outcome="error"),
    Case("empty-only", 'A [x]{only=""} B\n', outcome="error"),
    Case("unclosed-div", '::: {withhold="dad"}\nText\n', outcome="error"),
    Case("bad-span-attrs", 'A [x]{withhold="dad} B\n', outcome="error"),
    Case("unknown-recipient", "You came.\n", recipient="grandad", outcome="error"),
    Case("title-from-span", '# [Report about Puffin Street]{withhold="dad"}\n\nYou came.\n', secrets=["Puffin"]),
]


def _png(path: Path) -> None:
    raw = b"\x00\xff\xff\xff"
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))
    path.write_bytes(data)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def plain(text: str) -> str:
    """Independent of the verifier: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def unzipped_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    base = tmp_path_factory.mktemp("redaction")
    by_case = {}
    recipients = sorted({c.recipient for c in CASES})
    for recipient in recipients:
        cases = [c for c in CASES if c.recipient == recipient]
        src = base / "src" / recipient
        src.mkdir(parents=True)
        _png(src / "pic.png")
        for c in cases:
            (src / f"{c.id}.md").write_text(c.front + "\n" + c.body, encoding="utf-8")
        out = base / "out" / recipient
        run_ = render_files([src / f"{c.id}.md" for c in cases], recipient, load_settings(), Output(out, pdf=True))
        errors = {Path(e.path).stem: e for e in run_.errors}
        made = {Path(r.source).stem: [r.docx] + ([r.pdf] if r.pdf else []) for r in run_.rendered}
        for c in cases:
            by_case[c.id] = (sorted(made.get(c.id, [])), errors.get(c.id))
    return by_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, results):
    files, error = results[case.id]
    if case.outcome in ("refuse", "error"):
        assert error is not None, f"{case.id} should have been refused"
        assert files == [], "nothing may be written for a refused report"
        assert error.path and (case.outcome == "error" or "refused" in error.message or "without a mark" in
                               error.message or "is printed on" in error.message), error
        return
    assert error is None, str(error)
    assert {p.suffix for p in files} == {".docx", ".pdf"}, files
    docx = next(p for p in files if p.suffix == ".docx")
    pdf = next(p for p in files if p.suffix == ".pdf")
    raw = plain(unzipped_text(docx))
    pdf_plain = plain(pdftotext(pdf))
    pypdf_plain = plain(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    for secret in case.secrets:
        assert plain(secret) not in raw, f"{secret!r} found in the unzipped DOCX"
        assert plain(secret) not in pdf_plain, f"{secret!r} found by pdftotext"
        assert plain(secret) not in pypdf_plain, f"{secret!r} found by pypdf"  # a second, different extractor
        assert plain(secret) not in plain(docx.name)
    for text in case.shown:
        assert plain(text) in pdf_plain, f"{text!r} missing from the PDF"
    assert ("[removed]" in pdftotext(pdf)) == case.marker
    for path in files:
        assert scan(path, []) == []


def test_verifier_catches_what_a_wrong_copy_leaks(tmp_path):
    """The verifier is not a rubber stamp: mum's copy, checked as if it were dad's, leaks."""
    src = tmp_path / "r.md"
    src.write_text(FRONT + '\nYou moved to [Flat 2, 14 Mill Lane]{withhold="dad"}. [Police note Ocelot]{only="mum"}\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    res = run("render", str(src), "--for", "mum", "--out", str(out), "--pdf")
    assert res.returncode == 0, res.stderr
    files = sorted(str(p) for p in out.glob("*for-mum.*"))
    res = run("verify", *files, "--source", str(src), "--for", "dad")
    assert res.returncode == 1
    assert "private address" in res.stdout and "word/document.xml" in res.stdout and "page 1" in res.stdout
    assert "Mill Lane" not in res.stdout, "the report names what leaked, never the text itself"
    assert run("verify", *files, "--source", str(src), "--for", "mum").returncode == 0


def test_refusal_names_the_line_and_writes_nothing(tmp_path):
    src = tmp_path / "r.md"
    src.write_text(FRONT + "\nYou came.\n\nYour flat is at 14 Mill Lane.\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run("render", str(src), "--for", "dad", "--out", str(out), "--pdf")
    assert res.returncode == 2
    line = (FRONT + "\nYou came.\n\nYour flat is at 14 Mill Lane.\n").split("\n").index("Your flat is at 14 Mill Lane.") + 1
    assert f"{src}:{line}: error: Sam Taylor's private address appears here without a mark" in res.stderr
    assert list(out.iterdir()) == [] if out.exists() else True


def test_distribution_log_records_counts_and_hashes_never_text(tmp_path):
    src = tmp_path / "r.md"
    src.write_text(FRONT + '\nYou came. [Zebrafinch]{withhold="dad"} [Okapi]{only="professionals"}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert run("render", str(src), "--for", "dad", "--out", str(out)).returncode == 0
    assert run("render", str(src), "--for", "mum", "--out", str(out)).returncode == 0
    import json
    import sqlite3

    with sqlite3.connect(out / "distribution-log.sqlite") as db:
        rows = db.execute("SELECT recipient, withheld_by_rule, source_sha256, outputs FROM distribution").fetchall()
        dump = "\n".join(db.iterdump())
    assert [r[0] for r in rows] == ["dad", "mum"]
    assert json.loads(rows[0][1]) == {"only": 1, "private": 2, "withhold": 1}  # address and phone
    assert json.loads(rows[1][1]) == {"only": 1}
    assert len(rows[0][2]) == 64 and json.loads(rows[0][3])[0]["sha256"]
    for text in ("Zebrafinch", "Okapi", "Mill Lane"):
        assert text not in dump
    table = run("log", str(out)).stdout
    assert "dad" in table and "withhold 1" in table and "Zebrafinch" not in table


def test_removed_marker_is_configurable(tmp_path):
    (tmp_path / ".confpack.toml").write_text('removed_marker = "(not in your copy)"\n', encoding="utf-8")
    src = tmp_path / "r.md"
    src.write_text(FRONT + '\nYou came. [Zebrafinch]{withhold="dad"}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert run("render", str(src), "--for", "dad", "--out", str(out)).returncode == 0
    from docx import Document

    text = "\n".join(p.text for p in Document(str(next(out.glob("*.docx")))).paragraphs)
    assert "(not in your copy)" in text and "Zebrafinch" not in text
