"""What each call of the editor page does, in plain Python (no web framework here): lint,
recipients, preview, import and download, each taking the request's data and the run's
settings and answering in the JSON shapes ``tools/editor/README.md`` describes."""
from __future__ import annotations

import datetime as dt
import itertools
import shutil
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..document.parser import MAX_BYTES, parse_text
from ..errors import InputError
from ..importer import UnresolvedChanges, import_docx_bytes
from ..importer.changes import counted
from ..lint import lint_text
from ..redact.audience import resolve
from ..redact.filter import WithheldInFull, make_copy
from ..render.fields import template_fields
from ..render.jobs import Job, Output, render_documents
from ..render.pdf import PACKAGE_HINT
from .preview import copy_html, withheld

REPORT_NAME = "report.md"         # the editor's text, as the messages call it
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "pdf": "application/pdf"}


class BadRequest(Exception):
    """A request the page would never send (wrong JSON shape): status 400."""


def error(exc: InputError) -> dict:
    """An InputError as the page shows it: ``{"line", "message"}`` (several problems: the first, counted)."""
    more = len(getattr(exc, "errors", ())) - 1
    return {"line": exc.line, "message": exc.message + (f" (and {more} more problem(s))" if more > 0 else "")}


class Workspace:
    """Where the server may write: a temporary folder (removed when the server stops, or at
    exit) for downloads and snapshots of the text, and the distribution log, kept in the
    project folder when one was named, else in the temporary folder."""

    def __init__(self, root: Path | None):
        self.root = root
        self.path = Path(tempfile.mkdtemp(prefix="confpack-serve-"))
        self.log = (root if root else self.path) / "distribution-log.sqlite"
        self._count = itertools.count(1)
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, True)

    def folder(self, name: str) -> Path:
        """A new, empty folder for one request."""
        path = self.path / f"{name}-{next(self._count)}"
        path.mkdir(parents=True)
        return path

    def file(self, folder: str, name: str) -> Path:
        """A new file's path in ``folder`` of the workspace, numbered so that none is overwritten."""
        (self.path / folder).mkdir(exist_ok=True)
        return self.path / folder / f"{next(self._count):04d}-{name}"

    @property
    def report_path(self) -> Path:
        """Where the editor's text stands for reading: in the project folder, so that its
        pictures are found beside it (nothing is written there)."""
        return (self.root or self.path) / REPORT_NAME

    def close(self) -> None:
        self._cleanup()


