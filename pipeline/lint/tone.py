"""The register model: blame, vague worry and jargon in words no list names ("does not seem
bothered", "seems to enjoy the lifestyle", "poor emotional literacy"), guessed by an averaged perceptron
learned from the register corpus's marked reports (``tools/learn_tone.py`` writes
``style_rules/tone_model.tsv``), reported as ``restorative.blaming-likely``,
``restorative.vague-likely`` and ``jargon.likely``.

Each word is scored for each label from its stem, the stems either side of it and the two
pairs they make, within its clause; a run of words whose best label beats "neither" by more
than its margin (``tone`` in ``restorative.yml``) is one guess.  A guess is a suggestion,
never an error, and says it is one; the words the rules' entries have found, judged fine or
know only in other senses are left to them."""
from __future__ import annotations

import bisect
from pathlib import Path

from ..common.resources import data_dir
from ..config import Settings, cached
from .text import CLAUSE_END, Unit, stem

MODEL = "tone_model.tsv"
LABELS = ("blaming", "vague", "jargon")
RULES = {"blaming": "restorative.blaming-likely", "vague": "restorative.vague-likely", "jargon": "jargon.likely"}
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
    if CLAUSE_END.search(text):
        offsets = [t.start for t in tokens]
        starts.update(bisect.bisect_left(offsets, m.start()) for m in CLAUSE_END.finditer(text))
        starts.discard(len(tokens))
    return starts


_CODE = Path(__file__).stat().st_mtime_ns   # a cached model is built again when this file changes
_UNIGRAMS = ("w=", "p=", "n=")   # the word, and one word as the word before or after it


class Model:
    """The learned weights, arranged for speed (the scores are those of :func:`features`):
    ``single[stem]`` holds, for each label in turn, the weights of a stem as the word, as the
    word before and as the word after, then the most the features joining it to its neighbours
    can add, so that only a word whose score may pass a margin is looked at further; ``pairs``
    holds those joining features."""

    def __init__(self, bias: tuple[float, ...], weights: dict[str, tuple[float, ...]]):
        if len(bias) != len(LABELS):
            raise ValueError(f"{MODEL} has {len(bias)} labels, not {len(LABELS)}: run tools/learn_tone.py")
        self.bias = bias
        size = len(bias)
        single: dict[str, list[float]] = {}
        best: dict[str, list[float]] = {}   # the best "pw" and the best "wn" weights of each word, per label
        self.pairs: dict[str, tuple[float, ...]] = {}
        for name, ws in weights.items():
            kind, _, rest = name.partition("=")
            if kind + "=" in _UNIGRAMS:
                at = size * _UNIGRAMS.index(kind + "=")
                single.setdefault(rest, [0.0] * 3 * size)[at:at + size] = ws
            else:
                self.pairs[name] = ws
                top = best.setdefault(rest.split("_")[1 if kind == "pw" else 0], [0.0] * 2 * size)
                at = 0 if kind == "pw" else size
                top[at:at + size] = [max(t, w) for t, w in zip(top[at:at + size], ws)]
        self.single = {stem: (*single.get(stem, (0.0,) * 3 * size), *_most(best.get(stem), size))
                       for stem in single.keys() | best.keys()}
        for person, word in _PERSON.items():   # looked up by the stem as written
            if word in self.single:
                self.single[person] = self.single[word]


def _most(top: list[float] | None, size: int) -> tuple[float, ...]:
    return tuple(top[k] + top[size + k] for k in range(size)) if top else (0.0,) * size


def model(settings: Settings) -> Model:
    """The learned model, read once per run, and kept in the cache folder between runs."""
    if "tone" not in settings.cache:
        path = data_dir("style_rules") / MODEL
        stat = path.stat()
        settings.cache["tone"] = cached(f"tone-{stat.st_size}-{stat.st_mtime_ns}-{_CODE}", lambda: Model(*read_model(path)))
    return settings.cache["tone"]


