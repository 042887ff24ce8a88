"""Settings: the shipped style rules (YAML data) plus a project's ``.confpack.toml`` or
``[tool.confpack]`` in ``pyproject.toml``, found by walking up from the linted file."""
from __future__ import annotations

import copy
import difflib
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .common.resources import data_dir
from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEVELS = ("error", "warning", "suggestion")
ENV_LANGUAGETOOL = "CONFPACK_LANGUAGETOOL_URL"
_PROJECT_KEYS = ("audience", "disable", "glossary", "style_rules", "languagetool_url",
                 "languagetool_public", "thresholds", "levels", "removed_marker", "timescales")


def _cache_file(path: Path) -> Path | None:
    """Where the parsed form of ``path`` is kept, keyed by its location, size and mtime."""
    try:
        stat = path.stat()
    except OSError:
        return None
    base = Path(os.environ.get("CONFPACK_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or
                                                               Path.home() / ".cache") / "confpack")
    key = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    return base / f"{key}.pickle"


def load_yaml(path: Path) -> dict:
    """Read a YAML data file, turning syntax errors into an InputError with its line.

    The parsed data is cached (pickled, keyed by path, size and modification time), so
    large glossaries do not slow every start-up; an edited file is simply read again.
    """
    cache = _cache_file(path)
    if cache is not None and cache.is_file():
        try:
            with open(cache, "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, AttributeError):
            pass
    data = _read_yaml(path)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home: parse each time
    return data


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", str(path),
                         mark.line + 1 if mark else None) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("must be a YAML mapping", str(path))
    return data


@dataclass(eq=False)
class Settings:
    """Everything the linter is tuned by."""

    rules: dict
    audiences: dict
    structure: dict
    voice: dict
    restorative: dict
    readability: dict
    timescales: dict
    letters: dict
    glossary_files: list[Path]
    disabled: frozenset[str] = frozenset()
    audience: str | None = None
    languagetool_url: str | None = None
    languagetool_public: bool = False
    source: str | None = None  # the project config file, if any
    removed_marker: str = "[removed]"

    def level(self, rule: str) -> str:
        return self.rules[rule]["level"]

    def is_disabled(self, rule: str) -> bool:
        return any(rule == d or rule.startswith(d + ".") for d in self.disabled)


@lru_cache(maxsize=8)
def _shipped(style_dir: str) -> dict:
    base = Path(style_dir)
    return {name: load_yaml(base / f"{name}.yml")
            for name in ("rules", "audiences", "structure", "voice", "restorative", "readability", "timescales",
                         "letters")}


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


@lru_cache(maxsize=32)
def load_settings(config_path: str | None = None) -> Settings:
    """Build settings from the shipped rules and an optional project config file."""
    project: dict = {}
    base = None
    if config_path:
        path = Path(config_path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML ({exc})", config_path) from None
        except OSError as exc:
            raise InputError(f"cannot read ({exc.strerror})", config_path) from None
        project = raw.get("tool", {}).get("confpack", {}) if path.name == "pyproject.toml" else raw
        base = path.parent
        for key in project:
            if key not in _PROJECT_KEYS:
                hint = difflib.get_close_matches(key, _PROJECT_KEYS, n=1)
                raise InputError(f"unknown setting '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else
                                 "; allowed: " + ", ".join(_PROJECT_KEYS)), config_path)
    style_dir = Path(base / project["style_rules"]) if "style_rules" in project else data_dir("style_rules")
    data = copy.deepcopy(_shipped(str(style_dir)))
    glossary = sorted(data_dir("glossary").glob("*.yml"))
    glossary += [base / g for g in project.get("glossary", [])]
    settings = Settings(
        rules=data["rules"]["rules"], audiences=data["audiences"]["audiences"],
        structure=data["structure"]["kinds"], voice=data["voice"], restorative=data["restorative"],
        readability=data["readability"], timescales=data["timescales"]["timescales"], letters=data["letters"],
        glossary_files=glossary,
        disabled=frozenset(project.get("disable", [])), audience=project.get("audience"),
        languagetool_url=project.get("languagetool_url") or os.environ.get(ENV_LANGUAGETOOL) or None,
        languagetool_public=bool(project.get("languagetool_public", False)), source=config_path,
        removed_marker=str(project.get("removed_marker", "[removed]")),
    )
    if settings.audience is not None and settings.audience not in settings.audiences:
        raise InputError(f"audience '{settings.audience}' is not one of {', '.join(settings.audiences)}", config_path)
    for audience, overrides in project.get("thresholds", {}).items():
        if audience not in settings.audiences:
            raise InputError(f"thresholds for unknown audience '{audience}'", config_path)
        _merge(settings.audiences[audience], overrides)
    for key, value in project.get("timescales", {}).items():
        if key not in settings.timescales or not isinstance(value, int) or value < 0:
            raise InputError(f"timescales: '{key} = {value}' needs a known timescale and a whole number; known: "
                             + ", ".join(settings.timescales), config_path)
        settings.timescales[key] = value
    for rule, level in project.get("levels", {}).items():
        if rule not in settings.rules or level not in LEVELS:
            raise InputError(f"levels: '{rule} = {level}' needs a known rule id and one of {', '.join(LEVELS)}",
                             config_path)
        settings.rules[rule]["level"] = level
    return settings


def _merge(target: dict, overrides: dict) -> None:
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
