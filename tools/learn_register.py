"""Learn professional-register words and phrases from the register corpus.

``tools/register/corpus/*/bad/NAME.md`` are "before" extracts written the way councils say
reports should not be written, each with a sidecar ``NAME.yml`` marking every problem
(line, text, category, plain); ``*/good/`` holds the same extracts written well. The corpus
was written by people who never saw confpack's rules or its evaluation sets.

A phrase marked as jargon, blaming or vague is kept when the corpus backs it: marked by two
or more writers (one is enough for jargon holding a word rarer than TECHNICAL), and at every
place it occurs, or, for one marked three times or more, four places in five (a place in a
"good" version counts against it). A single word that fails this, or is as common as
"supervised" or "risk" (a problem only in some senses), is kept with context words instead:
those within WINDOW words of its marks in the same sentence and never of its unmarked
places, seen twice (or once, if rare, for a word marked more often than not) ("supervised
contact", "poor hygiene"); without them it is left out. Also left out: names, numbers and acronyms (other rules' business), phrases holding a
glossary term or a hand-written restorative phrase or that would win over one where they
meet (so its advice is not hidden), jargon with no plain words to offer, and the phrases in
``tools/register/not_learned.yml`` (each with why). The result is data, like the rest of the
rules:

* jargon -> ``glossary/register.yml`` (kind ``jargon``: ``jargon.term``, with the plain
  words the corpus's writers gave most often, or those in ``tools/register/plain.yml``);
* blaming and vague -> the learned block at the end of ``style_rules/restorative.yml``.

Run: .venv/bin/python tools/learn_register.py [--check]   (``--check``: exit 1 when the
files on disk differ from what the corpus gives; a test runs it so they cannot drift)
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.common.files import write_text  # noqa: E402
from pipeline.common.frequency import zipf  # noqa: E402
from pipeline.lint.matching import phrases_of  # noqa: E402
from pipeline.lint.text import CLAUSE_END, WORD, stem  # noqa: E402

CORPUS = ROOT / "tools" / "register" / "corpus"
GLOSSARY = ROOT / "glossary" / "register.yml"
RESTORATIVE = ROOT / "style_rules" / "restorative.yml"
NOT_LEARNED = ROOT / "tools" / "register" / "not_learned.yml"
PLAIN = ROOT / "tools" / "register" / "plain.yml"
BEGIN = "  # --- learned from tools/register/corpus by tools/learn_register.py: edit there, not here ---"
END = "  # --- end of learned entries ---"
LEARNED = ("jargon", "blaming", "vague")
_LEADING = frozenset({"the", "a", "an", "her", "his", "their", "its", "this", "these", "those", "our"})
_FUNCTION = frozenset({"the", "a", "an", "of", "to", "in", "on", "at", "and", "or", "is", "was", "be", "been",
                       "by", "for", "with", "as", "it", "that", "this", "he", "she", "they", "her", "his", "their",
                       "him", "them", "has", "have", "had", "not", "no", "from", "there", "are", "were", "i", "we",
                       "about", "into", "over", "after", "before", "up", "out", "all", "any", "some", "more", "very",
                       "so", "than", "then", "when", "where", "which", "who", "what", "would", "could", "should",
                       "will", "can", "may", "must", "do", "does", "did", "being", "also", "just", "only", "still",
                       "now", "each", "both", "such", "own", "same", "other", "you", "your", "our", "us", "me",
                       "my", "if", "but", "because", "while", "during", "since", "until", "again", "there's"})
_ADVICE_VERB = re.compile(r"(?:say|describe|give|name|write|explain|list|record|use|tell|ask|quote)\b", re.I)
_YOU = re.compile(r"\byour?\b", re.I)
_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
MAX_WORDS = 4
WINDOW = 2       # how close a context word must be ("high risk", "poor hygiene")
TECHNICAL = 3.5  # a phrase holding a word this rare (zipf: "petechiae", "enuresis") needs only one writer
RARE_NEAR = 4.5  # a context word seen beside one mark only must be at least this rare (zipf)
COMMON_NEAR = 5.0   # a context word at least this common (zipf) must be seen beside three marks
EVERYDAY = 4.0   # a word at least this common in English (zipf) is an ordinary word, not a name
_NAMED = re.compile(r"\d|(?<=.)(?!I\b)[A-Z]|\b[A-Z]{2,}")   # a number, a name or an acronym: this corpus's own


def _named(text: str) -> bool:
    """Whether advice names someone: a capital inside it, or a first word that is a name ("Sofia's…")."""
    text = text.lstrip("'\"‘“(- ")
    first = WORD.match(text)
    return bool(_NAMED.search(text[1:])) or bool(first and first.group()[0].isupper() and
                                                   zipf(first.group().lower()) < EVERYDAY)


def _corpus_names(files: list) -> set[str]:
    """Words the corpus writes capitalised inside a sentence more often than in lower case:
    its people's names ("Leo", "Mason"), which fit no other report."""
    upper, lower = Counter(), Counter()
    for lines in files:
        for words in lines:
            for i, (_, _, _, word, sentence) in enumerate(words):
                if word[:1].isupper() and not word.isupper() and i and words[i - 1][4] == sentence:
                    upper[word.lower()] += 1
                elif word[:1].islower():
                    lower[word] += 1
    return {w for w, n in upper.items() if n > lower[w]}


