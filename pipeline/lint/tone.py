"""``restorative.blaming-likely`` and ``restorative.vague-likely``: blame and vague worry in
words no list names ("does not seem bothered", "does not appear to value education", "seems
to enjoy the lifestyle"), guessed by a model learned from the register corpus's marked reports
(``tools/learn_tone.py`` writes ``style_rules/tone_model.tsv``).

Each word is scored from its stem, the stems either side of it and the two pairs they make,
within its clause; a run of words whose score for blaming or for vague beats "neither" by
more than the ``tone.margin`` in ``restorative.yml`` is one guess.  A guess is a suggestion,
never an error, and says it is one; the words an entry of ``restorative.yml`` has found, judged
fine or knows only in other senses are left to it."""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from ..common.resources import data_dir
from ..config import Settings, cached
from .text import Unit, stem

MODEL = "tone_model.tsv"
LABELS = ("blaming", "vague")
_CLAUSE_END = re.compile(r"[.!?;:]")
# Words that are no guess on their own: a run of only these is dropped.
FUNCTION = frozenset("""a an the of to in on at and or is was are were be been being by for with as it that
    this he she they her his their him them has have had not no from there i we you your our us me my if but
    so than then when where which who what would could should will can may must do does did up out over into
    about after before all any some more very also just only still now""".split())


# Who a sentence is about is no sign of blame: "Dad does not seem bothered" and "you do not seem
# bothered" are read alike (the corpus's "before" extracts say "she", its "after" versions "you").
_PERSON = dict.fromkeys((stem(w) for w in """you your yours yourself yourselves she her hers herself he him his
    himself they them their theirs themselves mum mother dad father mummy daddy parent parents carer carers""".split()), "@")


def word_of(stem: str) -> str:
    """The form of a stem the model reads: a person word is any person."""
    return _PERSON.get(stem, stem)


def features(stems: list[str], i: int) -> tuple[str, ...]:
    """The features of word ``i`` of a clause, given as stems (training and lint share them):
    the word, the words either side of it, and the pairs it makes with them."""
    word = stems[i]
    before = stems[i - 1] if i else "<s>"
    after = stems[i + 1] if i + 1 < len(stems) else "</s>"
    return ("w=" + word, "p=" + before, "n=" + after, *joined(before, word, after))


def joined(before: str, word: str, after: str) -> tuple[str, str]:
    """The features that join a word to the words either side of it."""
    return "pw=" + before + "_" + word, "wn=" + word + "_" + after


def clause_starts(text: str, tokens) -> set[int]:
    """The tokens after . ! ? ; or : in ``text``: each starts a clause (the first token too)."""
    starts = {0}
    if _CLAUSE_END.search(text):
        offsets = [t.start for t in tokens]
        starts.update(bisect.bisect_left(offsets, m.start()) for m in _CLAUSE_END.finditer(text))
        starts.discard(len(tokens))
    return starts


_CODE = Path(__file__).stat().st_mtime_ns   # a cached model is built again when this file changes
_UNIGRAMS = ("w=", "p=", "n=")   # the word, and one word as the word before or after it


class Model:
    """The learned weights, arranged for speed (the scores are those of :func:`features`):
    ``single[stem]`` holds the (blaming, vague) weights of a stem as the word, as the word
    before and as the word after, then the most the features joining it to its neighbours can
    add, so that only a word whose score may pass the margin is looked at further; ``pairs``
    holds those joining features."""

    def __init__(self, bias: tuple[float, float], weights: dict[str, tuple[float, float]]):
        self.bias = bias
        single: dict[str, list[float]] = {}
        best: dict[str, list[float]] = {}   # the best "pw" and the best "wn" weights of each word
        self.pairs: dict[str, tuple[float, float]] = {}
        for name, wb_wv in weights.items():
            kind, _, rest = name.partition("=")
            if kind + "=" in _UNIGRAMS:
                at = 2 * _UNIGRAMS.index(kind + "=")
                single.setdefault(rest, [0.0] * 6)[at:at + 2] = wb_wv
            else:
                self.pairs[name] = wb_wv
                top = best.setdefault(rest.split("_")[1 if kind == "pw" else 0], [0.0] * 4)
                at = 0 if kind == "pw" else 2
                top[at], top[at + 1] = max(top[at], wb_wv[0]), max(top[at + 1], wb_wv[1])
        self.single = {stem: (*single.get(stem, (0.0,) * 6), *_sum(best.get(stem)))
                       for stem in single.keys() | best.keys()}
        for person, word in _PERSON.items():   # looked up by the stem as written
            if word in self.single:
                self.single[person] = self.single[word]


