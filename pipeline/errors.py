"""Errors a user can act on: each names the file, the line and what to do."""
from __future__ import annotations


class InputError(Exception):
    """Bad input (file, front matter, markup, options). Exit code 2, never a traceback."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def located(self, path: str | None = None, line_offset: int = 0) -> "InputError":
        """Return a copy that names ``path`` (if not already set)."""
        line = self.line + line_offset if self.line is not None else None
        return InputError(self.message, self.path or path, line)

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: error: {self.message}"


class InputErrors(InputError):
    """Several problems found at once (e.g. in a manifest or a chair's notes), each with its line."""

    def __init__(self, errors: list[InputError]):
        super().__init__(errors[0].message, errors[0].path, errors[0].line)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
