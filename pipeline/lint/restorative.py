"""``restorative.*``: blaming labels, vague worries and opinion worded as fact; an entry with a
``context`` only where one of its words is close by ("high risk", not "the risk is that…").
A label said of a child ("Jamie was reluctant to go to school") is only a suggestion: most
often it describes the child, and blames no one; an entry marked ``children: true`` (blaming a
child for being exploited) never is.  The family's words, quoted, are theirs; a label taken
back ("you were not hostile") is not given; a two-word label is found turned round too
("engagement has been superficial"); words of credit judge when taken back (``negated``: "has
not been honest"); ``then`` pairs two lists ("numerous incidents"); and the data's
``patterns`` find judgements whose words vary ("puts drink before the children")."""
from __future__ import annotations

import bisect
import re

from . import tone
from .findings import Context
from .jargon import everyday_sense, known_letters
from .matching import turned_matcher
from .text import (
    CLAUSE_BREAK,
    MONTHS_AND_DAYS,
    QUOTE,
    SECOND_PERSON,
    WORD,
    Unit,
    has_quote_mark,
    in_sense,
    sense_of,
    stem,
    without_possessive,
)

_SOMEONE_ELSE = SECOND_PERSON | frozenset("""he she they him her them his their we i mother father mum dad mummy daddy
    parent parents carer carers stepdad stepmum stepfather stepmother partner grandmother grandfather nan
    grandad staff""".split())


