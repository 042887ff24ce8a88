"""Held-out lint evaluation: recall on annotated bad writing, false alarms on good writing.

The material is in ``benchmarks/lint_eval/`` (see its README): fictional "before" extracts
in ``bad/`` with a sidecar ``NAME.yml`` listing every problem an expert would mark, and
"after" extracts in ``good/`` that should draw (almost) no warnings. It was written apart
from the lint rules and must not be used to write them.

Run: .venv/bin/python benchmarks/bench_lint_eval.py [--set DIR] [--json FILE] [--quiet]

* Bad writing: recall per category. A problem counts as caught when a finding of the
  matching family overlaps the annotated words on their line:
  acronym -> ``jargon.acronym*`` or ``jargon.unknown-acronym``; jargon -> ``jargon.*`` or ``readability.simpler-word``;
  third-person -> ``voice.*``; blaming -> ``restorative.blaming``; vague -> ``restorative.vague``.
  Every missed problem is listed, with what lint said there instead, if anything.
* Good writing: warnings and errors per 1,000 words (words from the result's
  ``metrics["words"]``), each one listed. Suggestions are counted but not listed.

Exit code 0 (the numbers are for reading, not a gate); 2 if an annotation file is broken
(a text not on its line, an unknown category), since then the numbers would be wrong.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "benchmarks" / "lint_eval"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402  (after the path set-up, so the script runs from anywhere)

CATEGORIES = ("acronym", "jargon", "third-person", "blaming", "vague")
# Findings about a whole sentence, paragraph or document overlap every problem in it; they
# are left out of the "lint said instead" hints for missed problems (not out of any count).
BROAD_RULES = ("readability.hard-sentence", "readability.very-hard-sentence",
               "readability.long-paragraph", "readability.reading-age", "structure.")


def rule_matches(category: str, rule: str) -> bool:
    """Whether a finding with ``rule`` counts for a problem of ``category``."""
    if category == "acronym":   # listed acronyms, and every other one (added with issue 12)
        return rule.startswith("jargon.acronym") or rule == "jargon.unknown-acronym"
    if category == "jargon":
        return rule.startswith("jargon.") or rule.startswith("readability.simpler-word")
    if category == "third-person":
        return rule.startswith("voice.")
    if category == "blaming":
        return rule.startswith("restorative.blaming")
    if category == "vague":
        return rule.startswith("restorative.vague")
    raise ValueError(f"unknown category {category!r}")


@dataclass
class Problem:
    path: Path
    line: int          # 1-based
    text: str
    category: str
    start: int         # 1-based column of the first character
    end: int           # 1-based column after the last character
    caught_by: list = field(default_factory=list)
    other: list = field(default_factory=list)   # overlapping findings of other families


class AnnotationError(Exception):
    pass


def _pattern(text: str) -> re.Pattern:
    """``text`` as a whole-word pattern (no match inside a longer word)."""
    p = re.escape(text)
    if re.match(r"\w", text):
        p = r"(?<!\w)" + p
    if re.search(r"\w$", text):
        p += r"(?!\w)"
    return re.compile(p)


def load_problems(md: Path) -> list[Problem]:
    """The annotated problems of one bad file, each located to its columns."""
    sidecar = md.with_suffix(".yml")
    if not sidecar.exists():
        raise AnnotationError(f"{md.name}: no sidecar {sidecar.name}")
    lines = md.read_text(encoding="utf-8").split("\n")
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    problems = []
    for i, item in enumerate(data.get("problems") or [], 1):
        where = f"{sidecar.name}: problem {i}"
        try:
            line, text, category = int(item["line"]), str(item["text"]), str(item["category"])
        except (KeyError, TypeError, ValueError) as exc:
            raise AnnotationError(f"{where}: needs line, text and category ({exc})") from None
        if category not in CATEGORIES:
            raise AnnotationError(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
        if not 1 <= line <= len(lines):
            raise AnnotationError(f"{where}: line {line} is outside the file")
        occurrence = int(item.get("occurrence", 1))
        matches = list(_pattern(text).finditer(lines[line - 1]))
        if len(matches) < occurrence:
            raise AnnotationError(f"{where}: {text!r} (occurrence {occurrence}) is not on line {line}")
        m = matches[occurrence - 1]
        problems.append(Problem(md, line, text, category, m.start() + 1, m.end() + 1))
    return problems


def overlaps(finding, line: int, start: int, end: int) -> bool:
    """Whether a finding's span overlaps columns [start, end) of ``line``."""
    if not finding.line <= line <= finding.end_line:
        return False
    f_start = finding.column if finding.line == line else 1
    f_end = finding.end_column if finding.end_line == line else 10**9
    if f_end <= f_start:            # a zero-width finding marks one point
        f_end = f_start + 1
    return f_start < end and f_end > start


