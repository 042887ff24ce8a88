"""`confpack lint` as a user runs it: outputs, exit codes and bad input."""
from __future__ import annotations

import json

from conftest import FRONT, SAMPLES, run

GOOD = FRONT + "\n## What is working well?\n\nYou read with Jamie every night.\n"


def test_text_output_lines_and_summary(write):
    path = write("r.md", FRONT + "\nThe mother went to the ICPC.\n")
    res = run("lint", str(path), "--fail-on", "warning")
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    line_no = FRONT.count("\n") + 2
    assert f"{path}:{line_no}:1 warning voice.third-person 'The mother' talks about the family; write to them: 'You' → You" in lines
    assert any(line.startswith(f"{path}:{line_no}:") and "jargon.acronym" in line for line in lines)
    assert "reading age" in lines[-1] and "family reader" in lines[-1]
    assert "\x1b[" not in res.stdout  # no colour when not a terminal


def test_exit_codes_follow_fail_on(write):
    warn_only = write("w.md", "The mother came.\n")
    assert run("lint", str(warn_only)).returncode == 0
    assert run("lint", str(warn_only), "--fail-on", "warning").returncode == 1
    blaming = write("b.md", "You failed to come.\n")
    assert run("lint", str(blaming)).returncode == 1


def test_json_output_has_the_documented_shape(write):
    path = write("r.md", FRONT + "\nThe mother went to the ICPC.\n")
    data = json.loads(run("lint", str(path), "--format", "json").stdout)
    assert set(data) == {"files", "errors"}
    entry = data["files"][0]
    assert {"words", "sentences", "flesch_reading_ease", "flesch_kincaid_grade", "reading_age",
            "second_person_ratio"} <= set(entry["metrics"])
    finding = entry["findings"][0]
    assert set(finding) == {"rule", "severity", "line", "column", "end_line", "end_column", "match", "message",
                            "suggestions"}


def test_sarif_output_is_sarif_2_1_0(write):
    path = write("r.md", "The mother went to the ICPC.\n")
    data = json.loads(run("lint", str(path), "--format", "sarif").stdout)
    assert data["version"] == "2.1.0"
    run0 = data["runs"][0]
    ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
    assert "voice.third-person" in ids
    result = next(r for r in run0["results"] if r["ruleId"] == "jargon.acronym")
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 24, 28)
    assert ids[result["ruleIndex"]] == "jargon.acronym"


def test_bad_files_get_one_line_errors_and_the_rest_are_still_linted(write, tmp_path):
    good = write("good.md", GOOD)
    write("empty.md", "")
    write("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write("latin1.md", "Caf\xe9 visit\n".encode("latin-1"))
    write("unclosed.md", "---\nkind: agency-report\n")
    write("notmap.md", "---\n- a\n---\nHi\n")
    write("kind.md", "---\nkind: letterr\n---\nHi\n")
    write("span.md", "Text [x]{withhold=\"dad} end\n")
    res = run("lint", str(tmp_path), str(tmp_path / "missing.md"), "--format", "json")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr + res.stdout
    data = json.loads(res.stdout)
    assert [f["path"] for f in data["files"]] == [str(good)]
    errors = {e["path"].rsplit("/", 1)[-1]: e for e in data["errors"]}
    assert set(errors) == {"empty.md", "binary.md", "latin1.md", "unclosed.md", "notmap.md", "kind.md", "span.md",
                           "missing.md"}
    assert "empty" in errors["empty.md"]["message"]
    assert "binary" in errors["binary.md"]["message"]
    assert "UTF-8" in errors["latin1.md"]["message"] and errors["latin1.md"]["line"] == 1
    assert errors["kind.md"]["line"] == 2 and "letter" in errors["kind.md"]["message"]
    assert errors["span.md"]["line"] == 1


def test_text_errors_name_file_and_line(write):
    path = write("kind.md", "---\nkind: letterr\n---\nHi\n")
    res = run("lint", str(path))
    assert res.returncode == 2
    assert res.stdout.strip() == (f"{path}:2: error: kind 'letterr' is not one of: agency-report, social-work-report, "
                                  "parent-report, child-report, minutes, letter, child-letter, plan, agenda, invitation, leaflet "
                                  "(did you mean 'letter'?)")


def test_a_folder_of_thousands_of_files(tmp_path):
    for i in range(2000):
        (tmp_path / f"r{i:04}.md").write_text(f"You came on day {i}. The mother said hello.\n", encoding="utf-8")
    res = run("lint", str(tmp_path), "--format", "json")
    assert res.returncode == 0
    assert len(json.loads(res.stdout)["files"]) == 2000


def test_a_note_about_the_whole_run_is_said_once(write, tmp_path):
    write("a.md", "You came.\n")
    write("b.md", "You went.\n")
    (tmp_path / ".confpack.toml").write_text('languagetool_url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    res = run("lint", str(tmp_path), "--config", str(tmp_path / ".confpack.toml"))
    assert res.stderr.count("did not answer") == 1
    assert res.returncode == 0


def test_audience_option_and_bad_option():
    res = run("lint", str(SAMPLES / "initial-conference" / "child-report.md"), "--audience", "professional",
              "--format", "json")
    assert json.loads(res.stdout)["files"][0]["audience"] == "professional"
    bad = run("lint", "x.md", "--audience", "martians")
    assert bad.returncode == 2 and "martians" in bad.stderr


def test_rules_and_explain_commands():
    listing = run("rules").stdout
    for rid in ("jargon.acronym", "voice.third-person", "restorative.blaming", "structure.missing-section",
                "readability.hard-sentence", "grammar.languagetool"):
        assert rid in listing
    out = run("explain", "ICPC")
    assert out.returncode == 0 and "say instead:" in out.stdout and "source:" in out.stdout
    assert run("explain", "zzzzunknown").returncode == 1


def test_config_file_is_found_above_the_report(tmp_path):
    (tmp_path / ".confpack.toml").write_text('disable = ["voice"]\n', encoding="utf-8")
    sub = tmp_path / "reports"
    sub.mkdir()
    (sub / "r.md").write_text("The mother came.\n", encoding="utf-8")
    data = json.loads(run("lint", str(sub / "r.md"), "--format", "json").stdout)
    assert [f["rule"] for f in data["files"][0]["findings"] if f["rule"].startswith("voice")] == []
    (tmp_path / ".confpack.toml").write_text('disabel = ["voice"]\n', encoding="utf-8")
    res = run("lint", str(sub / "r.md"))
    assert res.returncode == 2 and "did you mean 'disable'" in res.stdout + res.stderr
