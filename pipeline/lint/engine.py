"""Run every rule over a parsed document and collect findings and metrics."""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..document.parser import parse_file, parse_text
from ..document.tree import Document
from ..errors import InputError
from . import grammar, jargon, readability, restorative, spelling, structure, voice
from .findings import SEVERITY_RANK, Context, Finding
from .matching import match_units, shared_matcher
from .text import units_of

_DIRECTIVE = re.compile(r"<!--\s*confpack-(disable|enable)\b([^>]*?)-->")
# Where two findings cover the same words, the more specific family wins.
_PRIORITY = {"restorative": 0, "voice": 1, "jargon": 2, "readability": 3, "grammar": 4, "spelling": 4,
             "readability.uncommon-word": 5}   # a misspelling is not also an uncommon word


@dataclass
class FileResult:
    path: str
    metrics: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    audience: str = "family"

    def worst(self) -> int:
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)


def resolve_audience(doc: Document, settings: Settings, override: str | None) -> str:
    """--audience, else the front matter's audience, else the project's, else the kind's, else family."""
    kind_spec = settings.structure.get(doc.meta.kind or "", {})
    audience = override or doc.meta.audience or settings.audience or kind_spec.get("audience") or "family"
    if audience not in settings.audiences:
        raise InputError(f"unknown audience '{audience}'; use one of {', '.join(settings.audiences)}", doc.path)
    return audience


def lint_document(doc: Document, settings: Settings, audience: str | None = None) -> FileResult:
    """Lint a parsed document with the given settings."""
    with _no_gc():
        return _lint(doc, settings, audience)


@contextmanager
def _no_gc():
    """Pause the cyclic garbage collector: linting makes many short-lived, acyclic objects,
    and collection passes over a large document's tree made the cost grow faster than its length."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lint(doc: Document, settings: Settings, audience: str | None) -> FileResult:
    aud = resolve_audience(doc, settings, audience)
    units, sections = units_of(doc, frozenset(settings.readability["abbreviations"]))
    ctx = Context(doc, settings, aud, units, sections,
                  own_words=doc.meta.kind in settings.grammar.get("own_words_kinds", ()))
    grammar_done = grammar.begin(ctx)   # Harper lints on another thread while the rules below run
    ctx.matches = match_units(units, shared_matcher(settings, aud))
    structure.check(ctx)
    restorative.check(ctx)
    voice.check(ctx)
    jargon.check(ctx)
    readability.check(ctx)
    spelling.check(ctx)
    grammar_done()
    findings = _suppress(_dedupe(ctx.findings), _directives(doc))
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return FileResult(doc.path, ctx.metrics, findings, ctx.notes, aud)


def lint_text(source: str, settings: Settings, path: str = "<text>", audience: str | None = None) -> FileResult:
    """Parse and lint Markdown text (the API behind ``confpack lint``)."""
    with _no_gc():
        return _lint(parse_text(source, path), settings, audience)


def lint_file(path: str | Path, settings: Settings, audience: str | None = None) -> FileResult:
    """Parse and lint one file."""
    with _no_gc():
        return _lint(parse_file(path), settings, audience)


def _rank(f: Finding) -> int:
    return _PRIORITY.get(f.rule, _PRIORITY.get(f.rule.split(".")[0], 9))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop a word-level finding whose span lies inside a higher-priority finding's span of at
    least its severity (a suggestion never hides a warning)."""
    kept: list[Finding] = []
    by_line: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=_rank):
        if f.match and any(_rank(k) < _rank(f) and SEVERITY_RANK[k.severity] >= SEVERITY_RANK[f.severity]
                           and (k.line, k.column) <= (f.line, f.column)
                           and (f.end_line, f.end_column) <= (k.end_line, k.end_column)
                           for k in by_line.get(f.line, ())):
            continue
        kept.append(f)
        if f.match and not f.rule.startswith("readability."):  # sentence-wide findings hide nothing
            for line in range(f.line, f.end_line + 1):
                by_line.setdefault(line, []).append(f)
    return kept


def _directives(doc: Document) -> list[tuple[int, str, list[str]]]:
    out = []
    for tree in [doc.root, *doc.footnotes.values()]:
        for node in tree.walk():
            if node.type in ("comment", "comment_inline"):
                for m in _DIRECTIVE.finditer(node.text):
                    line = node.line + node.text[: m.start()].count("\n")
                    out.append((line, m.group(1), m.group(2).split()))
    return sorted(out, key=lambda d: d[0])


def _suppress(findings: list[Finding], directives) -> list[Finding]:
    """Apply <!-- confpack-disable RULES --> … <!-- confpack-enable [RULES] --> ranges."""
    if not directives:
        return findings
    kept = []
    for f in findings:
        disabled: set[str] = set()
        for line, action, rules in directives:
            if line > f.line:
                break
            names = set(rules) or {"*"}
            if action == "disable":
                disabled |= names
            else:
                disabled = set() if not rules else disabled - names
        if not any(d == "*" or f.rule == d or f.rule.startswith(d + ".") for d in disabled):
            kept.append(f)
    return kept
