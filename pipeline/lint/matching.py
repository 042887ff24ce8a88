"""One pass per unit for every word-list rule: restorative phrases, third-person words
and glossary terms share a single :class:`PhraseMatcher`."""
from __future__ import annotations

from ..config import Settings
from .glossary import glossary_of
from .phrases import Match, PhraseMatcher
from .text import Unit


def shared_matcher(settings: Settings, audience: str) -> PhraseMatcher:
    """Payloads are ("restorative", entry), ("voice", term) or ("jargon", Term); at equal
    length a restorative phrase beats a voice term, which beats a glossary term.  Built once
    per run and audience (kept in ``settings.cache``)."""
    key = ("matcher", audience)
    if key in settings.cache:
        return settings.cache[key]
    glossary = glossary_of(settings)
    matcher = settings.cache[key] = PhraseMatcher()
    for entry in settings.restorative["entries"]:
        for phrase in entry["phrases"]:
            matcher.add(phrase, ("restorative", entry))
    for term in settings.voice["terms"]:
        matcher.add(term["phrase"], ("voice", term), case_sensitive=term.get("case_sensitive", False))
    for term in glossary.terms:
        if audience in term.audiences:
            for form in term.forms:
                matcher.add(form, ("jargon", term), case_sensitive=term.kind == "acronym")
    return matcher


def match_units(units: list[Unit], matcher: PhraseMatcher) -> list[list[Match]]:
    """Every unit's matches, in unit order."""
    return [list(matcher.find(u.tokens, u.text)) for u in units]
