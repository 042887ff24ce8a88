"""OUT/summary.html has one row per pack (one conference, one invited person) with a status
and the reason, the conferences that need attention first; OUT/summary.csv keeps one row
per document.  Real `confpack pack` runs (DOCX only, no LibreOffice) on a small week of
four review conferences for one fictional family: one clean, one late, one where a parent
gets the pack by email but has no email address, and one blocked by a missing report."""
from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES, dedent, run

from pipeline.pack.manifest import load_manifest
from pipeline.pack.run import FIELDS

# the sample family renamed: the reports and the manifest must name the same people
NAMES = {"Fairbairn": "Ashworth", "Stacey": "Kerry", "Linda": "Brenda", "Harvey": "Oscar", "Ruby": "Nell"}
REPORTS = ("social-work-report.md", "recovery-service-report.md")

CONFERENCE = """\
  - id: {id}
    type: review
    date: 2026-12-30
    time: "10:00"
    venue: Westmoor Children's Centre, 15 Station Street, Westmoor
    chair: Helen Marchbank
    previous_conference: {{date: {previous}, type: review}}
    children:
      - {{id: harvey, name: Oscar Ashworth, dob: 2018-03-12}}
      - {{id: ruby, name: Nell Ashworth, dob: 2024-08-01}}
    people:
      - id: mum
        name: Kerry Ashworth
        role: parent
        relationship: Mum to Oscar and Nell
        delivery: {mum_delivery}
      - id: nan
        name: Brenda Ashworth
        role: carer
        relationship: Nan to Oscar and Nell (Kerry's mum); the children live with her
        delivery: {{by: post, address: "7 Poplar Grove, Westmoor WM6 1QE"}}
    professionals:
      - {{id: tom-keeble, name: Tom Keeble, role: Social worker, agency: Eastbrook Council Children's Services, delivery: {{by: email, email: t.keeble@eastbrook.example.gov.uk}}}}
      - {{id: jas-bhamra, name: Jas Bhamra, role: Recovery worker, agency: Eastbrook Recovery Service, delivery: {{by: email, email: jas.bhamra@example.nhs.uk}}}}
    reports:
      - reports/social-work-report.md
      - reports/recovery-service-report.md
{extra}
"""
EMAIL = "{by: email, email: kerry.ashworth@example.org, password: generate}"
# in manifest order; the summary shows them worst first
WEEK = [
    dict(id="clean", previous="2026-07-08", mum_delivery=EMAIL, extra=""),
    dict(id="late", previous="2026-05-06", mum_delivery=EMAIL, extra=""),      # review due by 6 November
    dict(id="no-email", previous="2026-07-08", mum_delivery="{by: email, password: generate}", extra=""),
    dict(id="blocked", previous="2026-07-08", mum_delivery=EMAIL,
         extra="      - reports/police-report.md           # not received: the file does not exist"),
]
PEOPLE = ["Kerry Ashworth", "Brenda Ashworth", "Tom Keeble", "Jas Bhamra"]


def _week(folder: Path, conferences: list[dict] = WEEK, added: str = "") -> Path:
    """The test week in ``folder``: its manifest and the renamed reports (``added`` appended
    to the social worker's report)."""
    for name in REPORTS:
        text = (SAMPLES / "week" / "fairbairn" / name).read_text(encoding="utf-8")
        for old, new in NAMES.items():
            text = re.sub(rf"\b{old}\b", new, text)
        if name == "social-work-report.md":
            text += added
        (folder / "reports").mkdir(parents=True, exist_ok=True)
        (folder / "reports" / name).write_text(text, encoding="utf-8")
    manifest = folder / "manifest.yml"
    manifest.write_text(dedent("""
        # A test week: one family, four review conferences
        policy:
          lint_errors: flag
          missing_reports: block
        conferences:
        """) + "".join(CONFERENCE.format(**c) for c in conferences), encoding="utf-8")
    return manifest


