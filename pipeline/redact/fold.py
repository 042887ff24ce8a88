"""Text folded so that a private detail is found however it is written: any case, accents,
spacing, punctuation, hyphenation or invisible characters; common address abbreviations
("Rd" for "Road", "Apt" for "Flat"); numbers written as words ("double seven"); and
percent- or entity-encoded URLs.

:func:`fold` gives the words run together (the verifier searches it as a plain string, the
strictest test); :class:`Haystack` keeps where words begin and end, so the redaction step
can match whole words only ("flat. 2 weeks" is not "Flat 2") and name the source line."""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from urllib.parse import unquote_plus

_WORD = re.compile(r"[^\W_]+")
_LETTER_DIGIT = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
# One spelling for each family of abbreviations (both the text and the detail are folded).
_CANON = {}
for _forms in ("road rd", "street st saint", "avenue ave av", "lane ln la", "drive dr drv", "close cl", "court ct crt",
               "crescent cres cresc", "place pl", "gardens gdns gdn", "terrace terr ter tce", "square sq",
               "grove gr gro", "park pk", "mount mt", "parade pde", "highway hwy", "building bldg bldgs",
               "cottage cott", "cottages cotts", "house ho", "flat apartment apt flt", "flats apartments apts",
               "number no num", "north nth", "south sth", "upper upr", "lower lwr", "great gt", "little lt",
               "mews", "close", "heights hts", "junction jct", "centre center ctr"):
    _words = _forms.split()
    for _w in _words:
        _CANON[_w] = _words[0]
_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBERS.update({"oh": "0", "nought": "0", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
                 "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "00"})
_REPEAT = {"double": 2, "triple": 3}
# Letters that look like Latin ones (Cyrillic, Greek, Armenian, Cherokee…), and letters that
# show nothing (Hangul fillers, the braille blank).
_LOOK_ALIKES = dict(pair for pair in (
    "аa еe оo рp сc уy хx іi јj ѕs ԁd ԛq ԝw һh ӏl кk мm нh вb тt гr пn ԍg "
    "Аa Вb Еe Зz Іi Јj Кk Мm Нh Оo Рp Сc Тt Уy Хx Ѕs Ԝw Ӏl "
    "αa βb εe ηn ιi κk μm νn οo πp ρp τt υu χx ωw Αa Βb Εe Ζz Ηh Ιi Κk Μm Νn Οo Ρp Τt Υy Χx "
    "ɑa ɡg ɩi ɪi ʟl ɴn ʀr Օo օo սu հh ոn ǀl ⅼl ⅰi").split())
_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u180e"}
_DIGIT_WORD = re.compile(r"^[0-9oO]*[0-9][0-9oO]*$")
_CHARS: dict[str, str] = {}


def _fold_char(c: str) -> str:
    found = _CHARS.get(c)
    if found is None:
        if c in _INVISIBLE:
            found = ""
        elif c in _LOOK_ALIKES:
            found = _LOOK_ALIKES[c]
        elif unicodedata.category(c) == "Nd":
            found = str(unicodedata.decimal(c))
        else:
            d = unicodedata.normalize("NFKD", c)
            found = "".join(_LOOK_ALIKES.get(ch, ch) for ch in d
                            if unicodedata.category(ch) not in ("Mn", "Me", "Cf")).casefold()
        _CHARS[c] = found
    return found


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """Lower-cased, accents and invisible characters removed; with the index of each
    character in ``text`` when the lengths differ."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        f = c.lower() if c.isascii() else _fold_char(c)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical word) for each word of ``text`` (offsets into ``text``)."""
    prepared, index = _prepare(text)
    out: list[tuple[int, int, str]] = []
    repeat = 1
    last_end, last_raw = -1, ""
    for m in _WORD.finditer(prepared):
        start, end = (m.start(), m.end()) if index is None else (index[m.start()], index[m.end() - 1] + 1)
        word = m.group()
        if out and last_end >= 0 and _BROKEN.fullmatch(prepared, last_end, m.start()):
            word = last_raw + word          # "Sai-\nnt": one word broken across a line
            start = out.pop()[0]
        last_end, last_raw = m.end(), word
        if word in _REPEAT:
            repeat, last_end = _REPEAT[word], -1
            continue
        word = _NUMBERS.get(word) or _CANON.get(word, word)
        if "o" in word and _DIGIT_WORD.match(word):   # "9OO123": the letter O typed for a zero
            word = word.replace("o", "0")
        if repeat > 1 and word.isdigit():
            word *= repeat
        repeat = 1
        out.append((start, end, word))
    return out


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_BROKEN = re.compile(r"-[ \t]*\n[ \t]*")   # a word hyphenated at the end of a line


def fold(text: str) -> str:
    """``text`` folded and run together: "14 Mill Rd." → "14millrd"."""
    prepared = text.lower()
    if not prepared.isascii():
        prepared = prepared.translate({ord(c): _fold_char(c) for c in set(_NON_ASCII.findall(prepared))})
    found = _WORD.findall(prepared)
    if _REPEAT.keys() & set(found) or any("o" in w and _DIGIT_WORD.match(w) for w in found):
        return "".join(w for _, _, w in words(text))
    get_number, get_canon = _NUMBERS.get, _CANON.get
    return "".join([get_number(w) or get_canon(w, w) for w in found])


def decode_url(url: str) -> str:
    """A URL as a reader would see it: entities and percent-encoding undone (twice nested too)."""
    if "%" not in url and "&" not in url and "+" not in url:
        return url
    for _ in range(3):
        decoded = unquote_plus(html.unescape(url))
        if decoded == url:
            break
        url = decoded
    return url


class Haystack:
    """Folded text of many pieces, with the boundaries of its words and a line per offset."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.bounds: set[int] = {0}
        self._offsets: list[int] = []
        self._lines: list[int] = []
        self.text = ""

    def add(self, text: str, line_at) -> None:
        """Add one run of text (a paragraph, a cell, a URL); ``line_at(i)`` is the source line
        of its character ``i``.  Words never run across two runs' boundary unnoticed: each
        run starts and ends at a word boundary."""
        for start, _end, word in words(text):
            self._offsets.append(self._length)
            self._lines.append(line_at(start))
            self.bounds.add(self._length)
            for m in _LETTER_DIGIT.finditer(word):
                self.bounds.add(self._length + m.start())
            self._parts.append(word)
            self._length += len(word)
            self.bounds.add(self._length)

    def finish(self) -> "Haystack":
        self.text = "".join(self._parts)
        return self

    def find_all(self, form: str) -> list[int]:
        """The offsets of every whole-word occurrence of a folded form."""
        found = []
        at = self.text.find(form)
        while at >= 0:
            if at in self.bounds and at + len(form) in self.bounds:
                found.append(at)
            at = self.text.find(form, at + 1)
        return found

    def line(self, offset: int) -> int:
        i = bisect.bisect_right(self._offsets, offset) - 1
        return self._lines[max(i, 0)] if self._lines else 0
