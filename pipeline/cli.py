"""The ``confpack`` command: thin click wrappers over the Python API."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class _Group(click.Group):
    """Turns anything that escapes a command into one line and exit code 2 (never 1, which
    means findings); ``--debug`` shows the traceback of an unexpected failure."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.secho(str(exc), fg="red", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug") or ctx.obj and ctx.obj.get("debug"):
                raise
            name = ctx.invoked_subcommand or "run"
            click.secho(f"confpack could not {name}: {type(exc).__name__}: {exc}; run again with --debug for "
                        "details", fg="red", err=True)
            sys.exit(EXIT_INPUT)


@click.group(cls=_Group)
@click.version_option(package_name="confpack")
@click.option("--debug", is_flag=True, help="Show the full traceback when something unexpected goes wrong.")
@click.pass_context
def main(ctx, debug) -> None:
    """Family-friendly child protection conference documents: lint, render, redact, pack."""
    ctx.obj = {"debug": debug}


def _config_option(command):
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
                        help="Use this settings file (.confpack.toml) instead of the one found above the input.")(
        command)


def _settings(start, config_file):
    """The run's settings: --config, else the project file above ``start``, else the shipped ones."""
    from .config import settings_for

    return settings_for(Path(start) if start else None, Path(config_file) if config_file else None)


def _markdown_files(paths: tuple[str, ...], errors: list[dict]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*.md")
                           if not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                errors.append({"path": raw, "line": None, "message": "folder holds no .md files"})
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append({"path": raw, "line": None, "message": "no such file or folder; check the path"})
    return files


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--audience", type=click.Choice(["family", "child", "professional"]),
              help="Who will read it (default: from the front matter or the document kind).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "suggestion"]), default="error", show_default=True,
              help="Exit 1 when a finding at or above this level is found.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Use this .confpack.toml instead of searching above each file.")
def lint(paths, audience, fmt, fail_on, config_file):
    """Check reports for jargon, voice, readability, blaming words and missing sections.

    Exit codes: 0 clean (or only findings below --fail-on), 1 findings at or above it,
    2 a file or option could not be used (the other files are still checked).
    """
    from .common.projectfile import grammar_wanted
    from .lint import grammar

    errors: list[dict] = []
    results = []
    by_config: dict = {}   # one Settings per project settings file in this run

    def settings_of(path: Path):
        config = Path(config_file) if config_file else find_project_config(path)
        if config not in by_config:
            by_config[config] = load_settings(config)
            grammar.prefetch(by_config[config])   # Harper builds its dictionary while we parse
        return by_config[config]

    files = _markdown_files(paths, errors)
    if files and grammar_wanted(files[0], Path(config_file) if config_file else None):
        grammar.prefetch()   # Harper builds its dictionary (a second) while everything else loads
    from .config import find_project_config, load_settings
    from .lint import lint_file
    from .lint.findings import SEVERITY_RANK
    from .lint.formats import as_json, as_sarif, as_text

    for path in files:
        try:
            results.append(lint_file(path, settings_of(path), audience))
        except InputError as exc:
            errors.append({"path": exc.path or str(path), "line": exc.line, "message": exc.message})
    if fmt == "json":
        click.echo(as_json(results, errors))
    elif fmt == "sarif":
        rules = next(iter(by_config.values())).rules if by_config else settings_of(Path.cwd()).rules
        click.echo(as_sarif(results, errors, rules))
    else:
        text = as_text(results, errors, colour=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        if text:
            click.echo(text)
    for note in dict.fromkeys(n for r in results for n in r.notes):
        click.secho(f"note: {note}", err=True, dim=True)
    if errors:
        sys.exit(EXIT_INPUT)
    threshold = SEVERITY_RANK[fail_on]
    sys.exit(EXIT_FINDINGS if any(r.worst() >= threshold for r in results) else EXIT_OK)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_config_option
def rules(fmt, config_file):
    """List every lint rule with its id, level and message (as your settings set them)."""
    import json

    catalogue = _settings(Path.cwd(), config_file).rules
    if fmt == "json":
        click.echo(json.dumps(catalogue, indent=2))
        return
    width = max(map(len, catalogue))
    for rid, spec in catalogue.items():
        click.echo(f"{rid:<{width}}  {spec['level']:<10}  {spec['message']}")


@main.command()
@click.argument("term")
@_config_option
def explain(term, config_file):
    """Show the glossary entry for TERM: its plain alternative and what it means."""
    from .lint.glossary import glossary_of

    glossary = glossary_of(_settings(Path.cwd(), config_file))
    found = glossary.lookup(term)
    if not found:
        click.echo(f"'{term}' is not in the glossary. Add it to a file in glossary/ (see README).", err=True)
        sys.exit(EXIT_FINDINGS)
    for t in found[:5]:
        forms = ", ".join(t.forms)
        click.echo(f"{t.term} ({t.kind}; also: {forms})\n  say instead: {t.plain}\n  means: {t.explain}\n"
                   f"  flagged for: {', '.join(t.audiences)}\n  rule: {t.rule}")
        for sid in t.sources:
            src = glossary.sources.get(sid)
            if src:
                click.echo(f"  source: {src.get('title', sid)} {src.get('url', '')}")


@main.command()
@click.argument("kind")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write to this file instead of printing.")
@_config_option
def new(kind, out_file, config_file):
    """Print (or write) a Markdown skeleton for KIND with front matter, headings and prompts."""
    from .common.files import write_text
    from .document.skeleton import skeleton

    start = Path(out_file).resolve().parent if out_file else Path.cwd()
    text = skeleton(kind, _settings(start, config_file).structure)
    if not out_file:
        click.echo(text, nl=False)
        return
    target = Path(out_file)
    if target.exists():
        raise InputError("already exists; choose another name so nothing is overwritten", out_file)
    write_text(target, text)
    click.echo(f"wrote {target}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--for", "recipient", required=True,
              help="Who the copy is for: a person or child id from the front matter, professionals or chair.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the files.")
@click.option("--pdf", is_flag=True, help="Also make a PDF of each document with LibreOffice.")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="A folder of the council's own templates (default: the bundled ones).")
@click.option("--marker", default=None, help='What replaces removed text (default "[removed]"; or set '
              'removed_marker in .confpack.toml).')
