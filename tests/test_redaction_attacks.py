"""The attacks and mistakes that used to get withheld details through, by class: marks that
were silently ignored, private details written another way, parts of the file nobody
checked, crashes, hidden people, authors and reports, and details declared in another
report of the same conference.

Every case that renders goes through the real LibreOffice; each DOCX and PDF is then
searched by means the verifier does not use: the raw bytes of every part of the unzipped
DOCX (pictures included, their PNG chunks and JPEG segments listed), pdftotext, and pypdf's
text, metadata, bookmarks and link targets."""
from __future__ import annotations

import io
import re
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import dedent, run
from PIL import Image
from pypdf import PdfReader

from pipeline.config import load_settings
from pipeline.render.jobs import Output, render_files

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

FRONT = dedent("""
    ---
    kind: agency-report
    conference:
      type: initial
      date: 2026-12-03
      time: "10:00"
      venue: Eastbrook Family Centre
      chair: Priya Shah
    children:
      - id: jamie
        name: Jamie Taylor
        dob: 2015-05-14
        private:
          school: Ravenscourt Primary School
          withhold_from: [dad]
    people:
      - id: mum
        name: Sam Taylor
        role: parent
        relationship: Mum to Jamie
        private:
          address: Flat 2, 14 Mill Lane, Eastbrook EB3 4QT
          phone: 07700 900123
          email: sam.taylor84@gmail.com
          withhold_from: [dad]
      - id: dad
        name: Dale Brennick
        role: parent
        relationship: Dad to Jamie
    author:
      name: Ruth Okafor
      role: Teacher
      agency: Hollins Park Academy
    ---
    """)


def front(old: str, new: str) -> str:
    assert old in FRONT
    return FRONT.replace(old, new)


@dataclass
class Case:
    id: str
    body: str
    outcome: str = "ok"                                 # ok | refuse | error
    recipient: str = "dad"
    secrets: list[str] = field(default_factory=list)    # must not be recoverable from any file
    shown: list[str] = field(default_factory=list)      # must be in the PDF
    front: str = FRONT
    line: int | None = 1            # body line (1 = first body line) the refusal names; None: not checked
    front_line: str | None = None   # or: the front-matter line holding this text
    words: str = ""                 # in the message
    files: dict = field(default_factory=dict)           # extra files beside the report


def jpeg_with_metadata() -> bytes:
    """A photo whose EXIF holds a description, an author, a Windows comment and a GPS position."""
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010E] = "Zebrafinch Terrace back garden"
    exif[0x013B] = "Quokka Lodge"
    exif[0x9C9C] = "Pelican Wharf".encode("utf-16-le")
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 30.0, 12.0), "W", (0.0, 7.0, 39.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"Marmoset Yard")
    return out.getvalue() + b"Trailing Gecko Court"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_text() -> bytes:
    """A PNG with tEXt, zTXt (compressed) and iTXt chunks and bytes after its end."""
    raw = b"\x00\xff\x00\x00" * 1
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + _chunk(b"tEXt", b"Comment\x00Narwhal Crescent")
            + _chunk(b"zTXt", b"Location\x00\x00" + zlib.compress(b"Wombat Gardens"))
            + _chunk(b"iTXt", b"Description\x00\x00\x00en\x00\x00Lemur Mews")
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"") + b"Axolotl Row")


HIDDEN_NADIA = front("  - id: dad\n", "  - id: nadia\n    name: Nadia Rahman\n    role: other\n"
                     "    relationship: Mum's support worker\n    withhold_from: [dad]\n  - id: dad\n")
HIDDEN_BABY = front("people:\n", "  - id: bo\n    name: Bo Kaczmarek\n    dob: 2026-06-01\n"
                    "    withhold_from: [dad]\npeople:\n")
HIDDEN_AUTHOR = front("  agency: Hollins Park Academy\n", "  agency: Wrenfield Refuge Service\n  withhold_from: [dad]\n")

