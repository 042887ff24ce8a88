"""What a Word file holds that pandoc does not carry over (headers and footers, text boxes,
page breaks, embedded objects, tracked formatting), read from the DOCX package itself,
and the checks that it is a Word file at all."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from ..errors import InputError

MAX_BYTES = 50_000_000             # the .docx file
MAX_UNPACKED = 400_000_000         # everything inside it
_TAG = re.compile(r"<[^>]+>")
_TEXT_BOX = re.compile(r"<w:txbxContent\b.*?</w:txbxContent>", re.S)
_FALLBACK = re.compile(r"<mc:Fallback\b.*?</mc:Fallback>", re.S)
_FIELD_CODE = re.compile(r"<w:instrText\b.*?</w:instrText>", re.S)
_BODY_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


@dataclass
class Package:
    """What the DOCX holds beside the text pandoc reads."""

    headers: list[str] = field(default_factory=list)      # text of each non-empty header and footer
    text_boxes: list[str] = field(default_factory=list)
    page_breaks: int = 0
    objects: int = 0                                      # embedded OLE objects (charts, spreadsheets)
    formatting_changes: int = 0                           # tracked changes of formatting only
    deletions: int = 0                                    # runs of deleted text in the body and notes


def inspect(data: bytes, name: str) -> Package:
    """Check that ``data`` is a Word .docx file of sane size and note what pandoc leaves out."""
    if len(data) > MAX_BYTES:
        raise InputError(f"is {len(data) // 1_000_000} MB; Word files over {MAX_BYTES // 1_000_000} MB are "
                         "refused (take large pictures out first)", name)
    if data[:2] == b"\xd0\xcf":
        raise InputError("is an old Word .doc file; open it in Word or LibreOffice and save it as .docx", name)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if "word/document.xml" not in names:
            raise InputError("is not a Word .docx file (it has no word/document.xml); save it from Word as .docx",
                             name)
        if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED:
            raise InputError(f"unpacks to more than {MAX_UNPACKED // 1_000_000} MB; save it again from Word", name)
        parts = {n: package.read(n).decode("utf-8", "replace") for n in names
                 if n.startswith("word/") and n.endswith(".xml")}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise InputError("is not a Word .docx file (it cannot be opened as one); save it from Word as .docx",
                         name) from None
    found = Package()
    for part, xml in sorted(parts.items()):
        if re.fullmatch(r"word/(header|footer)\d*\.xml", part):
            text = _text(xml)
            if text:
                found.headers.append(text)
    body = [parts.get(part, "") for part in _BODY_PARTS]
    main = body[0]
    for box in _TEXT_BOX.findall(_FALLBACK.sub("", main)):   # a box is written twice: drawing and fallback
        text = _text(box)
        if text:
            found.text_boxes.append(text)
    found.page_breaks = len(re.findall(r'<w:br\b[^>]*w:type="page"', main)) + main.count("<w:pageBreakBefore")
    found.objects = len(re.findall(r"<w:object\b", main))
    found.formatting_changes = sum(len(re.findall(r"<w:(?:rPr|pPr|sectPr|tblPr|trPr|tcPr)Change\b", xml))
                                   for xml in body)
    found.deletions = sum(len(re.findall(r"<w:del(?:Text|InstrText)\b", xml)) for xml in body)
    return found


def _text(xml: str) -> str:
    """The words of an XML fragment, paragraphs, tabs and breaks as spaces (field codes left out)."""
    xml = re.sub(r"<w:(?:tab|br|cr)\b[^>]*>|</w:p>", " ", _FIELD_CODE.sub("", xml))
    return " ".join(_TAG.sub("", xml).split())
