"""Checks on a conference before its packs are made: the reports (present, for this
conference, naming the manifest's people, lint), statutory and local timescales (England
and Wales working days), recipients who cannot be reached, and children's voices."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..common.dates import age_on, long_date
from ..common.workdays import add_months, add_working_days, working_day_on_or_before, working_days_between
from ..config import Settings
from ..document.parser import parse_file
from ..document.tree import Document
from ..errors import InputError
from ..lint.engine import lint_document
from ..render.fields import join_names
from .manifest import Conference, Manifest, household

CHILD_VOICE_AGE = 10


@dataclass
class Check:
    """One pre-flight finding.  ``blocks`` stops the conference's packs being made."""

    topic: str        # report | lint | timescale | recipient | child
    message: str
    blocks: bool = False
    where: str = ""   # file:line or manifest:line


@dataclass
class Preflight:
    conference: Conference
    reports: list[Document] = field(default_factory=list)
    lint: dict[str, str] = field(default_factory=dict)     # report path → "ok" / "2 errors, 3 warnings"
    checks: list[Check] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(c.blocks for c in self.checks)

    def timescale_summary(self) -> str:
        found = [c.message for c in self.checks if c.topic == "timescale"]
        return "; ".join(found) if found else "in time"


def preflight(conf: Conference, manifest: Manifest, settings: Settings) -> Preflight:
    """Every pre-flight check for one conference (reports are parsed and linted once here)."""
    result = Preflight(conf)
    for path, line in conf.reports:
        _report(result, manifest, settings, path, line)
    _timescales(result, conf, settings, f"{manifest.path}:{conf.line}")
    _recipients(result, manifest)
    _children(result, manifest)
    return result


