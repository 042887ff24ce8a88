"""Check the lint_eval_2 sidecars: every annotation's text occurs on its line, as whole
words (case-sensitive), at least `occurrence` times; categories are valid; print counts.

Run from the repository root:  .venv/bin/python benchmarks/lint_eval_2/check_annotations.py
"""
import collections
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
CATEGORIES = {"acronym", "jargon", "third-person", "blaming", "vague"}
WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def whole_word(text):
    left = r"\b" if re.match(r"\w", text) else ""
    right = r"\b" if re.search(r"\w$", text) else ""
    return re.compile(left + re.escape(text) + right)


def body_words(md):
    body = md[md.index("\n---\n", 4) + 5:]
    return len(WORD.findall(body))


def main():
    errors = []
    counts = collections.Counter()
    seen = set()
    bad_words = 0
    for md_path in sorted((HERE / "bad").glob("*.md")):
        yml_path = md_path.with_suffix(".yml")
        if not yml_path.exists():
            errors.append(f"{md_path.name}: no sidecar")
            continue
        lines = md_path.read_text(encoding="utf-8").split("\n")
        bad_words += body_words(md_path.read_text(encoding="utf-8"))
        for n, p in enumerate(yaml.safe_load(yml_path.read_text(encoding="utf-8"))["problems"], 1):
            where = f"{yml_path.name} #{n} {p}"
            if set(p) - {"line", "text", "category", "occurrence"}:
                errors.append(f"{where}: unknown keys")
            if p.get("category") not in CATEGORIES:
                errors.append(f"{where}: bad category")
            line, text, occ = p["line"], p["text"], p.get("occurrence", 1)
            if not 1 <= line <= len(lines):
                errors.append(f"{where}: line out of range")
                continue
            found = len(whole_word(text).findall(lines[line - 1]))
            if found < occ:
                errors.append(f"{where}: found {found} whole-word match(es) on line {line}")
            key = (md_path.name, line, text, occ)
            if key in seen:
                errors.append(f"{where}: duplicate")
            seen.add(key)
            counts[p["category"]] += 1
    good_words = sum(body_words(p.read_text(encoding="utf-8")) for p in sorted((HERE / "good").glob("*.md")))
    for cat in sorted(CATEGORIES):
        print(f"{cat:13s} {counts[cat]}")
    print(f"{'total':13s} {sum(counts.values())}")
    print(f"words: bad {bad_words}, good {good_words}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