def _sum(top: list[float] | None) -> tuple[float, float]:
    return (top[0] + top[2], top[1] + top[3]) if top else (0.0, 0.0)


def model(settings: Settings) -> Model:
    """The learned model, read once per run, and kept in the cache folder between runs."""
    if "tone" not in settings.cache:
        path = Path(data_dir("style_rules")) / MODEL
        stat = path.stat()
        settings.cache["tone"] = cached(f"tone-{stat.st_size}-{stat.st_mtime_ns}-{_CODE}", lambda: Model(*read_model(path)))
    return settings.cache["tone"]


def read_model(path: Path) -> tuple[tuple[float, float], dict[str, tuple[float, float]]]:
    """A model file: ``#`` lines, then a tab-separated feature, blaming and vague weight per line
    (the feature ``bias`` first)."""
    weights: dict[str, tuple[float, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, blaming, vague = line.split("\t")
            weights[name] = (float(blaming), float(vague))
    return weights.pop("bias"), weights


_NONE = (0.0,) * 8


def guesses(unit: Unit, settings: Settings, skip: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """``(first, last, rule)`` token runs of ``unit`` that read as blaming or vague, leaving out
    words inside the character spans ``skip`` (what the hand-written entries decided)."""
    tokens = unit.tokens
    if not tokens:
        return []
    learned = model(settings)
    margin = settings.restorative.get("tone", {}).get("margin", 2.0)
    single, pairs = learned.single, learned.pairs
    bias_b, bias_v = learned.bias
    starts = clause_starts(unit.text, tokens)
    at = [single.get(t.stem, _NONE) for t in tokens]
    opening, closing = single.get("<s>", _NONE), single.get("</s>", _NONE)
    before, after = [opening, *at[:-1]], [*at[1:], closing]
    for i in starts:
        before[i] = opening
        if i:
            after[i - 1] = closing
    found: list[list] = []
    # only a word that its best neighbours could make a guess is looked at further
    for i in [i for i, (w, p, n) in enumerate(zip(at, before, after))
              if bias_b + w[0] + p[2] + n[4] + w[6] > margin or bias_v + w[1] + p[3] + n[5] + w[7] > margin]:
        w, p, n = at[i], before[i], after[i]
        b = bias_b + w[0] + p[2] + n[4]
        v = bias_v + w[1] + p[3] + n[5]
        for name in joined("<s>" if i in starts else word_of(tokens[i - 1].stem), word_of(tokens[i].stem),
                           "</s>" if i + 1 in starts or i + 1 == len(at) else word_of(tokens[i + 1].stem)):
            wb_wv = pairs.get(name)
            if wb_wv:
                b += wb_wv[0]
                v += wb_wv[1]
        if max(b, v) <= margin or skip and any(a < tokens[i].end and tokens[i].start < z for a, z in skip):
            continue
        label = "blaming" if b >= v else "vague"
        if found and found[-1][1] == i and found[-1][2] == label and i not in starts:
            found[-1][1] += 1
        else:
            found.append([i, i + 1, label])
    return [(a, b, f"restorative.{rule}-likely") for a, b, rule in found
            if any(t.lower not in FUNCTION for t in tokens[a:b])]