def _report(result: Preflight, manifest: Manifest, settings: Settings, path: Path, line: int) -> None:
    """One listed report: there, readable, for this conference, its lint result, shared in time."""
    conf = result.conference
    if not path.is_file():
        block = manifest.missing_reports == "block"
        result.checks.append(Check("report", f"missing report {path.name}: the file does not exist" +
                                   ("" if block else "; the packs are made without it (policy: flag)"),
                                   block, f"{manifest.path}:{line}"))
        return
    try:
        doc = parse_file(path)
    except InputError as exc:
        result.checks.append(Check("report", f"{path.name} cannot be read: {exc.message}", True,
                                   f"{exc.path}:{exc.line or 1}"))
        return
    problem = _belongs(doc, conf, {p.id: p for p in conf.people + conf.children})
    if problem:
        result.checks.append(Check("report", f"{path.name}: {problem}", True, f"{path}:1"))
        return
    lint = lint_document(doc, settings)
    counts = {s: sum(f.severity == s for f in lint.findings) for s in ("error", "warning", "suggestion")}
    result.lint[str(path)] = "ok" if not any(counts.values()) else ", ".join(
        f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    if counts["error"]:
        policy = conf.lint_errors or manifest.lint_errors
        first = next(f for f in lint.findings if f.severity == "error")
        result.checks.append(Check(
            "lint", f"{path.name} has {counts['error']} lint error(s), e.g. line {first.line}: {first.message}"
                    + ("" if policy == "block" else " (flagged: policy lets it through)"),
            policy == "block", f"{path}:{first.line}"))
    result.reports.append(doc)
    _shared_in_time(result, doc, path, settings)


def _recipients(result: Preflight, manifest: Manifest) -> None:
    """Everyone can be reached; a pack that goes where others live or read says so."""
    conf = result.conference
    for who in conf.recipients:
        d = who.delivery
        if d.by == "email" and not d.email:
            result.checks.append(Check("recipient", f"{who.name} ({who.id}) gets the pack by email but has no "
                                                    "email address", False, f"{manifest.path}:{who.line}"))
        elif d.by == "post" and not d.address:
            result.checks.append(Check("recipient", f"{who.name} ({who.id}) gets the pack by post but has no "
                                                    "address", False, f"{manifest.path}:{who.line}"))
        home = household(conf, who)
        if home:
            names = join_names([o.name for o in conf.people + conf.children if o.id in home])
            where = (f"is posted to the home of {names}" if d.by == "post" else
                     f"is emailed to an address {names} also {'uses' if len(home) == 1 else 'use'}")
            result.checks.append(Check("recipient", f"{who.name}'s pack {where}, so it holds only what "
                                                    f"{'both' if len(home) == 1 else 'all'} of them may see",
                                       False, f"{manifest.path}:{who.delivery.line}"))


def _children(result: Preflight, manifest: Manifest) -> None:
    """Children old enough to be heard have a report of their own or an advocate."""
    conf = result.conference
    for child in conf.children:
        age = age_on(child.dob, conf.date)
        if age is None or age < CHILD_VOICE_AGE:
            continue
        has_report = any(d.meta.kind == "child-report" and any(c.id == child.id for c in d.meta.children)
                         for d in result.reports)
        if not has_report and not child.advocate:
            result.checks.append(Check("child", f"{child.name} is {age}: there is no child's report and no "
                                                "advocate noted; ask how their views will be heard",
                                       False, f"{manifest.path}:{child.line}"))


def _belongs(doc: Document, conf: Conference, invited: dict) -> str | None:
    """Why a report is not for this conference, or None."""
    meta = doc.meta
    if not meta.kind:
        return "has no 'kind:' in its front matter"
    if meta.conference.date and meta.conference.date != conf.date:
        return (f"is for a conference on {long_date(meta.conference.date)}, not {long_date(conf.date)}; "
                "check the manifest lists the right file")
    ids = {p.id: p for p in meta.family}
    for pid, person in invited.items():
        if person.group == "child" and not person.invited:
            continue
        if pid not in ids:
            return f"does not name '{pid}' ({person.name}) in its front matter, so their copy cannot be made safely"
        if ids[pid].name.lower() != person.name.lower():
            return f"names '{pid}' as {ids[pid].name}, but the manifest says {person.name}"
    return None


def _shared_in_time(result: Preflight, doc: Document, path: Path, settings: Settings) -> None:
    conf = result.conference
    key = "reports_before_initial_working_days" if conf.type == "initial" else "reports_before_review_working_days"
    needed = settings.timescales[key]
    latest = add_working_days(conf.date, -needed)
    shared = doc.meta.shared_with_family
    if shared is None:
        result.checks.append(Check("timescale", f"{path.name} has no shared_with_family date: it must reach the "
                                                f"family by {long_date(latest)}", False, f"{path}:1"))
    elif shared > latest:
        days = working_days_between(shared, conf.date)
        result.checks.append(Check(
            "timescale", f"{path.name} was shared on {long_date(shared)}, {days} working day(s) before the "
                         f"conference; {conf.type} conferences need {needed} (by {long_date(latest)})",
            False, f"{path}:1"))


def _timescales(result: Preflight, conf: Conference, settings: Settings, where: str) -> None:
    t = settings.timescales
    if conf.type == "initial" and conf.strategy_discussion:
        days = working_days_between(conf.strategy_discussion, conf.date)
        limit = t["initial_conference_within_working_days"]
        if days > limit:
            result.checks.append(Check(
                "timescale", f"initial conference {days} working days after the strategy discussion on "
                             f"{long_date(conf.strategy_discussion)}; it should be within {limit} "
                             f"(by {long_date(add_working_days(conf.strategy_discussion, limit))})", False, where))
    if conf.type == "review" and conf.previous_date:
        months = t["first_review_within_months" if conf.previous_type == "initial" else "later_reviews_every_months"]
        due = working_day_on_or_before(add_months(conf.previous_date, months))
        if conf.date > due:
            result.checks.append(Check(
                "timescale", f"review {(conf.date - due).days} day(s) late: the {conf.previous_type} conference "
                             f"was on {long_date(conf.previous_date)}, so this review was due within {months} "
                             f"months, by {long_date(due)}", False, where))

