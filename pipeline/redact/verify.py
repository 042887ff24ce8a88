"""Independent check of finished files: could this recipient recover anything withheld?

Reads every part of a DOCX package (text and every attribute value of each XML part,
relationship targets and other URLs after percent- and entity-decoding, and the bytes of
binary parts such as pictures, which must also carry no metadata), every page of a PDF
and every string object in it (document information, XMP metadata, bookmarks, links,
alternative text, structure titles; an embedded file is refused), and the file name.  All
are folded (:func:`.fold.fold`) and searched as plain strings, so a match across a word
or line boundary still counts: when in doubt, the file is refused."""
from __future__ import annotations

import html
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..common.pdftext import page_texts
from .filter import Copy, runs
from .fold import decode_url, fold

_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r'=\s*"([^"]*)"|=\s*\'([^\']*)\'')
_SEPARATOR = "\x00"   # never inside a folded form: separates the parts of one file
# Picture chunks and segments that hold only the picture itself.
_PNG_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}


@dataclass(frozen=True)
class Forbidden:
    label: str   # what it is, never the text itself: "Sam Taylor's private address", "withheld text (line 12)"
    form: str    # folded text to look for


@dataclass(frozen=True)
class Leak:
    file: str
    where: str
    label: str

    def __str__(self) -> str:
        return f"{self.file}: {self.label} found in {self.where}"


def forbidden(copy: Copy) -> list[Forbidden]:
    """What must not appear in this recipient's files: every form of every secret, and the
    text and link addresses of each removed span or block, unless the same words are also
    in what the recipient may read (the template's fields never excuse them)."""
    visible = "".join(fold(text) for text, _ in runs([*copy.blocks, *copy.footnotes.values()]))
    items = {Forbidden(s.label, form) for s in copy.secrets for form in s.forms}
    for removed in copy.removed:
        label = f"text withheld by '{removed.rule}' (source line {removed.line})"
        for text in (removed.text, decode_url(removed.href)):
            form = fold(text)
            if len(form) >= 4 and form not in visible:
                items.add(Forbidden(label, form))
    return sorted(items, key=lambda f: (f.label, f.form))


def docx_parts(path: Path, text: bool = True) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Folded text of every part of a DOCX (unless ``text`` is False), and (part, problem)
    for pictures with metadata."""
    out: dict[str, str] = {}
    bad: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            xmlish = name.endswith((".xml", ".rels"))
            if not text and xmlish:
                continue
            data = z.read(name)
            if not text:
                found = picture_metadata(data)
                if found:
                    bad.append((name, f"picture metadata ({found}), which can hold anything"))
                continue
            if xmlish or data.lstrip()[:5] == b"<?xml":
                xml = data.decode("utf-8", errors="replace")
                values = " ".join(decode_url(a or b) for a, b in dict.fromkeys(_ATTR.findall(xml)))
                text = html.unescape(_TAG.sub("", xml))
                out[name] = _SEPARATOR.join([fold(text), fold(values)] + ([fold(_TAG.sub(" ", text))] if "<" in text
                                                                          else []))
            else:
                out[name] = fold(data.decode("latin-1"))
                found = picture_metadata(data)
                if found:
                    bad.append((name, f"picture metadata ({found}), which can hold anything"))
    return out, bad


def picture_metadata(data: bytes) -> str | None:
    """What metadata a PNG, JPEG or GIF carries (None when it holds only the picture)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        pos = 8
        while pos + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            if kind not in _PNG_CHUNKS:
                return f"PNG {kind.decode('latin-1')} chunk"
            pos += 12 + length
        return None
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            if marker in (0xD9, 0xDA):   # end of image, start of scan: no more segments
                return None
            length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
            if 0xE1 <= marker <= 0xEF or marker == 0xFE:
                return f"JPEG {'comment' if marker == 0xFE else f'APP{marker - 0xE0}'} segment"
            pos += 2 + length
        return None
    if data.startswith((b"GIF87a", b"GIF89a")) and (b"\x21\xfe" in data or b"\x21\xff" in data):
        return "GIF comment or application block"
    return None


def pdf_parts(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Folded text of each PDF page and of every string in the file; embedded files."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    out = {f"page {i}": fold(text) for i, text in enumerate(page_texts(path), 1)}
    reader = PdfReader(str(path))
    strings: list[str] = []
    bad: list[tuple[str, str]] = []
    seen: set[int] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            kind = obj.get("/Type")
            if kind in ("/EmbeddedFile", "/Filespec") or obj.get("/Subtype") == "/FileAttachment":
                bad.append(("the file's attachments", "an embedded file, which the verifier cannot read"))
            if isinstance(obj, StreamObject) and (kind == "/Metadata" or obj.get("/Subtype") == "/XML"):
                strings.append(_TAG.sub(" ", obj.get_data().decode("utf-8", "replace")))
            for key, value in obj.items():
                if key not in ("/Parent", "/P", "/Pg"):   # back links lead nowhere new
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, TextStringObject):
            strings.append(decode_url(str(obj)))
        elif isinstance(obj, bytes):
            strings.append(decode_url(bytes(obj).decode("latin-1")))
    out["the file's strings (information, metadata, bookmarks, links, alternative text)"] = _SEPARATOR.join(
        fold(s) for s in strings)
    return out, bad


def scan(path: Path, items: list[Forbidden]) -> list[Leak]:
    """Every forbidden item found anywhere in a DOCX or PDF or its file name, each place
    once; a picture with metadata or an embedded file is a leak whatever it holds."""
    pdf = path.suffix.lower() == ".pdf"
    if not items and pdf:
        return []   # a PDF's pictures come from its DOCX, checked when it was written
    parts, bad = pdf_parts(path) if pdf else docx_parts(path, text=bool(items))
    leaks = [Leak(path.name, where, label) for where, label in dict.fromkeys(bad)]
    if not items:
        return leaks
    parts["the file name"] = fold(path.name)
    found = dict.fromkeys((where, item.label) for where, text in parts.items() for item in items if item.form in text)
    return leaks + [Leak(path.name, where, label) for where, label in found]
