"""Render reports into their Word templates (and PDF): parse → build the recipient's
document → render → check → move into place.  Nothing is half-written: files are made in
a temporary folder beside the output and only moved in once complete and checked."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..common.resources import data_dir
from ..config import load_settings
from ..document.parser import parse_file
from ..document.tree import Document
from ..errors import InputError
from ..redact.audit import LOG_NAME, record
from ..redact.filter import DEFAULT_MARKER, Copy, make_copy
from ..redact.recipients import Recipient, resolve
from ..redact.verify import Forbidden, Leak, forbidden, scan
from . import pdf as pdfmod
from .fields import template_fields
from .word import BODY_MARKER, WordWriter

_LEFTOVER = re.compile(r"\{\{|\{%|\*\*|:::|\]\{")


@dataclass
class Rendered:
    source: str
    recipient: str
    docx: Path
    pdf: Path | None = None


@dataclass
class RenderRun:
    rendered: list[Rendered] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def safe_name(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens: safe on Windows, macOS and Linux."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "report"


def output_stem(doc: Document, recipient: Recipient) -> str:
    """"jamie-taylor_agency-report_school-report_for-mum": child, kind, source, recipient."""
    children = doc.meta.children
    if children:
        surname = children[0].name.split()[-1]
        firsts = "-".join(c.name.split()[0] for c in children)
        child = safe_name(f"{firsts} {surname}")
    else:
        child = "no-child-named"
    kind = doc.meta.kind or "document"
    stem = safe_name(Path(doc.path).stem)
    parts = [child, kind] + ([stem] if stem != kind else []) + [f"for-{safe_name(recipient.id)}"]
    return "_".join(parts)[:180]


def template_path(kind: str, template_dir: Path | None) -> Path:
    folder = template_dir or data_dir("templates")
    path = folder / f"{kind}.docx"
    if not path.is_file():
        raise InputError(f"no template for kind '{kind}' ({path} is missing); add it or point --templates at "
                         "a folder that has it")
    return path


@lru_cache(maxsize=1)
def _template_class():
    """docxtpl with two speed-ups: each part's Jinja source is compiled once per process,
    and document properties are not rendered (confpack sets them itself)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    class CachingEnvironment(Environment):
        def __init__(self) -> None:
            super().__init__(autoescape=True)
            self._compiled: dict[str, object] = {}

        def from_string(self, source, globals=None, template_class=None):
            if source not in self._compiled:
                self._compiled[source] = super().from_string(source, globals, template_class)
            return self._compiled[source]

    class Template(DocxTemplate):
        environment = CachingEnvironment()

        def render_properties(self, context, jinja_env=None) -> None:
            return None

    return Template


@lru_cache(maxsize=64)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def build_docx(doc: Document, recipient: Recipient, dest: Path, template_dir: Path | None = None,
               today: dt.date | None = None, marker: str = DEFAULT_MARKER,
               addressee: tuple[str, str] | None = None) -> tuple[Copy, list[Forbidden]]:
    """Write one recipient's redacted DOCX of a parsed report to ``dest`` and verify it.

    Returns the recipient's copy and what must never appear in their files.  On any
    problem nothing is left at ``dest``."""
    if not doc.meta.kind:
        raise InputError("rendering needs 'kind:' in the front matter (e.g. kind: agency-report)", doc.path)
    view = recipient_view(doc, recipient, today, marker, addressee)
    write_view(doc, view, dest, template_dir)
    return view[0], view[2]


def write_view(doc: Document, view: tuple[Copy, dict[str, str], list[Forbidden]], dest: Path,
               template_dir: Path | None = None) -> None:
    """Write a recipient's view (from :func:`recipient_view`) into its template at ``dest``
    and verify the file; on any problem nothing is left at ``dest``."""
    copy, fields, items = view
    path = template_path(doc.meta.kind, template_dir)
    Template = _template_class()
    tpl = Template(io.BytesIO(_template_bytes(path, path.stat().st_mtime_ns)))
    context = dict(fields, body=BODY_MARKER)
    if "\n" in context["recipient_address"]:
        from docxtpl import Listing
        context["recipient_address"] = Listing(context["recipient_address"])
    tpl.render(context, jinja_env=Template.environment, autoescape=True)
    writer = WordWriter(tpl.docx, copy.footnotes, Path(doc.path).parent)
    try:
        writer.write(copy.blocks)
    except InputError as exc:
        raise exc.located(doc.path) from None
    props = tpl.docx.core_properties
    props.title = f"{fields['title']}: {fields['child_names']}" if fields["child_names"] else fields["title"]
    props.language = "en-GB"
    props.author = props.last_modified_by = props.comments = props.keywords = props.category = ""
    props.subject = fields["conference_type"]
    tpl.save(str(dest))
    try:
        leftover = _LEFTOVER.search(docx_text(dest))
        if leftover:
            raise InputError(f"'{leftover.group()}' would appear in the document; check the template's "
                             "placeholders and the Markdown near it", doc.path)
        refuse_leaks(scan(dest, items), doc.path)
    except InputError:
        dest.unlink(missing_ok=True)
        raise