def check(ctx: Context) -> None:
    senses: dict[int, dict] = {}
    children = frozenset(c.first_name for c in ctx.doc.meta.children if c.first_name)
    surnames = frozenset(w for c in ctx.doc.meta.children for w in c.name.split()[1:]) - children
    reporting = frozenset(ctx.settings.voice.get("reporting_verbs", ()))
    turned = turned_matcher(ctx.settings)
    # who a pattern's `who` may be: the family's names, their titles ("Ms Reed"), "Mum", "you"…
    people = _PERSON_WORDS | frozenset(w.lower() for p in ctx.doc.meta.family for w in WORD.findall(p.name)) | \
        frozenset(t.lower() for t in ctx.settings.voice.get("titles", ()))
    known = known_letters(ctx.settings)
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.quoted:
            continue  # the family's own words
        grown_ups = {i for m in matches if m.payload[0] == "voice" for i in range(m.first, m.last)}
        quoted = _quoted_words(unit, children, reporting) if has_quote_mark(unit.text) else []
        found = [(m.first, m.last, m.first, m.payload[1]) for m in matches if m.payload[0] == "restorative"]
        # "engagement has been superficial": the label, turned round to the end, is reported
        said: list[tuple[int, int]] = []    # found, judged fine ("you were not hostile") or another sense: no guess
        for m in turned.find(unit.tokens, unit.text):
            if isinstance(m.payload, tuple):   # "a handful of" with no `then` word after it: "a handful of grapes"
                said.append((unit.tokens[m.first].start, unit.tokens[m.last - 1].end))
            else:
                found.append((m.first, m.last, m.last - 1, m.payload))
        reported: set[int] = set()
        spans: list[tuple[int, int]] = []   # what the phrases found: a pattern does not find it again
        for first, last, label, entry in found:
            if label in reported:
                continue   # found as it is written too
            said.append((unit.tokens[first].start, unit.tokens[last - 1].end))
            if quoted and any(a <= unit.tokens[first].start < b for a, b in quoted):
                continue  # the family's own words, quoted
            if _writer(unit, first, entry["rule"] == "blaming"):
                continue  # "I will be open and honest with you"; not "I have significant concerns"
            if first and _negates(unit.tokens[first].lower) and unit.tokens[first - 1].lower in _ADVISING:
                continue  # "you should not take responsibility for what he did": advice, not a label
            if entry.get("negated"):
                first = _negated_from(unit, first, reporting)
                if first is None:
                    continue  # "you were honest with me": only "not honest" judges
                label = first
            elif entry["rule"] == "blaming" and _taken_back(unit, first):
                continue  # "you were not aggressive", "he never refused", "has not been superficial": no label
            elif entry.get("then") and first and _none_or_yours(unit, first):
                continue  # "he has no other worries", "if you have any further worries, call me"
            elif entry.get("then") and _DATES_NEXT.match(unit.text, unit.tokens[last - 1].end):
                continue  # "I have visited a couple of times: on 2 November and 16 November"
            elif entry["rule"] in ("blaming", "vague") and _reported(unit, first, reporting, loose=False):
                continue  # "You told me you flew off the handle", "you said the flat is not ideal": your account
            elif entry["rule"] == "vague" and _LISTED.match(unit.text, unit.tokens[last - 1].end) and \
                    _list_follows(ctx.doc.source, unit):
                continue  # "Some worries remain:" and then the list of them (not "…summarised below:" and no list)
            elif entry["rule"] == "vague" and _conditional(unit, first) and _asks_to_be_told(unit, first):
                continue  # "if something is not right, ring me": not a claim that it is (but "police will
                # apply for an order if there are further incidents" is vague: which incidents?)
            elif entry.get("unsourced") and _sourced(unit, first, last, reporting):
                continue  # "Dr Shah told me it is unclear whether the medicine caused it"
            if "context" in entry:
                if id(entry) not in senses:
                    senses[id(entry)] = sense_of(entry["context"])
                if not in_sense(unit, first, last, senses[id(entry)]):
                    continue
            child = (entry["rule"] == "blaming" and children and not entry.get("children") and
                     _said_of_a_child(unit, first, children, surnames, grown_ups))
            reported.update(range(label, last))
            start, end = unit.tokens[label].start, unit.tokens[last - 1].end
            spans.append((start, end))
            said.append((start, end))   # "not seem to prioritise": the words before the phrase too
            ctx.add(f"restorative.{entry['rule']}", unit, start, end, advice=entry["advice"],
                    level="suggestion" if child else None)
        stems = None
        for pattern in _patterns(ctx.settings):
            if pattern.words:
                stems = {t.stem for t in unit.tokens} if stems is None else stems
                if not pattern.words & stems:
                    continue   # none of the words the pattern needs: not worth the search
            entry = pattern.entry
            for m in pattern.finditer(unit.text):
                said.append(m.span())   # judged here, either way: "Sam can come across as prickly" (no guess at
                # "across" either), "The housing office is hard to get hold of" (not the family)
                who = m["who"] if "who" in m.re.groupindex else None
                if who is not None and not _people(who, people):
                    continue   # "Help to sort out my benefits": a plan's line about someone, not something
                start, end = m.span("at") if "at" in m.re.groupindex else m.span()
                if quoted and any(a <= start < b for a, b in quoted) or any(a < end and start < b for a, b in spans):
                    continue
                first = next((i for i, t in enumerate(unit.tokens) if t.start >= start), 0)
                if _reported(unit, first, reporting):
                    continue   # "You told me you were short-tempered with Jamie": the parent's own account
                if who is not None and entry["rule"] == "vague" and _SPECIFIC.search(_rest_of_sentence(unit, first)):
                    continue   # "Sam to sort out the gas meter with the landlord by Friday 11 December"
                child = (entry["rule"] == "blaming" and children and
                         (_said_of_a_child(unit, first, children, surnames, grown_ups) or
                          who is not None and who.lower() in ("he", "she")))   # "He can be guarded": Jamie, or Dad
                ctx.add(f"restorative.{entry['rule']}", unit, start, end, advice=entry["advice"],
                        level="suggestion" if child else None)
                spans.append((start, end))   # a later pattern does not find it again
        plain = everyday_sense(unit, matches, known)
        said += plain
        # part of the phrase found ("risk level"), or of a term in its everyday sense ("well known to the cadets")
        inside = set(reported)
        if plain:
            starts = [t.start for t in unit.tokens]
            for a, b in plain:
                inside.update(range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)))
        beside = {i + d for i in inside for d in (-1, 1)} - reported
        # nor in anyone's words in quotes: a guess cannot tell scare quotes from someone's own words
        for first, last, rule in tone.guesses(unit, ctx.settings, ("blaming", "vague"), said + unit.quotes(), beside,
                                              ctx.guessed):
            ctx.add(rule, unit, unit.tokens[first].start, unit.tokens[last - 1].end)


def _people(words: str, people: frozenset[str]) -> bool:
    """Whether ``words`` are all of ``people`` ("Ms Reed", "Mum and Dad", "Both parents", "Kai")."""
    return all(w.lower() in people for w in WORD.findall(words))


# words for the family a pattern's `who` may be; not "they", most often a service ("they were closed")
_PERSON_WORDS = frozenset("""mum dad mummy daddy mother father parent parents carer carers both and
    you she he family couple nan nana nanna gran granny grandma grandad grandpa stepdad stepmum""".split())
# a date, a time, a number or a day: what a plan's line needs to be more than a wish
_SPECIFIC = re.compile(r"\d|\b(?:" + "|".join(sorted(MONTHS_AND_DAYS)) +
                       r")s?\b|\b(?:tomorrow|tonight|weekly|daily|every|each)\b", re.I)


def _conditional(unit: Unit, first: int) -> bool:
    """Whether token ``first`` is in a clause opened by "if", "unless" or "whether" no more than
    three words before it ("if something is not right", "whether there are doubts")."""
    return any(unit.tokens[i].lower in ("if", "unless", "whether") for i in _clause_before(unit, first))


