"""The project's settings file: ``.confpack.toml`` (or ``[tool.confpack]`` in
``pyproject.toml``) at or above the files a command works on.  Kept apart from
:mod:`pipeline.config` so a command can look at it before anything heavy is imported."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def find_project_config(start: Path) -> Path | None:
    """The nearest ``.confpack.toml`` (or ``pyproject.toml`` with ``[tool.confpack]``) at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
        candidate = folder / ".confpack.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.confpack]" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def read_project(path: Path) -> dict:
    """The confpack table of a settings file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML ({exc})", str(path)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save it as UTF-8", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from None
    return raw.get("tool", {}).get("confpack", {}) if path.name == "pyproject.toml" else raw


def grammar_wanted(start: Path, config: Path | None = None) -> bool:
    """Whether a run on files at ``start`` checks grammar (a quick look: the settings are
    read properly later)."""
    try:
        config = config or find_project_config(start)
        disabled = read_project(config).get("disable", []) if config else []
    except (InputError, OSError):
        return False
    return not any(d in ("grammar", "grammar.*") for d in disabled if isinstance(d, str))
