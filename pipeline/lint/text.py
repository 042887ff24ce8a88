"""The lintable text of a document: units (headings, paragraphs, list items, table cells)
with their words and sentences, each mapped back to source line and column."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..common.frequency import zipf
from ..document.tree import Document, Node

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|\n")
_LIST_WITHOUT_STOP = re.compile(r"[.!?:;][\"'”’)]*\s*$")
# email and web addresses ("h.greaves@eastbrook.example.gov.uk", "www.example.org/help"): not words
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*"
                      r"|\b[\w-]+\.(?:gov|org|co|ac|nhs|sch)\.uk\b|\b[\w-]+\.(?:com|org|net)\b")


# words that start a clause, so that a word after them may be its subject
CLAUSE_START = frozenset("""if when whenever because and but so that until unless while whether where after before
    as since then or once though although""".split())
# words in quotes: someone's own.  Double quotes, or single ones as British writing uses them
# ('Dad is a soft touch.'): opened where no letter is before the mark, closed where none is after
# it, with apostrophes inside a word ('Dad's lazy') left alone, all on one line
QUOTE = re.compile(r"[\"“][^\"”]*[\"”]|(?<![\w'’‘])['‘](?=[^\s'’])(?:[^'‘’\n]|(?<=\w)['’](?=\w))*?(?<=\S)['’](?![\w'’])")
_QUOTE_MARKS = re.compile("[\"“'‘]")


def has_quote_mark(text: str) -> bool:
    """Whether ``text`` may hold a quote: a quick look before :data:`QUOTE` is searched."""
    return _QUOTE_MARKS.search(text) is not None


SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're", "you've",
                           "you'll", "you'd", "you’re", "you’ve", "you’ll", "you’d"})


_MAYBE_ADDRESS = re.compile(r"@|://|www\.|[\w-]\.[\w-]")   # what every address has: a quick look first


def address_spans(text: str) -> list[tuple[int, int]]:
    """Where email and web addresses are in ``text``: their words are not checked as words."""
    return [(m.start(), m.end()) for m in _ADDRESS.finditer(text)] if _MAYBE_ADDRESS.search(text) else []


CLAUSE_BREAK = re.compile(r"[.!?;:,()]")   # between two words: they are in different clauses
CLAUSE_END = re.compile(r"[.!?;:]")   # ends a sentence or a clause within it: the register model reads up to it
POSSESSIVE = ("'s", "’s")
# capitalised words that are not names
MONTHS_AND_DAYS = frozenset("january february march april may june july august september october november "
                            "december monday tuesday wednesday thursday friday saturday sunday".split())


def without_possessive(word: str) -> str:
    """A word without its possessive ending: "doctor's" is "doctor"."""
    return word[:-2] if word.endswith(POSSESSIVE) else word


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str
    stem: str


_STEMS: dict[str, str] = {}
_DOUBLED = ("bb", "dd", "gg", "mm", "nn", "pp", "rr", "tt")


def stem(lower: str) -> str:
    """A lower-case word without its inflection, so "engaged", "engaging" and "engages" all
    meet "engage", and "lacks"/"lacking" meet "lack": endings -s, -es, -ies, -ed, -ied and
    -ing and a final -e go; a doubled consonant left by -ed or -ing is undoubled.  Only
    inflections: "engagement" and "placement" keep their own stems."""
    found = _STEMS.get(lower)
    if found is not None:
        return found
    word = without_possessive(lower)
    n = len(word)
    cut = False
    if n > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif n > 5 and word.endswith("ing"):
        word, cut = word[:-3], True
    elif n > 4 and word.endswith("ed") and not word.endswith("eed"):
        word, cut = word[:-2], True
    elif n > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if cut and word.endswith(_DOUBLED):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        word = word[:-1]
    _STEMS[lower] = word
    return word


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    first: int  # index of first token
    last: int   # index after last token


@dataclass
class Section:
    """A heading and what follows it, up to the next heading of the same or a higher level."""

    title: str
    level: int
    line: int
    id: str | None = None
    words: int = 0


@dataclass
class Unit:
    """One run of prose: a heading, a paragraph, a list item's paragraph or a table cell."""

    kind: str
    text: str
    line: int
    starts: list[int]
    nodes: list[Node]
    section: Section | None
    quoted: bool = False
    professional_only: bool = False
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    _quotes: list[tuple[int, int]] | None = field(default=None, repr=False)

    def quotes(self) -> list[tuple[int, int]]:
        """Where :attr:`text` has words in quotes (someone's own), found once."""
        if self._quotes is None:
            text = self.text
            self._quotes = [(m.start(), m.end()) for m in QUOTE.finditer(text)] if has_quote_mark(text) else []
        return self._quotes

    def in_quotes(self, offset: int) -> bool:
        """Whether character ``offset`` of :attr:`text` is inside double quotes."""
        return any(a <= offset < b for a, b in self.quotes())

    def sentence_at(self, i: int) -> Sentence | None:
        """The sentence that token ``i`` is in."""
        return next((s for s in self.sentences if s.first <= i < s.last), None)

    def position(self, offset: int) -> tuple[int, int]:
        """Source (line, column) of character ``offset`` in :attr:`text`."""
        if not self.nodes:
            return self.line, 1
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        node = self.nodes[i]
        return node.position(min(offset - self.starts[i], max(len(node.text) - 1, 0)))

    def end_position(self, end: int) -> tuple[int, int]:
        """Source (line, column) just after the character before ``end``."""
        line, col = self.position(max(end - 1, 0))
        return line, col + 1


