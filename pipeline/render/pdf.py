"""PDF through LibreOffice: one headless process converts a whole batch, with its own
profile folder so parallel runs never race; each PDF is checked before it is trusted."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..common.pdftext import pdf_text
from ..errors import InputError

PACKAGE_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui"
# Tagged (accessible) PDF; no embedded source document (no hybrid PDF).
_FILTER = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
           '"IsAddStream":{"type":"boolean","value":"false"},'
           '"ExportBookmarks":{"type":"boolean","value":"true"}}')


class LibreOfficeMissing(Exception):
    """No soffice/libreoffice on PATH."""

    def __str__(self) -> str:
        return f"PDF not made: LibreOffice was not found on PATH; {PACKAGE_HINT} (the DOCX files were written)"


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise LibreOfficeMissing()


def convert(docx_files: list[Path], out_dir: Path, timeout: int = 600) -> dict[Path, Path]:
    """Convert DOCX files to PDF in one LibreOffice run; returns {docx: pdf} for those made."""
    if not docx_files:
        return {}
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="confpack-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", _FILTER, "--outdir", str(out_dir), *map(str, docx_files)]
        try:
            subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                           env={"HOME": profile, "PATH": "/usr/bin:/bin", "LANG": "en_GB.UTF-8"})
        except subprocess.TimeoutExpired:
            pass  # whatever was not made is reported by the caller
    made = {}
    for docx in docx_files:
        pdf = out_dir / (docx.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            made[docx] = pdf
    return made


def check_pdf(path: Path, expected: list[str]) -> None:
    """Refuse a PDF that is unreadable, blank or lacks the text it must hold."""
    try:
        text = pdf_text(path)
    except Exception as exc:
        raise InputError(f"LibreOffice made an unreadable PDF ({type(exc).__name__})", str(path)) from None
    folded = _fold(text)
    missing = [e for e in expected if e.strip() and _fold(e) not in folded]
    if not folded or missing:
        raise InputError("the PDF is blank or lacks expected text (" + "; ".join(missing[:3])[:200] +
                         "); the DOCX may be damaged", str(path))


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()