_LISTED = re.compile(r"[^.;!?:\n]{0,30}:\s*$")   # "…some worries remain:" ending a paragraph: the list follows
_DATES_NEXT = re.compile(r"\s*[:(,–-]?\s*(?:on|in|between|from)?\s*\d")   # the count's dates, straight after it


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def _list_follows(source: str, unit: Unit) -> bool:
    """Whether the next line of the source holding something after ``unit`` is a list item."""
    end_line = unit.position(max(len(unit.text) - 1, 0))[0]
    for line in source.split("\n")[end_line:end_line + 3]:
        if line.strip():
            return bool(_LIST_ITEM.match(line))
    return False


def _asks_to_be_told(unit: Unit, first: int) -> bool:
    """Whether token ``first``'s sentence asks the reader to tell someone ("ring me", "tell your
    worker")."""
    sentence = unit.sentence_at(first)
    return any(t.lower in _ASKING for t in unit.tokens[sentence.first:sentence.last]) if sentence else False


def _rest_of_sentence(unit: Unit, first: int) -> str:
    """The text of token ``first``'s sentence from that token on."""
    sentence = unit.sentence_at(first)
    return unit.text[unit.tokens[first].start:sentence.end if sentence else len(unit.text)]


def _clause_before(unit: Unit, first: int, n: int = 3):
    """The indices of the (at most ``n``) words before token ``first`` in its clause, nearest first."""
    tokens = unit.tokens
    for i in range(first - 1, max(-1, first - n - 1), -1):
        if CLAUSE_BREAK.search(unit.text, tokens[i].end, tokens[i + 1].start):
            return
        yield i


def _writer(unit: Unit, first: int, blaming: bool) -> bool:
    """Whether "I" or "we" is the subject just before (at most three words, same clause): of a
    label, or of a promise ("I will be open and honest with you"), which a worry is not ("I have
    significant concerns" is as vague as any)."""
    tokens = unit.tokens
    for i in _clause_before(unit, first):
        if tokens[i].lower in ("i", "we"):
            return blaming or any(t.lower in _PROMISING for t in tokens[i + 1:first])
    return False


_PROMISING = frozenset(("will", "would", "shall", "can", "could", "'ll"))


def _taken_back(unit: Unit, first: int) -> bool:
    """Whether a "not" just before token ``first``, or before "been" or "be" just before it, takes
    the label back, in the same clause."""
    tokens = unit.tokens
    at = first - 1
    if at > 0 and tokens[at].lower in ("been", "be"):
        at -= 1
    return at >= 0 and _negates(tokens[at].lower) and \
        not CLAUSE_BREAK.search(unit.text, tokens[at].end, tokens[first].start)


def _negates(word: str) -> bool:
    """Whether a word just before a label takes it back ("not", "never", "wasn't")."""
    return word in ("not", "never") or word.endswith(("n't", "n\u2019t"))


class _Pattern:
    """A ``patterns`` entry with the words (as stems) one of which a text must hold for it to
    be searched; compiled (any case, whole words) when first searched, since a small file
    meets few of them."""

    __slots__ = ("entry", "words", "_rx")

    def __init__(self, entry: dict):
        self.entry = entry
        self.words = frozenset(stem(w.lower()) for w in entry.get("words", ()))
        self._rx: re.Pattern | None = None

    def finditer(self, text: str):
        if self._rx is None:
            self._rx = re.compile(rf"\b(?:{self.entry['pattern']})\b", re.I)
        return self._rx.finditer(text)


def _patterns(settings) -> list[_Pattern]:
    """The data's ``patterns``, made once per run."""
    if "restorative-patterns" not in settings.cache:
        settings.cache["restorative-patterns"] = [_Pattern(e) for e in settings.restorative.get("patterns", ())]
    return settings.cache["restorative-patterns"]


def _none_or_yours(unit: Unit, first: int) -> bool:
    """Whether a count of unnamed events says none, a number, or asks to be told of them: "no
    other worries", "not been any further incidents", "two other occasions", "if there are
    other worries, ring me"; not "school will share any further concerns"."""
    tokens = unit.tokens
    word = tokens[first - 1].lower if first else ""
    if word == "no" or word.isdigit() or word in _NUMBERS:
        return True
    if any(_negates(t.lower) or t.lower in ("nor", "no") for t in tokens[max(0, first - 3):first]):
        return True
    if _asks_to_be_told(unit, first):
        return True
    sentence = unit.sentence_at(first)
    return word == "any" and sentence is not None and any(t.lower in SECOND_PERSON
                                                          for t in tokens[sentence.first:sentence.last])


