"""The report linter: ``lint_file`` and ``lint_text`` return a :class:`FileResult`."""
from .engine import FileResult, lint_document, lint_file, lint_text
from .findings import Finding

__all__ = ["FileResult", "Finding", "lint_document", "lint_file", "lint_text"]
