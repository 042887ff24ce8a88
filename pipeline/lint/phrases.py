"""Match many words and phrases in one pass over a unit's tokens (a hash lookup per word)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .text import WORD, Token, stem, without_possessive


@dataclass
class Match:
    first: int  # token index
    last: int   # token index after the match
    payload: Any


class PhraseMatcher:
    """Whole-word phrase matching, case-insensitive unless an entry asks otherwise, and
    blind to inflection: words are compared by their stems (:func:`.text.stem`), so "fail
    to" also finds "failing to" and "lacks insight" finds "lack insight"; a case-sensitive
    entry (an acronym) must match exactly, but for a possessive "'s"; an ``exact`` entry
    matches its words as written, in any case, or with a possessive "'s" ("regarding" is
    not "regards", "sectioned" is not "section", "the parent" is not "the parenting").

    Phrases are split into words the same way as the text, so "non-compliant" also
    matches "non compliant" and phrases match across line breaks.  At equal length the
    phrase added first wins, so callers add their most specific families first.  A one-word
    entry does not match the first part of a hyphenated word ("re" in "re-engaged").  Phrases are indexed
    by their first two words, so a common first word ("the") costs one more lookup, not
    a comparison with every phrase.  The longest match at a position wins; matches do
    not overlap.
    """

    def __init__(self) -> None:
        # first word → (one-word entries, second word → longer entries)
        self._index: dict[str, tuple[list, dict[str, list]]] = {}
        self._count = 0

    def add(self, phrase: str, payload: Any, case_sensitive: bool = False, exact: bool = False) -> None:
        raw = tuple(WORD.findall(phrase))
        if not raw:
            return
        keys = tuple(stem(w.lower()) for w in raw)   # what a token's stem is looked up by
        mode = "text" if case_sensitive else "lower" if exact else "stem"
        words = raw if case_sensitive else tuple(w.lower() for w in raw) if exact else keys
        singles, longer = self._index.setdefault(keys[0], ([], {}))
        entry = (words, mode, payload)
        if len(words) == 1:
            singles.append(entry)
            singles.sort(key=lambda e: e[1] != "text")  # case-sensitive (acronyms) first
        else:
            bucket = longer.setdefault(keys[1], [])
            bucket.append(entry)
            bucket.sort(key=lambda e: -len(e[0]))
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def find(self, tokens: list[Token], text: str) -> Iterator[Match]:
        """Matches in a unit's tokens; ``text`` is the unit text the tokens come from."""
        index = self._index
        i, n = 0, len(tokens)
        while i < n:
            slot = index.get(tokens[i].stem)
            hit = None
            if slot is not None:
                singles, longer = slot
                candidates = singles
                if longer and i + 1 < n:
                    more = longer.get(tokens[i + 1].stem)
                    if more:
                        candidates = more + singles
                prefix = text[tokens[i].end:tokens[i].end + 1] == "-"   # "re" in "re-engaged"
                for words, mode, payload in candidates:
                    if (len(words) > 1 or not prefix) and self._matches(tokens, text, i, words, mode):
                        hit = Match(i, i + len(words), payload)
                        break
            if hit:
                yield hit
                i = hit.last
            else:
                i += 1

    @staticmethod
    def _matches(tokens: list[Token], text: str, i: int, words: tuple[str, ...], mode: str) -> bool:
        if i + len(words) > len(tokens):
            return False
        last = len(words) - 1
        for j, word in enumerate(words):
            tok = tokens[i + j]
            got = tok.stem if mode == "stem" else tok.text if mode == "text" else tok.lower
            if got != word and not (j == last and mode != "stem" and without_possessive(got) == word):
                return False
            if j and text[tokens[i + j - 1].end: tok.start].strip(" -\u00a0") != "":
                return False
        return True