def _lint(path: Path):
    from pipeline.config import load_settings
    from pipeline.lint import lint_file

    if "settings" not in _STATE:
        _STATE["settings"] = load_settings()
    return lint_file(path, _STATE["settings"])


_STATE: dict = {}


def evaluate_bad(files: list[Path]) -> dict:
    problems: list[Problem] = []
    failures = []
    for md in files:
        found = load_problems(md)
        try:
            result = _lint(md)
        except Exception as exc:  # a file lint cannot read: all its problems count as missed
            failures.append(f"{md.name}: lint failed: {type(exc).__name__}: {exc}")
            problems.extend(found)
            continue
        for p in found:
            for f in result.findings:
                if overlaps(f, p.line, p.start, p.end):
                    if rule_matches(p.category, f.rule):
                        p.caught_by.append(f.rule)
                    elif not f.rule.startswith(BROAD_RULES):
                        p.other.append(f.rule)
        problems.extend(found)
    total, caught, elsewhere = Counter(), Counter(), Counter()
    for p in problems:
        total[p.category] += 1
        caught[p.category] += bool(p.caught_by)
        elsewhere[p.category] += not p.caught_by and flagged_by_other_family(p)
    return {"problems": problems, "total": total, "caught": caught, "elsewhere": elsewhere,
            "failures": failures}


def flagged_by_other_family(problem: Problem) -> bool:
    """Missed, but a rule of one of the other four families flagged the same words."""
    return any(rule_matches(cat, rule) for rule in problem.other for cat in CATEGORIES)


def evaluate_good(files: list[Path]) -> dict:
    rows, words, failures = [], 0, []
    counts = Counter()
    by_rule = Counter()
    per_file = []
    for md in files:
        try:
            result = _lint(md)
        except Exception as exc:
            failures.append(f"{md.name}: lint failed: {type(exc).__name__}: {exc}")
            continue
        w = int(result.metrics.get("words") or 0)
        words += w
        file_counts = Counter(f.severity for f in result.findings)
        counts.update(file_counts)
        per_file.append((md.name, w, file_counts["error"], file_counts["warning"]))
        for f in result.findings:
            if f.severity in ("error", "warning"):
                by_rule[f.rule] += 1
                rows.append((md.name, f.line, f.column, f.severity, f.rule, f.match))
    return {"rows": rows, "words": words, "counts": counts, "by_rule": by_rule,
            "per_file": per_file, "failures": failures}


