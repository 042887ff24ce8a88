"""Words with a small number each (syllables, frequency), kept in the cache folder as one
text file that loads in a millisecond or two: a first line giving the first word of each
bucket of 64 (in sorted order) and where the bucket lies, then one ``word<TAB>N`` line per
word, its number written as the one character ``N`` (code 48 + the number).  Only the
buckets asked for are ever split into words, so a small file's lint does not make a hundred
thousand strings it never looks at."""
from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterable
from pathlib import Path

_FORMAT = "confpack-words-3"
_BUCKET = 64


class WordTable:
    """Look a word up in its bucket; each bucket is read from the text once, when first needed."""

    def __init__(self, firsts: list[str], ends: list[int], body: str):
        self._firsts = firsts   # the first word of each bucket
        self._ends = ends       # where each bucket's text ends (the next begins one later)
        self._body = body
        self._buckets: dict[int, dict[str, str]] = {}

    def get(self, word: str) -> int | None:
        i = bisect.bisect_right(self._firsts, word) - 1
        if i < 0:
            return None
        bucket = self._buckets.get(i)
        if bucket is None:
            start = self._ends[i - 1] + 1 if i else 0
            bucket = self._buckets[i] = {line[:-2]: line[-1] for line in self._body[start:self._ends[i]].split("\n")}
        value = bucket.get(word)
        return None if value is None else ord(value) - 48


def load(path: Path) -> WordTable | None:
    """The table kept at ``path``, or None when it is missing or not one of ours."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        header, _, body = text.partition("\n")
        fmt, firsts, ends = json.loads(header)
    except (OSError, ValueError, TypeError, UnicodeDecodeError):
        return None
    return WordTable(firsts, ends, body) if fmt == _FORMAT else None


def store(path: Path, pairs: Iterable[tuple[str, int]]) -> WordTable:
    """Write words and their numbers (0 to 1,000) to ``path`` (temp file, then rename; a
    read-only cache folder only means building again next time) and return them as a table."""
    entries = sorted(dict((w, v) for w, v in pairs if not {"\n", "\r", "\t"} & set(w)).items())
    firsts: list[str] = []
    ends: list[int] = []
    chunks: list[str] = []
    offset = -1
    for i in range(0, len(entries), _BUCKET):
        firsts.append(entries[i][0])
        chunk = "\n".join(f"{w}\t{chr(48 + v)}" for w, v in entries[i:i + _BUCKET])
        chunks.append(chunk)
        offset += len(chunk) + 1
        ends.append(offset)
    body = "\n".join(chunks)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(json.dumps([_FORMAT, firsts, ends]) + "\n" + body)
        os.replace(tmp, path)
    except OSError:
        pass
    return WordTable(firsts, ends, body)
