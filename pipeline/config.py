"""Settings: everything a run is tuned by, built once per run from the shipped data files
(``style_rules/``, ``glossary/``) and a project's ``.confpack.toml`` (or ``[tool.confpack]``
in ``pyproject.toml``, or ``--config``), then passed explicitly to every stage.

Every data file, shipped or the council's own, is checked against its schema (declared
below) when it is read: a problem names the file, the line and what to fix."""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common.projectfile import find_project_config, read_project
from .common.resources import cache_folder, data_dir
from .common.yamlcheck import Fields, Flag, ListOf, Number, OneOf, Pattern, Schema, Text, WithLists, read_data
from .document.frontmatter import AUDIENCES, KINDS
from .errors import InputError

LEVELS = ("error", "warning", "suggestion")
ENV_LANGUAGETOOL = "CONFPACK_LANGUAGETOOL_URL"
PLAN_KINDS = ("child-protection", "child-in-need", "early-help", "no-further-action")
CATEGORIES = ("neglect", "emotional abuse", "physical abuse", "sexual abuse")

# -- the schema of each data file --------------------------------------------------------------
_WORDS = ListOf(Text())
# a word or phrase with two senses: only its professional one, shown by words near it (or capitals,
# or a service's abbreviation near it), and never with its everyday sense's words near it
CONTEXT = Fields({"near": ListOf(Text(), least=1), "not_near": ListOf(Text(), least=1), "window": Number(whole=True),
                  "capitalised": Flag(), "abbreviation": Flag(), "possessive": Flag(), "name_after": Flag()})
_SENTENCE = Fields({k: Number() for k in ("min_words", "hard", "very_hard", "max_words")},
                   required=("min_words", "hard", "very_hard", "max_words"))
_PARAGRAPH = Fields({"max_sentences": Number(whole=True), "max_words": Number(whole=True)},
                    required=("max_sentences", "max_words"))
_SECTION = Fields({"id": Text(), "name": Text(), "prompt": Text(), "starter": Text(), "headings": _WORDS,
                   "words": _WORDS, "strengths": Flag(), "worries": Flag()}, required=("id", "name"))
WORDING = tuple("""
    who_came name role agency sent_apologies important_dates letter_due minutes_due core_group_due review_due
    formal_disagreement nobody_disagreed why what_we_decided worries_and_goals worried_about want_to_see
    who_does_what what who by_when core_group next_conference opening_came opening_apologies opening_invited
    letter_purpose why_we_decided what_it_means what_you_do nothing_for_you what_others_do next_meetings
    if_you_disagree you_disagreed child_opening child_purpose child_worries_heading child_next_heading child_step
    child_review child_talk_heading child_social_worker child_social_worker_phone child_advocate child_teacher
    who_to_contact contact_social_worker contact_chair contact_council advocate_invitation
    agenda_heading""".split())   # every sentence and heading the documents take from letters.yml's wording
