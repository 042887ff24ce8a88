"""``readability.*``: document reading age, hard sentences, long paragraphs, passive voice.

One set of numbers: the words, sentences and syllables a file's metrics report are the ones
its reading age is computed from (the lint's own tokens and sentences, syllables from the
CMU dictionary), with the Flesch–Kincaid, Flesch reading-ease and SMOG formulas as textstat
documents them.  Every reading age confpack prints (letters, invitations) comes from here."""
from __future__ import annotations

import math

from ..config import Settings
from . import syllables
from .findings import Context


def reading_age(grade: float) -> float:
    """UK reading age from a US school grade (grade + 5), never below 5."""
    return round(max(grade + 5, 5.0), 1)


def grade(words: int, sentences: int, syllable_count: int) -> float:
    """The Flesch–Kincaid grade of a text with these counts."""
    return 0.39 * words / max(sentences, 1) + 11.8 * syllable_count / max(words, 1) - 15.59


_SYLLABLES: dict[str, int] = {}


def _syllables(word: str) -> int:
    found = _SYLLABLES.get(word)
    if found is None:
        found = _SYLLABLES[word] = syllables.count(word)
    return found


def _unit_syllables(ctx: Context) -> dict[int, list[int]]:
    """Each prose unit's syllables per word (by ``id`` of the unit), counted once."""
    table, known = {}, _SYLLABLES
    for u in ctx.units:
        if u.kind != "heading":
            table[id(u)] = [known.get(t.lower) or _syllables(t.lower) for t in u.tokens]
    return table


def document_metrics(ctx: Context, per_unit: dict[int, list[int]]) -> dict:
    """Words, sentences and syllables of the prose, and the reading scores computed from them."""
    prose = [u for u in ctx.units if u.kind != "heading"]
    counts = [n for u in prose for n in per_unit[id(u)]]
    words, sentences, syllable_count = len(counts), sum(len(u.sentences) for u in prose), sum(counts)
    if not words:
        return {"words": 0, "sentences": 0, "syllables": 0, "flesch_reading_ease": None,
                "flesch_kincaid_grade": None, "reading_age": None, "smog_index": None}
    fk = grade(words, sentences, syllable_count)
    polysyllables = sum(n >= 3 for n in counts)
    return {
        "words": words,
        "sentences": sentences,
        "syllables": syllable_count,
        "flesch_reading_ease": round(206.835 - 1.015 * words / max(sentences, 1) - 84.6 * syllable_count / words, 2),
        "flesch_kincaid_grade": round(fk, 2),
        "reading_age": reading_age(fk),
        "smog_index": round(1.043 * math.sqrt(polysyllables * 30 / sentences) + 3.1291, 2) if sentences >= 3 else None,
    }


def check(ctx: Context) -> None:
    per_unit = _unit_syllables(ctx)
    metrics = document_metrics(ctx, per_unit)
    ctx.metrics.update(metrics)
    limits = ctx.thresholds
    if metrics["reading_age"] is not None and metrics["reading_age"] > limits["max_reading_age"]:
        ctx.add("readability.reading-age", None, line=ctx.doc.meta.body_line, value=metrics["reading_age"],
                limit=limits["max_reading_age"], audience=ctx.audience)
    _sentences(ctx, per_unit)
    _paragraphs(ctx)
    _passive(ctx)


def _sentences(ctx: Context, per_unit: dict[int, list[int]]) -> None:
    rule = ctx.thresholds["sentence"]
    for unit in ctx.units:
        if unit.kind == "heading" or unit.quoted:
            continue
        counts = per_unit[id(unit)]
        for s in unit.sentences:
            words = s.last - s.first
            if words < rule["min_words"] and words <= rule["max_words"]:
                continue   # too short to be flagged
            syl = sum(counts[s.first:s.last])
            age = reading_age(grade(words, 1, syl))
            very = words > rule["max_words"] or (words >= rule["min_words"] and age >= rule["very_hard"])
            hard = words >= rule["min_words"] and age >= rule["hard"]
            if very or hard:
                ctx.add("readability.very-hard-sentence" if very else "readability.hard-sentence",
                        unit, s.start, unit.tokens[s.last - 1].end, words=words, value=age)


def _paragraphs(ctx: Context) -> None:
    rule = ctx.thresholds["paragraph"]
    for unit in ctx.units:
        if unit.kind != "paragraph" or unit.quoted:
            continue
        words, sentences = len(unit.tokens), len(unit.sentences)
        if sentences > rule["max_sentences"] or words > rule["max_words"]:
            ctx.add("readability.long-paragraph", unit, 0, len(unit.text.rstrip()),
                    sentences=sentences, words=words)


def _passive_words(settings: Settings) -> tuple[frozenset, frozenset, frozenset]:
    if "passive" not in settings.cache:
        data = settings.readability
        settings.cache["passive"] = (frozenset(data["be_verbs"]), frozenset(data["irregular_participles"]),
                                     frozenset(data["adjectives"]))
    return settings.cache["passive"]


def _passive(ctx: Context) -> None:
    be, irregular, adjectives = _passive_words(ctx.settings)
    for unit in ctx.units:
        if unit.quoted or unit.kind == "heading":
            continue
        tokens = unit.tokens
        for i, tok in enumerate(tokens):
            if tok.lower not in be:
                continue
            j = i + 1
            if j < len(tokens) and (tokens[j].lower.endswith("ly") or tokens[j].lower == "not"):
                j += 1
            if j >= len(tokens):
                continue
            word = tokens[j].lower
            if word in adjectives or not (word in irregular or (word.endswith("ed") and len(word) > 4)):
                continue
            if unit.text[tok.end:tokens[j].start].strip(" ") and j == i + 1:
                continue
            ctx.add("readability.passive-voice", unit, tok.start, tokens[j].end)
