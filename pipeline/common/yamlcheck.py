"""One reader for every YAML confpack takes (front matter, manifests, style rules, glossaries,
timescales, letters' wording): it walks the composed node tree, so every problem names its
file and line and says what to fix, and checks each file against a schema declared as data.

A :class:`Checker` either stops at the first problem (front matter: one fix at a time is
clear) or collects them all (a manifest, a data file: see every problem at once)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import InputError, InputErrors

# libyaml builds the same node tree twenty times faster; on an error the Python loader is
# asked again, because libyaml places some error marks a line late.
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_NULL = "tag:yaml.org,2002:null"


def compose(text: str, path: str | None, first_line: int = 1):
    """The YAML node tree of ``text``; a syntax error names its line."""
    try:
        return yaml.compose(text, Loader=_FAST)
    except yaml.YAMLError:
        pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"not valid YAML ({problem}); check indentation and quotes", path,
                         first_line + mark.line if mark is not None else first_line) from None


class Checker:
    """Reads YAML nodes, reporting problems with their lines."""

    def __init__(self, path: str | None = None, first_line: int = 1, collect: bool = False):
        self.path, self.first, self.collect = path, first_line, collect
        self.problems: list[InputError] = []

    def line(self, node) -> int:
        return self.first + node.start_mark.line

    def problem(self, node, message: str) -> None:
        error = InputError(message, self.path, self.line(node))
        if not self.collect:
            raise error
        self.problems.append(error)

    def finish(self) -> None:
        if self.problems:
            raise InputErrors(self.problems)

    # -- shapes ------------------------------------------------------------------------
    def mapping(self, node, what: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict:
        """{key: value node}; unknown keys (with a "did you mean" hint), repeated and missing ones are problems."""
        what = what or "the file"
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'key: value' lines")
            return {}
        out = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if allowed is not None and key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                self.problem(key_node, f"unknown field '{key}' in {what}; " +
                             (f"did you mean '{hint[0]}'?" if hint else "allowed: " + ", ".join(allowed)))
            elif key in out:
                self.problem(key_node, f"field '{key}' appears twice in {what}")
            else:
                out[key] = value_node
        for key in required:
            if key not in out:
                self.problem(node, f"{what} needs '{key}'")
        return out

    def seq(self, node, what: str) -> list:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list (lines starting with '- ', or [a, b])")
            return []
        return node.value

    def text(self, node, what: str, empty: bool = True) -> str:
        if node is None:
            return ""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL or (not empty and not str(node.value).strip()):
            self.problem(node, f"{what} must be a line of text")
            return ""
        value = str(node.value).strip()
        bad = _CONTROL.search(value)
        if bad:
            self.problem(node, f"{what} holds an invisible control character (U+{ord(bad.group()):04X}); retype it")
        return value

    def choice(self, node, what: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, what)
        if value and value not in choices:
            hint = difflib.get_close_matches(value, choices, n=1)
            self.problem(node, f"{what} '{value}' is not one of: {', '.join(choices)}" +
                         (f" (did you mean '{hint[0]}'?)" if hint else ""))
            return ""
        return value

    def date(self, node, what: str) -> dt.date | None:
        value = self.text(node, what)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            self.problem(node, f"{what} '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-03")
            return None

    def ident(self, node, what: str, seen: set[str]) -> str:
        value = self.text(node, what)
        if value and not _ID.match(value):
            self.problem(node, f"{what} '{value}' must be lower-case letters, digits or hyphens, starting with a letter")
        elif value in seen:
            self.problem(node, f"{what} '{value}' is used twice; each needs its own id")
        seen.add(value)
        return value

    def words(self, node, what: str) -> list[str]:
        """A list of ids (``[dad, jamie]``) or one line of them (``dad jamie``)."""
        if isinstance(node, yaml.SequenceNode):
            return [self.text(v, f"{what} entry") for v in node.value]
        return self.text(node, what).replace(",", " ").split()

    def flag(self, node, what: str) -> bool:
        value = self.text(node, what).lower()
        if value not in ("true", "false", "yes", "no"):
            self.problem(node, f"{what} must be true or false")
        return value in ("true", "yes")

    def number(self, node, what: str, whole: bool = False, low: float | None = None) -> float | int:
        value = self.text(node, what)
        try:
            number = int(value) if whole or value.lstrip("-").isdigit() else float(value)
        except ValueError:
            self.problem(node, f"{what} must be a {'whole ' if whole else ''}number, not '{value}'")
            return 0
        if low is not None and number < low:
            self.problem(node, f"{what} must be at least {low:g}, not {value}")
        return number


# -- schemas, declared as data --------------------------------------------------------------
class Schema:
    def read(self, checker: Checker, node, what: str) -> Any:
        raise NotImplementedError


@dataclass
class Text(Schema):
    empty: bool = False

    def read(self, checker, node, what):
        return checker.text(node, what, self.empty)


@dataclass
class Pattern(Schema):
    """A regular expression, checked when read (matched later without regard to case)."""

    def read(self, checker, node, what):
        text = checker.text(node, what, False)
        if isinstance(text, str):
            try:
                re.compile(text)
            except re.error as exc:
                checker.problem(node, f"{what} is not a valid regular expression ({exc}); fix it")
        return text


@dataclass
class Number(Schema):
    whole: bool = False
    low: float | None = 0

    def read(self, checker, node, what):
        return checker.number(node, what, self.whole, self.low)


@dataclass
class Flag(Schema):
    def read(self, checker, node, what):
        return checker.flag(node, what)


@dataclass
class OneOf(Schema):
    choices: tuple[str, ...]

    def read(self, checker, node, what):
        return checker.choice(node, what, self.choices)


@dataclass
class ListOf(Schema):
    item: Schema
    least: int = 0
    most: int | None = None

    def read(self, checker, node, what):
        items = checker.seq(node, what)
        if isinstance(node, yaml.SequenceNode) and len(items) < self.least:
            checker.problem(node, f"{what} needs at least {self.least} entr{'y' if self.least == 1 else 'ies'}")
        if isinstance(node, yaml.SequenceNode) and self.most is not None and len(items) > self.most:
            checker.problem(node, f"{what} takes at most {self.most} entries")
        return [self.item.read(checker, item, f"{what}[{i + 1}]") for i, item in enumerate(items)]


@dataclass
class Fields(Schema):
    """A mapping with named fields (``required`` ones must be there) and, with ``rest``, any
    other keys whose values follow that schema."""

    fields: dict[str, Schema] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    rest: Schema | None = None

    def read(self, checker, node, what):
        found = checker.mapping(node, what, None if self.rest else tuple(self.fields), self.required)
        out = {}
        for key, value in found.items():
            schema = self.fields.get(key, self.rest)
            out[key] = schema.read(checker, value, f"{what}.{key}" if what else key)
        return out


_LIST_NAME = re.compile(r"\{list:([^{}]*)\}")
_PARTS = re.compile(r"[^\W_]+")


def _trie(words: list[str]) -> str:
    """A regular expression for any one of ``words`` (the longest first where one begins
    another; a space as any white space), shared beginnings written once ("ha(?:s|ve)"), so a
    search fails at a word's first letter, not after trying every word of the list."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = sorted((k for k in node if k), key=lambda k: -_depth(node[k]))
        parts = [(r"\s+" if k == " " else re.escape(k)) + walk(node[k]) for k in branches]
        if "" in node:
            parts.append("")   # the word may end here: after every longer way on
        if not parts:
            return ""
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return "(?:" + walk(tree) + ")"


