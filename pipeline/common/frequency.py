"""How common an English word is (the Zipf scale: 7 is "the", 3 once in a million words,
0 unknown), from wordfreq's English list.

wordfreq takes about half a second to import and load; confpack keeps a compact copy of
the list (words with their scores, sorted, one gzip file) in its cache folder, made at first
use and remade when wordfreq changes, and looks words up by bisection."""
from __future__ import annotations

import bisect
import gzip
import hashlib
import os
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from .resources import cache_folder

_FLOOR = 3.0   # words rarer than this (fewer than one in a million) count as unknown: 0


class _Table:
    def __init__(self, words: list[str], scores: str):
        self.words, self.scores = words, scores

    def zipf(self, word: str) -> float:
        i = bisect.bisect_left(self.words, word)
        if i < len(self.words) and self.words[i] == word:
            return (ord(self.scores[i]) - 32) / 10
        return 0.0


@lru_cache(maxsize=1)
def _table() -> _Table:
    spec = find_spec("wordfreq")
    source = Path(spec.origin).parent / "data" / "large_en.msgpack.gz" if spec and spec.origin else None
    stat = source.stat() if source and source.is_file() else None
    tag = hashlib.sha1(f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{_FLOOR}".encode()).hexdigest()[:16] if stat else "none"
    path = cache_folder() / f"wordfreq-en-{tag}.txt.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            scores = fh.readline().rstrip("\n")
            words = fh.read().split("\n")
        if len(words) == len(scores):
            return _Table(words, scores)
    except (OSError, EOFError, ValueError):
        pass
    return _build(path)


def _build(path: Path) -> _Table:
    import math

    from wordfreq import get_frequency_dict

    pairs = sorted((w, round(math.log10(f) + 9, 1)) for w, f in get_frequency_dict("en", "large").items()
                   if f > 0 and math.log10(f) + 9 >= _FLOOR and "\n" not in w)
    words = [w for w, _ in pairs]
    scores = "".join(chr(32 + int(round(z * 10))) for _, z in pairs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as fh:
            fh.write(scores + "\n" + "\n".join(words))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: build again next time
    return _Table(words, scores)


def zipf(word: str) -> float:
    """The Zipf frequency of a lower-case English word (0 when unknown)."""
    return _table().zipf(word)