def recipient_view(doc: Document, recipient: Recipient, today: dt.date | None = None, marker: str = DEFAULT_MARKER,
                   addressee: tuple[str, str] | None = None) -> tuple[Copy, dict[str, str], list[Forbidden]]:
    """The recipient's filtered copy, the template fields they see, and what must never
    appear in their files (shared by render and by ``confpack verify``)."""
    copy = make_copy(doc, recipient, marker)
    title = load_settings().structure.get(doc.meta.kind or "", {}).get("title", doc.meta.kind or "")
    fields = template_fields(doc, recipient, title, today, addressee)
    allowed = " ".join([*(b.plain_text() for b in copy.blocks), *(f.plain_text() for f in copy.footnotes.values()),
                        *fields.values()])
    return copy, fields, forbidden(copy, allowed)


def refuse_leaks(leaks: list[Leak], path: str) -> None:
    if leaks:
        raise InputError("refused: withheld information would reach this recipient (" +
                         "; ".join(str(leak) for leak in leaks[:5]) + "); nothing was written", path)


def docx_text(path: Path) -> str:
    """The text of every XML part of a DOCX (body, headers, footers, footnotes), tags removed."""
    with zipfile.ZipFile(path) as z:
        return " ".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                        for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))


def expected_text(copy: Copy) -> list[str]:
    """Text a correct PDF of this copy must contain: its first heading and paragraph."""
    found = []
    nodes = [n for b in copy.blocks for n in b.walk()]
    for kind in ("heading", "paragraph"):
        node = next((n for n in nodes if n.type == kind and n.plain_text().strip()), None)
        if node is not None:
            found.append(node.plain_text().strip()[:60])
    return found


@dataclass
class Job:
    """One document to render for one recipient; ``source`` is the file it came from."""

    doc: Document
    recipient: str
    source: Path


def render_files(paths: list[Path], recipient_id: str, out_dir: Path, make_pdf: bool = False,
                 template_dir: Path | None = None, today: dt.date | None = None,
                 marker: str = DEFAULT_MARKER, log: Path | None = None) -> RenderRun:
    """Render every report file for one recipient (see :func:`render_documents`)."""
    jobs, errors = [], []
    for path in paths:
        try:
            jobs.append(Job(parse_file(path), recipient_id, Path(path)))
        except InputError as exc:
            errors.append(exc.located(str(path)))
    run = render_documents(jobs, out_dir, make_pdf, template_dir, today, marker, log)
    run.errors[:0] = errors
    return run


def render_documents(jobs: list[Job], out_dir: Path, make_pdf: bool = False, template_dir: Path | None = None,
                     today: dt.date | None = None, marker: str = DEFAULT_MARKER,
                     log: Path | None = None) -> RenderRun:
    """Render documents, each for its recipient; one LibreOffice run converts them all.

    Each file is verified before it is moved into place, and each copy is recorded in the
    distribution log (``out_dir/distribution-log.sqlite`` unless ``log`` is given)."""
    run = RenderRun()
    out_dir.mkdir(parents=True, exist_ok=True)
    log = log or out_dir / LOG_NAME
    work = Path(tempfile.mkdtemp(prefix=".confpack-", dir=out_dir))
    try:
        made: list[tuple[Job, Path, Copy, list[Forbidden]]] = []
        for job in jobs:
            try:
                recipient = resolve(job.doc.meta, job.recipient, job.doc.path)
                dest = work / f"{output_stem(job.doc, recipient)}.docx"
                if dest.exists():
                    raise InputError(f"two reports would both be written as {dest.name}; rename one", job.doc.path)
                copy, items = build_docx(job.doc, recipient, dest, template_dir, today, marker)
                made.append((job, dest, copy, items))
            except InputError as exc:
                run.errors.append(exc.located(job.doc.path))
        pdfs: dict[Path, Path] = {}
        if make_pdf and made:
            try:
                pdfs = pdfmod.convert([m[1] for m in made], work)
            except pdfmod.LibreOfficeMissing as exc:
                run.notes.append(str(exc))
                make_pdf = False
        for job, docx, copy, items in made:
            pdf_path = pdfs.get(docx)
            if make_pdf:
                try:
                    if pdf_path is None:
                        raise InputError("LibreOffice could not convert it to PDF; open the DOCX to check it",
                                         job.doc.path)
                    pdfmod.check_pdf(pdf_path, expected_text(copy))
                    refuse_leaks(scan(pdf_path, items), job.doc.path)
                except InputError as exc:
                    run.errors.append(exc.located(job.doc.path))
                    continue
            final_docx = out_dir / docx.name
            os.replace(docx, final_docx)
            final_pdf = None
            if pdf_path is not None:
                final_pdf = out_dir / pdf_path.name
                os.replace(pdf_path, final_pdf)
            outputs = [final_docx] + ([final_pdf] if final_pdf else [])
            record(log, job.source, job.recipient, outputs, copy.counts())
            run.rendered.append(Rendered(job.doc.path, job.recipient, final_docx, final_pdf))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return run