def _depth(node: dict) -> int:
    return max((1 + _depth(child) for key, child in node.items() if key), default=0)


def _words_of(word: str, lists: dict[str, list[str]]) -> list[str]:
    """``word``, or the first word of each entry of the list it names (a text holding
    "half-hearted" or "laid back" holds "half" or "laid")."""
    m = _LIST_NAME.fullmatch(word)
    return [_PARTS.search(value)[0] for value in lists[m[1]] if _PARTS.search(value)] if m else [word]


@dataclass
class WithLists(Fields):
    """Fields with word lists (``lists``: name to words) that the regular expressions of
    ``patterns`` may share: ``{list:NAME}`` in a pattern becomes the list's words as
    alternatives (:func:`_trie`), and ``{list:NAME}`` in a pattern's ``words`` becomes the first
    word of each.  A name not in ``lists`` is a problem."""

    def read(self, checker, node, what):
        out = super().read(checker, node, what)
        lists = out.get("lists", {})
        items = dict((str(k.value), v) for k, v in node.value) if isinstance(node, yaml.MappingNode) else {}
        nodes = items["patterns"].value if isinstance(items.get("patterns"), yaml.SequenceNode) else []

        def alternatives(m: re.Match) -> str:
            return _trie(lists[m[1]])

        for entry, entry_node in zip(out.get("patterns", ()), nodes):
            named = _LIST_NAME.findall(entry.get("pattern", "")) + \
                [m[1] for w in entry.get("words", ()) for m in [_LIST_NAME.fullmatch(w)] if m]
            unknown = sorted({n for n in named if n not in lists})
            if unknown:
                where = next((v for k, v in entry_node.value if k.value == "pattern"), entry_node) \
                    if isinstance(entry_node, yaml.MappingNode) else entry_node
                checker.problem(where, f"this pattern names {', '.join('{list:' + n + '}' for n in unknown)}, "
                                "which 'lists' does not hold; add it there or fix the name "
                                f"(lists: {', '.join(lists) or 'none'})")
                continue
            entry["pattern"] = _LIST_NAME.sub(alternatives, entry.get("pattern", ""))
            if "words" in entry:
                entry["words"] = [x for w in entry["words"] for x in _words_of(w, lists)]
        return out


def read_data(text: str, path: str, schema: Schema, what: str) -> Any:
    """A data file's contents checked against its schema; every problem reported at once."""
    root = compose(text, path)
    if root is None:
        raise InputError(f"is empty; it must hold {what}", path)
    checker = Checker(path, collect=True)
    value = schema.read(checker, root, "")
    checker.finish()
    return value