CASES = [
    # -- marks that were silently ignored: now refused with the line and a hint --------------------
    *[Case(f"misspelt-{i}", f"You came. [Zebra Close]{{{key}=\"dad\"}} and more.\n", "error", words=hint)
      for i, (key, hint) in enumerate([("withold", "did you mean `withhold`"), ("WITHHOLD", "did you mean"),
                                       ("Withhold", "did you mean"), ("hide", "did you mean `withhold`"),
                                       ("data-withhold", "did you mean"), ("witheld", "did you mean"),
                                       ("onyl", "did you mean"), ("exclude", "did you mean `withhold`")])],
    Case("class-withhold", "You came. [Zebra Close]{.withhold} more.\n", "error", words='withhold="'),
    Case("class-audience-word", "You came. [Zebra Close]{.dad} more.\n", "error", words="unknown class"),
    Case("id-before-key", 'You came. [Zebra Close]{#a withhold="dad"} more.\n', "error", words="ids"),
    Case("duplicate-key", 'You came. [Zebra Close]{withhold="dad" withhold="jamie"} more.\n', "error",
         words="appears twice"),
    Case("two-blocks", 'You came. [Zebra Close]{withhold="dad"}{only="mum"} more.\n', "error", words="two sets"),
    Case("div-misspelt", 'You came.\n\n::: {withold="dad"}\nZebra Close\n:::\n', "error", line=3,
         words="did you mean `withhold`"),
    Case("div-upper", 'You came.\n\n::: {WITHHOLD="dad"}\nZebra Close\n:::\n', "error", line=3),
    Case("div-class", 'You came.\n\n::: {.withhold}\nZebra Close\n:::\n', "error", line=3),
    Case("div-bare-word", 'You came.\n\n::: dad\nZebra Close\n:::\n', "error", line=3),
    Case("div-bare-withhold", 'You came.\n\n::: withhold\nZebra Close\n:::\n', "error", line=3),
    Case("div-duplicate", 'You came.\n\n::: {only="mum" only="dad"}\nZebra Close\n:::\n', "error", line=3),
    Case("after-emphasis", 'You came. *Zebra Close*{withhold="dad"} more.\n', "error", words="does not attach"),
    Case("after-strong", 'You came. **Zebra Close**{withhold="dad"} more.\n', "error"),
    Case("after-space", 'You came. [Zebra Close] {withhold="dad"} more.\n', "error"),
    Case("after-line-break", 'You came. Zebra Close\\\n{withhold="dad"} more.\n', "error", line=2),
    Case("after-html", 'You came. <b>Zebra Close</b>{withhold="dad"} more.\n', "error"),
    Case("smart-quotes", 'You came. [Zebra Close]{withhold=“dad”} more.\n', "error", words="straight"),
    Case("unclosed-brace", 'You came. [Zebra Close]{withhold="dad" more.\n', "error"),
    Case("mark-in-link-target", 'You came. [Zebra Close](withhold="dad") more.\n', "error"),
    Case("unknown-audience", 'You came. [Zebra Close]{withhold="Dad"} more.\n', "error", words="did you mean 'dad'"),
    Case("footnote-def-in-div", 'You came.[^n]\n\n::: {withhold="dad"}\n[^n]: Zebra Close is the refuge.\n:::\n',
         "error", words="footnote"),
    Case("reference-def-in-div", 'See [the place][p].\n\n::: {withhold="dad"}\n[p]: https://zebra-close.example/\n:::\n',
         "error", words="defined on line"),
    Case("unclosed-comment-inline", "You came. <!-- note for me\n\nZebra Close is where you live.\n", "error"),
    Case("unclosed-comment-block", "You came.\n\n<!-- note for me\n\nZebra Close is where you live.\n", "error", line=3),
    Case("html-hidden-span", 'You came. <span style="display:none">Zebra Close</span> more.\n', "error"),
    Case("html-div-withhold", 'You came.\n\n<div withhold="dad">Zebra Close</div>\n', "error", line=3),
    Case("nesting-limit", "You came.\n\n" + "".join('::: {only="all"}\n' for _ in range(9)) + "Zebra Close\n"
         + ":::\n" * 9, "error", line=11, words="nested"),
    Case("nesting-hundreds", "You came.\n\n" + "".join('::: {only="all"}\n\n' for _ in range(300)) + "Deep\n\n"
         + ":::\n\n" * 300, "error", line=None, words="nested"),
    # marks that now work wherever they attach
    Case("code-span", 'You came. `Zebra Close`{withhold="dad"} more.\n', secrets=["Zebra Close"], shown=["You came."]),
    Case("class-then-key", 'You came. [Zebra Close]{.silent withhold="dad"} more.\n', secrets=["Zebra"]),
    Case("footnote-ref-marked", 'You came.[^n]{withhold="dad"} More.\n\n[^n]: Zebra Close is the refuge.\n',
         secrets=["Zebra Close"], shown=["You came."]),
    Case("span-in-link", 'See [the [Zebra Close]{withhold="dad"} page](https://quagga-refuge.example/in) soon.\n',
         secrets=["quagga-refuge", "Zebra Close", "the page"], shown=["See"]),
    Case("image-marked", 'Look ![Zebra Close garden](pic.png){withhold="dad"} here.\n', secrets=["Zebra Close"],
         files={"pic.png": "png"}),
    Case("footnote-whole-in-div", 'You came.\n\n::: {withhold="dad"}\nA note.[^n]\n\n[^n]: Zebra Close.\n:::\n',
         secrets=["Zebra Close"], shown=["You came."]),
    # -- private details written another way: refused at the line --------------------------------
    *[Case(f"address-{i}", f"Some words first.\n\nYou now live at {text} with the children.\n", "refuse", line=3)
      for i, text in enumerate([
          "14 Mill Lane", "Flat 2 14 Mill Lane Eastbrook", "14 Mill Ln", "14, Mill Lane", "Mill Lane 14",
          "number 14 MILL LANE", "Mill Lane", "EB34QT", "eb3 4qt", "14 Mi\u200bll La\u00adne", "14 Mïll Lane",
          "\uff11\uff14 Mill Lane", "Fourteen Mill Lane", "Flat two, fourteen Mill Lane", "14 Mill\u2028Lane",
          "Apartment 2 Mill Lane"])],
    Case("address-split-lines", "You now live at 14 Mill\nLane with the children.\n", "refuse", line=1),
    Case("address-hyphenated", "You now live at 14 Mill-\nLane with the children.\n", "refuse"),
    Case("address-table-cells", "| Number | Street |\n|---|---|\n| 14 | Mill Lane |\n", "refuse", line=3),
    Case("address-table-split", "| Number | Street |\n|---|---|\n| 14 | Mill |\n", "ok", secrets=[]),
    Case("address-heading", "## Life at 14 Mill Lane\n\nYou came.\n", "refuse"),
    Case("address-code", "You came. `14 Mill Lane` here.\n", "refuse"),
    Case("address-alt-text", "Look ![The front of 14 Mill Lane](pic.png) here.\n", "refuse", files={"pic.png": "png"}),
    Case("address-footnote", "You came.[^n]\n\n[^n]: Your flat is at 14 Mill Lane.\n", "refuse", line=3),
    Case("address-link-percent", "[map](https://maps.example/?q=14%20Mill%20Lane) here\n", "refuse"),
    Case("address-link-plus", "[map](https://maps.example/?q=14+Mill+Lane) here\n", "refuse"),
    Case("address-link-double", "[map](https://maps.example/?q=14%2520Mill%2520Lane) here\n", "refuse"),
    Case("address-autolink", "<https://maps.example/eb3-4qt>\n", "refuse"),
    *[Case(f"phone-{i}", f"Words.\n\nCall {text} any time.\n", "refuse", line=3) for i, text in enumerate([
        "7700 900123", "+44 (0)7700 900 123", "07700-900-123", "0044 7700 900123", "077 00 90 01 23",
        "oh seven seven double oh nine double oh one two three", "07700.900.123", "tel:07700900123"])],
    *[Case(f"email-{i}", f"Words.\n\nWrite to {text} please.\n", "refuse", line=3) for i, text in enumerate([
        "sam.taylor84@gmail.com", "SAM.TAYLOR84@GMAIL.COM", "sam.taylor84 at gmail dot com",
        "sam dot taylor84 at gmail dot com", "sam.taylor84"])],
    *[Case(f"school-{i}", f"Words.\n\nJamie goes to {text} now.\n", "refuse", line=3) for i, text in enumerate([
        "Ravenscourt Primary School", "Ravenscourt", "RAVENSCOURT PRIMARY", "Ravens-\ncourt"])],
    Case("address-no-commas", "You live at Flat 2, 14 Mill Lane.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Flat 2 14 Mill Lane Eastbrook EB3 4QT")),
    Case("address-folded-block", "Your home at 14 Mill Lane.\n", "refuse",
         front=front("address: Flat 2, 14 Mill Lane, Eastbrook EB3 4QT",
                     "address: >-\n        Flat 2\n        14 Mill Lane\n        Eastbrook EB3 4QT")),
    Case("address-literal-block", "Your home at Mill Lane.\n", "refuse",
         front=front("address: Flat 2, 14 Mill Lane, Eastbrook EB3 4QT",
                     "address: |-\n        Flat 2\n        14 Mill Lane\n        Eastbrook EB3 4QT")),
    Case("building-name", "You live in Kestrel House now.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Flat 6, Kestrel House, 41 Quarry Road, Eastbrook EB7 2NW")),
    Case("building-street-abbreviated", "You live on 41 Quarry Rd now.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Flat 6, Kestrel House, 41 Quarry Road, Eastbrook EB7 2NW")),
    # too short or too common to search: refused when the report is read, at its line
    Case("vague-address", "You came.\n", "error", front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Eastbrook"),
         line=None, front_line="address: Eastbrook", words="full address"),
    Case("short-phone", "You came.\n", "error", front=front("07700 900123", "999"), line=None,
         front_line="phone: 999", words="too short"),
    Case("common-school", "You came.\n", "error", front=front("Ravenscourt Primary School", "Park"), line=None,
         front_line="school: Park", words="too short or too common"),
    Case("not-an-email", "You came.\n", "error", front=front("sam.taylor84@gmail.com", "sam"), line=None,
         front_line="email: sam", words="not an email"),
    # no false refusals
    Case("flat-dot-two", "You moved to your new flat. 2 weeks later you came to school.\n", shown=["2 weeks later"]),
    Case("other-numbers", "You called from 07700 900999. Millbrook Lane is near. Flat 14 is empty.\n",
         shown=["Millbrook Lane"]),
    Case("front-matter-school", "You came.\n", "refuse", line=None, front_line="school: Ravenscourt",
         front=front("    dob: 2015-05-14\n", "    dob: 2015-05-14\n    school: Ravenscourt Primary School\n"),
         words="front matter"),
    Case("front-matter-venue", "You came.\n", "refuse", line=None, front_line="venue:",
         front=front("venue: Eastbrook Family Centre", "venue: Flat 2, 14 Mill Lane"), words="printed on"),
    Case("front-matter-relationship", "You came.\n", "refuse", line=None, front_line="relationship: Dad",
         front=front("relationship: Dad to Jamie", "relationship: Dad to Jamie, who visits 14 Mill Lane")),
    # -- parts of the file nobody checked --------------------------------------------------------
    Case("photo-exif", "You came. ![The garden](photo.jpg) More.\n", secrets=[
        "Zebrafinch", "Quokka", "Pelican", "Marmoset", "Gecko"], shown=["You came."], files={"photo.jpg": "jpeg"}),
    Case("png-text", "You came. ![The garden](pic.png) More.\n", secrets=["Narwhal", "Wombat", "Lemur", "Axolotl"],
         files={"pic.png": "png-text"}),
    # found by red-teaming: HTML line breaks, other lines of an address, look-alike letters,
    # direction controls, list numbers, abbreviations, marks written in free text
    Case("br-in-cell", "| Who | Where |\n|---|---|\n| Sam | Flat 2<br>14 Mill<br>Lane |\n", "refuse", line=3),
    Case("br-in-phone", "Words.\n\nPhone: 07700<br>900123 now.\n", "refuse", line=3),
    Case("br-postcode", "Words.\n\nIt is EB3<br/>4QT.\n", "refuse", line=3),
    *[Case(f"look-alike-{i}", f"Words.\n\nYou live at {text} now.\n", "refuse", line=3) for i, text in enumerate([
        "14 \u041cill Lane", "14 M\u0456ll Lane", "\u0415\u04123 4Q\u0422", "07700 9OO123", "077OO900123",
        "07700\u3164900123", "14 Mill\u3164 Lane", "\u0660\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663",
        "14 Mill La", "14 Mill Ln."])],
    Case("direction-override", "Her phone: \u202e321009 00770\u202c now.\n", "error", words="direction control"),
    Case("list-number", "You came.\n\n14. Oakfield\n", "refuse", line=3,
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "14 Oakfield, Eastbrook EB3 9ZZ")),
    Case("building-without-type", "You visited Sam at The Old Maltings.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Flat 3, The Old Maltings, Eastbrook EB3 4QT")),
    Case("street-without-number", "You live on Hill Top now.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "Rose Cottage, Hill Top, Little Hinton")),
    Case("school-as-author", "Jamie started with us at Ravenscourt on 2 November.\n", "refuse", line=None,
         front=front("agency: Hollins Park Academy", "agency: Ravenscourt Primary"), front_line="agency:"),
    Case("hidden-author-first-name", "I am Nadia, your support worker.\n", "refuse",
         front=front("  name: Ruth Okafor\n", "  name: Nadia Rahman\n").replace(
             "  agency: Hollins Park Academy\n", "  agency: Eastbrook Women's Aid\n  withhold_from: [dad]\n")),
    Case("hidden-author-title", "Ms Rahman will call you. Signed: N. Rahman\n", "refuse",
         front=front("  name: Ruth Okafor\n", "  name: Nadia Rahman\n").replace(
             "  agency: Hollins Park Academy\n", "  agency: Eastbrook Women's Aid\n  withhold_from: [dad]\n")),
    Case("hidden-person-title", "Mr Smith helps you now.\n", "refuse",
         front=front("  - id: dad\n", "  - id: tom\n    name: Thomas Smith\n    role: other\n"
                     "    withhold_from: [dad]\n  - id: dad\n")),
    *[Case(f"free-text-mark-{i}", f"You came. {text} More.\n", "error") for i, text in enumerate([
        "[Ellie started at the nursery.] {not dad}", "(Ellie started at the nursery.){not dad}",
        "Ellie started at the nursery. {not for dad}", "[Ellie started at the nursery.][not dad]",
        "{not dad: Ellie started at the nursery.}", "[Ellie started at the nursery.]\uff5bwithhold=\"dad\"\uff5d",
        "[Ellie started at the nursery.]{dad}"])],
    Case("spaces-around-equals", 'You came. [Zebra Close]{ withhold = "dad" } More.\n', "error",
         words="no spaces around"),
    Case("picture-outside-folder", "Look ![x](/usr/share/pixmaps/debian-logo.png) here.\n", "error",
         words="outside the report's folder"),
    # no false refusals
    Case("email-named-after-a-child", "You came. Jamie Taylor is well.\n", shown=["Jamie Taylor is well."],
         front=front("sam.taylor84@gmail.com", "jamie.taylor@hotmail.co.uk")),
    Case("nested-footnotes", "You came.[^a]\n\n[^a]: See also the other note.[^b]\n\n[^b]: The second note.\n",
         shown=["You came."]),
    Case("everyday-high-street", "We met at the cafe on the High St in Westmoor.\n", shown=["High St"],
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "14 High Street, Westmoor WM1 2AB")),
    Case("everyday-high-street-number", "You live at 14 High St now.\n", "refuse",
         front=front("Flat 2, 14 Mill Lane, Eastbrook EB3 4QT", "14 High Street, Westmoor WM1 2AB")),
    # -- crashes: characters pasted from Word ------------------------------------------------------
    Case("vertical-tab", "You came on time.\x0bWe talked about school.\n", shown=["You came on time.",
                                                                                   "We talked about school."]),
    Case("form-feed", "You came on time.\x0cWe talked about school.\n", shown=["We talked about school."]),
    Case("line-separator", "You came on time.\u2028We talked.\u2029Then you left.\n", shown=["Then you left."]),
    Case("vertical-tab-front", "You came.\n", front=front("Priya Shah", "Priya\x0bShah"), shown=["You came."]),
    Case("bell", "You came.\x07 More.\n", "error", words="control character"),
    Case("null-in-front", "You came.\n", "error", front=front("Priya Shah", "Priya\x01Shah"), line=None),
    # -- whoever is hidden stays hidden ------------------------------------------------------------
    Case("hidden-person-named", "You came. Nadia helps you.\n", "refuse", front=HIDDEN_NADIA, words="the name of Nadia Rahman (hidden"),
    Case("hidden-person-marked", 'You came. [Nadia Rahman helps you.]{withhold="dad"}\n', front=HIDDEN_NADIA,
         secrets=["Nadia", "Rahman", "support worker"], shown=["You came."]),
    Case("hidden-child", 'You came. [Bo is well.]{withhold="dad"}\n', front=HIDDEN_BABY,
         secrets=["Kaczmarek", "Bo Kaczmarek"], shown=["You came.", "Jamie Taylor"]),
    Case("hidden-child-named", "You came. Bo Kaczmarek is well.\n", "refuse", front=HIDDEN_BABY),
    Case("hidden-author", "You came.\n", front=HIDDEN_AUTHOR, secrets=["Wrenfield", "Ruth Okafor", "Okafor"],
         shown=["You came."]),
    Case("hidden-author-mum", "You came.\n", recipient="mum", front=HIDDEN_AUTHOR, shown=["Wrenfield", "Ruth Okafor"]),
    Case("withheld-in-full", "You came.\n", "skip", front=FRONT.replace("author:\n", "withhold_from: [dad]\nauthor:\n")),
    Case("withheld-in-full-mum", "You came.\n", recipient="mum",
         front=FRONT.replace("author:\n", "withhold_from: [dad]\nauthor:\n"), shown=["You came."]),
    Case("everything-marked", '::: {only="professionals"}\nZebra Close.\n:::\n', "skip"),
]


