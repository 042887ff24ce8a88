"""Word files read by Debian's pandoc, run as its own program: the DOCX goes in on standard
input and pandoc's JSON document tree comes out, with tracked changes and comments kept
as marked spans (``--track-changes=all``) and Word's style names kept as ``custom-style``
attributes (``+styles``), so a *Quote* paragraph can be told from an indented one."""
from __future__ import annotations

import json
import shutil
import subprocess

from ..errors import InputError

PACKAGE_HINT = "install it with: apt-get install pandoc"
TIMEOUT = 120
_API = (1, 22)   # pandoc 2.15 (its --sandbox) and later


def find_pandoc() -> str:
    found = shutil.which("pandoc")
    if not found:
        raise InputError(f"reading Word files needs pandoc, which was not found on PATH; {PACKAGE_HINT}")
    return found


def read_docx(data: bytes, name: str) -> dict:
    """Pandoc's document tree (``{"meta", "blocks"}``) of a DOCX file's bytes."""
    command = [find_pandoc(), "--sandbox", "--track-changes=all", "--from=docx+styles", "--to=json"]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"took pandoc more than {TIMEOUT} s to read; save it again from Word and retry",
                         name) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"could not be read by pandoc ({said[-1] if said else f'exit code {done.returncode}'}); "
                         "open it in Word, save it as .docx and retry (confpack needs pandoc 2.15 or newer)", name)
    tree = json.loads(done.stdout)
    if tuple(tree.get("pandoc-api-version", ())[:2]) < _API:
        raise InputError("this pandoc is too old to read Word files for confpack; install pandoc 2.15 or newer")
    return tree


# -- reading pandoc's tree ----------------------------------------------------------------
def classes(attr: list) -> list[str]:
    """The classes of an element's attributes ``[id, classes, [[key, value], …]]``."""
    return attr[1]


def attribute(attr: list, key: str) -> str:
    return next((v for k, v in attr[2] if k == key), "")


def stringify(element) -> str:
    """The plain text of an element or a list of them (tracked deletions and comments included:
    callers strip those first)."""
    if isinstance(element, list):
        return "".join(stringify(e) for e in element)
    if not isinstance(element, dict):
        return ""
    kind, content = element["t"], element.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math", "RawInline"):
        return content[1] if kind != "RawInline" else ""
    if kind in ("Para", "Plain", "Header", "CodeBlock"):
        text = content[1] if kind == "CodeBlock" else stringify(content[2] if kind == "Header" else content)
        return text + "\n"
    if kind in ("Link", "Image"):
        return stringify(content[1])
    if kind in ("Span", "Div"):
        return stringify(content[1])
    if kind == "Quoted":
        mark = "“”" if content[0]["t"] == "DoubleQuote" else "‘’"
        return mark[0] + stringify(content[1]) + mark[1]
    if kind == "Cite":
        return stringify(content[1])
    return stringify(content)
