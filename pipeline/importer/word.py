"""``confpack import``: a Word report (.docx) becomes a confpack Markdown report.

pandoc reads the Word file; tracked changes and comments stop the import unless they are
accepted on purpose; the key facts go into the front matter (the skeleton's prompts where
none were found); the headings become the sections the kind needs; and everything that
was not carried over is said in the messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..document.frontmatter import KINDS
from ..errors import InputError
from . import package
from .changes import Change, UnresolvedChanges, accept, find_changes
from .facts import take_facts
from .front import front_matter
from .markdown import MarkdownWriter
from .pandoc import read_docx, stringify
from .sections import detect_kind, missing_sections, outline
from .tidy import Tidied, tidy

DEFAULT_KIND = "agency-report"


@dataclass
class ImportResult:
    """The Markdown report, what the author should know about it, and the tracked changes
    and comments that were accepted."""

    markdown: str
    messages: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def import_docx(path: str | Path, settings: Settings, kind: str | None = None,
                accept_changes: bool = False) -> ImportResult:
    """Import a Word report file (see :func:`import_docx_bytes`)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the path", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", str(path)) from None
    return import_docx_bytes(data, str(path), settings, kind, accept_changes)


def import_docx_bytes(data: bytes, name: str, settings: Settings, kind: str | None = None,
                      accept_changes: bool = False) -> ImportResult:
    """Import a Word report from its bytes (``name`` names it in messages).

    Raises :class:`UnresolvedChanges` (an InputError listing them) when the file has tracked
    changes or comments and ``accept_changes`` is false; with it, insertions are kept and
    deletions and comments dropped."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}", name)
    held = package.inspect(data, name)
    tree = read_docx(data, name)
    changes = find_changes(tree["blocks"])
    if held.deletions and not any(c.kind == "deletion" for c in changes):
        raise InputError("has tracked deletions that pandoc did not report, so they cannot be kept out safely; "
                         "accept or reject the changes in Word and save it", name)
    if changes and not accept_changes:
        raise UnresolvedChanges(changes, name)
    messages = _accepted(changes)
    tidied = Tidied()
    blocks = tidy(accept(tree["blocks"]) if changes else tree["blocks"], tidied)
    facts, blocks = take_facts(blocks)
    title = " ".join(stringify(tree["meta"].get("title", {}).get("c", [])).split())
    how = "as asked"
    if kind is None:
        kind, how = detect_kind(title, blocks, settings.structure)
    if kind is None:
        kind = DEFAULT_KIND
        messages.append(f"Could not tell the kind of report from its title or headings, so it is {kind}; change "
                        f"'kind:' in the front matter if it is another kind ({', '.join(KINDS[:4])}).")
    else:
        messages.append(f"Imported as {kind} ({settings.title(kind)}), {how}.")
    spec = settings.structure.get(kind, {})
    shaped = outline(blocks, spec)
    writer = MarkdownWriter()
    body = writer.document(shaped.blocks, missing_sections(shaped.missing))
    front, prompts = front_matter(kind, settings.structure, facts,
                                  title if title and title != settings.title(kind) else "")
    messages += _filled(facts.found(), prompts)
    messages += _reshaped(shaped, settings.title(kind).lower())
    messages += _left_out(held, tidied, writer, facts.unread)
    return ImportResult(f"{front}\n{body}", messages, changes)


def _accepted(changes: list[Change]) -> list[str]:
    if not changes:
        return []
    count = {k: sum(1 for c in changes if c.kind == k) for k in ("insertion", "deletion", "comment")}
    return [f"Accepted the tracked changes: kept {count['insertion']} insertion(s), dropped {count['deletion']} "
            f"deletion(s) and {count['comment']} comment(s); none of the deleted words or comments are in the text."]


def _filled(found: list[str], prompts: list[str]) -> list[str]:
    out = []
    if found:
        out.append("Front matter filled in from the Word file: " + ", ".join(found) + ".")
    if prompts:
        out.append("Front matter left as prompts to fill in: " + ", ".join(prompts) + ".")
    return out


def _reshaped(shaped, what: str) -> list[str]:
    out = []
    if shaped.promoted:
        out.append("Made these bold paragraphs section headings: " + "; ".join(shaped.promoted) + ".")
    if shaped.missing:
        out.append(f"Added the sections a {what} needs that were not found, at the end, to fill in or move text "
                   "under: " + "; ".join(s["name"] for s in shaped.missing) + ".")
    return out


def _left_out(held: package.Package, tidied: Tidied, writer: MarkdownWriter, unread: list[str]) -> list[str]:
    """Everything in the Word file that is not in the Markdown, in words."""
    out = []
    if tidied.pictures:
        out.append(f"{tidied.pictures} picture(s) not carried over; add them again with ![what it shows](file.png).")
    for text in held.text_boxes:
        out.append(f"A text box was not carried over: “{_clip(text)}”.")
    if held.headers:
        out.append("The page headers and footers were not carried over (the template adds its own): "
                   + "; ".join(f"“{_clip(t)}”" for t in held.headers) + ".")
    if held.page_breaks:
        out.append(f"{held.page_breaks} page break(s) not carried over; write \\newpage on its own line where one "
                   "is needed.")
    if held.objects:
        out.append(f"{held.objects} embedded object(s) (charts, spreadsheets) not carried over.")
    if held.formatting_changes:
        out.append(f"{held.formatting_changes} tracked formatting change(s): the text keeps its formatting as it "
                   "is now.")
    if tidied.indented:
        out.append(f"{tidied.indented} indented passage(s) kept as ordinary paragraphs: only Word's Quote style "
                   "makes a quote (> in Markdown), which lint reads as the family's own words.")
    if tidied.controls:
        out.append(f"{tidied.controls} invisible control character(s) removed.")
    if writer.merged_cells:
        out.append(f"{writer.merged_cells} merged table cell(s) split: the text is in the first cell.")
    if writer.flattened_cells:
        out.append(f"{writer.flattened_cells} list(s) or quote(s) inside table cells written as lines in the cell.")
    if unread:
        out.append("Not carried over from the table of key facts: " + "; ".join(unread) + ".")
    return out


def _clip(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"