_PLAN_WORDING = Fields({"decided": Text(), "meaning": Text(), "child": Text()}, required=("decided", "meaning", "child"))
SCHEMAS: dict[str, tuple[Schema, str]] = {
    "rules": (Fields({"rules": Fields(rest=Fields({"level": OneOf(LEVELS), "message": Text(), "link": Text()},
                                                  required=("level", "message")))}, required=("rules",)),
              "the lint rules: rules → each rule id → level, message, link"),
    "audiences": (Fields({"audiences": Fields({a: Fields({"max_reading_age": Number(), "sentence": _SENTENCE,
                                                          "paragraph": _PARAGRAPH},
                                                         required=("max_reading_age", "sentence", "paragraph"))
                                               for a in AUDIENCES}, required=AUDIENCES)}, required=("audiences",)),
                  "each audience's reading-age and sentence limits"),
    "structure": (Fields({"kinds": Fields({k: Fields({"title": Text(), "audience": OneOf(AUDIENCES),
                                                      "sections": ListOf(_SECTION)}, required=("title",))
                                           for k in KINDS}, required=KINDS)}, required=("kinds",)),
                  "the sections each kind of document needs"),
    "voice": (Fields({"audiences": ListOf(OneOf(AUDIENCES)), "skip_kinds": ListOf(OneOf(KINDS)), "possessives": _WORDS,
                      "terms": ListOf(Fields({"phrase": Text(), "plain": Text(), "gender": OneOf(("f", "m", "p")),
                                              "case_sensitive": Flag(), "exact": Flag(), "start": Flag(),
                                              "one_reader": Flag(), "childs_word": Flag(), "reader": Flag(), "plural": Flag(),
                                              "after": _WORDS, "not_before": _WORDS, "not_after": _WORDS,
                                              "not_between": ListOf(ListOf(Text(), least=2, most=2))},
                                             required=("phrase", "plain"))),
                      "plan_sections": _WORDS, "plan_headings": _WORDS, "plan_labels": _WORDS, "reporting_verbs": _WORDS,
                      "instructions": _WORDS, "homes": _WORDS, "to_children": _WORDS,
                      "written_to_family": Number(),
                      "titles": _WORDS, "verbs": Fields(rest=Text()), "pronouns": Fields(rest=_WORDS),
                      "others": Fields({g: _WORDS for g in ("f", "m", "p", "they")})},
                     required=("audiences", "terms")),
              "the voice rules' words"),
    "restorative": (WithLists({"entries": ListOf(Fields({"rule": OneOf(("blaming", "vague", "opinion-as-fact")),
                                                      "phrases": ListOf(Text(), least=1), "advice": Text(),
                                                      "context": CONTEXT, "exact": Flag(), "children": Flag(),
                                                      "then": ListOf(Text(), least=1), "negated": Flag(), "unsourced": Flag()},
                                                     required=("rule", "phrases", "advice"))),
                            "linking": _WORDS, "turned": _WORDS, "lists": Fields(rest=ListOf(Text(), least=1)), "tone": Fields({"margin": Number(), "jargon_margin": Number()}),
                            "patterns": ListOf(Fields({"rule": OneOf(("blaming", "vague", "opinion-as-fact")),
                                                       "pattern": Pattern(), "advice": Text(), "words": _WORDS},
                                                      required=("rule", "pattern", "advice")))},
                           required=("entries",)),
                    "blaming, vague and opinion-as-fact phrases with advice"),
    "readability": (Fields({k: _WORDS for k in ("be_verbs", "irregular_participles", "adjectives", "abbreviations")},
                           required=("be_verbs", "irregular_participles", "adjectives", "abbreviations")),
                    "the words the readability rules use"),
    "timescales": (Fields({"timescales": Fields(rest=Number(whole=True))}, required=("timescales",)),
                   "timescales in working days or months"),
    "words": (Fields({"known_abbreviations": _WORDS, "emphasis": _WORDS, "everyday": _WORDS,
                      "uncommon": Fields({"below": Number(), "register_below": Number(), "register_endings": _WORDS,
                                          "min_length": Number(whole=True)},
                                         required=("below", "register_below", "register_endings", "min_length"))},
                     required=("known_abbreviations", "everyday", "uncommon")),
              "abbreviations families know, everyday words and how uncommon a word must be to be flagged"),
    "grammar": (Fields({"harper_rules": _WORDS, "kinds": Fields(rest=Text()), "need_correction": _WORDS,
                        "past_forms": _WORDS, "repeat_ok": _WORDS,
                        "own_words_kinds": ListOf(OneOf(KINDS))}, required=("harper_rules", "kinds")),
                "the grammar rules switched on and the rule id of each kind of finding"),
    "letters": (Fields({"plans": Fields({k: _PLAN_WORDING for k in PLAN_KINDS},
                                                               required=PLAN_KINDS),
                        "categories": Fields({c: Text() for c in CATEGORIES}, required=CATEGORIES),
                        "child_worries": Fields({c: Text() for c in (*CATEGORIES, "none")},
                                                required=(*CATEGORIES, "none")),
                        "meetings": Fields({"core_group": Text(), "review": Text()}, required=("core_group", "review")),
                        "disagree": Text(), "child_talk": _WORDS, "invitation": Fields(
                            {g: Text() for g in ("family", "child", "professional")},
                            required=("family", "child", "professional")),
                        "agenda": ListOf(Text(), least=1), "wording": Fields(rest=Text(), required=WORDING),
                        "salutation": OneOf(("first name", "full name"))},
                       required=("plans", "categories", "child_worries", "meetings", "disagree",
                                 "invitation", "agenda", "wording")),
                "the wording of letters, invitations and the agenda"),
}
STYLE_FILES = tuple(SCHEMAS)
TIMESCALES = ("initial_conference_within_working_days", "reports_before_initial_working_days",
              "reports_before_review_working_days", "first_core_group_within_working_days",
              "first_review_within_months", "later_reviews_every_months", "letter_within_working_days",
              "minutes_within_working_days")
_PROJECT_KEYS = ("audience", "disable", "glossary", "style_rules", "languagetool_url",
                 "languagetool_public", "thresholds", "levels", "removed_marker", "timescales", "words", "council")