def read_model(path: Path) -> tuple[tuple[float, ...], dict[str, tuple[float, ...]]]:
    """A model file: ``#`` lines, then a feature and its weight for each of :data:`LABELS`
    (tab-separated), the feature ``bias`` first."""
    weights: dict[str, tuple[float, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, *values = line.split("\t")
            weights[name] = tuple(float(v) for v in values)
    return weights.pop("bias"), weights


def margins(settings: Settings) -> tuple[float, ...]:
    """How far each label's score must beat "neither" (``tone`` in ``restorative.yml``); a label
    whose rule is switched off is never guessed."""
    if "tone-margins" not in settings.cache:
        tone = settings.restorative.get("tone", {})
        given = {"blaming": tone.get("margin", 2.5), "vague": tone.get("margin", 2.5),
                 "jargon": tone.get("jargon_margin", 3.0)}
        settings.cache["tone-margins"] = tuple(_NEVER if settings.is_disabled(RULES[label]) else given[label]
                                               for label in LABELS)
    return settings.cache["tone-margins"]


_NEVER = float("inf")


def labelled(unit: Unit, settings: Settings) -> tuple[set[int], list[tuple[int, str]]]:
    """The clause starts of ``unit`` and ``(index, label)`` of each word whose best label passes
    its margin."""
    tokens = unit.tokens
    learned = model(settings)
    f0, f1, f2 = limit = margins(settings)
    single, pairs, (b0, b1, b2) = learned.single, learned.pairs, learned.bias
    none = (0.0,) * 12
    starts = clause_starts(unit.text, tokens)
    at = [single.get(t.stem, none) for t in tokens]
    opening, closing = single.get("<s>", none), single.get("</s>", none)
    before, after = [opening, *at[:-1]], [*at[1:], closing]
    for i in starts:
        before[i] = opening
        if i:
            after[i - 1] = closing
    f0, f1, f2 = f0 - b0, f1 - b1, f2 - b2
    out = []
    # only a word its best neighbours could make a guess is scored in full
    for i in [i for i, (w, p, n) in enumerate(zip(at, before, after))
              if w[0] + p[3] + n[6] + w[9] > f0 or w[1] + p[4] + n[7] + w[10] > f1 or w[2] + p[5] + n[8] + w[11] > f2]:
        w, p, n = at[i], before[i], after[i]
        s0, s1, s2 = b0 + w[0] + p[3] + n[6], b1 + w[1] + p[4] + n[7], b2 + w[2] + p[5] + n[8]
        for name in joined("<s>" if i in starts else word_of(tokens[i - 1].stem), word_of(tokens[i].stem),
                           "</s>" if i + 1 in starts or i + 1 == len(at) else word_of(tokens[i + 1].stem)):
            ws = pairs.get(name)
            if ws:
                s0, s1, s2 = s0 + ws[0], s1 + ws[1], s2 + ws[2]
        score = (s0, s1, s2)
        k = max(range(3), key=score.__getitem__)
        if score[k] > limit[k]:
            out.append((i, LABELS[k]))
    return starts, out


def guesses(unit: Unit, settings: Settings, wanted: tuple[str, ...], spans=(), indices=frozenset(),
            memo: dict | None = None) -> list[tuple[int, int, str]]:
    """``(first, last, rule)`` token runs of ``unit`` whose best label is one of ``wanted``,
    leaving out words inside the character ``spans`` and at the token ``indices`` (what the
    rules' entries found or decided).  ``memo`` keeps each unit's scores for the next caller
    in the same lint.  With every wanted rule switched off, the model is not read."""
    tokens = unit.tokens
    if not tokens or all(settings.is_disabled(RULES[label]) for label in wanted):
        return []
    if memo is None:
        starts, words = labelled(unit, settings)
    else:
        if id(unit) not in memo:
            memo[id(unit)] = labelled(unit, settings)
        starts, words = memo[id(unit)]
    found: list[list] = []
    for i, label in words:
        if label not in wanted or i in indices or any(a < tokens[i].end and tokens[i].start < z for a, z in spans):
            continue
        if found and found[-1][1] == i and found[-1][2] == label and i not in starts:
            found[-1][1] += 1
        else:
            found.append([i, i + 1, label])
    return [(a, b, RULES[label]) for a, b, label in found if any(t.lower not in FUNCTION for t in tokens[a:b])]