def words_of(text: str) -> list[tuple[str, int, int, str, int]]:
    """(stem, start, end, word, sentence) of each word, as lint's phrase matcher sees them;
    ``sentence`` counts the sentence ends (. ! ? ;) before the word on its line."""
    out, sentence, last = [], 0, 0
    for m in WORD.finditer(text):
        sentence += len(CLAUSE_END.findall(text, last, m.start()))
        last = m.end()
        out.append((stem(m.group().lower()), m.start(), m.end(), m.group(), sentence))
    return out


def _phrase_words(text: str) -> list[str]:
    """A marked text's words without a leading article or possessive ("the threshold")."""
    words = WORD.findall(text)
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    return words


def key_of(text: str) -> tuple[str, ...]:
    """A marked text as the stems lint would match."""
    return tuple(stem(w.lower()) for w in _phrase_words(text))


def surface_of(text: str) -> str:
    """A marked text as the entry is written: lower case unless it holds an acronym."""
    words = _phrase_words(text)
    return " ".join(words).lower() if not any(w.isupper() and len(w) > 1 for w in words) else " ".join(words)


def load_corpus(corpus: Path) -> tuple[list, list]:
    """Bad files as (words of each line, marks) and good files as words of each line (see
    :func:`words_of`); a broken mark stops the run."""
    bad, good, broken = [], [], []
    for md in sorted(corpus.glob("*/bad/*.md")):
        lines = md.read_text(encoding="utf-8").split("\n")
        if not md.with_suffix(".yml").exists():
            broken.append(f"{md.relative_to(corpus)}: no sidecar {md.with_suffix('.yml').name}")
            continue
        data = yaml.safe_load(md.with_suffix(".yml").read_text(encoding="utf-8")) or {}
        marks = []
        for i, item in enumerate(data.get("problems") or [], 1):
            line, text, cat = int(item["line"]), str(item["text"]), str(item["category"])
            if not 1 <= line <= len(lines):
                broken.append(f"{md.relative_to(corpus)}: problem {i}: line {line} is outside the file")
                continue
            found = [m for m in re.finditer(re.escape(text), lines[line - 1])
                     if (m.start() == 0 or not lines[line - 1][m.start() - 1].isalnum())
                     and (m.end() == len(lines[line - 1]) or not lines[line - 1][m.end()].isalnum())]
            occurrence = int(item.get("occurrence", 1))
            if len(found) < occurrence:
                broken.append(f"{md.relative_to(corpus)}: problem {i}: {text!r} is not on line {line}")
                continue
            m = found[occurrence - 1]
            marks.append({"line": line, "start": m.start(), "end": m.end(), "text": text, "category": cat,
                          "plain": str(item.get("plain") or "").strip(), "writer": md.relative_to(corpus).parts[0]})
        bad.append(([words_of(line) for line in lines], marks))
    for md in sorted(corpus.glob("*/good/*.md")):
        good.append([words_of(line) for line in md.read_text(encoding="utf-8").split("\n")])
    if broken:
        raise SystemExit("broken annotations:\n  " + "\n  ".join(broken))
    return bad, good