@click.option("--log", "log_path", type=click.Path(dir_okay=False),
              help="The distribution log (default: OUT/distribution-log.sqlite).")
@_config_option
def render(paths, recipient, out_dir, pdf, template_dir, marker, log_path, config_file):
    """Merge reports into their Word templates (and PDF): the copy RECIPIENT may see.

    Everything RECIPIENT may not see is removed, and every file is checked for withheld
    information before it is written.  Exit codes: 0 all written, 2 a report could not be
    rendered safely (nothing is written for it; the other reports still are).
    """
    from .render.jobs import Output, render_files

    errors: list[dict] = []
    files = _markdown_files(paths, errors)
    settings = _settings(files[0] if files else Path.cwd(), config_file)
    if marker is not None:
        settings.removed_marker = marker
    run = render_files(files, recipient, settings, Output(Path(out_dir), pdf, Path(template_dir) if template_dir
                                                          else None, log=Path(log_path) if log_path else None,
                                                          pdf_processes=_pdf_processes()))
    for item in run.rendered:
        click.echo(f"wrote {item.docx}" + (f" and {item.pdf.name}" if item.pdf else ""))
    for note in run.notes:
        click.secho(f"note: {note}", err=True, fg="yellow")
    for exc in run.errors:
        click.secho(str(exc), err=True, fg="red")
    for e in errors:
        click.secho(f"{e['path']}: error: {e['message']}", err=True, fg="red")
    sys.exit(EXIT_INPUT if run.errors or errors else EXIT_OK)


@main.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--source", "sources", required=True, multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="The Markdown report the files were made from; repeat it to add the conference's other "
                   "reports, whose private details protect this one too.")
@click.option("--for", "recipient", required=True, help="Whose copy the files are.")
@_config_option
def verify(outputs, sources, recipient, config_file):
    """Check DOCX/PDF files for anything RECIPIENT must not see (exit 1 if found)."""
    import zipfile

    from .document.parser import parse_file
    from .redact.audience import resolve
    from .redact.filter import WithheldInFull
    from .redact.verify import scan
    from .render.jobs import conference_secrets, recipient_view

    docs = [parse_file(source) for source in sources]
    secrets, unreadable = conference_secrets(docs)
    if unreadable:
        raise unreadable[0][1]
    doc = docs[0]
    try:
        settings = _settings(sources[0], config_file)
        _, _, items = recipient_view(doc, resolve(doc.meta, recipient, doc.path), settings, extra=secrets)
    except WithheldInFull:
        click.secho(f"LEAK the whole of {doc.path} is withheld from {recipient}: no file made from it may reach "
                    "them", fg="red")
        sys.exit(EXIT_FINDINGS)
    leaks = []
    for output in outputs:
        try:
            leaks += scan(Path(output), items)
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise InputError(f"cannot be read as a DOCX or PDF ({type(exc).__name__}); check the file", output)
        except Exception as exc:
            if type(exc).__module__.startswith("pypdf"):
                raise InputError(f"cannot be read as a PDF ({type(exc).__name__}); check the file", output)
            raise
    for leak in leaks:
        click.secho(f"LEAK {leak}", fg="red")
    if leaks:
        sys.exit(EXIT_FINDINGS)
    click.echo(f"ok: {len(outputs)} file(s) hold nothing withheld from {recipient} ({len(items)} checks)")