def units_of(doc: Document, abbreviations: frozenset[str]) -> tuple[list[Unit], list[Section]]:
    """Collect the prose units of a document in order, with their sections."""
    collected = _Units({"family", "parents", "children", "all"} | {p.id for p in doc.meta.family})
    collected.visit(doc.root, False)
    for footnote in doc.footnotes.values():
        collected.visit(footnote, False)
    units = collected.units
    for unit in units:
        _analyse(unit, abbreviations)
        if unit.section is not None and unit.kind != "heading":
            unit.section.words += len(unit.tokens)
    return units, collected.sections


class _Units:
    """Walks a document tree collecting units and sections (a class, not a recursive closure,
    so that nothing it builds sits in a reference cycle and waits for the garbage collector)."""

    def __init__(self, family_words: set[str]):
        self.family_words = family_words
        self.units: list[Unit] = []
        self.sections: list[Section] = []
        self.current: Section | None = None

    def visit(self, node: Node, quoted: bool, professional: bool = False) -> None:
        t = node.type
        if t == "heading":
            unit = _unit(node, "heading", self.current, quoted)
            section = Section(unit.text.strip(), node.attrs.get("level", 1), node.line)
            self.sections.append(section)
            self.current = unit.section = section
            self.units.append(unit)
            return
        if t in ("paragraph", "cell"):
            unit = _unit(node, "cell" if t == "cell" else "paragraph", self.current, quoted)
            unit.professional_only = professional
            if unit.text.strip():
                self.units.append(unit)
            return
        if t in ("code_block", "html", "comment", "thematic_break", "page_break"):
            return
        if t == "div" and "only" in node.attrs:
            professional = professional or not (set(node.attrs["only"].split()) & self.family_words)
        for child in node.children:
            self.visit(child, quoted or t == "blockquote", professional)


def _unit(node: Node, kind: str, section: Section | None, quoted: bool) -> Unit:
    parts: list[str] = []
    starts: list[int] = []
    nodes: list[Node] = []
    length = 0
    stack = node.children[::-1]
    while stack:
        n = stack.pop()
        if n.type in ("text", "code", "html_inline"):
            starts.append(length)
            nodes.append(n)
            parts.append(n.text)
            length += len(n.text)
        elif n.type in ("softbreak", "hardbreak"):
            parts.append(" ")
            length += 1
        elif n.type not in ("comment_inline", "footnote_ref"):
            stack.extend(n.children[::-1])
    return Unit(kind, "".join(parts), node.line, starts, nodes, section, quoted)


def _analyse(unit: Unit, abbreviations: frozenset[str]) -> None:
    text = unit.text
    stems = _STEMS
    tokens = unit.tokens = []
    append = tokens.append
    for m in WORD.finditer(text):
        word = m[0]
        lower = word.lower()
        append(Token(m.start(), m.end(), word, lower, stems.get(lower) or stem(lower)))
    if unit.kind == "heading":
        unit.sentences = [Sentence(0, len(text), 0, len(unit.tokens))] if unit.tokens else []
        return
    bounds = []
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            before = WORD.findall(text[max(0, m.start() - 12): m.start() + 1])
            if before and before[-1].lower() in abbreviations:
                continue   # "e.g.", "Dr." do not end a sentence
        bounds.append(m.end())
    if not bounds or bounds[-1] < len(text.rstrip()):
        bounds.append(len(text))
    token_starts = [t.start for t in unit.tokens]
    start = 0
    for end in bounds:
        first = bisect.bisect_left(token_starts, start)
        last = bisect.bisect_left(token_starts, end)
        if last > first:
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            unit.sentences.append(Sentence(start + lead, end, first, last))
        start = end