@dataclass
class Api:
    """The page's calls over one server's settings (loaded once per start) and workspace."""

    settings: Settings
    workspace: Workspace

    def __post_init__(self) -> None:
        # One report is read (and linted) at a time: the Markdown reader and the lint rules
        # build what they share (settings.cache) on first use.
        self.lock = threading.Lock()

    def warm_up(self) -> None:
        """Build what lint needs for every audience now, so the first request is fast."""
        for audience in self.settings.audiences:
            self.lint({"text": "You read with Jamie every night.", "audience": audience})

    def lint(self, body: dict) -> dict:
        text = _text(body)
        audience = body.get("audience") or None
        if audience is not None and audience not in self.settings.audiences:
            raise BadRequest(f"audience must be one of {', '.join(self.settings.audiences)}")
        try:
            with self.lock:
                result = lint_text(text, self.settings, self._name, audience)
        except InputError as exc:
            return {"findings": [], "metrics": None, "error": error(exc)}
        m = result.metrics
        return {
            "findings": [{**f.as_dict(), "link": f.link or None} for f in result.findings],
            "metrics": {"reading_age": m.get("reading_age"),
                        "reading_age_limit": self.settings.audiences[result.audience]["max_reading_age"],
                        "second_person_ratio": m.get("second_person_ratio"), "words": m.get("words"),
                        "audience": result.audience},
            "error": None,
        }

    def recipients(self, body: dict) -> dict:
        try:
            with self.lock:
                meta = parse_text(_text(body), self._name).meta
        except InputError as exc:
            return {"recipients": [], "error": error(exc)}
        people = [{"id": p.id, "label": f"{p.name} ({p.id})"} for p in meta.people + meta.children]
        return {"recipients": [{"id": "professionals", "label": "Professionals"}, *people,
                               {"id": "chair", "label": "The chair"}], "error": None}

    def preview(self, body: dict) -> dict:
        text, recipient_id = _text(body), _word(body, "recipient")
        try:
            with self.lock:
                doc = parse_text(text, self._name)
                recipient = resolve(doc.meta, recipient_id, doc.path)
                try:
                    copy = make_copy(doc, recipient, self.settings.removed_marker)
                except WithheldInFull:
                    return {"html": f"<p>{withheld('this whole report (withhold_from in the front matter)')}</p>",
                            "error": None}
            fields = template_fields(copy.meta, recipient, self.settings.title(doc.meta.kind)) if doc.meta.kind \
                else None
            return {"html": copy_html(doc, copy, fields), "error": None}
        except InputError as exc:
            return {"html": None, "error": error(exc)}

    def import_file(self, name: str, data: bytes) -> dict:
        """A .docx through the importer, or a .md file as it is."""
        answer: dict = {"text": None, "messages": [], "changes": [], "error": None}
        try:
            suffix = Path(name).suffix.lower()
            if suffix == ".docx":
                result = import_docx_bytes(data, name, self.settings)
                answer.update(text=result.markdown, messages=result.messages,
                              changes=[c.as_dict() for c in result.changes])
            elif suffix in (".md", ".markdown"):
                answer["text"] = _markdown(data, name)
            else:
                raise InputError("is not a .docx or .md file; open a Word report or a Markdown report", name)
        except UnresolvedChanges as exc:
            answer["changes"] = [c.as_dict() for c in exc.changes]
            answer["error"] = {"line": None, "message": f"this file has {counted(exc.changes)} (listed below), which "
                               "confpack never accepts silently; accept or reject them in Word (Review > Accept, "
                               "Reject), save it and open it again"}
        except InputError as exc:
            answer["error"] = {**error(exc), "message": f"this file {exc.message}" if exc.path else exc.message}
        return answer

    def download(self, body: dict) -> tuple[int, dict | tuple[bytes, str, str]]:
        """(200, (file bytes, file name, media type)) or (422, {"error"}): the recipient's copy
        made exactly as ``confpack render`` makes it (verified, and logged)."""
        text, recipient, kind = _text(body), body.get("recipient"), body.get("format")
        if kind not in MEDIA_TYPES:
            raise BadRequest("format must be docx or pdf")
        if not recipient or not isinstance(recipient, str):
            return 422, {"error": {"line": None, "message": "choose whose copy it is (Recipient) first"}}
        source = self.snapshot(text)
        out = self.workspace.folder("download")
        try:
            try:
                with self.lock:
                    doc = parse_text(text, str(self.workspace.report_path))
            except InputError as exc:
                return 422, {"error": error(exc)}
            run = render_documents([Job(doc, recipient, source)], self.settings,
                                   Output(out, pdf=kind == "pdf", log=self.workspace.log))
            if run.errors:
                return 422, {"error": error(run.errors[0])}
            rendered = run.rendered[0] if run.rendered else None
            made = (rendered.docx if kind == "docx" else rendered.pdf) if rendered else None
            if made is None:
                if rendered:    # the Word file was made but no PDF: LibreOffice is missing
                    message = f"LibreOffice is needed for PDFs ({PACKAGE_HINT}); the Word file can still be downloaded"
                else:           # nothing of it may reach this recipient
                    message = "; ".join(run.notes) or "no file was made"
                return 422, {"error": {"line": None, "message": message}}
            return 200, (made.read_bytes(), made.name, MEDIA_TYPES[kind])
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def snapshot(self, text: str) -> Path:
        """The text as rendered, kept until the server stops: the distribution log records
        its path and SHA-256."""
        path = self.workspace.file("sources", f"{dt.datetime.now():%Y%m%d-%H%M%S}-{REPORT_NAME}")
        path.write_text(text, encoding="utf-8")
        return path

    @property
    def _name(self) -> str:
        return str(self.workspace.report_path)


def _text(body: dict) -> str:
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise BadRequest("send the report as {\"text\": \"…\"}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _word(body: dict, key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"send '{key}' as a string")
    return value


def _markdown(data: bytes, name: str) -> str:
    """An uploaded Markdown file as text, refused clearly when it is not UTF-8 text."""
    if len(data) > MAX_BYTES:
        raise InputError(f"is over {MAX_BYTES // 1_000_000} MB; reports that large are refused", name)
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not Markdown text", name)
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("is not UTF-8 text; save it as UTF-8", name, data[:exc.start].count(b"\n") + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
