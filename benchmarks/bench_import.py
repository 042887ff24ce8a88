"""Import speed: a Word report of 20+ pages (the social worker's sample repeated, rendered by
confpack into its Word template, so it has headings, lists, tables, quotes and the facts
table) imported back to Markdown, median of runs after a warm-up; pandoc's share shown.

Run: python benchmarks/bench_import.py
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from workload import median_seconds, report_of

from pipeline.config import load_settings
from pipeline.document.parser import parse_text
from pipeline.importer import import_docx
from pipeline.importer.pandoc import find_pandoc
from pipeline.render import pdf
from pipeline.render.jobs import Job, Output, render_documents

PAGES = 20


def main() -> None:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "long.md"
        source.write_text(report_of(8_000), encoding="utf-8")
        run = render_documents([Job(parse_text(source.read_text(encoding="utf-8"), str(source)), "professionals",
                                    source)], settings, Output(work / "out"))
        docx = run.rendered[0].docx
        try:
            made = pdf.convert([docx], work)
            pages = len(__import__("pypdf").PdfReader(str(made[docx])).pages)
        except pdf.LibreOfficeMissing:
            pages = None
        words = len(source.read_text(encoding="utf-8").split())
        whole = median_seconds(lambda: import_docx(docx, settings), 7)
        pandoc_only = median_seconds(lambda: subprocess.run(
            [find_pandoc(), "--sandbox", "--track-changes=all", "--from=docx+styles", "--to=json", str(docx)],
            capture_output=True, check=True), 7)
        size = f"{pages}-page" if pages else "(pages not counted: no LibreOffice)"
        print(f"import a {size} Word report ({words:,} words, {docx.stat().st_size // 1024} KB): "
              f"{whole * 1000:.0f} ms median (target < 2000 ms for {PAGES} pages); pandoc alone "
              f"{pandoc_only * 1000:.0f} ms")


if __name__ == "__main__":
    main()