ABBREVIATION = re.compile(r"[A-Z]{2,}s?")   # "CMHT", "CAMHS", "YOTs"; not "I", "Mr", "KS3"


def capitalised_inside(tok: Token, i: int, starts: set[int]) -> bool:
    """Whether token ``i`` is capitalised inside its sentence and not written in capitals
    ("Gemma" in "our teacher Gemma"): most likely a name."""
    return i not in starts and tok.text[:1].isupper() and not tok.text.isupper()


def sense_of(spec: dict | None) -> dict | None:
    """A ``context`` as written in the data ({near, not_near, window, capitalised, abbreviation,
    possessive, name_after}) as :func:`in_sense` reads it: the words as stems."""
    if not spec:
        return None
    return {"near": frozenset(stem(w.lower()) for w in spec.get("near", ())), "window": spec.get("window", 3),
            "not_near": frozenset(stem(w.lower()) for w in spec.get("not_near", ())),
            **{flag: spec.get(flag, False) for flag in ("capitalised", "abbreviation", "possessive", "name_after")}}


def in_sense(unit: Unit, first: int, last: int, context: dict, known: frozenset[str] = frozenset()) -> bool:
    """Whether a two-meaning term or phrase (tokens ``first`` to ``last``) is used in its
    professional sense here: capitalised as a name ("Front Door"), or with one of its context
    words (``context["near"]``, as stems) within ``context["window"]`` words in the same
    sentence ("supervised contact"), or, with ``context["abbreviation"]``, an abbreviation
    within the window after it, most often a service's ("open to the CMHT"), unless families
    know it (``known``: "open to GP advice"); with ``context["possessive"]``, someone's
    ("her presentation", "Kai's presentation"); with ``context["name_after"]``, a name of two
    words straight after it ("open to Northgate Recovery").  Never with a ``not_near`` word in the
    window ("a DNA test"); with only those, everywhere else."""
    tokens = unit.tokens
    window = context.get("window", 3)
    sentence = unit.sentence_at(first)
    low, high = (sentence.first, sentence.last) if sentence else (0, len(tokens))
    before, after = tokens[max(low, first - window):first], tokens[last:min(high, last + window)]
    if context.get("not_near"):
        if any(t.stem in context["not_near"] for t in (*before, *after)):
            return False
        if not (context.get("near") or context.get("capitalised") or context.get("abbreviation")
                or context.get("possessive") or context.get("name_after")):
            return True
    if context.get("capitalised") and all(t.text[:1].isupper() for t in tokens[first:last]) and first and \
            not unit.text[:tokens[first].start].rstrip().endswith((".", "!", "?")):
        return True
    if context.get("abbreviation") and any(ABBREVIATION.fullmatch(t.text) and t.text not in known and zipf(t.lower) < 5
                                           for t in after):   # not "open to ALL children"
        return True
    if context.get("possessive") and before and (before[-1].lower in _POSSESSIVES or before[-1].lower.endswith(POSSESSIVE)):
        return True
    if context.get("name_after") and after:
        name = after[1:3] if after[0].lower == "the" else after[:2]
        if len(name) == 2 and all(t.text.isalpha() and t.text.istitle() for t in name) and name[0].lower not in _FAMILY:
            return True   # a service's name of two words; not "U18s", "ALL", "Mum's", "Year 5", "Kai staying"
    return any(t.stem in context["near"] for t in (*before, *after))


_POSSESSIVES = frozenset("her his their its".split())   # not "your presentation to the group": the reader's own
_FAMILY = frozenset("mum dad mummy daddy nan nana nanna grandad grandma granny grandpa".split())   # people, not services


def needs_stop(text: str) -> bool:
    """True when a unit's text does not end with sentence punctuation (list items, cells)."""
    return not _LIST_WITHOUT_STOP.search(text)