def per_thousand(n: int, words: int) -> float:
    return 1000.0 * n / words if words else 0.0


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report(bad: dict, good: dict, quiet: bool = False) -> str:
    out = []
    out.append("== Bad writing: recall per category ==")
    out.append(f"{'category':<14}{'caught':>8}{'total':>8}{'recall':>9}{'other family':>14}")
    all_total = all_caught = all_else = 0
    for cat in CATEGORIES:
        t, c, o = bad["total"][cat], bad["caught"][cat], bad["elsewhere"][cat]
        all_total += t
        all_caught += c
        all_else += o
        out.append(f"{cat:<14}{c:>8}{t:>8}{(c / t if t else 0):>9.1%}{o:>14}")
    out.append(f"{'all':<14}{all_caught:>8}{all_total:>8}"
               f"{(all_caught / all_total if all_total else 0):>9.1%}{all_else:>14}")
    out.append("(other family: missed, but flagged by a rule counted for another category;"
               " not in the recall)")
    jargon = [p for p in bad["problems"] if p.category == "jargon"]
    rare = sum(bool(p.caught_by) or "readability.uncommon-word" in p.other for p in jargon)
    if jargon:
        out.append(f"(jargon, if readability.uncommon-word also counted: {rare}/{len(jargon)} = "
                   f"{rare / len(jargon):.1%}; not in the recall)")
    for msg in bad["failures"]:
        out.append(f"  ! {msg}")
    if not quiet:
        missed = [p for p in bad["problems"] if not p.caught_by]
        out.append("")
        out.append(f"-- Missed problems ({len(missed)}) --")
        by_cat = defaultdict(list)
        for p in missed:
            by_cat[p.category].append(p)
        for cat in CATEGORIES:
            if not by_cat[cat]:
                continue
            out.append(f"[{cat}]")
            for p in by_cat[cat]:
                said = f"  (lint said: {', '.join(sorted(set(p.other)))})" if p.other else ""
                out.append(f"  {p.path.name}:{p.line}:{p.start}  {p.text!r}{said}")
    out.append("")
    out.append("== Good writing: warnings and errors per 1,000 words ==")
    words = good["words"]
    e, w, s = good["counts"]["error"], good["counts"]["warning"], good["counts"]["suggestion"]
    out.append(f"words {words}; errors {e} ({per_thousand(e, words):.2f} per 1,000); "
               f"warnings {w} ({per_thousand(w, words):.2f} per 1,000); "
               f"errors + warnings {per_thousand(e + w, words):.2f} per 1,000; suggestions {s} (not listed)")
    for name, fw, fe, fwarn in good["per_file"]:
        out.append(f"  {name:<34}{fw:>6} words {fe:>3} errors {fwarn:>3} warnings")
    for msg in good["failures"]:
        out.append(f"  ! {msg}")
    if good["by_rule"]:
        out.append("by rule: " + ", ".join(f"{r} {n}" for r, n in good["by_rule"].most_common()))
    if not quiet and good["rows"]:
        out.append("")
        out.append(f"-- Warnings and errors on good writing ({len(good['rows'])}) --")
        for name, line, col, sev, rule, match in good["rows"]:
            out.append(f"  {name}:{line}:{col} {sev} {rule} {_short(match)!r}")
    return "\n".join(out)


def summary(bad: dict, good: dict) -> dict:
    """The numbers as plain data (for --json and for callers importing this module)."""
    words = good["words"]
    return {
        "recall": {cat: {"caught": bad["caught"][cat], "total": bad["total"][cat],
                         "other_family": bad["elsewhere"][cat],
                         "recall": (bad["caught"][cat] / bad["total"][cat]) if bad["total"][cat] else None}
                   for cat in CATEGORIES},
        "missed": [{"file": p.path.name, "line": p.line, "column": p.start, "text": p.text,
                    "category": p.category, "other_rules": sorted(set(p.other))}
                   for p in bad["problems"] if not p.caught_by],
        "good": {"words": words, "errors": good["counts"]["error"], "warnings": good["counts"]["warning"],
                 "suggestions": good["counts"]["suggestion"],
                 "errors_per_1000": per_thousand(good["counts"]["error"], words),
                 "warnings_per_1000": per_thousand(good["counts"]["warning"], words),
                 "findings": [{"file": n, "line": l, "column": c, "severity": s, "rule": r, "match": m}
                              for n, l, c, s, r, m in good["rows"]]},
        "failures": bad["failures"] + good["failures"],
    }


def run(eval_dir: Path = EVAL) -> tuple[dict, dict]:
    bad = evaluate_bad(sorted((eval_dir / "bad").glob("*.md")))
    good = evaluate_good(sorted((eval_dir / "good").glob("*.md")))
    return bad, good


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", help="also write the numbers and lists as JSON")
    parser.add_argument("--quiet", action="store_true", help="totals only, without the lists")
    parser.add_argument("--set", metavar="DIR", type=Path, default=EVAL,
                        help="the evaluation folder (bad/ and good/); default benchmarks/lint_eval, "
                             "the newer blind set is benchmarks/lint_eval_2")
    args = parser.parse_args(argv)
    try:
        bad, good = run(args.set)
    except AnnotationError as exc:
        print(f"broken annotation: {exc}", file=sys.stderr)
        return 2
    print(report(bad, good, quiet=args.quiet))
    if args.json:
        Path(args.json).write_text(json.dumps(summary(bad, good), indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
