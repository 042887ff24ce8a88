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
from ..config import Settings
from ..document.parser import parse_file
from ..document.tree import Document
from ..errors import InputError, InputErrors
from ..redact.audience import Recipient, resolve
from ..redact.audit import LOG_NAME, record
from ..redact.filter import Copy, WithheldInFull, make_copy
from ..redact.private import Secret, secrets_of
from ..redact.verify import Forbidden, Leak, forbidden, scan
from . import pdf as pdfmod
from .fields import template_fields
from .images import strip_package
from .templates import check_template
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


def output_stem(copy: Copy, kind: str) -> str:
    """"jamie-taylor_agency-report_hollins-park-academy_for-mum": the children, the kind, the
    author's agency and the recipient, all as this recipient may see them (never the source
    file's name, which may say anything)."""
    children = copy.meta.children
    if children:
        surname = children[0].name.split()[-1]
        firsts = "-".join(c.name.split()[0] for c in children)
        child = safe_name(f"{firsts} {surname}")
    else:
        child = "no-child-named"
    agency = copy.meta.author.agency if kind.endswith("report") else ""
    parts = [child, kind] + ([safe_name(agency)] if agency else []) + [f"for-{safe_name(copy.recipient.id)}"]
    return "_".join(parts)[:180]


def template_path(kind: str, template_dir: Path | None) -> Path:
    """The template for a kind, checked (its placeholders) the first time it is used."""
    folder = template_dir or data_dir("templates")
    path = folder / f"{kind}.docx"
    if not path.is_file():
        raise InputError(f"no template for kind '{kind}' ({path} is missing); add it or point --templates at "
                         "a folder that has it")
    _check_template(path, kind, path.stat().st_mtime_ns)
    return path


@lru_cache(maxsize=64)
def _check_template(path: Path, kind: str, mtime_ns: int) -> None:
    problems = check_template(path, kind)
    if problems:
        raise InputError("this template cannot be used: " + "; ".join(problems) +
                         " (see 'confpack templates check')", str(path))


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


def build_docx(doc: Document, recipient: Recipient, dest: Path, settings: Settings, template_dir: Path | None = None,
               today: dt.date | None = None, addressee: tuple[str, str] | None = None,
               extra: list[Secret] = ()) -> tuple[Copy, list[Forbidden]]:
    """Write one recipient's redacted DOCX of a parsed report to ``dest`` and verify it.

    Returns the recipient's copy and what must never appear in their files.  On any
    problem nothing is left at ``dest``."""
    if not doc.meta.kind:
        raise InputError("rendering needs 'kind:' in the front matter (e.g. kind: agency-report)", doc.path)
    view = recipient_view(doc, recipient, settings, today, addressee, extra)
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
        strip_package(dest)
        leftover = _LEFTOVER.search(docx_text(dest))
        if leftover:
            raise InputError(f"'{leftover.group()}' would appear in the document; check the template's "
                             "placeholders and the Markdown near it", doc.path)
        refuse_leaks(scan(dest, items), doc.path)
    except InputError:
        dest.unlink(missing_ok=True)
        raise


def recipient_view(doc: Document, recipient: Recipient, settings: Settings, today: dt.date | None = None,
                   addressee: tuple[str, str] | None = None,
                   extra: list[Secret] = ()) -> tuple[Copy, dict[str, str], list[Forbidden]]:
    """The recipient's filtered copy, the template fields they see (from the front matter
    they may see) and what must never appear in their files (shared by render, packs and
    ``confpack verify``).  ``extra``: private details declared elsewhere in the conference."""
    copy = make_copy(doc, recipient, settings.removed_marker, extra)
    fields = template_fields(copy.meta, recipient, settings.title(doc.meta.kind), today, addressee, settings.council,
                             settings.letters.get("salutation", "first name"))
    return copy, fields, forbidden(copy)


