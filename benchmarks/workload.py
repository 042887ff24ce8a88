"""What the benchmarks share: the social worker's sample report repeated to a length, and a
median of timed runs after a warm-up."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from pipeline.document.parser import read_source

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "initial-conference" / "social-work-report.md"


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
    """The median time of ``runs`` calls of ``fn``, after one call to warm up."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
