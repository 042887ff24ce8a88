"""Chair's documents: everything for one conference from the sample notes (minutes and plan
for professionals and each parent, a letter to each parent, and the child's letter), as
DOCX only and with PDFs, timed end to end in-process (parse, check, write, verify, log).

Run: python benchmarks/bench_chair.py
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.chair.documents import Wanted, everything, load_notes, produce
from pipeline.config import load_settings
from pipeline.render.jobs import Output

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "samples" / "chair" / "conference-notes.md"
TODAY = dt.date(2026, 12, 3)


def timed(wanted_of, make_pdf: bool, rounds: int) -> tuple[float, int]:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            start = time.perf_counter()
            settings = load_settings(ROOT / "samples" / ".confpack.toml")   # the samples' council
            notes = load_notes(NOTES, settings)
            output = Output(Path(tmp) / str(i), make_pdf, today=TODAY, pdf_processes=min(2, os.cpu_count() or 1))
            run = produce(notes, wanted_of(notes), settings, output).run   # as the commands run it
            times.append(time.perf_counter() - start)
            assert not run.errors, run.errors
    return statistics.median(times), len(run.rendered)


def main() -> None:
    def issue_set(notes):  # minutes x2, plan, two letters, the child's version
        return [Wanted("minutes", "professionals"), Wanted("minutes", "mum"), Wanted("plan", "professionals"),
                Wanted("letter", "mum"), Wanted("letter", "dad"), Wanted("letter", "jamie", True)]

    def full_set(notes):
        return everything(notes.doc.meta, ["jamie"])

    timed(issue_set, False, 1)  # warm the caches a chair's first run also pays for once
    for name, wanted_of in (("issue's set", issue_set), ("full set", full_set)):
        docx, n = timed(wanted_of, False, 7)
        with_pdf, _ = timed(wanted_of, True, 3)
        print(f"{name}: {n} documents: DOCX {docx:.2f} s (target < 1 s); with PDFs {with_pdf:.2f} s (target < 4 s)")


if __name__ == "__main__":
    main()
