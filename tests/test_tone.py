"""Issue 12: blame, vague worry and jargon in words no list names, guessed by the register model
learned from the register corpus (tools/learn_tone.py, pipeline/lint/tone.py)."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from conftest import FRONT, SAMPLES

from pipeline.common.resources import data_dir
from pipeline.config import load_settings
from pipeline.document.parser import parse_file
from pipeline.lint import lint_text, tone
from pipeline.lint.text import units_of

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_settings()
LINE = FRONT.count("\n") + 2


def guessed(body: str, settings=SETTINGS):
    r = lint_text(FRONT + "\n" + body + "\n", settings, "r.md")
    return [(f.rule, f.match, f.line, f.column, f.severity) for f in r.findings if f.rule.endswith("likely")]


def test_the_shipped_model_is_what_the_corpus_gives():
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "learn_tone.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_blame_and_vague_worry_no_list_names_are_guessed_as_suggestions():
    body = "Dad does not seem bothered about his learning. Kieran seems to enjoy the lifestyle."
    assert guessed(body) == [("restorative.blaming-likely", "not seem bothered", LINE, 10, "suggestion"),
                             ("restorative.blaming-likely", "lifestyle", LINE, 74, "suggestion")]
    assert guessed("Mum does not appear to value education.") == [
        ("restorative.blaming-likely", "education", LINE, 30, "suggestion")]
    found = lint_text(FRONT + "\n" + body + "\n", SETTINGS, "r.md").findings
    assert any(f.message.startswith("'not seem bothered' may read as blame (a guess") for f in found)


def test_a_report_written_to_the_parent_is_read_like_one_about_them():
    assert guessed("You do not seem bothered about his learning.") == [
        ("restorative.blaming-likely", "seem bothered", LINE, 12, "suggestion")]


def test_plain_writing_and_what_the_entries_judged_fine_draw_no_guess():
    assert guessed("You have been to all five group sessions, and Jamie has been at school every day this term.") == []
    assert guessed("You were not bothered by the noise.") == []
    assert guessed('Jamie told me, "Dad does not seem bothered".') == []   # a child's own words
    # words an entry knows are judged by it: "risk" only with its context words, "struggles" likewise
    assert guessed("The biggest risk is that Tariq may hit you again. Jamie struggles with reading.") == []
    # the red teams' plain sentences (tests/test_lint_words.py) stay quiet at the shipped margin
    assert guessed("If you have any concerns, ring me. Your sister covered for you at work. "
                   "The outcomes are positive. He is well known to the RAF cadets.") == []


def test_a_word_a_hand_written_entry_found_is_not_guessed_again():
    assert [(r, m) for r, m, *_ in guessed("The risk level is high.")] == []
    r = lint_text(FRONT + "\nThe risk level is high.\n", SETTINGS, "r.md")
    assert [(f.rule, f.match) for f in r.findings if f.rule.startswith("restorative")] == [
        ("restorative.vague", "risk")]


def test_the_margin_and_the_rule_switches_are_data():
    body = "Dad does not seem bothered about his learning. Kieran is believed to be linked to older males."
    strict = dataclasses.replace(SETTINGS, restorative={**SETTINGS.restorative, "tone": {"margin": 40,
                                                                                          "jargon_margin": 40}}, cache={})
    assert guessed(body, strict) == []
    quiet = dataclasses.replace(SETTINGS, disabled=frozenset({"restorative.blaming-likely"}), cache={})
    assert [r for r, *_ in guessed(body, quiet)] == ["jargon.likely"]


def naive_runs(unit, weights, bias, limit, wanted):
    """The guesses made the slow way: every feature of every word summed, clause by clause."""
    starts = sorted(tone.clause_starts(unit.text, unit.tokens)) + [len(unit.tokens)]
    runs = []
    for first, last in zip(starts, starts[1:]):
        words = [tone.word_of(t.stem) for t in unit.tokens[first:last]]
        for i in range(len(words)):
            score = list(bias)
            for name in tone.features(words, i):
                score = [a + b for a, b in zip(score, weights.get(name, (0.0,) * len(bias)))]
            k = max(range(len(score)), key=score.__getitem__)
            label = tone.LABELS[k]
            if label in wanted and score[k] > limit[k]:
                if runs and runs[-1][1] == first + i and runs[-1][2] == label and i:
                    runs[-1][1] += 1
                else:
                    runs.append([first + i, first + i + 1, label])
    return [(a, b, tone.RULES[label]) for a, b, label in runs
            if any(t.lower not in tone.FUNCTION for t in unit.tokens[a:b])]


def test_the_fast_scores_are_the_features_summed():
    bias, weights = tone.read_model(data_dir("style_rules") / tone.MODEL)
    limit = tone.margins(SETTINGS)
    compared = guesses = 0
    for path in sorted(SAMPLES.rglob("*.md")) + sorted((ROOT / "benchmarks" / "lint_dev_bad").rglob("*.md"))[:8]:
        doc = parse_file(path)
        units, _ = units_of(doc, frozenset(SETTINGS.readability["abbreviations"]))
        for unit in units:
            for wanted in (("blaming", "vague"), ("jargon",)):
                fast = tone.guesses(unit, SETTINGS, wanted)
                assert fast == naive_runs(unit, weights, bias, limit, wanted), (path, unit.text)
                guesses += len(fast)
            compared += len(unit.tokens)
    assert compared > 5000 and guesses > 40


def test_jargon_no_list_names_is_guessed_where_no_other_rule_spoke():
    body = "Jamie presents with poor emotional literacy. She has been settled and has good peer relationships."
    assert guessed(body) == [("jargon.likely", "literacy", LINE, 36, "suggestion"),
                             ("jargon.likely", "relationships", LINE, 85, "suggestion")]
    # "presentation" is a glossary term with context words: in its everyday sense it is left to the entry
    assert guessed("Jamie's presentation in class went well.") == []
    # the glossary's terms and acronyms keep their own findings, with their plain words
    r = lint_text(FRONT + "\nJamie had a CP medical and was stepped down to early help.\n", SETTINGS, "r.md")
    assert [(f.rule, f.match) for f in r.findings if f.rule.startswith("jargon")] == [
        ("jargon.acronym", "CP medical"), ("jargon.term", "stepped down"), ("jargon.term", "early help")]
    assert guessed("You went to all the appointments and Jamie is happy at school.") == []
    professional = lint_text(FRONT.replace("kind: agency-report", "kind: agency-report\naudience: professional")
                             + "\n" + body + "\n", SETTINGS, "r.md")
    assert not [f for f in professional.findings if f.rule == "jargon.likely"]
