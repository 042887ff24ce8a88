"""The text of a PDF's pages: through poppler's pdftotext when installed (about thirty
times faster), else pypdf."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def page_texts(path: Path) -> list[str]:
    """The text of each page: through poppler's pdftotext when installed (about thirty
    times faster), else pypdf."""
    tool = shutil.which("pdftotext")
    if tool:
        done = subprocess.run([tool, "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
        if done.returncode == 0:
            pages = done.stdout.decode("utf-8", "replace").split("\f")
            return pages[:-1] if pages and not pages[-1].strip() else pages
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_text(path: Path) -> str:
    """All the text of a PDF, pages joined, white space folded."""
    return " ".join(" ".join(text.split()) for text in page_texts(path))
