"""Where the data that ships with confpack lives (glossary, style rules, templates)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the pipeline package


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """The folder ``name`` ("glossary", "style_rules", "templates").

    An installed wheel carries it inside the package (``pipeline/data/NAME``); a source
    checkout or editable install uses the top-level folder of the repository.
    """
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"confpack data folder '{name}' is missing; reinstall confpack")


def cache_folder() -> Path:
    """Where confpack keeps what it derives from data files (``$CONFPACK_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/confpack`` or ``~/.cache/confpack``)."""
    return Path(os.environ.get("CONFPACK_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or
                                                            Path.home() / ".cache") / "confpack")
