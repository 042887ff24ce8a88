"""`confpack pack` on the sample week (8 conferences, real LibreOffice, real PDFs): what
each recipient's pack holds, bookmarks and page numbers, AES-256 passwords, the summary,
the pre-flight findings, skipping unchanged packs, and a run killed part-way through."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import CONFPACK, SAMPLES, run
from pypdf import PdfReader
from test_render import docx_text

from pipeline.config import load_settings
from pipeline.pack.manifest import load_manifest
from pipeline.pack.preflight import preflight

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

WEEK = SAMPLES / "week"
MANIFEST = WEEK / "manifest.yml"
SECRETS = {  # a parent's new address, which the other parent must never see
    "taylor": ("dad", ["14 Mill Lane", "Mill Lane, Eastbrook", "EB3 4QT", "07700 900123"]),
    "foulds": ("dad", ["27 Larch Court", "Larch Court", "WM4 7DS"]),
    "sewell": ("dad", ["Kestrel House", "41 Quarry Road", "EB7 2NW", "07700 900318"]),
}


def pack(*args, out: Path):
    return run("pack", str(MANIFEST), "--out", str(out), "--today", "2026-12-01", *args)


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    out = tmp_path_factory.mktemp("week")
    res = pack("--pdf", "--jobs", "2", out=out)
    return out, res


def _pdf_text(path: Path, password: str | None = None) -> list[str]:
    reader = PdfReader(str(path))
    if reader.is_encrypted:
        assert reader.decrypt(password or "")
    return [page.extract_text() for page in reader.pages]


def _passwords(out: Path) -> dict[tuple[str, str], str]:
    with open(out / "passwords.csv", newline="", encoding="utf-8") as fh:
        return {(r["conference"], r["recipient"]): r["password"] for r in csv.DictReader(fh)}


def _local_manifest(tmp_path: Path, **policy: str) -> Path:
    """The sample manifest with other policies, its report paths made absolute."""
    text = MANIFEST.read_text(encoding="utf-8")
    for key, value in policy.items():
        text = re.sub(rf"(?m)^  {key}: flag ", f"  {key}: {value} ", text)
    text = re.sub(r"(?m)^(\s+- )((?:\.\./)?[\w-]+(?:/[\w-]+)*\.md)(?=\s*(?:#.*)?$)",
                  lambda m: m.group(1) + str(WEEK / m.group(2)), text)
    path = tmp_path / "manifest.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _copy_week(tmp_path: Path) -> Path:
    """A copy of the sample week (and the reports it shares) that a test may change."""
    shutil.copytree(WEEK, tmp_path / "week")
    shutil.copytree(SAMPLES / "initial-conference", tmp_path / "initial-conference")
    return tmp_path / "week"


def test_every_conference_is_made_and_a_missing_report_is_flagged(week):
    out, res = week
    assert res.returncode == 0, res.stdout + res.stderr
    assert "missing report police-report.md: the file does not exist; the packs are made without it" in res.stdout
    made = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert made == ["doyle", "fairbairn", "foulds", "marsh", "mensah", "sewell", "siddiqui", "taylor"]
    assert "missing report police-report.md" in (out / "summary.html").read_text(encoding="utf-8")


def test_one_blocked_conference_does_not_stop_the_others(tmp_path):
    manifest = _local_manifest(tmp_path, missing_reports="block")
    out = tmp_path / "out"
    res = run("pack", str(manifest), "--out", str(out), "--today", "2026-12-01")
    assert res.returncode == 1, res.stderr
    assert "BLOCKED  sewell: blocked: missing report police-report.md: the file does not exist" in res.stdout
    assert not (out / "sewell").exists()
    made = sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert made == ["doyle", "fairbairn", "foulds", "marsh", "mensah", "siddiqui", "taylor"]
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        sewell = [r for r in csv.DictReader(fh) if r["conference"] == "sewell"]
    assert len(sewell) == 1 and sewell[0]["status"] == "blocked" and "police-report.md" in sewell[0]["output"]


def test_each_recipient_gets_their_own_documents(week):
    out, _ = week
    names = lambda folder: sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert names(out / "taylor" / "dad") == [
        "01-invitation.docx", "02-agenda.docx", "03-social-work-report.docx", "04-agency-report.docx",
        "05-agency-report.docx", "06-parent-report.docx", "07-child-report.docx", "08-leaflet.docx",
        "taylor-dad-pack.pdf"]
    # the invited child: invitation, agenda, their own report and the children's leaflet
    assert names(out / "taylor" / "jamie") == ["01-invitation.docx", "02-agenda.docx", "03-child-report.docx",
                                               "04-leaflet.docx", "taylor-jamie-pack.pdf"]
    professional = names(out / "taylor" / "mark-denholm")
    assert "08-leaflet.docx" not in professional and "03-social-work-report.docx" in professional
    dad = docx_text(out / "taylor" / "dad" / "01-invitation.docx")
    assert "Dear Dale," in dad and "You are invited to a meeting about Jamie and Ellie" in dad
    assert "Tuesday 1 December 2026" in dad        # reports due 2 working days before Thursday 3 December
    mum = docx_text(out / "taylor" / "mum" / "01-invitation.docx")
    assert "Flat 2, 14 Mill Lane" in mum           # her own address block
    child = docx_text(out / "taylor" / "jamie" / "01-invitation.docx")
    assert "There will be a meeting about you" in child and "Priya can help you have your say" in child
    assert "About the meeting - for you" in docx_text(out / "taylor" / "jamie" / "04-leaflet.docx")
    sw = docx_text(out / "taylor" / "mark-denholm" / "01-invitation.docx")
    assert "Dear Mark," in sw and "Please give your report to the family by Tuesday 1 December" in sw


@pytest.mark.parametrize("conference", sorted(SECRETS))
def test_a_parents_new_address_reaches_no_file_of_the_other_parent(week, conference):
    out, _ = week
    who, secrets = SECRETS[conference]
    passwords = _passwords(out)
    manifest = load_manifest(MANIFEST)
    conf = next(c for c in manifest.conferences if c.id == conference)
    literal = {p.id: p.delivery.password for p in conf.recipients}
    folder = out / conference / who
    texts = [docx_text(p) for p in folder.glob("*.docx")]
    pdf = next(folder.glob("*.pdf"))
    texts += _pdf_text(pdf, passwords.get((conference, who)) or literal[who])
    plain = subprocess.run(["pdftotext", "-upw", passwords.get((conference, who)) or literal[who], str(pdf), "-"],
                           capture_output=True, text=True).stdout
    for secret in secrets:
        for text in texts + [plain]:
            assert secret.lower() not in " ".join(text.split()).lower(), (conference, secret)
    assert "[removed]" in " ".join(texts)
    # the professionals' copy keeps what only the other parent may not see
    assert "[removed]" not in docx_text(out / conference / next(
        p.id for p in conf.professionals) / "03-social-work-report.docx")


def test_the_combined_pdf_has_a_bookmark_per_document_and_pack_page_numbers(week):
    out, _ = week
    reader = PdfReader(str(out / "taylor" / "mark-denholm" / "taylor-mark-denholm-pack.pdf"))
    assert not reader.is_encrypted
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["Invitation", "Agenda"] and len(titles) == 7
    assert titles[3] == "Partner agency report to conference: Hollins Park Academy"
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    for number, text in enumerate(pages, 1):
        assert f"Pack page {number} of {total}" in text
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts == sorted(starts) and starts[0] == 0
    assert "What we will talk about" in pages[starts[1]]                      # the agenda starts there
    assert "Hollins Park Academy report" in pages[starts[3]]
    assert "/Author" not in (reader.metadata or {}) and "Mark Denholm" in reader.metadata["/Title"]
    with zipfile.ZipFile(out / "taylor" / "mark-denholm" / "04-agency-report.docx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "<dc:creator></dc:creator>" in core or "<dc:creator/>" in core


def test_passwords_use_aes_256_and_stay_out_of_the_packs(week):
    out, _ = week
    passwords = _passwords(out)
    assert oct((out / "passwords.csv").stat().st_mode & 0o777) == "0o600"
    pdf = out / "taylor" / "mum" / "taylor-mum-pack.pdf"
    reader = PdfReader(str(pdf))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert encrypt["/V"] == 5 and encrypt["/R"] == 6 and encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("not the password") == 0
    no_password = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert no_password.returncode != 0
    assert "Sam Taylor" in " ".join(_pdf_text(pdf, passwords[("taylor", "mum")]))
    assert "Dale Brennick" in " ".join(_pdf_text(out / "taylor" / "dad" / "taylor-dad-pack.pdf", "Winter-Robin-42"))
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != "passwords.csv")
    for password in passwords.values():
        assert password.encode() not in everything


def test_identical_copies_are_rendered_once(week):
    out, res = week
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()
    taylor = out / "taylor"
    assert digest(taylor / "mark-denholm" / "04-agency-report.docx") == digest(
        taylor / "tom-halloran" / "04-agency-report.docx")
    assert digest(taylor / "mum" / "04-agency-report.docx") != digest(taylor / "dad" / "04-agency-report.docx")
    made = re.search(r"taylor: made, 7 packs made, 0 unchanged, (\d+) distinct documents", res.stdout)
    entries = sum(1 for p in taylor.rglob("*.docx"))
    assert made and int(made.group(1)) < entries


def test_the_summary_lists_every_document_with_its_checks(week):
    out, _ = week
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    made = [r for r in rows if r["status"] == "made"]
    assert all(r["verification"].startswith("passed") for r in made)
    for row in made:
        if row["document"] != "Combined PDF":
            assert (out / row["output"]).is_file()
    marsh = [r for r in made if r["conference"] == "marsh"]
    assert "17 working days after the strategy discussion" in marsh[0]["timescales"]
    assert any(r["lint"] == "2 errors, 9 warnings, 4 suggestions" for r in marsh)
    invitations = [r for r in made if r["document"] == "Invitation"]
    ages = [float(re.search(r"reading age ([\d.]+)", r["lint"]).group(1)) for r in invitations]
    assert invitations and max(ages) <= 11 and all(r["lint"].endswith(", ok") for r in invitations)
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "<h2>sewell: initial conference, Thursday 24 December 2026</h2>" in html
    assert "17 working days after the strategy discussion" in html
    log = run("log", str(out))
    assert log.stdout.count("taylor/dad") == 8


def test_timescale_and_readiness_findings():
    manifest = load_manifest(MANIFEST)
    settings = load_settings()
    checks = {c.id: preflight(c, manifest, settings).checks for c in manifest.conferences}
    homes = {cid: [x.message for x in found if "so it holds only what" in x.message] for cid, found in checks.items()}
    found = {cid: [x.message for x in found if "so it holds only what" not in x.message] for cid, found in checks.items()}
    assert found["taylor"] == [] and found["foulds"] == [] and found["fairbairn"] == []
    assert homes["taylor"] == [   # Jamie's pack is posted to his mum's home: each holds what both may see
        "Sam Taylor's pack is posted to the home of Jamie Taylor, so it holds only what both of them may see",
        "Jamie Taylor's pack is posted to the home of Sam Taylor, so it holds only what both of them may see"]
    assert ("initial conference 17 working days after the strategy discussion on Thursday 26 November 2026; it "
            "should be within 15 (by Thursday 17 December 2026)") in found["marsh"]
    # mensah: Wednesday 23 December; 2 working days before is Monday 21 December
    assert ("school-report.md was shared on Tuesday 22 December 2026, 1 working day(s) before the conference; "
            "initial conferences need 2 (by Monday 21 December 2026)") in found["mensah"]
    assert any("Kwame Mensah is 12: there is no child's report and no advocate" in m for m in found["mensah"])
    # doyle: Tuesday 29 December; 5 working days before skips 25 and 28 December: Friday 18 December
    assert any("3 working day(s) before the conference; review conferences need 5 (by Friday 18 December 2026)" in m
               for m in found["doyle"])
    assert any(m.startswith("review 26 day(s) late") and "by Thursday 3 December 2026" in m for m in found["siddiqui"])
    assert any("gets the pack by email but has no email address" in m for m in found["siddiqui"])
    assert found["sewell"] == ["missing report police-report.md: the file does not exist; the packs are made "
                               "without it (policy: flag)"]


def test_a_second_run_skips_unchanged_packs_and_remakes_changed_ones(week, tmp_path):
    out, _ = week
    res = pack("--pdf", out=out)
    assert res.returncode == 0
    assert "taylor: unchanged, 0 packs made, 7 unchanged" in res.stdout
    assert "fairbairn: unchanged, 0 packs made, 6 unchanged" in res.stdout


def test_a_changed_report_remakes_only_its_conference(tmp_path):
    week = _copy_week(tmp_path)
    out = tmp_path / "out"
    first = run("pack", str(week / "manifest.yml"), "--out", str(out))
    assert first.returncode == 0
    report = week / "doyle" / "school-report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\nOne more line for you.\n", encoding="utf-8")
    second = run("pack", str(week / "manifest.yml"), "--out", str(out))
    assert "doyle: made, 5 packs made, 0 unchanged" in second.stdout
    assert "foulds: unchanged" in second.stdout and "taylor: unchanged" in second.stdout
    assert "One more line for you" in docx_text(out / "doyle" / "dad" / "04-agency-report.docx") or \
        "One more line for you" in " ".join(docx_text(p) for p in (out / "doyle" / "dad").glob("*.docx"))


def test_a_killed_run_leaves_only_complete_packs_and_the_next_run_finishes(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([CONFPACK, "pack", str(MANIFEST), "--out", str(out), "--pdf", "--jobs", "1",
                             "--today", "2026-12-01"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 240
    def packs():
        return [p for p in out.glob("*/*") if p.is_dir() and not p.parts[-2].startswith(".")]

    while time.time() < deadline and not packs():
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert packs(), "no pack was finished before the kill"
    for folder in packs():   # a pack folder appears whole, in one rename, or not at all
        assert list(folder.glob("*-pack.pdf")) and (folder / "01-invitation.docx").is_file(), f"{folder}"
        assert not list(folder.glob(".*")), "nothing but the pack itself in a pack folder"
    assert not (out / "summary.csv").exists()          # the run never finished
    res = pack("--pdf", "--jobs", "1", out=out)
    assert res.returncode == 0
    assert "unchanged" in res.stdout                    # packs finished before the kill are kept
    assert not list(out.glob(".work-*"))
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    packs = {(r["conference"], r["recipient"]) for r in rows if r["status"] in ("made", "unchanged")}
    manifest = load_manifest(MANIFEST)
    expected = {(c.id, w.id) for c in manifest.conferences for w in c.recipients}
    assert packs == expected


def test_a_bad_manifest_lists_every_problem_and_makes_nothing(tmp_path):
    text = MANIFEST.read_text(encoding="utf-8")
    text = text.replace("type: initial", "type: initail", 1).replace("date: 2026-12-03", "date: 2026-12-33", 1)
    text = text.replace("by: email, email: dale.brennick@example.org", "by: pigeon, email: dale.brennick@example.org")
    bad = tmp_path / "manifest.yml"
    bad.write_text(text, encoding="utf-8")
    res = run("pack", str(bad), "--out", str(tmp_path / "out"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    errors = [l for l in res.stderr.splitlines() if ": error: " in l]
    assert len(errors) == 3
    assert "conference type 'initail' is not one of: initial, review" in errors[0]
    assert "'2026-12-33' is not a date" in errors[1] and "delivery by 'pigeon'" in errors[2]
    assert all(re.match(rf"{re.escape(str(bad))}:\d+: error: ", e) for e in errors)
    assert not (tmp_path / "out").exists()


def test_lint_policy_block_stops_the_conference(tmp_path):
    manifest = _local_manifest(tmp_path, lint_errors="block")
    res = run("pack", str(manifest), "--dry-run")
    assert res.returncode == 1
    assert re.search(r"BLOCKED  marsh: blocked: health-visitor-report.md has 2 lint error\(s\)", res.stdout)
    assert "ok       foulds: checked" in res.stdout
    assert not list(tmp_path.glob("*.csv"))      # a dry run writes nothing


def test_a_report_that_cannot_be_redacted_safely_fails_only_its_conference(tmp_path):
    week = _copy_week(tmp_path)
    report = week / "foulds" / "school-report.md"
    text = report.read_text(encoding="utf-8") + "\nLeanne now lives at Flat 4, 27 Larch Court.\n"
    report.write_text(text, encoding="utf-8")
    line = len(text.rstrip("\n").split("\n"))
    out = tmp_path / "out"
    res = run("pack", str(week / "manifest.yml"), "--out", str(out))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"FAILED   foulds: failed: {report}:{line}: error: Leanne Brennan's private address appears here" \
        in res.stdout
    assert not (out / "foulds").exists()
    assert (out / "taylor" / "dad" / "01-invitation.docx").is_file()
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        failed = [r for r in csv.DictReader(fh) if r["conference"] == "foulds"]
    assert failed and failed[0]["status"] == "failed" and "private address" in failed[0]["output"]
