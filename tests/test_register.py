"""Issue 12: the professional register learned from the marked corpus (tools/learn_register.py):
the shipped data is what the corpus gives, learned words are found in text nobody marked, and
learned phrases never hide the hand-written advice."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import FRONT

from pipeline.config import load_settings
from pipeline.lint import lint_text

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_settings()
LINE = FRONT.count("\n") + 2


def found(body: str, prefix: str):
    r = lint_text(FRONT + "\n" + body + "\n", SETTINGS, "r.md")
    return [(f.rule, f.match, f.line, f.column, f.end_column, f.message) for f in r.findings if f.rule.startswith(prefix)]


def test_the_shipped_register_is_what_the_corpus_gives():
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "learn_register.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_mark_in_the_corpus_is_on_its_line():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import learn_register
    finally:
        sys.path.remove(str(ROOT / "tools"))
    bad, good = learn_register.load_corpus(learn_register.CORPUS)   # raises on a broken mark
    assert len(bad) == len(good) >= 48
    assert sum(len(marks) for _, marks in bad) > 1500


def test_learned_register_words_are_found_in_sentences_nobody_marked():
    body = "You were hypervigilant when the health visitor called, and Jamie's speech is behind his receptive language."
    assert [(r, m, line, c, e) for r, m, line, c, e, _ in found(body, "jargon.term")] == [
        ("jargon.term", "hypervigilant", LINE, 10, 23), ("jargon.term", "receptive language", LINE, 89, 107)]
    msg = found(body, "jargon.term")[0][5]
    assert "'hypervigilant' is professional jargon; say '" in msg and "'' " not in msg


def test_learned_blaming_and_vague_phrases_come_with_advice():
    body = "You colluded with Dale. Jamie goes to school on occasion."
    got = found(body, "restorative.")
    assert [(r, m, c) for r, m, _, c, _, _ in got] == [
        ("restorative.blaming", "colluded with", 5), ("restorative.vague", "on occasion", 46)]
    assert all(";" in msg and msg.split(";", 1)[1].strip() for *_, msg in got)


def test_a_learned_phrase_never_hides_a_hand_written_one():
    # the corpus marked "was non compliant with"; the hand-written "non-compliant" keeps its advice
    got = found("You were non-compliant with the plan.", "restorative.")
    assert [(r, m) for r, m, *_ in got] == [("restorative.blaming", "non-compliant")]
    assert "which agreed step did not happen" in got[0][5]


def test_everyday_words_that_are_a_problem_only_in_some_senses_are_not_learned():
    body = "The biggest risk is that Tariq may hit you again. The house was poor and cold. You accessed the room."
    assert found(body, "restorative.vague") == [] and found(body, "jargon.term") == []


def test_a_word_that_is_a_problem_only_in_some_senses_is_flagged_only_beside_its_learned_words():
    # "risk" was marked beside "level" and "reduced" and never there unmarked: learned with them
    flagged = found("The risk level is high. The risk has reduced.", "restorative.vague")
    assert [(r, m, c) for r, m, _, c, _, _ in flagged] == [("restorative.vague", "risk", 5),
                                                          ("restorative.vague", "risk", 29)]
    # "guarded" about a parent beside the words it was marked with, not "guarded when I asked"
    assert [m for _, m, *_ in found("You were guarded and polite.", "restorative.blaming")] == ["guarded"]
    assert found("The biggest risk is that Tariq may hit you again.", "restorative.vague") == []
    assert found("The risk is small. Its level was set in May.", "restorative.vague") == []   # another sentence


def test_plain_words_for_learned_jargon_fit_any_report_and_one_writer_is_not_enough_for_an_everyday_word():
    # tools/register/plain.yml replaces the corpus's "does not fit" (written for a "not consistent with");
    # "secure attachment" is not "not feeling safe" (it was a variant of "insecure attachment")
    assert found("Jamie has a secure attachment to you.", "jargon.term")[0][5].startswith(
        "'secure attachment' is professional jargon; say 'a close, trusting bond'")
    assert found("The bruise is consistent with a fall.", "jargon.term")[0][5].startswith(
        "'consistent with' is professional jargon; say 'fits with'")
    # one writer marked these everyday words; plain writing uses them plainly
    body = ("Jamie was born premature. The letter was vague. Jamie is more accepting of his glasses. "
            "You have a driving licence and you are the main applicant for the flat.")
    assert found(body, "restorative.") == [] and found(body, "jargon.term") == []
