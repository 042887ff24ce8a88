"""One PDF per recipient: their documents joined, a bookmark per document, the pack's own
page numbers stamped on every page, no author metadata, and optional AES-256 encryption."""
from __future__ import annotations

import secrets
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject, TextStringObject

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 16) -> str:
    """A random password without look-alike characters (no 0/O, 1/l/I)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def _page_number(width: float, height: float, text: str) -> PageObject:
    """A transparent page holding one line of small text at the top right, marked as an
    artefact so screen readers skip it."""
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    size = 9
    x = width - 57 - len(text) * size * 0.5
    stream = ContentStream(None, None)
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream.set_data(f"/Artifact BMC BT 0.25 g /F1 {size} Tf {x:.1f} {height - 28:.1f} Td ({escaped}) Tj ET EMC"
                    .encode("latin-1"))
    page[NameObject("/Contents")] = stream
    return page


def combine(parts: list[tuple[str, Path]], dest: Path, title: str) -> int:
    """Join ``(bookmark title, pdf)`` parts into ``dest``; returns the page count."""
    writer = PdfWriter()
    starts = []
    for name, path in parts:
        starts.append((name, len(writer.pages)))
        writer.append(PdfReader(str(path)), import_outline=False)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, 1):
        box = page.mediabox
        page.merge_page(_page_number(float(box.width), float(box.height), f"Pack page {number} of {total}"))
    for name, start in starts:
        writer.add_outline_item(title=name, page_number=start)
    writer.page_mode = "/UseOutlines"
    writer.metadata = {"/Title": title, "/Producer": "confpack", "/Creator": "confpack"}   # and no author
    root = writer.root_object
    root[NameObject("/Lang")] = root.get("/Lang") or TextStringObject("en-GB")
    with open(dest, "wb") as fh:
        writer.write(fh)
    return total


def encrypt(source: Path, dest: Path, password: str) -> None:
    """Write ``source`` to ``dest`` encrypted with AES-256 (never pypdf's RC4 default);
    the owner password is random and thrown away."""
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=password, owner_password=generate_password(32), algorithm="AES-256")
    with open(dest, "wb") as fh:
        writer.write(fh)