_NUMBERS = frozenset("two three four five six seven eight nine ten eleven twelve".split())
_ASKING = frozenset(("ring", "call", "phone", "text", "contact", "tell"))   # "…ring me", "please tell me if…"


def _negated_from(unit: Unit, first: int, reporting: frozenset[str]) -> int | None:
    """Where a word of credit is taken back, at most three words before it in its clause
    ("has not been honest", "does not seem to prioritise", "shown little interest"); not
    praise ("never been more honest", "not only honest"), advice ("you should not take
    responsibility for what he did"), the writer of themselves ("I am not willing to close the
    case") nor the parent's own words reported ("you told me you are not willing to let him back")."""
    tokens = unit.tokens
    for i in _clause_before(unit, first):
        if tokens[i].lower in _PRAISE:
            return None
        if _negates(tokens[i].lower) or tokens[i].lower in ("no", "little", "nor"):
            before = tokens[max(0, i - 3):i]
            if any(t.lower in ("i", "we") for t in before) or before and before[-1].lower in _ADVISING or \
                    _reported(unit, i, reporting):
                return None
            return i
    return None


_PRAISE = frozenset(("more", "only", "just", "less"))   # "never been more honest", "not only honest"
_ADVISING = frozenset(("should", "must", "need", "needs", "shouldn't", "mustn't"))


def _sourced(unit: Unit, first: int, last: int, reporting: frozenset[str]) -> bool:
    """Whether the sentence of tokens ``first`` to ``last`` has a reporting verb ("told", "said")
    outside them: it says who said it."""
    sentence = unit.sentence_at(first)
    low, high = (sentence.first, sentence.last) if sentence else (0, len(unit.tokens))
    return any(unit.tokens[k].lower in reporting for k in range(low, high) if not first <= k < last)


def _reported(unit: Unit, i: int, reporting: frozenset[str], loose: bool = True) -> bool:
    """Whether the sentence gives the reader's own account: "you" followed by a reporting verb
    anywhere in it ("You told me you…", "You were naive, you said", "You feel you were…"), or
    "in your own words", "as you put it"; ``loose``, also "you" and a reporting verb anywhere
    before token ``i`` ("Jamie said you were short-tempered", as a pattern reads it)."""
    sentence = unit.sentence_at(i)
    tokens = unit.tokens[sentence.first:sentence.last] if sentence else unit.tokens
    words = [t.lower for t in tokens]
    before = words[:i - (sentence.first if sentence else 0)]
    if loose and any(w in reporting for w in before) and any(w in SECOND_PERSON for w in before):
        return True
    return any(a in SECOND_PERSON and (b in reporting or b == "put" and c == "it") or a == "own" and b == "words"
               for a, b, c in zip(words, words[1:], [*words[2:], ""]))


def _quoted_words(unit: Unit, children: frozenset[str], reporting: frozenset[str]) -> list[tuple[int, int]]:
    """Quotes of the family's own words: the last reporting verb before the quote in its
    sentence has "you" or a child just before it ("You said Kayden was \"attention seeking\"",
    "Tyler said you called him \"lazy\""); not scare quotes ("Mum was \"hostile\"") nor
    anyone else's words ("I told you that you were \"hostile\"", "The school said you were…")."""
    spans = []
    for q in QUOTE.finditer(unit.text):
        sentence = next((s for s in unit.sentences if s.start <= q.start() < s.end), None)
        before = [t for t in unit.tokens[sentence.first if sentence else 0:] if t.end <= q.start()]
        said = [i for i, t in enumerate(before) if t.lower in reporting]
        if said and said[-1] and (before[said[-1] - 1].lower in SECOND_PERSON or before[said[-1] - 1].text in children):
            spans.append((q.start(), q.end()))
    return spans


def _said_of_a_child(unit: Unit, first: int, children: frozenset[str], surnames: frozenset[str],
                     grown_ups: set[int]) -> bool:
    """Whether a child is named just before token ``first`` in its sentence, with no one else
    between ("Jamie was very reluctant…", "Jamie Taylor refused"; not "Jamie's mum was
    reluctant…", "Jamie but Dale refused", "Ellie but she refused", nor "Poppy will continue to
    be exposed to neglectful parenting")."""
    sentence = unit.sentence_at(first)
    low = sentence.first if sentence else 0
    for i in range(first - 1, max(low, first - 4) - 1, -1):
        tok = unit.tokens[i]
        if tok.text in children or without_possessive(tok.text) in children:
            return True   # "Jamie was reluctant", "Jamie's behaviour is challenging"
        if tok.text in surnames:
            continue   # "Jamie Taylor": a child's other name, which a parent may share
        if tok.lower in _SOMEONE_ELSE or i in grown_ups or tok.text[:1].isupper():
            return False   # "you", "she", "his father", "the mother", "Dale", "Staff"
    return False