@main.command("log")
@click.argument("where", default=".", type=click.Path())
def show_log(where):
    """Print the distribution log (a folder holding distribution-log.sqlite, or the file)."""
    import json

    from .redact.audit import LOG_NAME, rows

    path = Path(where)
    path = path / LOG_NAME if path.is_dir() else path
    entries = rows(path)
    if not entries:
        click.echo(f"no distribution log at {path}")
        return
    click.echo(f"{'time':<25} {'recipient':<14} {'withheld':<28} {'source':<40} outputs")
    for e in entries:
        outputs = ", ".join(Path(o["file"]).name for o in json.loads(e["outputs"]))
        by_rule = ", ".join(f"{k} {v}" for k, v in json.loads(e["withheld_by_rule"]).items()) or "none"
        click.echo(f"{e['time']:<25} {e['recipient']:<14} {by_rule:<28} {Path(e['source']).name:<40} {outputs}")


def _chair_options(command):
    """Options shared by the chair's commands (minutes, plan, letter)."""
    for option in reversed([
        click.argument("notes", type=click.Path(exists=True, dir_okay=False)),
        click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the files."),
        click.option("--pdf", is_flag=True, help="Also make PDFs with LibreOffice."),
        click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
                     help="The date to print and to check lateness against (default: today)."),
        click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
                     help="A folder of the council's own templates."),
        click.option("--log", "log_path", type=click.Path(dir_okay=False),
                     help="The distribution log (default: OUT/distribution-log.sqlite)."),
        _config_option,
    ]):
        command = option(command)
    return command


def _pdf_processes() -> int:
    """LibreOffice runs at once for one command's PDFs: two where there are two processors."""
    return min(2, os.cpu_count() or 1)


def _run_chair(document, opts, recipients=(), children=(), allow_reading_age=False):
    """Make the chair's documents from the notes, print what was made, exit with its code."""
    from .chair.documents import Wanted, default_recipients, everything, load_notes, produce
    from .render.jobs import Output

    settings = _settings(opts["notes"], opts["config_file"])
    checked = load_notes(Path(opts["notes"]), settings)
    if document is None:
        wanted = everything(checked.doc.meta, list(children))
    else:
        if not recipients and not children:
            recipients = default_recipients(checked.doc.meta, document)
        wanted = [Wanted(document, r) for r in recipients] + [Wanted(document, c, True) for c in children]
    output = Output(Path(opts["out_dir"]), opts["pdf"], Path(opts["template_dir"]) if opts["template_dir"] else None,
                    opts["today"].date() if opts["today"] else None,
                    Path(opts["log_path"]) if opts["log_path"] else None, _pdf_processes())
    result = produce(checked, wanted, settings, output, allow_reading_age)
    _print_chair(result, settings)
    sys.exit(EXIT_INPUT if result.run.errors else EXIT_FINDINGS if result.refused else EXIT_OK)


def _print_chair(result, settings) -> None:
    from .common.dates import long_date

    for item in result.run.rendered:
        click.echo(f"wrote {item.docx}" + (f" and {item.pdf.name}" if item.pdf else ""))
    for rid, lint in result.lint.items():
        limit = settings.audiences[lint.audience]["max_reading_age"]
        problems = [f for f in lint.findings if f.severity == "error"]
        click.echo(f"letter for {rid}: reading age {lint.metrics.get('reading_age')} (at most {limit:g})" +
                   (f", {len(problems)} lint error(s):" if problems else ""))
        for f in problems:
            click.secho(f"  {f.rule}: {f.message} ('{f.match}')", fg="yellow", err=True)
    d = result.dates
    click.echo(f"dates: letter due {long_date(d.letter_due)}; minutes due {long_date(d.minutes_due)}" +
               (f"; first core group by {long_date(d.core_group_by)}" if d.core_group_by else "") +
               (f"; review conference by {long_date(d.review_by)}" if d.review_by else ""))
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for refused in result.refused:
        click.secho(f"refused: {refused}; or run again with --allow-reading-age (recorded in the distribution log)",
                    fg="red", err=True)
    for note in result.run.notes:
        click.secho(f"note: {note}", err=True, fg="yellow")
    for exc in result.run.errors:
        click.secho(str(exc), err=True, fg="red")


