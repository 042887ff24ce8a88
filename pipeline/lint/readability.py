"""``readability.*``: document reading age (textstat), hard sentences, long paragraphs, passive voice."""
from __future__ import annotations

from functools import lru_cache

import textstat

from ..config import Settings
from . import syllables
from .findings import Context
from .text import needs_stop

syllables.install_into_textstat()
textstat.set_lang("en_GB")


def reading_age(grade: float) -> float:
    """UK reading age from a US school grade (grade + 5), never below 5."""
    return round(max(grade + 5, 5.0), 1)


def document_metrics(ctx: Context) -> dict:
    prose = [u for u in ctx.units if u.kind != "heading"]
    text = " ".join(u.text.strip() + ("." if needs_stop(u.text) else "") for u in prose)
    words = sum(len(u.tokens) for u in prose)
    sentences = sum(len(u.sentences) for u in prose)
    if not words:
        return {"words": 0, "sentences": 0, "flesch_reading_ease": None, "flesch_kincaid_grade": None,
                "reading_age": None, "smog_index": None}
    grade = textstat.flesch_kincaid_grade(text)
    return {
        "words": words,
        "sentences": sentences,
        "flesch_reading_ease": textstat.flesch_reading_ease(text),
        "flesch_kincaid_grade": grade,
        "reading_age": reading_age(grade),
        "smog_index": textstat.smog_index(text),
    }


@lru_cache(maxsize=4096)
def _syllables(word: str) -> int:
    return syllables.count(word)


def check(ctx: Context) -> None:
    metrics = document_metrics(ctx)
    ctx.metrics.update(metrics)
    limits = ctx.thresholds
    if metrics["reading_age"] is not None and metrics["reading_age"] > limits["max_reading_age"]:
        ctx.add("readability.reading-age", None, line=ctx.doc.meta.body_line, value=metrics["reading_age"],
                limit=limits["max_reading_age"], audience=ctx.audience)
    _sentences(ctx)
    _paragraphs(ctx)
    _passive(ctx)


def _sentences(ctx: Context) -> None:
    rule = ctx.thresholds["sentence"]
    for unit in ctx.units:
        if unit.kind == "heading" or unit.quoted:
            continue
        for s in unit.sentences:
            words = s.last - s.first
            if words == 0:
                continue
            syl = sum(_syllables(t.lower) for t in unit.tokens[s.first:s.last])
            age = reading_age(0.39 * words + 11.8 * syl / words - 15.59)
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
