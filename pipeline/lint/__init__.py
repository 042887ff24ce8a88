"""The report linter: ``lint_file`` and ``lint_text`` return a :class:`FileResult`.

Loaded lazily, so that a command can start slow engines (see :mod:`.grammar`) before the
rules and the Markdown parser are imported."""
from __future__ import annotations

__all__ = ["FileResult", "Finding", "lint_document", "lint_file", "lint_text"]


def __getattr__(name: str):
    if name in ("FileResult", "lint_document", "lint_file", "lint_text"):
        from . import engine

        return getattr(engine, name)
    if name == "Finding":
        from .findings import Finding

        return Finding
    raise AttributeError(name)
