"""``confpack pack``: every conference of a manifest, a pack for every invited person.

For each conference: pre-flight checks; then for each recipient their invitation, the
agenda, every report they may see (redacted for them) and the leaflet, each as DOCX, and
one combined PDF (bookmarks, pack page numbers, optional AES-256 password).  Each distinct
document is rendered and converted once (by content hash).  Every file is verified before
its pack folder is moved into place in one step, so a killed run leaves only complete
packs; a pack whose inputs are unchanged is skipped on the next run."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..common.files import write_text
from ..common.resources import data_dir
from ..config import Settings
from ..document.tree import Document
from ..errors import InputError
from ..lint.engine import lint_document
from ..lint.voice import third_person_left
from ..redact.audience import resolve
from ..redact.audit import LOG_NAME, record
from ..redact.filter import WithheldInFull
from ..redact.private import secrets_of
from ..redact.verify import Forbidden, scan
from ..render import pdf as pdfmod
from ..render.jobs import expected_text, recipient_view, refuse_leaks, write_view
from .combine import combine, encrypt, generate_password
from .documents import agenda, delivery_secrets, invitation, leaflet
from .manifest import Conference, Invitee, Manifest, household
from .preflight import Check, Preflight, preflight

STATE = ".confpack"          # OUT/.confpack/CONFERENCE/RECIPIENT.json: what each pack was made from
PASSWORDS = "passwords.csv"
FIELDS = ["conference", "date", "type", "status", "recipient", "name", "delivery", "document", "lint",
          "timescales", "verification", "output"]


@dataclass
class Options:
    out: Path
    make_pdf: bool = False
    template_dir: Path | None = None
    today: dt.date | None = None


@dataclass
class ConferenceResult:
    conference: str
    status: str                     # made | unchanged | blocked | failed | checked
    reason: str = ""
    checks: list[Check] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    records: list[tuple[str, str, list[str], dict]] = field(default_factory=list)   # for the distribution log
    packs_made: int = 0
    packs_skipped: int = 0
    documents: int = 0              # distinct documents rendered
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class PackRun:
    results: list[ConferenceResult]
    passwords_file: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(r.status in ("blocked", "failed") for r in self.results)


# -- one document in one pack ----------------------------------------------------------------
@dataclass
class _Part:
    name: str                       # file name in the pack, without extension: "03-agency-report"
    title: str                      # its bookmark ("" until the recipient's copy names it)
    doc: Document
    redaction: str                  # whose copy: a family id or "professionals"
    addressee: tuple[str, str] | None
    source: Path
    household: tuple[str, ...] = ()  # others at the address the pack goes to
    lint: str = ""
    key: str = ""                   # content hash of the rendered copy


@dataclass
class _Rendered:
    docx: Path
    expected: list[str]
    items: list[Forbidden]
    counts: dict
    pdf: Path | None = None


def run_pack(manifest: Manifest, opts: Options, settings: Settings, jobs: int = 1, dry_run: bool = False,
             progress: Callable[[ConferenceResult, int, int], None] | None = None) -> PackRun:
    """Make (or with ``dry_run`` only check) every conference's packs."""
    start = time.perf_counter()
    if manifest.council:   # the manifest names this week's council
        settings = dataclasses.replace(settings, council={**settings.council, "name": manifest.council}, cache={})
    if dry_run:
        results = []
        for i, conf in enumerate(manifest.conferences, 1):
            pf = preflight(conf, manifest, settings)
            result = ConferenceResult(conf.id, "blocked" if pf.blocked else "checked", _reason(pf), pf.checks)
            results.append(result)
            if progress:
                progress(result, i, len(manifest.conferences))
        return PackRun(results, seconds=time.perf_counter() - start)
    if opts.make_pdf:
        try:
            pdfmod.find_soffice()
        except pdfmod.LibreOfficeMissing:
            raise InputError(f"--pdf needs LibreOffice, which was not found on PATH: {pdfmod.PACKAGE_HINT} "
                             "(or run without --pdf for DOCX packs)") from None
    opts.out.mkdir(parents=True, exist_ok=True)
    for stale in opts.out.glob(".work-*"):
        shutil.rmtree(stale, ignore_errors=True)   # left by a run that was killed
    passwords = _passwords(manifest, opts.out)
    env = _environment_hash(opts, settings)
    chunks = _chunks(manifest.conferences, jobs)
    results: list[ConferenceResult] = []
    total = len(manifest.conferences)
    args = [(manifest, [c.id for c in chunk], opts, settings, passwords, env) for chunk in chunks]
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            stream: Iterator[list[ConferenceResult]] = pool.map(_pack_chunk, *zip(*args))
            for chunk_results in stream:
                _collect(chunk_results, results, total, opts, progress)
    else:
        for arg in args:
            _collect(_pack_chunk(*arg), results, total, opts, progress)
    order = {c.id: i for i, c in enumerate(manifest.conferences)}
    results.sort(key=lambda r: order[r.conference])
    run = PackRun(results, opts.out / PASSWORDS if (opts.out / PASSWORDS).exists() else None,
                  time.perf_counter() - start)
    write_summary(run, manifest, opts.out)
    return run


