"""One pass per unit for every word-list rule: restorative phrases, third-person words
and glossary terms share a single :class:`PhraseMatcher`."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Settings, cached
from .findings import SEVERITY_RANK
from .glossary import glossary_of
from .phrases import Match, PhraseMatcher
from .text import WORD, Unit


def shared_matcher(settings: Settings, audience: str) -> PhraseMatcher:
    """Payloads are ("restorative", entry), ("voice", term) or ("jargon", Term); at equal
    length a restorative phrase beats a voice term, which beats a glossary term, except that
    a restorative rule below warning level comes last.  Built once
    per run and audience (kept in ``settings.cache``), and kept on disk by the content of
    everything it is built from, so a one-file lint does not rebuild it."""
    key = ("matcher", audience)
    if key not in settings.cache:
        digest = hashlib.sha1(f"{settings.digest()}|{audience}|{_CODE}".encode()).hexdigest()
        settings.cache[key] = cached(f"matcher-{digest}", lambda: _build(settings, audience))
    return settings.cache[key]


def _build(settings: Settings, audience: str) -> PhraseMatcher:
    glossary = glossary_of(settings)
    matcher = PhraseMatcher()
    # A phrase that is also a glossary term goes after it when its rule is only a suggestion:
    # "presented as" is jargon (a warning) before it is an opinion stated as fact.
    loud: list[dict] = []
    quiet: list[dict] = []
    for entry in settings.restorative["entries"]:
        level = settings.rules[f"restorative.{entry['rule']}"]["level"]
        (quiet if SEVERITY_RANK[level] < SEVERITY_RANK["warning"] else loud).append(entry)
    for entry in loud:
        _add_restorative(matcher, entry)
    for term in settings.voice["terms"]:
        matcher.add(term["phrase"], ("voice", term), case_sensitive=term.get("case_sensitive", False),
                    exact=term.get("exact", False))
    for term in glossary.terms:
        if audience in term.audiences:
            for form in term.forms:
                matcher.add(form, ("jargon", term), case_sensitive=term.kind == "acronym", exact=term.exact)
    for entry in quiet:
        _add_restorative(matcher, entry)
    return matcher


def turned_matcher(settings: Settings) -> PhraseMatcher:
    """Each two-word restorative phrase turned round with a linking verb between ("poor
    hygiene" → "hygiene is poor"), its entry the payload; and each phrase of an entry with
    ``then`` words on its own ("a handful of"), with ``("alone", entry)``: where no ``then`` word
    follows, a plain sense ("a handful of grapes").  Kept like the shared matcher; apart from
    it, so that a glossary term it starts with ("engagement") is still found."""
    if "turned" not in settings.cache:
        digest = hashlib.sha1(f"{settings.digest()}|turned|{_CODE}".encode()).hexdigest()
        settings.cache["turned"] = cached(f"turned-{digest}", lambda: _turned(settings))
    return settings.cache["turned"]


def _turned(settings: Settings) -> PhraseMatcher:
    matcher = PhraseMatcher()
    linking = settings.restorative.get("linking", ())
    turned = frozenset(w.lower() for w in settings.restorative.get("turned", ()))
    for entry in settings.restorative["entries"]:
        for phrase in phrases_of(entry) if not (entry.get("exact") or entry.get("negated")) else ():
            words = WORD.findall(phrase)
            if len(words) == 2 and words[0].lower() in turned:
                for link in linking:
                    matcher.add(f"{words[1]} {link} {words[0]}", entry)
        for phrase in entry["phrases"] if entry.get("then") else ():
            matcher.add(phrase, ("alone", entry), exact=entry.get("exact", False))
    return matcher


def _add_restorative(matcher: PhraseMatcher, entry: dict) -> None:
    for phrase in phrases_of(entry):
        matcher.add(phrase, ("restorative", entry), exact=entry.get("exact", False))


def phrases_of(entry: dict) -> list[str]:
    """A restorative entry's phrases, each followed by each of its ``then`` words if it has
    them ("numerous" + "incidents")."""
    then = entry.get("then")
    return [f"{p} {t}" for p in entry["phrases"] for t in then] if then else entry["phrases"]


_CODE = "|".join(str(p.stat().st_mtime_ns) for p in sorted(Path(__file__).parent.glob("*.py")))


def match_units(units: list[Unit], matcher: PhraseMatcher) -> list[list[Match]]:
    """Every unit's matches, in unit order."""
    return [list(matcher.find(u.tokens, u.text)) for u in units]
