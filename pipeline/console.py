"""The ``confpack`` program as the shell starts it (``[project.scripts]``).

``confpack lint`` is the command people run on every save, so its process is kept short at
both ends: the grammar engine starts building its dictionary (about a second, on another
core) before the command-line library is even imported, and once the findings are printed
the process leaves without tearing the interpreter down (freeing the dictionaries and word
lists one object at a time takes a tenth of a second or more, and lint has nothing left to
write).  Every other command, and the CLI run in process (tests, ``serve``), is plain
:func:`pipeline.cli.main`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

_TAKES_VALUE = ("--audience", "--format", "--fail-on", "--config")


def _lint_args(args: list[str]) -> tuple[Path, Path | None] | None:
    """The first path and the ``--config`` of a ``lint`` command line, or None when it is
    another command or the line is not plain enough to read without click."""
    words = [a for a in args if a != "--debug"]
    if words[:1] != ["lint"]:
        return None
    first, config, rest = None, None, iter(words[1:])
    for word in rest:
        name, eq, value = word.partition("=")
        if name in _TAKES_VALUE:
            value = value if eq else next(rest, None)
            if name == "--config":
                config = value
        elif word.startswith("-"):
            return None   # --help, --version or a typo: click will answer
        elif first is None:
            first = word
    return (Path(first), Path(config) if config else None) if first else None


def run() -> None:
    """Run the command line; ``lint`` starts the grammar engine first and exits fast."""
    lint = _lint_args(sys.argv[1:])
    if lint is not None:
        from .common.projectfile import grammar_wanted
        from .lint import grammar

        if lint[0].is_file() and grammar_wanted(*lint):   # a folder: the command looks inside first
            grammar.prefetch()
    from .cli import main

    try:
        main()
    except SystemExit as exc:
        if lint is None:
            raise
        code = exc.code
        if isinstance(code, str):
            if sys.stderr is not None:
                print(code, file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:   # None when the shell closed it (2>&-)
                    stream.flush()
            except (OSError, ValueError):   # a reader that went away (| head): nothing to do
                pass
        os._exit(code or 0)