def refuse_leaks(leaks: list[Leak], path: str) -> None:
    if leaks:
        raise InputError("refused: withheld information would reach this recipient (" +
                         "; ".join(str(leak) for leak in leaks[:5]) + (f"; and {len(leaks) - 5} more"
                                                                         if len(leaks) > 5 else "") +
                         "); nothing was written", path)


def conference_secrets(docs: list[Document]) -> tuple[list[Secret], list[tuple[Document, InputError]]]:
    """Every private detail the documents declare (each protects them all), and the
    documents whose details cannot be searched safely."""
    found, bad = [], []
    for doc in docs:
        try:
            found += secrets_of(doc.meta, doc.path)
        except InputError as exc:
            bad.append((doc, exc))
    return found, bad


def docx_text(path: Path) -> str:
    """The text of every XML part of a DOCX (body, headers, footers, footnotes), tags removed."""
    with zipfile.ZipFile(path) as z:
        return " ".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                        for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))


def expected_text(copy: Copy) -> list[str]:
    """Text a correct PDF of this copy must contain: its first heading and paragraph."""
    def words(node) -> str:   # a picture's alternative text is not printed on the page
        return "".join(words(c) for c in node.children if c.type != "image") if node.children else \
            node.plain_text()

    found = []
    nodes = [n for b in copy.blocks for n in b.walk()]
    for kind in ("heading", "paragraph"):
        text = next((t for n in nodes if n.type == kind and (t := words(n).strip())), None)
        if text:
            found.append(text[:60])
    return found


@dataclass
class Job:
    """One document to render for one recipient; ``source`` is the file it came from."""

    doc: Document
    recipient: str
    source: Path
    note: str = ""      # recorded in the distribution log with the copy (an override the sender chose)


@dataclass
class Output:
    """Where and how a run writes: the folder, PDFs or not, the council's templates, the
    date letters carry and the distribution log (``folder/distribution-log.sqlite`` if None)."""

    folder: Path
    pdf: bool = False
    templates: Path | None = None
    today: dt.date | None = None
    log: Path | None = None
    pdf_processes: int = 1      # LibreOffice runs converting a large batch at once


@dataclass
class _Made:
    job: Job
    docx: Path
    copy: Copy
    items: list[Forbidden]
    pdf: Path | None = None


def render_files(paths: list[Path], recipient_id: str, settings: Settings, output: Output) -> RenderRun:
    """Render every report file for one recipient (see :func:`render_documents`)."""
    jobs, errors = [], []
    for path in paths:
        try:
            jobs.append(Job(parse_file(path), recipient_id, Path(path)))
        except InputError as exc:
            errors.append(exc.located(str(path)))
    run = render_documents(jobs, settings, output)
    run.errors[:0] = errors
    return run


def render_documents(jobs: list[Job], settings: Settings, output: Output) -> RenderRun:
    """Render documents, each for its recipient; one LibreOffice run converts them all.

    A private detail declared in any of the documents protects all of them.  Each file is
    verified before it is moved into place, and each copy is recorded in the distribution
    log.  One document that cannot be made never stops the others."""
    run = RenderRun()
    output.folder.mkdir(parents=True, exist_ok=True)
    secrets, unreadable = conference_secrets([job.doc for job in jobs])
    run.errors += [exc for _, exc in unreadable]
    work = Path(tempfile.mkdtemp(prefix=".confpack-", dir=output.folder))
    try:
        made = [m for job in jobs if (m := _write(job, settings, output, secrets, unreadable, work, run))]
        if output.pdf and made:
            _convert(made, work, run, output.pdf_processes)
        for m in made:
            if output.pdf and not _pdf_checked(m, run):
                continue
            _place(m, output, run)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return run