# The council's details, printed on letters and every document's letterhead ([council] in .confpack.toml).
COUNCIL_KEYS = ("name", "address", "phone", "email", "web", "complaints", "advocacy")


_CODE = Path(__file__).with_name("common").joinpath("yamlcheck.py").stat().st_mtime_ns   # the reader's version


def load_data(path: Path, schema: Schema, what: str, kind: str) -> Any:
    """A data file read and checked against its schema.  The checked data is cached (keyed
    by the file's path, size, modification time and ``kind``), so large glossaries do not
    slow every start-up; an edited file is simply read and checked again."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror}); check the path in your settings", str(path)) from None
    key = hashlib.sha1(f"{kind}|{schema!r}|{_CODE}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()
                       ).hexdigest()

    def build() -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read ({getattr(exc, 'strerror', None) or 'not UTF-8 text'})",
                             str(path)) from None
        return read_data(text, str(path), schema, what)

    return cached(key, build)


_STALE_DAYS = 30   # cached files unused this long are removed when a new one is written


def cached(name: str, build):
    """``build()``'s result, kept in the cache folder under ``name`` (which must say what it
    was built from); built and stored when it is not there.  Each use marks the file as
    recent; files unused for a month are removed when a new one is stored, so edits to the
    data do not fill the folder."""
    path = cache_folder() / f"{name}.pickle"
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
            os.utime(path)
            return value
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
            pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path.parent)
    except (OSError, pickle.PicklingError):
        pass
    return value


def _prune(folder: Path) -> None:
    cutoff = time.time() - _STALE_DAYS * 86400
    for old in (*folder.glob("*.pickle"), *folder.glob("*.words")):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


@dataclass(eq=False)
class Settings:
    """Everything one run is tuned by.  Built by :func:`load_settings` and passed to every
    stage; ``cache`` holds what is derived from it (glossary, matchers) for this run only."""

    rules: dict
    audiences: dict
    structure: dict
    voice: dict
    restorative: dict
    readability: dict
    timescales: dict
    letters: dict
    words: dict
    grammar: dict
    glossary_files: tuple[Path, ...]
    known_words: frozenset[str] = frozenset()   # the project's own words (`words` in .confpack.toml)
    disabled: frozenset[str] = frozenset()
    audience: str | None = None
    languagetool_url: str | None = None
    languagetool_public: bool = False
    removed_marker: str = "[removed]"
    council: dict[str, str] = field(default_factory=dict)   # COUNCIL_KEYS that the project gives
    config: Path | None = None          # the project's settings file, if any
    cache: dict = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict:   # sent to worker processes without what they rebuild themselves
        return {**self.__dict__, "cache": {}}

    def level(self, rule: str) -> str:
        return self.rules[rule]["level"]

    def is_disabled(self, rule: str) -> bool:
        return any(rule == d or rule.startswith(d + ".") for d in self.disabled)

    def title(self, kind: str | None) -> str:
        """A kind of document's title ("Partner agency report to conference")."""
        return self.structure.get(kind or "", {}).get("title", kind or "")

    def digest(self) -> str:
        """A hash of every setting and the content of every data file behind them, so a
        rerun can tell when a change in settings changes its output."""
        data = {k: getattr(self, k) for k in ("rules", "audiences", "structure", "voice", "restorative",
                                              "readability", "timescales", "letters", "words", "grammar", "audience",
                                              "languagetool_url", "removed_marker", "council")}
        data["known_words"] = sorted(self.known_words)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode())
        digest.update(repr(sorted(self.disabled)).encode())
        for path in (*self.glossary_files, data_dir("style_rules") / "tone_model.tsv"):
            digest.update(path.read_bytes())
        return digest.hexdigest()


def settings_for(start: Path | None, config: Path | None = None) -> Settings:
    """The settings for a run on files at ``start``: ``config`` if given, else the project
    file found above ``start``, else the shipped settings."""
    if config is None and start is not None:
        config = find_project_config(start)
    return load_settings(config)


