"""PDF through LibreOffice: a headless process converts a whole batch (or a share of it),
with a profile folder no other run is using; each PDF is checked before it is trusted."""
from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..common.pdftext import pdf_text
from ..common.resources import cache_folder
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


def convert(docx_files: list[Path], out_dir: Path, timeout: int = 600, processes: int = 1) -> dict[Path, Path]:
    """Convert DOCX files to PDF; returns {docx: pdf} for those made.  One LibreOffice run
    converts a batch; with ``processes`` > 1 a large batch is split between that many runs
    at once (each with its own profile)."""
    if not docx_files:
        return {}
    soffice = find_soffice()
    count = max(1, min(processes, len(docx_files) // 3))
    batches = [docx_files[i::count] for i in range(count)]
    if count == 1:
        _run(soffice, batches[0], out_dir, timeout)
    else:
        with ThreadPoolExecutor(max_workers=count) as pool:
            list(pool.map(lambda batch: _run(soffice, batch, out_dir, timeout), batches))
    made = {}
    for docx in docx_files:
        pdf = out_dir / (docx.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            made[docx] = pdf
    return made


def _run(soffice: str, docx_files: list[Path], out_dir: Path, timeout: int) -> None:
    with _profile() as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", _FILTER, "--outdir", str(out_dir), *map(str, docx_files)]
        try:
            subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                           env={"HOME": str(profile), "PATH": "/usr/bin:/bin", "LANG": "en_GB.UTF-8",
                                "TMPDIR": str(profile)})
        except subprocess.TimeoutExpired:
            pass  # whatever was not made is reported by the caller


@contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice profile folder used by this run alone.  Profiles are kept in the cache
    folder and reused (a new one costs LibreOffice about half a second to set up), each
    held with a lock while in use, so parallel runs never share one; if none can be kept,
    a temporary one is used."""
    try:
        base = cache_folder() / "libreoffice"
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        base = None
    if base is not None:
        for n in range(16):
            lock_path = base / f"profile-{n}.lock"
            try:
                lock = open(lock_path, "a")
            except OSError:
                break
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                continue
            try:
                folder = base / f"profile-{n}"
                folder.mkdir(exist_ok=True)
                yield folder
                return
            finally:
                lock.close()
    with tempfile.TemporaryDirectory(prefix="confpack-lo-") as folder:
        yield Path(folder)


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
