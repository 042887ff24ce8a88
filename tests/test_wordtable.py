"""The word table behind syllable counts and word frequencies: every word found, at every
place in its bucket, from a file written to disk and read back."""
from __future__ import annotations

import random

from pipeline.common import wordtable


def test_every_word_is_found_after_a_round_trip_through_the_file(tmp_path):
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz'é"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 12))): rng.randint(0, 95) for _ in range(5000)}
    path = tmp_path / "t.words"
    made = wordtable.store(path, words.items())
    read = wordtable.load(path)
    assert read is not None
    for table in (made, read):
        for word, value in words.items():
            assert table.get(word) == value, word
    first, last = min(words), max(words)
    for missing in ("", first[:-1] if len(first) > 1 else "0", last + "z", "zzzzzzzzzzzzzz", "not-a-word!"):
        if missing not in words:
            assert read.get(missing) is None, missing


def test_words_that_would_break_a_line_are_left_out_and_the_rest_still_read(tmp_path):
    path = tmp_path / "t.words"
    wordtable.store(path, [("two\nlines", 1), ("tab\there", 2), ("car\rriage", 3), ("plain", 4), ("zebra", 5)])
    table = wordtable.load(path)
    assert (table.get("plain"), table.get("zebra"), table.get("two\nlines"), table.get("tab\there")) == (4, 5, None, None)


def test_a_damaged_or_foreign_file_is_not_read(tmp_path):
    path = tmp_path / "t.words"
    for text in ("", "not json\nword\t1", '["confpack-words-0", ["a"], [3], 4]\na\t1', "[1, 2]\n"):
        path.write_text(text, encoding="utf-8")
        assert wordtable.load(path) is None, text
    assert wordtable.load(tmp_path / "missing.words") is None
    # a whole table cut short after its first line
    wordtable.store(path, [(f"word{i:04}", i % 90) for i in range(1000)])
    text = path.read_text(encoding="utf-8")
    assert wordtable.load(path).get("word0999") == 999 % 90
    path.write_text(text[: len(text) - 40], encoding="utf-8")
    assert wordtable.load(path) is None
