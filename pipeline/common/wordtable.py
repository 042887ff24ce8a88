"""Words with a small number each (syllables, frequency), kept in the cache folder as one
text file that loads in a millisecond or two: a first line giving the first word of each
bucket of 64 (in sorted order), where the bucket begins and the length of what follows (a
file cut short is not read), then one ``word<TAB>N`` line per word, its number written as
the one character ``N`` (code 48 + the number).  A word is found by searching its bucket's
text, so no run makes a hundred thousand strings it never looks at."""
from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable
from pathlib import Path

_FORMAT = "confpack-words-5"
_BUCKET = 64


class WordTable:
    """Look a word up within its bucket's lines (a search of about a kilobyte, in C)."""

    def __init__(self, firsts: list[str], starts: list[int], body: str):
        self._firsts = firsts   # the first word of each bucket
        self._starts = starts   # where each bucket begins: the line break before its first word
        self._body = body       # every line, each after a line break
        self._ends = starts[1:] + [len(body)]

    def get(self, word: str) -> int | None:
        i = bisect.bisect_right(self._firsts, word) - 1
        if i < 0:
            return None
        found = self._body.find(f"\n{word}\t", self._starts[i], self._ends[i])
        return None if found < 0 else ord(self._body[found + len(word) + 2]) - 48


def load(path: Path) -> WordTable | None:
    """The table kept at ``path`` (marked as recently used), or None when it is missing or
    not one of ours."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        header, _, lines = text.partition("\n")
        fmt, firsts, starts, length = json.loads(header)
    except (OSError, ValueError, TypeError, UnicodeDecodeError):
        return None
    if fmt != _FORMAT or length != len(lines):   # not ours, or cut short
        return None
    try:
        os.utime(path)   # in use: not removed with the cache's stale files
    except OSError:
        pass
    return WordTable(firsts, starts, "\n" + lines)


def store(path: Path, pairs: Iterable[tuple[str, int]]) -> WordTable:
    """Write words and their numbers (0 to 1,000) to ``path`` (temp file, then rename; a
    read-only cache folder only means building again next time) and return them as a table."""
    entries = sorted(dict((w, v) for w, v in pairs if not {"\n", "\r", "\t"} & set(w)).items())
    lines = [f"{w}\t{chr(48 + v)}" for w, v in entries]
    firsts: list[str] = []
    starts: list[int] = []
    offset = 0
    for i, line in enumerate(lines):
        if i % _BUCKET == 0:
            firsts.append(entries[i][0])
            starts.append(offset)
        offset += len(line) + 1
    body = "\n".join(lines)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(json.dumps([_FORMAT, firsts, starts, len(body)]) + "\n" + body)
        os.replace(tmp, path)
    except OSError:
        pass
    return WordTable(firsts, starts, "\n" + body)
