"""False alarms on plain writing: lint the register corpus's "after" extracts.

``tools/register/corpus/*/good/`` holds 378 extracts (about 132,000 words) written well, to
parents, by writers who never saw confpack's rules. They are not held out: the learner
(``tools/learn_register.py``) never learns a phrase they use, so its own entries cannot fire
here. What this measures is everything else, such as the hand-written word lists, voice,
grammar and spelling. Each extract is linted as an `agency-report` without other front
matter, so `structure.*` findings are left out. An extract's first line labels it for the
corpus ("# Agency: Children's Social Care – social worker, strategy discussion record"), not
for a parent, so it is left blank (line numbers stay).

Run: .venv/bin/python benchmarks/bench_lint_plain.py [--examples RULE]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.config import load_settings  # noqa: E402  (after the path set-up)
from pipeline.lint import lint_text  # noqa: E402

FRONT = "---\nkind: agency-report\n---\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", metavar="RULE", help="list each finding of this rule id")
    args = parser.parse_args()
    settings = load_settings()
    by_rule: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    words = 0
    files = sorted((ROOT / "tools" / "register" / "corpus").glob("*/good/*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        if text.startswith("# Agency:"):
            text = text[text.find("\n"):]
        result = lint_text(FRONT + text, settings, str(path))
        words += result.metrics.get("words", 0)
        for f in result.findings:
            if f.severity in ("warning", "error") and not f.rule.startswith("structure."):
                by_rule[f.rule] += 1
                examples[f.rule].append(f"{path.relative_to(ROOT)}:{f.line - 3}: {f.match[:70]!r}")
    total = sum(by_rule.values())
    print(f"{len(files)} plain extracts, {words:,} words: {total} warnings and errors outside structure.*, "
          f"{total * 1000 / max(words, 1):.2f} per 1,000 words")
    for rule, n in by_rule.most_common():
        print(f"  {n:4}  {rule}")
    for line in examples.get(args.examples or "", []):
        print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