def plain(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def png_chunks(data: bytes) -> list[bytes]:
    kinds, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        kinds.append(kind)
        pos += 12 + length
    return kinds


def jpeg_markers(data: bytes) -> list[int]:
    markers, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + struct.unpack(">H", data[pos + 2:pos + 4])[0]
    return markers


def everything_in(docx: Path, pdf: Path) -> str:
    """All a recipient could recover, by other means than the verifier's."""
    out = []
    with zipfile.ZipFile(docx) as z:
        for name in z.namelist():
            data = z.read(name)
            out += [data.decode("latin-1"), data.decode("utf-16-le", "ignore")]
            if name.startswith("word/media/"):
                if data.startswith(b"\x89PNG"):
                    assert set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"pHYs", b"sRGB",
                                                     b"gAMA"}, (name, png_chunks(data))
                    assert data.endswith(b"IEND\xaeB`\x82"), "bytes after the picture's end"
                elif data.startswith(b"\xff\xd8"):
                    assert not [m for m in jpeg_markers(data) if 0xE1 <= m <= 0xEF or m == 0xFE], jpeg_markers(data)
                    assert data.endswith(b"\xff\xd9"), "bytes after the picture's end"
    out.append(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    reader = PdfReader(str(pdf))
    out += [page.extract_text() or "" for page in reader.pages]
    out += [str(v) for v in (reader.metadata or {}).values()]
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            out.append(str(action.get_object().get("/URI", "")) if action else "")
    out += [docx.name, pdf.name]
    return plain(" ".join(out))


def _materials(kind: str) -> bytes:
    return {"png": png_with_text, "png-text": png_with_text, "jpeg": jpeg_with_metadata}[kind]()


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Render the cases in groups (one LibreOffice run each): cases sharing a front matter and
    recipient together, every other case on its own (a private detail in one report protects
    the whole batch, so different front matter must not share one)."""
    base = tmp_path_factory.mktemp("attacks")
    groups: dict[tuple, list[Case]] = {}
    for c in CASES:
        key = (c.recipient, c.front) if c.front == FRONT and c.outcome in ("ok", "refuse") else (c.id,)
        groups.setdefault(key, []).append(c)
    by_case = {}
    for n, cases in enumerate(groups.values()):
        src = base / f"src{n}"
        src.mkdir()
        for c in cases:
            (src / f"{c.id}.md").write_text(c.front + "\n" + c.body, encoding="utf-8")
            for name, kind in c.files.items():
                (src / name).write_bytes(_materials(kind))
        out = base / f"out{n}"
        render = render_files([src / f"{c.id}.md" for c in cases], cases[0].recipient, load_settings(), Output(out, pdf=True))
        errors: dict[str, list] = {}
        for e in render.errors:
            errors.setdefault(Path(e.path).stem, []).append(e)
        made = {Path(r.source).stem: r for r in render.rendered}
        for c in cases:
            by_case[c.id] = (made.get(c.id), errors.get(c.id, []), render.notes)
    return by_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_attack(case, results):
    rendered, errors, notes = results[case.id]
    if case.outcome in ("refuse", "error"):
        assert errors, f"{case.id} should have been refused"
        assert rendered is None, "nothing may be written for a refused report"
        front_lines = case.front.count("\n")
        first = next((e for e in errors if e.line and e.line <= front_lines), errors[0]) if case.front_line \
            else errors[0]
        assert first.path.endswith(f"{case.id}.md"), first
        assert "Traceback" not in first.message
        if case.outcome == "refuse":
            assert "appears here without a mark" in first.message or "printed on" in first.message, first
        if case.words:
            assert case.words in first.message, first.message
        if case.line is not None:
            body_line = case.front.count("\n") + 2
            assert first.line == body_line + case.line - 1, (first.line, body_line, str(first))
        if case.front_line:
            lines = case.front.split("\n")
            assert lines[first.line - 1].strip().startswith(case.front_line), (first.line, str(first))
        return
    assert not errors, [str(e) for e in errors]
    if case.outcome == "skip":
        assert rendered is None and any(case.id in note for note in notes), notes
        return
    assert rendered is not None and rendered.pdf is not None
    found = everything_in(rendered.docx, rendered.pdf)
    for secret in case.secrets:
        assert plain(secret) not in found, f"{secret!r} is recoverable"
    text = " ".join(subprocess.run(["pdftotext", str(rendered.pdf), "-"], capture_output=True, text=True).stdout.split())
    for words in case.shown:
        assert words in text, f"{words!r} missing from the PDF"


def test_the_suite_covers_every_class():
    assert len(CASES) >= 100
    assert sum(c.outcome == "ok" for c in CASES) >= 15


def test_a_private_detail_declared_in_one_report_protects_the_others(tmp_path):
    """Report A declares mum's address; report B, about the same family, does not, and names it."""
    (tmp_path / "a.md").write_text(FRONT + "\nYou came.\n", encoding="utf-8")
    plain_front = re.sub(r"    private:\n(      .*\n)+", "", FRONT)
    assert "private" not in plain_front
    (tmp_path / "b.md").write_text(plain_front + "\nYou moved to 14 Mill Lane.\n", encoding="utf-8")
    res = run("render", str(tmp_path), "--for", "dad", "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert f"{tmp_path / 'b.md'}:{plain_front.count(chr(10)) + 2}: error: Sam Taylor's private address" in res.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1   # report A is still written
    assert run("render", str(tmp_path), "--for", "mum", "--out", str(tmp_path / "mum")).returncode == 0


def test_one_bad_report_never_stops_the_others(tmp_path):
    (tmp_path / "bad.md").write_text(FRONT + "\nYou came.\x07\n", encoding="utf-8")
    (tmp_path / "good.md").write_text(FRONT + "\nYou came on time.\x0bWe talked.\n", encoding="utf-8")
    res = run("render", str(tmp_path), "--for", "dad", "--out", str(tmp_path / "out"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "bad.md:" in res.stderr and "control character" in res.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1


def test_output_names_never_come_from_the_source_name(tmp_path):
    src = tmp_path / "home-visit-flat-2-14-mill-lane.md"
    src.write_text(FRONT + "\nYou came.\n", encoding="utf-8")
    res = run("render", str(src), "--for", "dad", "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert names and not any("mill" in n or "visit" in n for n in names), names


def test_a_hidden_child_is_in_no_name_or_header_of_the_other_parents_files(tmp_path):
    src = tmp_path / "r.md"
    src.write_text(HIDDEN_BABY + '\nYou came. [Bo is well.]{withhold="dad"}\n', encoding="utf-8")
    for who in ("dad", "mum"):
        assert run("render", str(src), "--for", who, "--out", str(tmp_path / who)).returncode == 0
    dad = next((tmp_path / "dad").glob("*.docx"))
    mum = next((tmp_path / "mum").glob("*.docx"))
    assert "bo" not in dad.name.split("_")[0].split("-") and "jamie-taylor" in dad.name
    assert "bo-jamie" in mum.name or "jamie-bo" in mum.name
    with zipfile.ZipFile(dad) as z:
        assert "Kaczmarek" not in " ".join(z.read(n).decode("latin-1") for n in z.namelist())


def test_verify_refuses_a_file_it_cannot_read_without_a_traceback(tmp_path):
    src = tmp_path / "r.md"
    src.write_text(FRONT + "\nYou came.\n", encoding="utf-8")
    for name, data in (("x.docx", b"not a zip"), ("x.pdf", b"%PDF-1.4 broken")):
        (tmp_path / name).write_bytes(data)
        res = run("verify", str(tmp_path / name), "--source", str(src), "--for", "dad")
        assert res.returncode == 2 and "Traceback" not in res.stderr and "cannot be read" in res.stderr, res.stderr


def test_verify_reports_a_file_made_for_someone_else(tmp_path):
    src = tmp_path / "r.md"
    src.write_text(HIDDEN_AUTHOR + "\nYou came.\n", encoding="utf-8")
    assert run("render", str(src), "--for", "mum", "--out", str(tmp_path / "out"), "--pdf").returncode == 0
    files = [str(p) for p in (tmp_path / "out").glob("*_for-mum.*")]
    res = run("verify", *files, "--source", str(src), "--for", "dad")
    assert res.returncode == 1
    assert "report's author" in res.stdout and "Wrenfield" not in res.stdout
