"""Learn the register model (blaming, vague and jargon words) from the register corpus.

Every word of the corpus's "before" extracts is labelled blaming, vague, jargon or neither from
their marks (acronyms and third person count as neither), and every word of the "after"
versions as neither.  An averaged perceptron (five passes in a fixed order, so the same corpus
always gives the same model) learns a weight per feature of :func:`pipeline.lint.tone.features`;
the weights for each label, each less the weight for neither, are written to
``style_rules/tone_model.tsv`` with a hash of the corpus; a test learns it again and checks
the shipped file is what it gives.

``--folds`` measures it instead: trained on three quarters of the writers and read on the
rest, at a few margins (the README gives the figures at the shipped one).

Run: .venv/bin/python tools/learn_tone.py [--check] [--folds]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tools"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from learn_register import CORPUS, load_corpus  # noqa: E402

from pipeline.common.files import write_text  # noqa: E402
from pipeline.lint.tone import LABELS, MODEL, features, word_of  # noqa: E402

OUT = ROOT / "style_rules" / MODEL
PASSES = 5
SEED = 1
CLASSES = ("neither", *LABELS)


def corpus_hash(corpus: Path) -> str:
    """A hash of every extract and sidecar in the corpus, in order."""
    digest = hashlib.sha256()
    for path in sorted(corpus.glob("*/*/*")):
        if path.suffix in (".md", ".yml"):
            digest.update(str(path.relative_to(corpus)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def examples(corpus: Path, writers: set[str] | None = None, exclude: bool = False):
    """``(writer, kind, clauses, marks)`` for each extract, ``writers`` only (or all but them, with
    ``exclude``); each clause as the features, label and (line, start, end) of each word."""
    bad, good = load_corpus(corpus)
    files = [(lines, marks, "bad") for lines, marks in bad] + [(lines, [], "good") for lines in good]
    writer_of = _writers(corpus)
    for n, (lines, marks, kind) in enumerate(files):
        writer = writer_of[kind][n if kind == "bad" else n - len(bad)]
        if writers is not None and (writer in writers) == exclude:
            continue
        labelled = []
        for number, words in enumerate(lines, 1):
            spans = [(m["start"], m["end"], m["category"]) for m in marks
                     if m["line"] == number and m["category"] in LABELS]
            for clause in _clauses(words):
                stems = [word_of(w[0]) for w in clause]
                labels = [next((c for a, b, c in spans if a <= w[1] and w[2] <= b), "neither") for w in clause]
                labelled.append(([features(stems, i) for i in range(len(stems))], labels,
                                 [(number, w[1], w[2]) for w in clause]))
        yield writer, kind, labelled, [m for m in marks if m["category"] in LABELS]


def _writers(corpus: Path) -> dict[str, list[str]]:
    """The writer (the corpus folder) of each bad and good file, in load_corpus's order."""
    return {kind: [p.relative_to(corpus).parts[0] for p in sorted(corpus.glob(f"*/{kind}/*.md"))]
            for kind in ("bad", "good")}


def _clauses(words):
    clause, sentence = [], None
    for w in words:
        if clause and w[4] != sentence:
            yield clause
            clause = []
        clause.append(w)
        sentence = w[4]
    if clause:
        yield clause


def train(files) -> dict[str, dict[str, float]]:
    """Averaged perceptron weights, {feature: {class: weight}}, over every word of ``files``."""
    data = [(("bias", *f), y) for _, _, labelled, _ in files for feats, labels, _ in labelled
            for f, y in zip(feats, labels)]
    weights: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0.0))
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0.0))
    stamps: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0))
    step = 0
    rnd = random.Random(SEED)

    def update(feature: str, cls: str, by: float) -> None:
        w = weights[feature]
        totals[feature][cls] += (step - stamps[feature][cls]) * w[cls]
        stamps[feature][cls] = step
        w[cls] += by

    for _ in range(PASSES):
        rnd.shuffle(data)
        for feats, truth in data:
            step += 1
            scores = dict.fromkeys(CLASSES, 0.0)
            for f in feats:
                if f in weights:
                    for c, v in weights[f].items():
                        scores[c] += v
            guess = max(CLASSES, key=lambda c: (scores[c], c == "neither"))
            if guess != truth:
                for f in feats:
                    update(f, truth, 1.0)
                    update(f, guess, -1.0)
    return {f: {c: (totals[f][c] + (step - stamps[f][c]) * w[c]) / step for c in CLASSES} for f, w in weights.items()}


def model_text(weights: dict[str, dict[str, float]], digest: str) -> str:
    """The model file: each feature's weight for each label over neither, to two places."""
    rows = []
    for feature in sorted(weights, key=lambda f: (f != "bias", f)):
        w = weights[feature]
        over = [round(w[label] - w["neither"], 2) for label in LABELS]
        if feature == "bias" or any(over):
            rows.append("\t".join([feature, *(f"{x:g}" for x in over)]))
    return ("# The register model: learned from tools/register/corpus by tools/learn_tone.py; do not edit.\n"
            f"# corpus sha256 {digest}\n"
            f"# feature, then its weight for {', '.join(LABELS)}, each over neither\n" + "\n".join(rows) + "\n")


def folds(corpus: Path, margins=(2.0, 2.5, 3.0)) -> None:
    """Train on three quarters of the writers, guess on the rest; print recall of the marks
    and guesses per 1,000 words of the "after" versions."""
    writers = sorted({w for ws in _writers(corpus).values() for w in ws})
    caught = {m: dict.fromkeys(LABELS, 0) for m in margins}
    totals = dict.fromkeys(LABELS, 0)
    runs = dict.fromkeys(margins, 0)
    words = 0
    for k in range(4):
        held = set(writers[k::4])
        weights = train(list(examples(corpus, held, exclude=True)))
        for _, kind, labelled, marks in examples(corpus, held):
            scored = {}
            for feats, _, places in labelled:
                for f, place in zip(feats, places):
                    s = {c: sum(weights.get(x, {}).get(c, 0.0) for x in ("bias", *f)) for c in CLASSES}
                    best = max(LABELS, key=lambda c: s[c])
                    scored[place] = (best, s[best] - s["neither"])
            if kind == "good":
                words += len(scored)
                for m in margins:
                    for feats, _, places in labelled:
                        prev = False
                        for place in places:
                            on = scored[place][1] > m
                            runs[m] += on and not prev
                            prev = on
                continue
            for mark in marks:
                totals[mark["category"]] += 1
                inside = [v for (line, a, b), v in scored.items()
                          if line == mark["line"] and mark["start"] <= a and b <= mark["end"]]
                for m in margins:
                    caught[m][mark["category"]] += any(c == mark["category"] and s > m for c, s in inside)
    for m in margins:
        recall = ", ".join(f"{c} {100 * caught[m][c] / totals[c]:.1f} %" for c in LABELS)
        print(f"margin {m:g}: recall {recall} of {totals}; {1000 * runs[m] / words:.2f} guesses per 1,000 words "
              "of the after versions")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped model is not what the corpus gives")
    parser.add_argument("--folds", action="store_true", help="measure on writers left out of training")
    args = parser.parse_args()
    if args.folds:
        folds(CORPUS)
        return 0
    text = model_text(train(list(examples(CORPUS))), corpus_hash(CORPUS))
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        if not same:
            print(f"{OUT.relative_to(ROOT)} is not what the corpus gives: run tools/learn_tone.py")
        return 0 if same else 1
    write_text(OUT, text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