def _write(job: Job, settings: Settings, output: Output, secrets: list[Secret], unreadable, work: Path,
           run: RenderRun) -> _Made | None:
    """One verified DOCX in the work folder, or the reason there is none."""
    try:
        if not job.doc.meta.kind:
            raise InputError("rendering needs 'kind:' in the front matter (e.g. kind: agency-report)", job.doc.path)
        _refuse_if_unprotected(job, unreadable)
        recipient = resolve(job.doc.meta, job.recipient, job.doc.path)
        view = recipient_view(job.doc, recipient, settings, output.today, None, secrets)
        if not view[0].visible:
            run.notes.append(f"{job.doc.path}: not written for {recipient.label}: everything in it is withheld "
                             "from them")
            return None
        stem = output_stem(view[0], job.doc.meta.kind)
        dest = work / f"{stem}.docx"
        n = 1
        while dest.exists():
            n += 1
            dest = work / f"{stem.replace('_for-', f'-{n}_for-', 1)}.docx"
        write_view(job.doc, view, dest, output.templates)
        return _Made(job, dest, view[0], view[2])
    except WithheldInFull:
        run.notes.append(f"{job.doc.path}: not written for {job.recipient}: the report is withheld from them "
                         "(withhold_from in its front matter)")
    except InputErrors as exc:
        run.errors += [e.located(job.doc.path) for e in exc.errors]
    except InputError as exc:
        run.errors.append(exc.located(job.doc.path))
    except Exception as exc:  # one document's failure never stops the others
        run.errors.append(InputError(f"could not be rendered ({type(exc).__name__}: {exc}); the other documents "
                                     "were still made", job.doc.path))
    return None


def _convert(made: list[_Made], work: Path, run: RenderRun, processes: int) -> None:
    try:
        pdfs = pdfmod.convert([m.docx for m in made], work, processes=processes)
    except pdfmod.LibreOfficeMissing as exc:
        run.notes.append(str(exc))
        return
    for m in made:
        m.pdf = pdfs.get(m.docx) or work / "missing.pdf"


def _pdf_checked(m: _Made, run: RenderRun) -> bool:
    """The PDF holds what it must and nothing withheld (or LibreOffice is missing: DOCX only)."""
    if m.pdf is None:
        return True
    path = m.job.doc.path
    try:
        if not m.pdf.is_file():
            raise InputError("LibreOffice could not convert it to PDF; open the DOCX to check it", path)
        try:
            pdfmod.check_pdf(m.pdf, expected_text(m.copy))
        except InputError as exc:
            raise InputError(exc.message, path) from None
        refuse_leaks(scan(m.pdf, m.items), path)
        return True
    except InputError as exc:
        run.errors.append(exc.located(path))
        return False


def _place(m: _Made, output: Output, run: RenderRun) -> None:
    """Move the checked files into place and log the copy."""
    final_docx = output.folder / m.docx.name
    os.replace(m.docx, final_docx)
    final_pdf = None
    if m.pdf is not None:
        final_pdf = output.folder / m.pdf.name
        os.replace(m.pdf, final_pdf)
    record(output.log or output.folder / LOG_NAME, m.job.source, m.job.recipient,
           [final_docx] + ([final_pdf] if final_pdf else []), m.copy.counts(), m.job.note)
    run.rendered.append(Rendered(m.job.doc.path, m.job.recipient, final_docx, final_pdf))


def _refuse_if_unprotected(job: Job, unreadable: list[tuple[Document, InputError]]) -> None:
    """A private detail that cannot be searched protects nobody: refuse the copies for the
    people it is withheld from, in every document of the batch."""
    for doc, exc in unreadable:
        if doc is job.doc:
            raise InputError("not written: fix the private detail reported for this file first", job.doc.path)
        names = {w for p in doc.meta.family for w in p.withhold_from + p.hidden_from}
        person = job.doc.meta.person(job.recipient)
        if job.recipient != "chair" and (job.recipient in names or "all" in names or (
                person is not None and names & {"family", "parents", "children", "carers", "relatives"})):
            raise InputError(f"not written: {doc.path} declares a private detail that cannot be checked "
                             f"(line {exc.line}); fix it there first", job.doc.path)
