"""Render speed: DOCX per typical 3-page report in-process (median), and PDF per document
over a batch of 20 converted by one LibreOffice process versus one process per file.

Run: python benchmarks/bench_render.py
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pipeline.config import load_settings
from pipeline.document.parser import parse_file
from pipeline.redact.audience import resolve
from pipeline.redact.verify import scan
from pipeline.render import pdf
from pipeline.render.jobs import build_docx

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "samples" / "initial-conference" / "school-report.md"


def main() -> None:
    doc = parse_file(REPORT)
    settings = load_settings()
    recipient = resolve(doc.meta, "professionals")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build_docx(doc, recipient, work / "warm.docx", settings)
        times = []
        for i in range(15):
            start = time.perf_counter()
            build_docx(doc, recipient, work / f"r{i}.docx", settings)
            times.append(time.perf_counter() - start)
        pages = len(__import__("pypdf").PdfReader(str(pdf.convert([work / "r0.docx"], work)[work / "r0.docx"])).pages)
        print(f"DOCX: {statistics.median(times) * 1000:.1f} ms median per {pages}-page report (target <= 40 ms)")

        dad = resolve(doc.meta, "dad")
        totals, scans = [], []
        for i in range(15):
            start = time.perf_counter()
            _, items = build_docx(doc, dad, work / f"d{i}.docx", settings)
            totals.append(time.perf_counter() - start)
            start = time.perf_counter()
            scan(work / f"d{i}.docx", items)
            scans.append(time.perf_counter() - start)
        total, check = statistics.median(totals), statistics.median(scans)
        print(f"verification: {check * 1000:.1f} ms of a {total * 1000:.1f} ms redacted render (dad's copy, "
              f"{len(items)} checks): adds {check / (total - check) * 100:.0f}% (target <= 25%)")

        batch = [work / f"b{i}.docx" for i in range(20)]
        for path in batch:
            build_docx(doc, recipient, path, settings)
        one = work / "one"
        one.mkdir()
        start = time.perf_counter()
        made = pdf.convert(batch, one)
        one_process = (time.perf_counter() - start) / len(batch)
        assert len(made) == len(batch)
        each = work / "each"
        each.mkdir()
        start = time.perf_counter()
        for path in batch:
            pdf.convert([path], each)
        per_file = (time.perf_counter() - start) / len(batch)
        print(f"PDF: {one_process:.2f} s per document, one LibreOffice process for 20 (target <= 0.25 s); "
              f"{per_file:.2f} s per document starting LibreOffice per file: {per_file / one_process:.1f}x slower")


if __name__ == "__main__":
    main()
