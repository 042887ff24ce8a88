"""Write lint results as text (for people), JSON (for scripts) or SARIF 2.1.0 (for dashboards)."""
from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from .engine import FileResult

_COLOURS = {"error": "red", "warning": "yellow", "suggestion": "cyan"}


def as_text(results: list[FileResult], errors: list[dict], colour: bool = False) -> str:
    import click

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if colour else text

    out: list[str] = []
    for r in results:
        for f in r.findings:
            arrow = f" → {f.suggestions[0]}" if f.suggestions else ""
            out.append(f"{r.path}:{f.line}:{f.column} {style(f.severity, fg=_COLOURS[f.severity], bold=True)} "
                       f"{style(f.rule, dim=True)} {f.message}{arrow}")
        counts = {s: sum(1 for f in r.findings if f.severity == s) for s in _COLOURS}
        m = r.metrics
        age = m.get("reading_age")
        ratio = m.get("second_person_ratio")
        out.append(style(
            f"{r.path}: {counts['error']} errors, {counts['warning']} warnings, {counts['suggestion']} suggestions; "
            f"reading age {age if age is not None else 'n/a'} ({r.audience} reader), {m.get('words', 0)} words"
            + (f", {round(ratio * 100)}% second person" if ratio is not None else ""), bold=True))
    for e in errors:
        out.append(style(f"{e['path']}" + (f":{e['line']}" if e.get("line") else "") + f": error: {e['message']}",
                         fg="red"))
    return "\n".join(out)


def as_json(results: list[FileResult], errors: list[dict]) -> str:
    keys = ("words", "sentences", "flesch_reading_ease", "flesch_kincaid_grade", "reading_age",
            "second_person_ratio", "smog_index")
    return json.dumps({
        "files": [{"path": r.path, "audience": r.audience,
                   "metrics": {k: _round(r.metrics.get(k)) for k in keys},
                   "findings": [f.as_dict() for f in r.findings]} for r in results],
        "errors": errors,
    }, indent=2, ensure_ascii=False)


def _round(value):
    return round(value, 2) if isinstance(value, float) else value


_SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}


def as_sarif(results: list[FileResult], errors: list[dict], rules: dict) -> str:
    used = sorted({f.rule for r in results for f in r.findings})
    run = {
        "tool": {"driver": {
            "name": "confpack", "version": __version__, "informationUri": "https://pypi.org/project/confpack/",
            "rules": [{"id": rid, "shortDescription": {"text": rules[rid]["message"]},
                       "helpUri": rules[rid].get("link", ""),
                       "defaultConfiguration": {"level": _SARIF_LEVEL[rules[rid]["level"]]}} for rid in used],
        }},
        "results": [{
            "ruleId": f.rule, "ruleIndex": used.index(f.rule), "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f" → {f.suggestions[0]}" if f.suggestions else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": Path(r.path).as_posix()},
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line, "endColumn": f.end_column},
            }}],
        } for r in results for f in r.findings],
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": [
            {"level": "error", "message": {"text": e["message"]},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": Path(e["path"]).as_posix()}}}]}
            for e in errors]}],
    }
    return json.dumps({"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                       "runs": [run]}, indent=2, ensure_ascii=False)