@main.command()
@_chair_options
@click.option("--for", "recipients", multiple=True,
              help="Whose copy (repeatable; default: professionals and each parent or carer).")
def minutes(recipients, **opts):
    """Make the conference minutes from the chair's NOTES (a professional and a family copy).

    Warns when the minutes are already late.  Exit codes: 0 written, 2 the notes need fixing
    (every problem is listed with its line) or a copy could not be made safely."""
    _run_chair("minutes", opts, recipients)


@main.command()
@_chair_options
@click.option("--for", "recipients", multiple=True,
              help="Whose copy (repeatable; default: professionals and each parent or carer).")
def plan(recipients, **opts):
    """Make the outline child protection plan (who does what by when, contingency) from NOTES."""
    _run_chair("plan", opts, recipients)


@main.command()
@_chair_options
@click.option("--for", "recipients", multiple=True, help="A parent or carer id (repeatable; default: each of them).")
@click.option("--child", "children", multiple=True, help="Also make the version for this child (repeatable).")
@click.option("--allow-reading-age", is_flag=True,
              help="Write a child's letter even over the child's reading age (recorded in the distribution log).")
def letter(recipients, children, allow_reading_age, **opts):
    """Make the post-conference letter to each parent (and with --child, a child's version).

    Each letter is linted against the family (or child) reading age, and its reading age
    printed.  Exit codes: 0 written; 1 a child's letter was over the child's reading age and
    not written (the sentences to simplify are listed); 2 the notes or settings need fixing
    (a letter that would still talk about its reader, or missing contacts)."""
    _run_chair("letter", opts, recipients, children, allow_reading_age)


@main.command("after-conference")
@_chair_options
@click.option("--child", "children", multiple=True, help="Also make the letter for this child (repeatable).")
@click.option("--allow-reading-age", is_flag=True,
              help="Write a child's letter even over the child's reading age (recorded in the distribution log).")
def after_conference(children, allow_reading_age, **opts):
    """Make every document from the chair's NOTES in one run: minutes and plan (professionals
    and each parent), a letter to each parent, and with --child a letter for that child.
    Exit codes as for 'confpack letter'."""
    _run_chair(None, opts, children=children, allow_reading_age=allow_reading_age)


@main.command()
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder for the packs (not needed with --dry-run).")
@click.option("--pdf", is_flag=True, help="Also make one combined PDF per recipient (bookmarks, page numbers, passwords).")
@click.option("--jobs", type=click.IntRange(1, 32), default=min(4, os.cpu_count() or 1), show_default=True,
              help="Conferences made in parallel.")
@click.option("--dry-run", is_flag=True, help="Check the manifest and run the pre-flight checks; write nothing.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The date letters carry (default: today).")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="A folder of the council's own templates (and leaflets/).")
@click.option("--marker", default=None, help="What replaces removed text (default: removed_marker in the settings).")
@_config_option
def pack(manifest, out_dir, pdf, jobs, dry_run, today, template_dir, marker, config_file):
    """Make every conference's packs: for each invited person their invitation, the agenda,
    the reports they may see (redacted for them) and the leaflet.

    Exit codes: 0 every conference made (or unchanged), 1 a conference was blocked or
    failed (the reason is in the summary; the others are still made), 2 the manifest has
    problems (all listed; nothing is made)."""
    from .pack.manifest import load_manifest
    from .pack.run import Options, run_pack

    if not out_dir and not dry_run:
        raise click.UsageError("give --out DIR (or --dry-run)")
    settings = _settings(manifest, config_file)
    if marker is not None:
        settings.removed_marker = marker
    loaded = load_manifest(Path(manifest))
    opts = Options(Path(out_dir) if out_dir else Path("."), pdf, Path(template_dir) if template_dir else None,
                   today.date() if today else None)
    with _pack_progress(len(loaded.conferences)) as progress:
        run = run_pack(loaded, opts, settings, jobs, dry_run, progress)
    _print_pack(run, opts, dry_run)
    sys.exit(EXIT_FINDINGS if run.failed else EXIT_OK)


