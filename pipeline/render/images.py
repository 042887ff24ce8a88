"""Pictures as they may enter a document: pixels only.

A picture from a report is decoded and re-encoded with Pillow (turned the right way up,
at most 2,400 pixels on its longest side), so nothing of the original file survives: no
EXIF description or GPS position, no text chunk, no comment, no colour profile, nothing
after the end of the image.  Pictures already in a template (a council's logo) are stripped
of every chunk or segment that is not the picture itself.  The verifier checks both."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from ..errors import InputError

MAX_SIDE = 2400
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}


def clean_picture(data: bytes, name: str, line: int | None = None) -> bytes:
    """The picture re-encoded: JPEG stays JPEG, anything else becomes PNG."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = 60_000_000
    try:
        with Image.open(io.BytesIO(data)) as opened:
            fmt = opened.format
            opened.seek(0)
            image = ImageOps.exif_transpose(opened)   # a copy, the right way up
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError, struct.error):
        raise InputError(f"picture '{name}' cannot be read as a PNG, JPEG, GIF, BMP, TIFF or WebP picture; "
                         "save it again as PNG or JPEG", line=line) from None
    transparency = image.info.get("transparency")
    image.info = {"transparency": transparency} if transparency is not None and image.mode == "P" else {}
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if fmt == "JPEG" and image.mode in ("RGB", "L", "CMYK"):
        image.convert("RGB" if image.mode == "CMYK" else image.mode).save(out, "JPEG", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "PNG")
    return out.getvalue()


def strip_metadata(data: bytes) -> bytes | None:
    """A PNG or JPEG with only its picture chunks or segments; None for other formats."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        out, pos = [data[:8]], 8
        while pos + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            if kind in _PNG_KEEP:
                out.append(data[pos:pos + 12 + length])
            pos += 12 + length
            if kind == b"IEND":
                break
        return b"".join(out)
    if data.startswith(b"\xff\xd8"):
        out, pos = [b"\xff\xd8"], 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
            if marker == 0xDA:   # start of scan: the image data runs to the end-of-image marker
                end = data.rfind(b"\xff\xd9")
                out.append(data[pos:end + 2] if end > pos else data[pos:])
                break
            if not (0xE1 <= marker <= 0xEF or marker == 0xFE):
                out.append(data[pos:pos + 2 + length])
            pos += 2 + length
        return b"".join(out)
    return None


def strip_package(path: Path) -> None:
    """Strip metadata from every PNG and JPEG in a DOCX (the template's own pictures);
    the file is rewritten only when one needed it."""
    with zipfile.ZipFile(path) as z:
        media = [info.filename for info in z.infolist() if info.filename.startswith("word/media/")]
        changes = {}
        for name in media:
            data = z.read(name)
            stripped = strip_metadata(data)
            if stripped is not None and stripped != data:
                changes[name] = stripped
        if not changes:
            return
        entries = [(info, changes.get(info.filename) or z.read(info.filename)) for info in z.infolist()]
    tmp = path.with_name(path.name + ".strip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)
    tmp.replace(path)
