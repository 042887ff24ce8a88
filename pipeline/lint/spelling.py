"""``spelling.unknown-word``: British spelling, offline, with Hunspell's en-GB dictionary
(Debian's ``hunspell-en-gb`` through pyenchant).  Names and places from the front matter,
glossary terms, everyday words and the project's own word list are known; quotes (the
family's own words), names inside a sentence and words with digits are not checked; in the
family's own reports a misspelling is a suggestion."""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from ..common.frequency import zipf
from .findings import Context
from .glossary import glossary_of
from .text import POSSESSIVE, address_spans, capitalised_inside, without_possessive

PACKAGES = "install Debian's hunspell-en-gb and libenchant-2-2 (apt-get install hunspell-en-gb libenchant-2-2)"



@lru_cache(maxsize=1)
def dictionary():
    """The en-GB dictionary (loaded once per process), or None when it is not installed."""
    try:
        import enchant

        return enchant.Dict("en_GB")
    except Exception:   # ImportError, or enchant's DictNotFoundError / missing C library
        return None


@lru_cache(maxsize=4096)
def _suggest(word: str) -> tuple[str, ...]:
    """Hunspell's first three suggestions (slow: tens of milliseconds a word, so kept)."""
    return tuple(dictionary().suggest(word)[:3])


def known_words(ctx: Context) -> frozenset[str]:
    """Lower-case words that are right whatever the dictionary says (built once per run)."""
    cache = ctx.settings.cache
    if "known_words" not in cache:
        words = set(w.lower() for w in ctx.settings.known_words | set(ctx.settings.words["known_abbreviations"]))
        words |= {w.lower() for w in ctx.settings.words["everyday"]}
        for term in glossary_of(ctx.settings).terms:
            words |= {w.lower() for form in term.forms for w in re.findall(r"[^\W\d_]+", form)}
        cache["known_words"] = frozenset(words)
    meta = ctx.doc.meta
    texts = [p.name for p in meta.family] + [a.name for a in meta.attendees + meta.apologies] + [
        meta.author.name, meta.author.agency, meta.conference.venue, meta.conference.chair, meta.title]
    texts += [c.school for c in meta.children]
    return cache["known_words"] | {w.lower() for t in texts for w in re.findall(r"[^\W\d_]+", t or "")}


def _names_in_use(ctx: Context) -> set[str]:
    """Words the report uses as names, known at the start of a sentence too: capitalised
    inside a sentence ("our teacher Gemma Hurst"); said to be someone ("Hamid, the interpreter,
    read it…"); or, never written in lower case and not a near miss of a common word
    ("Unfortunatly"), spoken to ("Imran, you told me…"), used more than once ("Sadia said…
    Sadia told me…"), owning something ("Maisie's school") or doing what people do ("Priya will
    call you")."""
    found, spoken, sure, capitalised, lower = set(), set(), set(), Counter(), set()
    people = {w for g, words in ctx.settings.voice.get("others", {}).items() if g != "they"
              for w in words}   # "interpreter", "nan"; not "the school"
    for unit in ctx.units:
        starts = {s.first for s in unit.sentences}
        for i, t in enumerate(unit.tokens):
            if capitalised_inside(t, i, starts):
                found.add(t.lower)
            elif t.text[:1].isupper() and not t.text.isupper():
                capitalised[t.text] += 1
                if i in starts and _named_here(unit, i):
                    spoken.add(t.text)
                    role = _ROLE_BETWEEN_COMMAS.match(unit.text, t.end)
                    if role and role.group(1).lower() in people:
                        sure.add(t.text)   # "Hamid, the interpreter, read it…": a name, even if near "humid"
            else:
                lower.add(t.lower)
    maybe = {w for w, n in capitalised.items() if (n > 1 or w in spoken) and w.lower() not in lower}
    names = {w.lower() for w in maybe if w in sure or not _near_miss(without_possessive(w))}
    return found | names | {without_possessive(w) for w in names}


# a name, then who they are between commas: "Hamid, the interpreter, read it…"
_ROLE_BETWEEN_COMMAS = re.compile(r",\s+(?:the|a|an|our|your|my)\s+(?:[a-z][\w'’-]*\s+){0,2}([a-z][\w'’-]*),\s")


def _named_here(unit, i: int) -> bool:
    """Whether the capitalised word starting a sentence is used as a name: spoken to ("Amira,
    I have been…"), followed by more of the name ("Orla Byrne", "Oakfield Primary School",
    "Gemma and Lewis"), owning something ("Maisie's school") or doing what people do ("Priya
    will call you")."""
    tokens, text = unit.tokens, unit.text
    t = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    gap = text[t.end:nxt.start] if nxt else ""
    return (text[t.end:t.end + 1] == "," or t.lower.endswith(POSSESSIVE) or nxt is not None and gap == " " and (
        nxt.text[:1].isupper() and nxt.text != "I" or nxt.lower in _PERSON_VERBS or
        nxt.lower == "and" and i + 2 < len(tokens) and tokens[i + 2].text[:1].isupper() and tokens[i + 2].text != "I"))


# what a name starting a sentence does ("Priya will call you", "Farid said"), as a misspelt word does not
_PERSON_VERBS = frozenset("""said says told tells asked asks will would can could has had is was lives lived wants
    wanted likes liked loves loved came comes went goes started starts stays stayed works worked agreed""".split())


def _near_miss(word: str) -> bool:
    """Whether Hunspell's first suggestion for ``word`` is a common word spelt nearly the same
    ("Unfortunatly" → "Unfortunately"), as it is not for names ("Imran" → "Iman")."""
    if dictionary() is None or dictionary().check(word):
        return False
    first = next(iter(_suggest(word)), "")
    return (first.isalpha() and dictionary().check(first.lower()) and zipf(first.lower()) >= 3.5
            and SequenceMatcher(None, first.lower(), word.lower()).ratio() >= 0.85)


def check(ctx: Context) -> None:
    if ctx.settings.is_disabled("spelling.unknown-word"):
        return
    speller = dictionary()
    if speller is None:
        ctx.notes.append(f"spelling was not checked: the British English dictionary is missing; {PACKAGES}")
        return
    known = known_words(ctx) | _names_in_use(ctx)
    verdicts: dict[str, bool] = {}
    for unit in ctx.units:
        if unit.quoted:
            continue
        addresses = address_spans(unit.text)
        starts = {s.first for s in unit.sentences}
        for i, tok in enumerate(unit.tokens):
            word = tok.text
            bare = without_possessive(tok.lower)
            if bare in known or not word.isalpha() and "'" not in word and "’" not in word:
                continue
            if word.isupper() or (word[0].isupper() and i not in starts):
                continue   # an abbreviation, or a name inside a sentence
            if unit.in_quotes(tok.start) or addresses and any(a <= tok.start < b for a, b in addresses):
                continue
            plain = word.replace("’", "'")
            if i and unit.text[tok.start - 1:tok.start] == "-" and unit.tokens[i - 1].end == tok.start - 1:
                plain = unit.tokens[i - 1].text + "-" + plain   # "drop-offs": the whole word, as the dictionary has it
            good = verdicts.get(plain)
            if good is None:
                good = verdicts[plain] = speller.check(plain) or (plain[0].isupper() and speller.check(plain.lower())) \
                    or "-" in plain and (plain.endswith("s") and speller.check(plain[:-1]) or speller.check(word))
            if not good:
                ctx.add("spelling.unknown-word", unit, tok.start, tok.end, list(_suggest(plain)))