def load_settings(config: str | Path | None = None) -> Settings:
    """Build settings from the shipped data and an optional project settings file."""
    path = Path(config) if config else None
    project = _read_project(path) if path else {}
    base = path.parent if path else Path.cwd()
    style_dir = base / project["style_rules"] if "style_rules" in project else data_dir("style_rules")
    if not style_dir.is_dir():
        raise InputError(f"style_rules = '{project['style_rules']}' is not a folder; give the folder that holds "
                         f"your copies of {', '.join(f + '.yml' for f in STYLE_FILES)}", str(path))
    data = {name: load_data(style_dir / f"{name}.yml", schema, what, name)
            for name, (schema, what) in SCHEMAS.items()}
    glossary = sorted(data_dir("glossary").glob("*.yml")) + [base / g for g in project.get("glossary", [])]
    settings = Settings(
        rules=data["rules"]["rules"], audiences=data["audiences"]["audiences"], structure=data["structure"]["kinds"],
        voice=data["voice"], restorative=data["restorative"], readability=data["readability"],
        timescales=data["timescales"]["timescales"], letters=data["letters"], words=data["words"], grammar=data["grammar"],
        known_words=frozenset(project.get("words", [])), glossary_files=tuple(glossary),
        disabled=frozenset(project.get("disable", [])), audience=project.get("audience"),
        languagetool_url=project.get("languagetool_url") or os.environ.get(ENV_LANGUAGETOOL) or None,
        languagetool_public=bool(project.get("languagetool_public", False)),
        removed_marker=str(project.get("removed_marker", "[removed]")), council=_council(project, path), config=path)
    _apply_overrides(settings, project, str(path) if path else None)
    missing = [t for t in TIMESCALES if t not in settings.timescales]
    if missing:
        raise InputError(f"timescales.yml needs {', '.join(missing)}", str(style_dir / "timescales.yml"))
    return settings


def _read_project(path: Path) -> dict:
    project = read_project(path)
    for key in project:
        if key not in _PROJECT_KEYS:
            hint = difflib.get_close_matches(key, _PROJECT_KEYS, n=1)
            raise InputError(f"unknown setting '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else
                             "; allowed: " + ", ".join(_PROJECT_KEYS)), str(path))
    for key in ("disable", "glossary", "words"):
        if key in project and not (isinstance(project[key], list) and all(isinstance(v, str) for v in project[key])):
            raise InputError(f"'{key}' must be a list of strings, e.g. {key} = [\"…\"]", str(path))
    for key in ("audience", "style_rules", "languagetool_url", "removed_marker"):
        if key in project and not isinstance(project[key], str):
            raise InputError(f"'{key}' must be a string in quotes", str(path))
    return project


def _council(project: dict, path: Path | None) -> dict[str, str]:
    table = project.get("council", {})
    if not isinstance(table, dict):
        raise InputError("'council' must be a table: [council] with name = \"…\", phone = \"…\" and so on", str(path))
    for key, value in table.items():
        if key not in COUNCIL_KEYS:
            hint = difflib.get_close_matches(key, COUNCIL_KEYS, n=1)
            raise InputError(f"[council]: unknown key '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else
                             "; allowed: " + ", ".join(COUNCIL_KEYS)), str(path))
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"[council]: '{key}' must be text in quotes", str(path))
    return {k: " ".join(v.split()) if k != "address" else v.strip() for k, v in table.items()}


def _apply_overrides(settings: Settings, project: dict, path: str | None) -> None:
    if settings.audience is not None and settings.audience not in settings.audiences:
        raise InputError(f"audience '{settings.audience}' is not one of {', '.join(settings.audiences)}", path)
    for audience, overrides in project.get("thresholds", {}).items():
        if audience not in settings.audiences or not isinstance(overrides, dict):
            raise InputError(f"thresholds for unknown audience '{audience}'; use one of "
                             f"{', '.join(settings.audiences)}", path)
        _merge(settings.audiences[audience], overrides, f"thresholds.{audience}", path)
    for key, value in project.get("timescales", {}).items():
        if key not in settings.timescales or not isinstance(value, int) or value < 0:
            raise InputError(f"timescales: '{key} = {value}' needs a known timescale and a whole number; known: "
                             + ", ".join(settings.timescales), path)
        settings.timescales[key] = value
    for rule, level in project.get("levels", {}).items():
        if rule not in settings.rules or level not in LEVELS:
            raise InputError(f"levels: '{rule} = {level}' needs a known rule id and one of {', '.join(LEVELS)}", path)
        settings.rules[rule]["level"] = level


def _merge(target: dict, overrides: dict, where: str, path: str | None) -> None:
    for key, value in overrides.items():
        if key not in target:
            hint = difflib.get_close_matches(key, list(target), n=1)
            raise InputError(f"{where}: unknown threshold '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else ""),
                             path)
        if isinstance(target[key], dict):
            if not isinstance(value, dict):
                raise InputError(f"{where}.{key} must be a table of thresholds", path)
            _merge(target[key], value, f"{where}.{key}", path)
        elif not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InputError(f"{where}.{key} must be a number, not {value!r}", path)
        else:
            target[key] = value
