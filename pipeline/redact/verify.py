"""Independent check of finished files: could this recipient recover anything withheld?

Scans every XML part of a DOCX (body, headers, footers, footnotes, comments, tracked
changes, relationship targets such as hyperlinks, alt text, core/app/custom properties),
every page of a PDF (text, document info, XMP metadata, outline, annotations) and the
file name, all compared after :func:`normalise` (any case, spacing, punctuation or
line breaks)."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..common.pdftext import page_texts
from .filter import Copy, normalise

_TAG = re.compile(r"<[^>]+>")
_ATTR = re.compile(r'(?:descr|title|Target|w:val|name|alt)="([^"]*)"')


@dataclass(frozen=True)
class Forbidden:
    label: str   # what it is, never the text itself: "Sam Taylor's private address", "withheld text (line 12)"
    form: str    # normalised text to look for


@dataclass(frozen=True)
class Leak:
    file: str
    where: str
    label: str

    def __str__(self) -> str:
        return f"{self.file}: {self.label} found in {self.where}"


def forbidden(copy: Copy, allowed_text: str) -> list[Forbidden]:
    """What must not appear in this recipient's files.

    Private details always; the text of each removed span or block unless the same words
    are also in what the recipient may see (then finding them is not a leak)."""
    allowed = normalise(allowed_text)
    items = [Forbidden(p.label, form) for p in copy.private for form in p.forms]
    for removed in copy.removed:
        form = normalise(removed.text)
        if len(form) >= 4 and form not in allowed:
            items.append(Forbidden(f"text withheld by '{removed.rule}' (source line {removed.line})", form))
    return items


def docx_parts(path: Path) -> dict[str, str]:
    """Normalised readable text (and attribute values) of every XML part in a DOCX."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            xml = z.read(name).decode("utf-8", errors="replace")
            attrs = "|".join(normalise(a) for a in _ATTR.findall(xml))
            out[name] = normalise(_TAG.sub("", xml)) + "|" + attrs
    return out


def pdf_parts(path: Path) -> dict[str, str]:
    """Normalised text of each PDF page, its metadata, outline and annotations."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    out = {}
    for i, text in enumerate(page_texts(path), 1):
        out[f"page {i}"] = normalise(text)
    for i, page in enumerate(reader.pages, 1):
        annots = page.get("/Annots") or []
        found = []
        for ref in annots:
            annot = ref.get_object()
            found.append(str(annot.get("/Contents", "")))
            action = annot.get("/A")
            if action is not None:
                found.append(str(action.get_object().get("/URI", "")))
        if found:
            out[f"annotations on page {i}"] = normalise(" ".join(found))
    info = reader.metadata or {}
    out["document information"] = normalise(" ".join(str(v) for v in info.values()))
    xmp = reader.trailer["/Root"].get("/Metadata")
    if xmp is not None:
        out["XMP metadata"] = normalise(_TAG.sub(" ", xmp.get_object().get_data().decode("utf-8", "replace")))

    def titles(items) -> list[str]:
        names = []
        for item in items:
            names.extend(titles(item) if isinstance(item, list) else [str(item.title)])
        return names

    out["outline"] = normalise(" ".join(titles(reader.outline)))
    return out


def scan(path: Path, items: list[Forbidden]) -> list[Leak]:
    """Every forbidden item found in a DOCX or PDF, or in its file name."""
    if not items:
        return []
    parts = pdf_parts(path) if path.suffix.lower() == ".pdf" else docx_parts(path)
    parts["file name"] = normalise(path.name)
    return [Leak(path.name, where, item.label) for where, text in parts.items() for item in items if item.form in text]