class _Page(HTMLParser):
    """The parts of summary.html a reader relies on: the count line, the table (its caption,
    header cells and each body row's cells with their tags and attributes) and the headings."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.count = ""
        self.caption = ""
        self.head: list[tuple[str, dict]] = []          # (text, attributes) of each column header
        self.rows: list[list[tuple[str, str, dict]]] = []  # body rows: (tag, text, attributes)
        self.h2: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._text: list[str] | None = None
        self._cell: tuple[str, dict] | None = None
        self._where = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang", "")
        elif tag in ("thead", "tbody"):
            self._where = tag
        elif tag == "tr" and self._where == "tbody":
            self.rows.append([])
        elif tag in ("td", "th", "caption", "h2") or (tag == "p" and attrs.get("class") == "count"):
            self._cell, self._text = (tag, attrs), []
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if self._cell is None or tag != self._cell[0]:
            return
        text = "".join(self._text or []).strip()
        name, attrs = self._cell
        if name == "caption":
            self.caption = text
        elif name == "h2":
            self.h2.append(text)
        elif name == "p":
            self.count = text
        elif self._where == "thead":
            self.head.append((text, attrs))
        else:
            self.rows[-1].append((name, text, attrs))
        self._cell, self._text = None, None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def packs(self) -> list[dict[str, str]]:
        """Each body row as {column header: cell text}."""
        columns = [text for text, _ in self.head]
        return [dict(zip(columns, (text for _, text, _ in row))) for row in self.rows]


def _pack(manifest: Path, out: Path):
    return run("pack", str(manifest), "--out", str(out), "--today", "2026-12-01")


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    folder = tmp_path_factory.mktemp("summary")
    manifest = _week(folder)
    out = folder / "out"
    res = _pack(manifest, out)
    return manifest, out, res, _Page((out / "summary.html").read_text(encoding="utf-8"))


def test_the_week_runs_and_only_the_blocked_conference_is_not_made(week):
    manifest, out, res, _ = week
    assert res.returncode == 1, res.stdout + res.stderr       # a blocked conference: exit code 1
    assert "BLOCKED  blocked: blocked: missing report police-report.md: the file does not exist" in res.stdout
    assert "ok       clean: made, 4 packs made" in res.stdout   # no surprises in the renamed reports
    made = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert made == ["clean", "late", "no-email"]


def test_one_row_per_pack_including_every_person_of_the_blocked_conference(week):
    manifest, _, _, page = week
    packs = page.packs()
    assert len(packs) == 16
    expected = {(c.id, w.name) for c in load_manifest(manifest).conferences for w in c.recipients}
    assert {(p["Conference"], p["Pack for"].split("\n")[0]) for p in packs} == expected
    status = {}
    for p in packs:
        status.setdefault(p["Conference"], {})[p["Pack for"].split("\n")[0]] = p["Status"]
    assert status["clean"] == dict.fromkeys(PEOPLE, "made")
    assert status["late"] == dict.fromkeys(PEOPLE, "made with warnings")
    assert status["no-email"] == {**dict.fromkeys(PEOPLE, "made"), "Kerry Ashworth": "not deliverable"}
    assert status["blocked"] == dict.fromkeys(PEOPLE, "failed")


def test_each_status_gives_its_reason(week):
    manifest, _, _, page = week
    packs = page.packs()
    reason = {(p["Conference"], p["Pack for"].split("\n")[0]): p["Reason and what to do"] for p in packs}
    for who in PEOPLE:
        assert reason[("clean", who)] == ""
        assert reason[("blocked", who)].startswith(
            "Blocked by a pre-flight check: missing report police-report.md: the file does not exist")
        assert reason[("late", who)].startswith("Timescale missed.")
        assert "See the checks for late" in reason[("late", who)]
    line = next(w.delivery.line for c in load_manifest(manifest).conferences if c.id == "no-email"
                for w in c.recipients if w.id == "mum")
    assert reason[("no-email", "Kerry Ashworth")] == (
        f"No email address: add one to Kerry Ashworth's delivery details in manifest.yml (line {line}), "
        "or send the pack by post with an address.")
    assert reason[("no-email", "Brenda Ashworth")] == ""
    # the delivery and the folder say the same thing, in words
    row = next(p for p in packs if p["Conference"] == "no-email" and p["Pack for"].startswith("Kerry"))
    assert row["Delivery"] == "email (address missing), with password"
    assert row["Pack folder"] == "no-email/mum/"
    assert all(p["Pack folder"] == "not made" for p in packs if p["Conference"] == "blocked")


def test_conferences_needing_attention_come_first_and_the_worst_pack_first(week):
    _, _, _, page = week
    packs = page.packs()
    order = list(dict.fromkeys(p["Conference"] for p in packs))
    assert order == ["blocked", "no-email", "late", "clean"]       # the manifest lists them clean first
    no_email = [p["Pack for"].split("\n")[0] for p in packs if p["Conference"] == "no-email"]
    assert no_email == ["Kerry Ashworth", "Brenda Ashworth", "Tom Keeble", "Jas Bhamra"]
    # each conference that needs attention has its checks under its own heading; the clean one has none
    assert page.h2 == ["blocked: review conference, Wednesday 30 December 2026",
                       "no-email: review conference, Wednesday 30 December 2026",
                       "late: review conference, Wednesday 30 December 2026"]


def test_the_count_line_and_the_checks(week):
    _, out, _, page = week
    assert page.count == "16 packs: 7 made, 4 made with warnings, 1 not deliverable, 4 failed"
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "blocks the packs</strong>, report: missing report police-report.md" in html
    assert "review 54 day(s) late: the review conference was on Wednesday 6 May 2026" in html
    assert "Kerry Ashworth (mum) gets the pack by email but has no email address" in html


def test_the_page_is_an_accessible_table_with_no_outside_resources(week):
    _, out, _, page = week
    assert page.lang == "en-GB"
    assert page.caption.startswith("Every pack, one row per person invited")
    assert [text for text, _ in page.head] == ["Status", "Conference", "Date", "Pack for", "Delivery",
                                              "Reason and what to do", "Pack folder"]
    assert all(attrs.get("scope") == "col" for _, attrs in page.head)
    for row in page.rows:   # the person is each row's header; the status is a word, not only a colour
        assert [(tag, attrs.get("scope")) for tag, _, attrs in row if tag == "th"] == [("th", "row")]
        assert row[0][1] in ("made", "made with warnings", "not deliverable", "failed")
    assert not any(tag in ("script", "link", "img", "iframe") for tag, _ in page.tags)
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert links and not [h for h in links if re.match(r"[a-z]+:", h)]      # only anchors and pack folders
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "http" not in html.replace("example", "")


def test_the_csv_keeps_one_row_per_document_with_its_pack_status(week):
    _, out, _, _ = week
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames[:len(FIELDS)] == FIELDS and "pack_status" in reader.fieldnames
    made = [r for r in rows if r["status"] == "made"]
    documents = sorted(str(p.relative_to(out)) for p in out.glob("*/*/*.docx"))
    assert sorted(r["output"] for r in made) == documents and len(documents) > 16
    assert {r["pack_status"] for r in made if r["conference"] == "no-email" and r["recipient"] == "mum"} \
        == {"not deliverable"}
    assert {r["pack_status"] for r in made if r["conference"] == "late"} == {"made with warnings"}
    blocked = [r for r in rows if r["conference"] == "blocked"]
    assert len(blocked) == 1 and blocked[0]["status"] == "blocked" and blocked[0]["pack_status"] == "failed"
    assert "police-report.md" in blocked[0]["output"]


def test_a_second_run_shows_unchanged_packs_as_made(tmp_path):
    manifest = _week(tmp_path)
    out = tmp_path / "out"
    _pack(manifest, out)
    res = _pack(manifest, out)
    assert "clean: unchanged, 0 packs made, 4 unchanged" in res.stdout
    page = _Page((out / "summary.html").read_text(encoding="utf-8"))
    assert page.count == "16 packs: 7 made, 4 made with warnings, 1 not deliverable, 4 failed"
    clean = [p for p in page.packs() if p["Conference"] == "clean"]
    assert [p["Status"] for p in clean] == ["made"] * 4
    assert all(p["Pack folder"].endswith("(unchanged)") for p in clean)
    assert "12 of the packs had nothing changed since the last run" in (out / "summary.html").read_text("utf-8")


def test_a_conference_that_fails_lists_every_pack_as_failed_with_the_error(tmp_path):
    # Kerry's email address in the social worker's report: Brenda does not read that inbox, so
    # her copy cannot be made safely and the conference fails (not blocked: pre-flight passed)
    manifest = _week(tmp_path, WEEK[:1], "\nKerry can be reached at kerry.ashworth@example.org.\n")
    out = tmp_path / "out"
    res = _pack(manifest, out)
    assert res.returncode == 1 and "FAILED   clean: failed: " in res.stdout
    page = _Page((out / "summary.html").read_text(encoding="utf-8"))
    assert page.count == "4 packs: 0 made, 0 made with warnings, 0 not deliverable, 4 failed"
    packs = page.packs()
    assert [p["Pack for"].split("\n")[0] for p in packs] == PEOPLE
    assert {p["Status"] for p in packs} == {"failed"}
    for p in packs:
        assert p["Reason and what to do"].startswith("Not made: ") and "email" in p["Reason and what to do"]
    assert page.h2 == ["clean: review conference, Wednesday 30 December 2026"]
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["status"], r["pack_status"]) for r in rows] == [("failed", "failed")]