def _collect(chunk_results, results, total, opts, progress) -> None:
    log = opts.out / LOG_NAME
    for result in chunk_results:
        for source, recipient, outputs, counts in result.records:
            record(log, Path(source), recipient, [Path(o) for o in outputs], counts)
        results.append(result)
        if progress:
            progress(result, len(results), total)


def _reason(pf: Preflight) -> str:
    return "; ".join(c.message for c in pf.checks if c.blocks)


def _chunks(conferences: list[Conference], jobs: int) -> list[list[Conference]]:
    """Groups of up to five conferences: each group's documents go through one LibreOffice run."""
    size = max(1, min(5, -(-len(conferences) // max(1, jobs * 2))))
    return [conferences[i:i + size] for i in range(0, len(conferences), size)]


def _passwords(manifest: Manifest, out: Path) -> dict[tuple[str, str], str]:
    """Each recipient's PDF password: from the manifest, or generated once and kept in
    OUT/passwords.csv (for the admin, outside every pack) so reruns reuse it."""
    path = out / PASSWORDS
    known: dict[tuple[str, str], str] = {}
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                known[(row["conference"], row["recipient"])] = row["password"]
    wanted: dict[tuple[str, str], str] = {}
    rows = []
    for conf in manifest.conferences:
        for who in conf.recipients:
            password = who.delivery.password
            if not password:
                continue
            key = (conf.id, who.id)
            if password == "generate":
                password = known.get(key) or generate_password()
                rows.append({"conference": conf.id, "recipient": who.id, "name": who.name, "password": password})
            wanted[key] = password
    if rows:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ["conference", "recipient", "name", "password"])
        writer.writeheader()
        writer.writerows(rows)
        write_text(path, buffer.getvalue(), mode=0o600)
    return wanted


def _environment_hash(opts: Options, settings: Settings) -> str:
    """Everything besides the manifest and reports that shapes a pack, by content: confpack's
    own code, the templates and leaflets, every setting and data file (:meth:`Settings.digest`)
    and the options."""
    digest = hashlib.sha256(settings.digest().encode())
    code = Path(__file__).resolve().parent.parent
    for folder in (code, opts.template_dir or data_dir("templates")):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file() and path.suffix in (".py", ".gz", ".docx", ".md", ".yml", ".yaml", ".toml"):
                digest.update(str(path.relative_to(folder) if folder.is_dir() else path.name).encode())
                digest.update(path.read_bytes())
    digest.update(repr((opts.make_pdf, opts.today)).encode())
    return digest.hexdigest()


# -- the work for a group of conferences (in a worker process when --jobs > 1) ------------------
def _pack_chunk(manifest: Manifest, ids: list[str], opts: Options, settings: Settings, passwords: dict,
                env: str) -> list[ConferenceResult]:
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=opts.out))
    try:
        staged = []
        results = []
        for conf in (c for c in manifest.conferences if c.id in ids):
            try:
                result, plan = _render_conference(conf, manifest, settings, opts, passwords, env, work)
            except Exception as exc:   # one conference's failure must not stop the others
                result, plan = ConferenceResult(conf.id, "failed", _failure(exc)), None
            results.append(result)
            if plan:
                staged.append((result, plan))
        if opts.make_pdf:
            _convert(staged, work)
        for result, plan in staged:
            try:
                _assemble(result, plan, manifest, opts, passwords, work)
            except Exception as exc:   # nothing of a failed pack is moved into place
                result.status, result.reason = "failed", _failure(exc)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _failure(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    return f"could not be made ({type(exc).__name__}: {exc}); the other conferences were still made"


@dataclass
class _Plan:
    conf: Conference
    pf: Preflight
    packs: dict[str, list[_Part]]          # recipient id → parts, for the packs to (re)make
    rendered: dict[str, _Rendered]
    hashes: dict[str, str]


def _render_conference(conf: Conference, manifest: Manifest, settings: Settings, opts: Options,
                       passwords: dict, env: str, work: Path) -> tuple[ConferenceResult, _Plan | None]:
    pf = preflight(conf, manifest, settings)
    result = ConferenceResult(conf.id, "made", checks=pf.checks)
    if pf.blocked:
        result.status, result.reason = "blocked", _reason(pf)
        result.rows.append(_row(conf, pf, None, "blocked", document="-", verification="-", output=result.reason))
        return result, None
    secrets = delivery_secrets(conf, manifest)
    for doc in pf.reports:
        secrets += secrets_of(doc.meta, doc.path)
    base = _conference_hash(conf, pf, env)
    plan = _Plan(conf, pf, {}, {}, {})
    for who in conf.recipients:
        digest = hashlib.sha256(f"{base}|{who.id}|{passwords.get((conf.id, who.id), '')}".encode()).hexdigest()
        state = _state_file(opts.out, conf.id, who.id)
        if state.is_file() and (opts.out / conf.id / who.id).is_dir():
            try:
                saved = json.loads(state.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                saved = {}
            if saved.get("hash") == digest:
                result.packs_skipped += 1
                result.rows += [dict(r, status="unchanged") for r in saved.get("rows", [])]
                continue
        plan.hashes[who.id] = digest
        plan.packs[who.id] = _parts(conf, manifest, settings, pf, who, opts)
    if not plan.packs:
        result.status = "unchanged"
        return result, None
    timer = time.perf_counter()
    for rid, parts in plan.packs.items():
        kept = []
        for part in parts:
            recipient = resolve(part.doc.meta, part.redaction, part.doc.path, part.household)
            try:
                view = recipient_view(part.doc, recipient, settings, opts.today, part.addressee, secrets)
            except WithheldInFull:
                continue
            copy, fields, items = view
            if not copy.visible:
                continue   # nothing of it may reach them: no file, no bookmark, no trace
            kept.append(part)
            part.title = _title(part, copy, settings)
            part.key = hashlib.sha256(repr((part.doc.meta.kind, sorted(fields.items()), copy.blocks,
                                            sorted(copy.footnotes.items()))).encode()).hexdigest()[:24]
            if part.key in plan.rendered:
                continue
            dest = work / f"{conf.id}-{part.key}.docx"
            write_view(part.doc, view, dest, opts.template_dir)
            plan.rendered[part.key] = _Rendered(dest, expected_text(copy), items, copy.counts())
            result.documents += 1
        for number, part in enumerate(kept, 1):
            part.name = f"{number:02d}-{part.name}"
        plan.packs[rid] = kept
    result.timings["render"] = time.perf_counter() - timer
    return result, plan


def _title(part: _Part, copy, settings: Settings) -> str:
    """A document's bookmark, from what this recipient may see of it."""
    if part.title:
        return part.title
    meta = copy.meta
    title = meta.title or settings.structure.get(meta.kind, {}).get("title", meta.kind)
    if meta.author.agency and meta.kind != "child-report":
        title = f"{title}: {meta.author.agency}"
    return title


def _parts(conf: Conference, manifest: Manifest, settings: Settings, pf: Preflight, who: Invitee,
           opts: Options) -> list[_Part]:
    """What one recipient's pack may hold, in order (documents nothing of which may reach
    them are left out when their copies are made)."""
    professional = who.group == "professional"
    redaction = "professionals" if professional else who.id
    home = household(conf, who)
    addressee = (who.name, who.delivery.address if who.delivery.by == "post" else "")
    shared = None if professional else addressee    # professionals share one copy of each document
    invite = invitation(conf, manifest, settings, who)
    reader = invite.meta.person(who.id)
    left = third_person_left(invite.root.children, reader, settings.voice) if reader else []
    if left:   # the invitation's wording (letters.yml) must speak to its reader
        raise InputError(f"the invitation to {who.name} would talk about them, not to them: '{left[0][0]}'; "
                         "change the invitation wording in letters.yml", str(manifest.path), who.line)
    lint = lint_document(invite, settings, "child" if who.group == "child" else "family")
    errors = sum(f.severity == "error" for f in lint.findings)
    parts = [_Part("invitation", "Invitation", invite, redaction, addressee, manifest.path, home,
                   f"reading age {lint.metrics.get('reading_age')}" + (f", {errors} errors" if errors else ", ok")),
             _Part("agenda", "Agenda", agenda(conf, manifest, settings), redaction, shared, manifest.path, home, "-")]
    for doc in pf.reports:
        if who.group == "child" and not (doc.meta.kind == "child-report" and
                                         any(c.id == who.id for c in doc.meta.children)):
            continue
        parts.append(_Part(doc.meta.kind, "", doc, redaction, shared, Path(doc.path), home,
                           pf.lint.get(doc.path, "")))
    if not professional:
        reader = "children" if who.group == "child" else "parents"
        parts.append(_Part("leaflet", "Information leaflet", leaflet(conf, manifest, reader, settings, opts.template_dir),
                           redaction, addressee, manifest.path, home, "-"))
    return parts


def _conference_hash(conf: Conference, pf: Preflight, env: str) -> str:
    """The conference's manifest entry and every byte of its reports and their pictures."""
    digest = hashlib.sha256(env.encode())
    digest.update(repr(conf).encode())
    for doc in pf.reports:
        digest.update(doc.source.encode())
        for node in doc.root.walk():
            if node.type == "image":
                picture = Path(doc.path).parent / node.attrs.get("src", "")
                digest.update(picture.read_bytes() if picture.is_file() else b"missing")
    return digest.hexdigest()


def _state_file(out: Path, conference: str, recipient: str) -> Path:
    return out / STATE / conference / f"{recipient}.json"


def _convert(staged: list[tuple[ConferenceResult, _Plan]], work: Path) -> None:
    """One LibreOffice run for every distinct document of these conferences."""
    docs = [r.docx for _, plan in staged for r in plan.rendered.values()]
    if not docs:
        return
    start = time.perf_counter()
    made = pdfmod.convert(docs, work)
    seconds = time.perf_counter() - start
    for result, plan in staged:
        for rendered in plan.rendered.values():
            rendered.pdf = made.get(rendered.docx)
        result.timings["convert"] = seconds * len(plan.rendered) / len(docs)


def _assemble(result: ConferenceResult, plan: _Plan, manifest: Manifest, opts: Options, passwords: dict,
              work: Path) -> None:
    """Check each document's PDF once, build each recipient's folder in the work area, then
    move it into place in one rename."""
    _check_pdfs(result, plan, opts)
    for rid, parts in plan.packs.items():
        who = next(w for w in plan.conf.recipients if w.id == rid)
        folder = work / "packs" / plan.conf.id / rid
        folder.mkdir(parents=True)
        for part in parts:
            shutil.copyfile(plan.rendered[part.key].docx, folder / f"{part.name}.docx")
        combined = _combined_pdf(result, plan, who, parts, folder, work, passwords, manifest) if opts.make_pdf else None
        final = opts.out / plan.conf.id / rid
        rows = _record(result, plan, who, parts, final, combined, opts.out, bool(passwords.get((plan.conf.id, rid))))
        _move_into_place(folder, final, opts.out)
        write_text(_state_file(opts.out, plan.conf.id, rid), json.dumps({"hash": plan.hashes[rid], "rows": rows}))
        result.rows += rows
        result.packs_made += 1


def _check_pdfs(result: ConferenceResult, plan: _Plan, opts: Options) -> None:
    """Each distinct document's PDF holds what it must and nothing withheld (its DOCX was
    checked when it was written)."""
    if not opts.make_pdf:
        return
    start = time.perf_counter()
    sources = {part.key: part.source for parts in plan.packs.values() for part in parts}
    for key, rendered in plan.rendered.items():
        if key not in sources:
            continue
        if rendered.pdf is None:
            raise InputError("LibreOffice could not convert it to PDF; open the DOCX to check it", str(sources[key]))
        pdfmod.check_pdf(rendered.pdf, rendered.expected)
        refuse_leaks(scan(rendered.pdf, rendered.items), str(sources[key]))
    result.timings["verify"] = result.timings.get("verify", 0.0) + time.perf_counter() - start


def _combined_pdf(result: ConferenceResult, plan: _Plan, who: Invitee, parts: list[_Part], folder: Path,
                  work: Path, passwords: dict, manifest: Manifest) -> Path:
    """One PDF of the whole pack: bookmarks, page numbers, checked, then encrypted if asked."""
    timings, conf = result.timings, plan.conf
    start = time.perf_counter()
    combined = folder / f"{conf.id}-{who.id}-pack.pdf"
    plain = work / f"{conf.id}-{who.id}-plain.pdf"
    title = f"Conference pack for {who.name}: {', '.join(c.name for c in conf.children)}"
    combine([(part.title, plan.rendered[part.key].pdf) for part in parts], plain, title)
    timings["merge"] = timings.get("merge", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    every = sorted({i for part in parts for i in plan.rendered[part.key].items}, key=lambda f: (f.label, f.form))
    refuse_leaks(scan(plain, every), str(manifest.path))
    timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - start
    start = time.perf_counter()
    password = passwords.get((conf.id, who.id))
    if password:
        encrypt(plain, combined, password)
    else:
        os.replace(plain, combined)
    timings["merge"] += time.perf_counter() - start
    return combined


def _record(result: ConferenceResult, plan: _Plan, who: Invitee, parts: list[_Part], final: Path,
            combined: Path | None, out: Path, locked: bool) -> list[dict]:
    """The pack's summary rows, and its entries for the distribution log."""
    conf = plan.conf
    rows = []
    for part in parts:
        rendered = plan.rendered[part.key]
        target = final / f"{part.name}.docx"
        rows.append(_row(conf, plan.pf, who, "made", document=part.title, lint=part.lint,
                         verification=f"passed ({len(rendered.items)} checks)", output=str(target.relative_to(out))))
        outputs = [str(target)] + ([str(final / combined.name)] if combined else [])
        result.records.append((str(part.source), f"{conf.id}/{who.id}", outputs, rendered.counts))
    if combined:
        rows.append(_row(conf, plan.pf, who, "made", document="Combined PDF", verification="passed",
                         output=str((final / combined.name).relative_to(out)) +
                         (" (password protected)" if locked else "")))
    return rows


def _move_into_place(folder: Path, final: Path, out: Path) -> None:
    """Replace the old pack (if any) by the new one; at every moment there is either the
    complete old pack, no pack, or the complete new one."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=".work-old-", dir=out)) / "pack"
        os.replace(final, old)
    os.replace(folder, final)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def _row(conf: Conference, pf: Preflight, who: Invitee | None, status: str, **values) -> dict:
    delivery = ""
    if who is not None:
        d = who.delivery
        delivery = f"{d.by}: {d.email or d.address or 'MISSING'}" + (" (password)" if d.password else "")
    row = {"conference": conf.id, "date": conf.date.isoformat(), "type": conf.type, "status": status,
           "recipient": who.id if who else "-", "name": who.name if who else "-", "delivery": delivery,
           "document": "", "lint": "", "timescales": pf.timescale_summary(), "verification": "", "output": ""}
    row.update(values)
    return row


# -- the summary -------------------------------------------------------------------------------
def write_summary(run: PackRun, manifest: Manifest, out: Path) -> None:
    """OUT/summary.csv (every document, with its pack's status) and OUT/summary.html (one row
    per pack: made, made with warnings, not deliverable or failed, and why); see summary.py."""
    from .summary import write_summary as write

    write(run, manifest, out, FIELDS)
