"""Every example output in the README is made here, from the samples, and compared with what
the README shows.  After a deliberate change, run
``CONFPACK_UPDATE_README=1 python -m pytest tests/test_readme_outputs.py`` to write them in."""
from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from conftest import ROOT, SAMPLES, run

README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- output: (?P<name>[\w-]+) -->\n```(?P<lang>\w*)\n)(?P<body>.*?)(```\n<!-- /output -->)", re.S)
NEEDS_WORK = "samples/needs-work/agency-report-before.md"


def lint_text(tmp_path) -> str:
    lines = run("lint", NEEDS_WORK, cwd=ROOT).stdout.splitlines()
    shown = [next(line for line in lines if f" {rule} " in line)
             for rule in ("voice.third-person", "restorative.blaming", "jargon.acronym")]
    return "\n".join(shown + ["…", lines[-1]]) + "\n"


def lint_json(tmp_path) -> str:
    (tmp_path / "bad.md").write_text("---\nkind: letterr\n---\nHello.\n", encoding="utf-8")
    shutil.copy(ROOT / NEEDS_WORK, tmp_path / "report.md")
    data = json.loads(run("lint", "report.md", "bad.md", "--format", "json", cwd=tmp_path).stdout)
    entry = data["files"][0]
    entry["findings"] = [next(f for f in entry["findings"] if f["rule"] == "jargon.acronym")]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def refusal(tmp_path) -> str:
    shutil.copytree(SAMPLES / "initial-conference", tmp_path / "reports")
    report = tmp_path / "reports" / "social-work-report.md"
    text = report.read_text(encoding="utf-8")
    marked = "- [On 26 October you moved into your new flat, and Ellie started at a nursery close by on 2 November.]{withhold=\"dad\"}"
    assert marked in text
    report.write_text(text.replace(marked, "- On 26 October you moved into your new flat at 14 Mill Lane."),
                      encoding="utf-8")
    res = run("render", "reports/social-work-report.md", "--for", "dad", "--out", "out", cwd=tmp_path)
    return res.stderr


def late_minutes(tmp_path) -> str:
    res = run("minutes", str(SAMPLES / "chair" / "conference-notes.md"), "--out", str(tmp_path), "--for",
              "professionals", "--today", "2026-12-14")
    return next(line for line in res.stderr.splitlines() if line.startswith("warning:")) + "\n"


def preflight_breach(tmp_path) -> str:
    res = run("pack", "samples/week/manifest.yml", "--dry-run", cwd=ROOT)
    line = next(line for line in res.stdout.splitlines() if "review conferences need 5" in line)
    return line.strip().removeprefix("timescale: ") + "\n"


MAKERS = {"lint-text": lint_text, "lint-json": lint_json, "refusal": refusal, "late-minutes": late_minutes,
          "preflight-breach": preflight_breach}


def test_the_readme_shows_every_example_this_file_makes():
    assert set(m.group("name") for m in BLOCK.finditer(README.read_text(encoding="utf-8"))) == set(MAKERS)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_readme_example_output_is_what_confpack_prints(name, tmp_path):
    expected = MAKERS[name](tmp_path)
    text = README.read_text(encoding="utf-8")
    block = next(m for m in BLOCK.finditer(text) if m.group("name") == name)
    if os.environ.get("CONFPACK_UPDATE_README"):
        README.write_text(text[:block.start("body")] + expected + text[block.end("body"):], encoding="utf-8")
        return
    assert block.group("body") == expected, f"the README's '{name}' example is out of date; it should be:\n{expected}"