class Index:
    """Where each stem occurs in the corpus: (file, line, word) by stem, so a phrase is looked
    up by its first word instead of read for in every line."""

    def __init__(self, files: list[list[list[tuple[str, int, int, str]]]]):
        self.files = files
        self.at: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for f, lines in enumerate(files):
            for number, words in enumerate(lines, 1):
                for i, word in enumerate(words):
                    self.at[word[0]].append((f, number, i))

    def occurrences(self, key: tuple[str, ...]):
        """(file, line, word, start, end, near) of each whole-word occurrence of ``key`` (by stems)
        on one line; ``near``: the content words within :data:`WINDOW` words of it in its
        sentence, as (stem, word)."""
        n = len(key)
        for f, number, i in self.at.get(key[0], ()):
            words = self.files[f][number - 1]
            if tuple(w[0] for w in words[i:i + n]) == key:
                near = [(w[0], w[3]) for w in words[max(0, i - WINDOW):i] + words[i + n:i + n + WINDOW]
                        if w[3].lower() not in _FUNCTION and len(w[3]) > 2 and w[3][0].islower() and
                        w[0] not in key and w[4] in (words[i][4], words[i + n - 1][4])]
                yield f, number, i, words[i][1], words[i + n - 1][2], near


def existing_keys() -> set[tuple[str, ...]]:
    """Stems of every hand-written glossary term and restorative phrase (learned ones left out)."""
    keys = set()
    for path in sorted((ROOT / "glossary").glob("*.yml")):
        if path == GLOSSARY:
            continue
        for term in yaml.safe_load(path.read_text(encoding="utf-8")).get("terms") or []:
            keys.update(_keys(term, (term["term"], *(term.get("variants") or ()))))
    for entry in yaml.safe_load(hand_written(RESTORATIVE.read_text(encoding="utf-8")))["entries"]:
        if not entry.get("negated"):   # those judge only when taken back: "honest" is still free to learn
            keys.update(_keys(entry, phrases_of(entry)))
    return keys


def _keys(entry: dict, forms) -> set[tuple[str, ...]]:
    """An entry's forms as stems; an ``exact`` entry's ("regarding", not "regards") as written."""
    if entry.get("exact"):
        return {tuple(w.lower() for w in _phrase_words(form)) for form in forms}
    return {key_of(form) for form in forms}


def hand_written(text: str) -> str:
    """restorative.yml without its learned block."""
    if BEGIN not in text:
        return text
    head, rest = text.split(BEGIN, 1)
    if END not in rest:
        raise SystemExit(f"{RESTORATIVE.relative_to(ROOT)}: the learned block has no end line {END.strip()!r}: "
                         "put it back after the learned entries, or delete the block and run the tool again")
    return head + rest.split(END, 1)[1].lstrip("\n")


