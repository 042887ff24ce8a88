"""Lint speed: 5,000 and 50,000 words in-process (median after warm-up), proselint on the
same text for comparison, and wall time of `confpack lint` on one small file.

Run: python benchmarks/bench_lint.py
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pipeline.config import load_settings
from pipeline.document.parser import read_source
from pipeline.lint import lint_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "initial-conference" / "social-work-report.md"


def report_of(words: int) -> str:
    """A realistic report of about ``words`` words: the sample's body repeated, numbered sections."""
    source = read_source(SAMPLE)
    front, body = source.split("\n---\n", 1)
    body_words = len(body.split())
    parts, total, n = [], 0, 0
    while total < words:
        n += 1
        parts.append(body.replace("\n## ", f"\n## Part {n}: "))
        total += body_words
    return front + "\n---\n" + "\n".join(parts)


def median_seconds(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    settings = load_settings()
    small, large = report_of(5_000), report_of(50_000)
    t5 = median_seconds(lambda: lint_text(small, settings, "bench.md"), 15)
    t50 = median_seconds(lambda: lint_text(large, settings, "bench.md"), 5)
    print(f"lint 5,000 words:  {t5 * 1000:.1f} ms median (target <= 60 ms)")
    print(f"lint 50,000 words: {t50 * 1000:.1f} ms median (target <= 600 ms); "
          f"ratio {t50 / t5:.1f}x for 10x the words")
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        print("proselint not installed: pip install proselint (comparison skipped)")
    else:
        text = small.split("\n---\n", 1)[1]
        # proselint's own default caps the findings it collects; lift the cap so it reads all the text
        config = {**DEFAULT, "max_errors": 10**9}
        CheckRegistry().register_many(__register__)
        found = len(LintFile("bench.md", text).lint(config))
        # Interleave the two so that a change in machine speed during the run hits both alike.
        ours, theirs = [], []
        for _ in range(11):
            ours.append(median_seconds(lambda: lint_text(small, settings, "bench.md"), 1))
            theirs.append(median_seconds(lambda: LintFile("bench.md", text).lint(config), 1))
        t_ours, t_theirs = statistics.median(ours), statistics.median(theirs)
        print(f"proselint 5,000 words: {t_theirs * 1000:.1f} ms median ({found} findings); confpack in the "
              f"same rounds {t_ours * 1000:.1f} ms: {t_theirs / t_ours:.1f}x faster (target >= 2x)")
    exe = shutil.which("confpack")
    if exe:
        one = ROOT / "samples" / "initial-conference" / "child-report.md"
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([exe, "lint", str(one)], capture_output=True)
            walls.append(time.perf_counter() - start)
        print(f"confpack lint one small file: {statistics.median(walls):.2f} s wall median (target < 0.6 s)")
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
