"""Findings and the context rules write them into."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Settings
from ..document.tree import Document
from .text import Section, Unit

SEVERITY_RANK = {"suggestion": 0, "warning": 1, "error": 2}


@dataclass
class Finding:
    rule: str
    severity: str
    line: int
    column: int
    end_line: int
    end_column: int
    match: str
    message: str
    suggestions: list[str] = field(default_factory=list)
    link: str = ""

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("rule", "severity", "line", "column", "end_line", "end_column",
                                              "match", "message", "suggestions")}


@dataclass
class Context:
    """What a rule reads (the document, its units, the settings) and where it writes."""

    doc: Document
    settings: Settings
    audience: str
    units: list[Unit]
    sections: list[Section]
    matches: list = field(default_factory=list)  # per unit: shared word-list matches
    findings: list[Finding] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    own_words: bool = False   # the family's own report: every finding but structure.* is a suggestion
    guessed: dict = field(default_factory=dict)   # by unit: the register model's labelled words (see tone)

    @property
    def thresholds(self) -> dict:
        return self.settings.audiences[self.audience]

    def add(self, rule: str, unit: Unit | None, start: int = 0, end: int = 0,
            suggestions: list[str] | None = None, *, line: int | None = None, level: str | None = None,
            **fields) -> None:
        """Record a finding for ``unit.text[start:end]`` (or at ``line`` when there is no unit),
        at the rule's level or ``level`` when that is lower."""
        if self.settings.is_disabled(rule):
            return
        if self.own_words and not rule.startswith("structure."):
            level = "suggestion"
        spec = self.settings.rules[rule]
        if unit is not None:
            (l1, c1), (l2, c2) = unit.position(start), unit.end_position(end)
            match = unit.text[start:end]
        else:
            l1, c1, l2, c2, match = line or 1, 1, line or 1, 1, ""
        fields.setdefault("match", match)
        message = spec["message"].format_map(_Blank(fields))
        severity = spec["level"]
        if level is not None and SEVERITY_RANK[level] < SEVERITY_RANK[severity]:
            severity = level
        self.findings.append(Finding(rule, severity, l1, c1, l2, c2, match, message,
                                     list(suggestions or []), spec.get("link", "")))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""