def learn(corpus: Path) -> dict[str, dict[tuple[str, ...], dict]]:
    """Per category, each phrase the corpus backs: its surface form, plain words and counts."""
    bad, good = load_corpus(corpus)
    names = _corpus_names([lines for lines, _ in bad] + good)
    marked: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    writers: dict[tuple[str, ...], set] = defaultdict(set)
    surfaces: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    plains: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for _, marks in bad:
        for mark in marks:
            key = key_of(mark["text"])
            if mark["category"] not in LEARNED or not key or len(key) > MAX_WORDS:
                continue
            if all(w.lower() in _FUNCTION for w in _phrase_words(mark["text"])) or _NAMED.search(mark["text"].strip()):
                continue   # acronyms and names are other rules' business
            marked[key][mark["category"]] += 1
            writers[key].add(mark["writer"])
            surfaces[key][surface_of(mark["text"])] += 1
            plain = mark["plain"]
            if plain and not _named(plain) and not _PERSON.search(plain) and \
                    (WORD.findall(plain) or [""])[0].lower() not in names and not (
                    mark["category"] == "jargon" and _ADVICE_VERB.match(plain)):
                # advice naming the corpus's people fits no other report; jargon needs words, not advice
                first = WORD.match(plain)
                if first and first.group() != "I" and zipf(first.group().lower()) >= EVERYDAY:
                    plain = plain[0].lower() + plain[1:]
                plains[key][plain] += 1
    refused = list(yaml.safe_load(NOT_LEARNED.read_text(encoding="utf-8")) or {})
    # "change near necessary": the phrase may be learned, but not with that word as its context
    not_beside: dict[tuple, set[str]] = defaultdict(set)
    for p in refused:
        if " near " in p:
            phrase, word = p.split(" near ", 1)
            not_beside[key_of(phrase)].add(stem(word.lower()))
    known = existing_keys() | {key_of(p) for p in refused if " near " not in p}
    in_bad, in_good = Index([lines for lines, _ in bad]), Index(good)
    taken: dict[tuple, list[tuple[int, int]]] = defaultdict(list)   # where hand-written entries match
    for index in (in_bad, in_good):
        for old in known:
            for f, line, i, *_ in index.occurrences(old):
                taken[(id(index), f, line)].append((i, i + len(old)))
    chosen = {key_of(term): plain for term, plain in (yaml.safe_load(PLAIN.read_text(encoding="utf-8")) or {}).items()}
    learned: dict[str, dict] = {c: {} for c in LEARNED}
    for key, cats in marked.items():
        rarest = min(zipf(w) for surface in surfaces[key] for w in surface.split())
        if len(writers[key]) < 2 and (rarest >= TECHNICAL or cats.most_common(1)[0][0] != "jargon"):
            continue   # one writer's habit or opinion, not the register (a technical word needs only one)
        if any(key[i:j] in known for i in range(len(key)) for j in range(i + 1, len(key) + 1)):
            continue   # "was non-compliant with" would hide the hand-written advice for "non-compliant"
        if any(i < b and a < i + len(key) and (i < a or (i == a and len(key) > b - a))
               for index in (in_bad, in_good) for f, line, i, *_ in index.occurrences(key)
               for a, b in taken.get((id(index), f, line), ())):
            continue   # "some issues" would win over, and hide, the hand-written advice for "issues with"
        category = cats.most_common(1)[0][0]
        hits, misses, near_hit, near_miss = 0, 0, Counter(), set()
        words: dict[str, Counter] = defaultdict(Counter)
        for f, line, _, start, end, near in in_bad.occurrences(key):
            over = [m["category"] for m in bad[f][1] if m["line"] == line and m["start"] < end and m["end"] > start]
            if category in over:
                hits += 1
                near_hit.update({s for s, _ in near})
                for s, w in near:
                    words[s][w.lower()] += 1
            elif not over:
                misses += 1
                near_miss.update(s for s, _ in near)
        for *_, near in in_good.occurrences(key):
            misses += 1
            near_miss.update(s for s, _ in near)
        common = max(zipf(w) for w in surfaces[key]) if len(key) == 1 else 0.0   # "accessed" is "access"
        context: list[str] = []
        if hits == 0 or category == "blaming" and hits < 3:
            continue   # a label is an error in every report that uses it: three marks ("did not bother")
        if (misses and (hits < 3 or hits < 4 * misses)) or common >= TECHNICAL:
            # only in some senses: keep it with the words that were beside it where it was marked
            # and never where it was not ("high risk", "poor hygiene"), if they cover two marks; a
            # very common word ("time", "made") must be beside three, or it may be there by chance
            good_near = {s for s, n in near_hit.items() if s not in near_miss and s not in not_beside[key] and
                         (n >= 3 or n == 2 and zipf(words[s].most_common(1)[0][0]) < COMMON_NEAR or
                          hits >= misses and zipf(words[s].most_common(1)[0][0]) < RARE_NEAR)}
            if len(key) > 1 or sum(near_hit[s] for s in good_near) < 2:
                continue
            context = sorted(words[s].most_common(1)[0][0] for s in good_near)
        # plain words that do not assume who reads them ("your mum" for "maternal grandmother") first
        plain = sorted(plains[key].items(), key=lambda kv: (bool(_YOU.search(kv[0])), -kv[1], len(kv[0]), kv[0]))
        if category == "jargon" and not plain and key not in chosen:
            continue   # a term lint cannot offer plain words for
        learned[category][key] = {"surface": sorted(surfaces[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                                  "plain": chosen.get(key) or (plain[0][0] if plain else ""), "hits": hits, "misses": misses,
                                  "near": context}
    return learned


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _context_line(item: dict) -> list[str]:
    """The entry's ``context`` line (the same shape in the glossary and restorative.yml), if any."""
    if not item["near"]:
        return []
    return [f"    context: {{near: [{', '.join(_quote(w) for w in item['near'])}], window: {WINDOW}}}"]


def glossary_text(learned: dict) -> str:
    out = ["# confpack glossary: professional-register words and phrases, learned from confpack's register",
           "# corpus (tools/register/corpus) by tools/learn_register.py. Do not edit by hand: change the corpus",
           "# marks and run the tool again (a test checks this file is what the corpus gives). Same schema as",
           "# the other glossary files.",
           "sources:",
           "  - id: register-corpus",
           '    title: "confpack register corpus: marked before-and-after extracts from about 60 kinds of agency and document"',
           '    url: "tools/register/corpus/README.md"',
           "terms:"]
    for key, item in sorted(learned["jargon"].items(), key=lambda kv: kv[1]["surface"]):
        plain = item["plain"]
        out += [f"  - term: {_quote(item['surface'])}", "    kind: jargon", f"    plain: {_quote(plain)}",
                "    audiences: [family, child]", "    sources: [register-corpus]"]
        out += _context_line(item)
    return "\n".join(out) + "\n"


_ADVICE = {"blaming": "describe what happened, when, and its effect on the child, instead of a label",
           "vague": "say what exactly is worrying, what happened and when, and what it means for the child"}


def restorative_text(learned: dict, current: str) -> str:
    lines = [BEGIN]
    for category in ("blaming", "vague"):
        for key, item in sorted(learned[category].items(), key=lambda kv: kv[1]["surface"]):
            plain = item["plain"]
            advice = _ADVICE[category] if not plain or _YOU.search(plain) else \
                plain if _ADVICE_VERB.match(plain) else f"{_ADVICE[category]}, for example '{plain}'"
            lines += [f"  - rule: {category}", f"    phrases: [{_quote(item['surface'])}]",
                      f"    advice: {_quote(advice)}"]
            lines += _context_line(item)
    lines.append(END)
    return hand_written(current).rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files differ from what the corpus gives")
    parser.add_argument("--report", action="store_true", help="print each learned phrase with its counts")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="another corpus folder (default: the shipped one)")
    args = parser.parse_args()
    learned = learn(args.corpus)
    outputs = {GLOSSARY: glossary_text(learned),
               RESTORATIVE: restorative_text(learned, RESTORATIVE.read_text(encoding="utf-8"))}
    if args.report:
        for category, items in learned.items():
            for item in sorted(items.values(), key=lambda i: i["surface"]):
                near = f" near {', '.join(item['near'])}" if item["near"] else ""
                print(f"{category:8} {item['surface']:35} hits {item['hits']:2} misses {item['misses']}{near}  -> {item['plain']}")
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not what the corpus gives: run tools/learn_register.py")
        return 1 if stale else 0
    for path in stale:
        write_text(path, outputs[path])
    print(", ".join(f"{c}: {len(items)}" for c, items in learned.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