class _pack_progress:
    """A progress bar on a terminal, else one line per conference on stderr."""

    def __init__(self, total: int):
        self.bar = click.progressbar(length=total, label="packs", file=sys.stderr) if sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
        return self.update

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def update(self, result, done, total) -> None:
        if self.bar is not None:
            self.bar.update(1)
            return
        click.echo(f"[{done}/{total}] {result.conference}: {result.status}"
                   + (f" ({result.packs_made} made, {result.packs_skipped} unchanged)"
                      if result.status in ("made", "unchanged") else
                      f": {result.reason}" if result.reason else ""), err=True)


def _print_pack(run, opts, dry_run: bool) -> None:
    for result in run.results:
        mark = {"made": "ok", "unchanged": "ok", "checked": "ok"}.get(result.status, result.status.upper())
        made = not dry_run and result.status in ("made", "unchanged")
        click.echo(f"{mark:<8} {result.conference}: {result.status}"
                   + (f", {result.packs_made} packs made, {result.packs_skipped} unchanged, "
                      f"{result.documents} distinct documents" if made else "")
                   + (f": {result.reason}" if result.reason else ""))
        for check in result.checks:
            if not check.blocks:
                click.echo(f"         {check.topic}: {check.message}")
    if not dry_run:
        click.echo(f"summary: {opts.out / 'summary.csv'} and summary.html; log: {opts.out / 'distribution-log.sqlite'}"
                   + (f"; generated passwords: {run.passwords_file} (send them separately)" if run.passwords_file
                      else ""))
    click.echo(f"{len(run.results)} conferences in {run.seconds:.1f} s")


@main.command("import")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("--kind", help="The kind of report, e.g. agency-report (default: from its title or headings).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False),
              help="Write the Markdown to this file instead of printing it.")
@click.option("--accept-changes", is_flag=True,
              help="Keep tracked insertions and drop tracked deletions and comments (by default they stop the "
                   "import and are listed).")
@_config_option
def import_report(report, kind, out_file, accept_changes, config_file):
    """Turn a Word report (.docx) into a confpack Markdown report: front matter filled in
    from what the file says, headings as the kind's sections, and a note for everything not
    carried over.  Tracked changes and comments are never accepted silently.

    Exit codes: 0 imported, 2 the file could not be imported (tracked changes and comments are listed)."""
    from .common.files import write_text
    from .importer import import_docx

    start = Path(out_file).resolve().parent if out_file else Path(report)
    result = import_docx(Path(report), _settings(start, config_file), kind, accept_changes)
    if out_file:
        target = Path(out_file)
        if target.exists():
            raise InputError("already exists; choose another name so nothing is overwritten", out_file)
        write_text(target, result.markdown)
        click.echo(f"wrote {target}")
    else:
        click.echo(result.markdown, nl=False)
    for message in result.messages:           # stderr, so stdout stays clean Markdown
        click.secho(f"note: {message}", err=True, fg="yellow")


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but this machine prints a warning; family data should stay here.")
@click.option("--no-browser", is_flag=True, help="Print the address to open, but do not open a browser.")
@_config_option
def serve(path, port, host, no_browser, config_file):
    """Open the editor in your browser: live lint, each recipient's preview, Word import and
    downloads.  PATH is the project folder (settings, pictures, distribution log); without
    it nothing is kept after the server stops.  Only this machine can reach it, and only with
    the address it prints (a new key each start)."""
    from .serve import serve as run

    run(Path(path) if path else None, _settings(path or Path.cwd(), config_file), host, port,
        open_browser=not no_browser)


@main.group()
def templates():
    """Check Word templates, for example after a council rebrands them."""


@templates.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", required=True, help="The kind of document the template is for (e.g. agency-report).")
def templates_check(file, kind):
    """Check a .docx template: it opens, has every placeholder KIND needs and no unknown ones."""
    from .render.templates import check_template

    problems = check_template(Path(file), kind)
    if not problems:
        click.echo(f"{file}: ok: a valid {kind} template")
        return
    for problem in problems:
        click.secho(f"{file}: error: {problem}", fg="red")
    sys.exit(EXIT_FINDINGS)


if __name__ == "__main__":
    main()
