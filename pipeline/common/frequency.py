"""How common an English word is (the Zipf scale: 7 is "the", 3 once in a million words,
0 unknown), from wordfreq's English list.

wordfreq takes about half a second to import and load; confpack keeps a compact copy of
the list (a :mod:`word table <pipeline.common.wordtable>` of words with their scores, tenths
of a Zipf point) in its cache folder, made at first use and remade when wordfreq changes."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from . import wordtable
from .resources import cache_folder
from .wordtable import WordTable

_FLOOR = 3.0   # words rarer than this (fewer than one in a million) count as unknown: 0


@lru_cache(maxsize=1)
def _table() -> WordTable:
    spec = find_spec("wordfreq")
    source = Path(spec.origin).parent / "data" / "large_en.msgpack.gz" if spec and spec.origin else None
    stat = source.stat() if source and source.is_file() else None
    tag = hashlib.sha1(f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{_FLOOR}".encode()).hexdigest()[:16] if stat else "none"
    path = cache_folder() / f"wordfreq-en-{tag}.words"
    return wordtable.load(path) or _build(path)


def _build(path: Path) -> WordTable:
    import math

    from wordfreq import get_frequency_dict

    return wordtable.store(path, ((w, int(round(round(math.log10(f) + 9, 1) * 10)))
                                  for w, f in get_frequency_dict("en", "large").items()
                                  if f > 0 and math.log10(f) + 9 >= _FLOOR))


def zipf(word: str) -> float:
    """The Zipf frequency of a lower-case English word (0 when unknown)."""
    score = _table().get(word)
    return score / 10 if score is not None else 0.0
