"""OUT/summary.html and OUT/summary.csv for a pack run.

The HTML is for the administrator who sends the packs: one row per pack (one conference,
one invited person) with a status and, where something needs doing, the reason, the
conferences that need attention first.  The CSV keeps the detail: one row per document,
with its pack's status beside it.

A pack's status, worst first:

* ``failed``: the pack was not made, because its conference was blocked by a pre-flight
  check or failed; the reason is the blocking check or the error.
* ``not deliverable``: the pack was made but cannot reach the person (delivery by email
  with no email address, by post with no address, or no delivery details); the reason
  says what to add to the manifest.
* ``made with warnings``: made and deliverable, but a non-blocking pre-flight check of its
  conference needs a look (a timescale, a report's lint errors let through, a listed
  report missing, a child with neither a report nor an advocate...).
* ``made``: nothing to do (packs skipped because nothing changed count as made).

Household notes (a pack posted or emailed to where someone else also reads it) are not
warnings: the pack already holds only what all of them may see."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from ..common.dates import long_date
from ..common.files import write_text
from .manifest import Conference, Invitee, Manifest
from .preflight import Check

if TYPE_CHECKING:   # run.py imports this module when it writes the summary
    from pathlib import Path

    from .run import ConferenceResult, PackRun

MADE, WARNINGS, UNDELIVERABLE, FAILED = "made", "made with warnings", "not deliverable", "failed"
STATUSES = (FAILED, UNDELIVERABLE, WARNINGS, MADE)          # worst first
_RANK = {status: rank for rank, status in enumerate(STATUSES)}
EXTRA_FIELDS = ["pack_status", "pack_reason"]                # added to run.FIELDS in summary.csv

# how a non-blocking check reads in a pack's reason: (one, several)
_WARNING_WORDS = {
    "timescale": ("timescale missed", "timescales missed"),
    "lint": ("a report has lint errors", "reports have lint errors"),
    "report": ("a listed report is missing", "listed reports are missing"),
    "child": ("a child has no report or advocate", "children have no report or advocate"),
}
_NOT_WARNINGS = ("recipient",)   # per person: delivery is judged from the manifest; households are notes


@dataclass
class PackStatus:
    """One pack in the summary: one conference, one invited person."""

    conference: Conference
    who: Invitee
    status: str
    reason: str = ""
    unchanged: bool = False          # skipped: nothing it is made from changed since the last run
    folder: str = ""                 # OUT-relative folder of the pack, "" if not made


@dataclass
class ConferencePacks:
    """One conference's packs, the worst first, with its run result and pre-flight checks."""

    conference: Conference
    result: ConferenceResult
    packs: list[PackStatus] = field(default_factory=list)
    warnings: list[Check] = field(default_factory=list)   # non-blocking checks that apply to every pack

    @property
    def worst(self) -> str:
        return min((p.status for p in self.packs), key=_RANK.__getitem__, default=MADE)

    @property
    def needs_attention(self) -> bool:
        return self.worst != MADE or self.result.status in ("blocked", "failed")


def pack_statuses(run: PackRun, manifest: Manifest) -> list[ConferencePacks]:
    """Every pack of the run with its status and reason: conferences needing attention first
    (the worst first, then in manifest order), then the rest in manifest order; in each
    conference the worst pack first, then in manifest order."""
    conferences = {c.id: c for c in manifest.conferences}
    found = [_conference_packs(conferences[r.conference], r, manifest) for r in run.results
             if r.conference in conferences]
    order = {id(c): i for i, c in enumerate(found)}
    found.sort(key=lambda c: (not c.needs_attention, _RANK[c.worst] if c.needs_attention else 0, order[id(c)]))
    return found


def _conference_packs(conf: Conference, result: ConferenceResult, manifest: Manifest) -> ConferencePacks:
    found = ConferencePacks(conf, result)
    found.warnings = [c for c in result.checks if not c.blocks and c.topic not in _NOT_WARNINGS]
    made: dict[str, str] = {}        # recipient id → "made" | "unchanged", from the pack's document rows
    for row in result.rows:
        if row.get("recipient") not in (None, "", "-") and row.get("status") in ("made", "unchanged"):
            made.setdefault(row["recipient"], row["status"])
    not_made = result.status in ("blocked", "failed")
    for who in conf.recipients:
        if not_made and who.id not in made:
            found.packs.append(PackStatus(conf, who, FAILED, _failure(result)))
            continue
        pack = PackStatus(conf, who, MADE, unchanged=made.get(who.id) == "unchanged", folder=f"{conf.id}/{who.id}/")
        warnings = _warning_words(found.warnings)
        fix = undeliverable(who, manifest)
        if fix:
            pack.status = UNDELIVERABLE
            pack.reason = fix + (f" Also: {warnings}." if warnings else "")
        elif warnings:
            pack.status, pack.reason = WARNINGS, _capital(warnings) + "."
        found.packs.append(pack)
    order = {id(p): i for i, p in enumerate(found.packs)}
    found.packs.sort(key=lambda p: (_RANK[p.status], order[id(p)]))
    return found


def _failure(result: ConferenceResult) -> str:
    reason = result.reason.rstrip(". ")
    if result.status == "blocked":
        return f"Blocked by a pre-flight check: {reason or 'see the checks below'}."
    return f"Not made: {reason or 'the conference failed'}."


def undeliverable(who: Invitee, manifest: Manifest) -> str:
    """What to add to the manifest so this person's pack can reach them, or ""."""
    d = who.delivery
    where = f"in {manifest.path.name} (line {d.line or who.line})"
    if d.by == "email" and not d.email:
        return (f"No email address: add one to {who.name}'s delivery details {where}, "
                "or send the pack by post with an address.")
    if d.by == "post" and not d.address:
        return (f"No postal address: add one to {who.name}'s delivery details {where}, "
                "or send the pack by email with an email address.")
    if d.by not in ("email", "post"):
        return (f"No delivery details: add 'delivery' (by email or post, with the address) for {who.name} "
                f"in {manifest.path.name} (line {who.line}).")
    return ""


def _warning_words(checks: list[Check]) -> str:
    counts: dict[str, int] = {}
    for check in checks:
        counts[check.topic] = counts.get(check.topic, 0) + 1
    words = []
    for topic, n in counts.items():
        one, several = _WARNING_WORDS.get(topic, (f"{topic} check", f"{topic} checks"))
        words.append(one if n == 1 else f"{n} {several}")
    return "; ".join(words)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- the files ---------------------------------------------------------------------------------
def write_summary(run: PackRun, manifest: Manifest, out: Path, fields: list[str]) -> None:
    """OUT/summary.csv (every document, with its pack's status) and OUT/summary.html (every pack)."""
    conferences = pack_statuses(run, manifest)
    status = {(p.conference.id, p.who.id): p for c in conferences for p in c.packs}
    rows = []
    for result in run.results:
        for row in result.rows:
            pack = status.get((row.get("conference"), row.get("recipient")))
            rows.append(dict(row, pack_status=pack.status if pack else FAILED,
                             pack_reason=pack.reason if pack else _failure(result)))
        if result.status == "failed":
            rows.append({"conference": result.conference, "status": "failed", "output": result.reason,
                         "pack_status": FAILED, "pack_reason": _failure(result)})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields + [f for f in EXTRA_FIELDS if f not in fields],
                            extrasaction="ignore", restval="")
    writer.writeheader()
    writer.writerows(rows)
    write_text(out / "summary.csv", buffer.getvalue())
    write_text(out / "summary.html", summary_html(conferences, manifest))


def count_line(conferences: list[ConferencePacks]) -> str:
    """"31 packs: 24 made, 4 made with warnings, 2 not deliverable, 1 failed"."""
    packs = [p for c in conferences for p in c.packs]
    counts = {s: sum(p.status == s for p in packs) for s in STATUSES}
    return (f"{len(packs)} pack{'' if len(packs) == 1 else 's'}: "
            + ", ".join(f"{counts[s]} {s}" for s in reversed(STATUSES)))


_STYLE = """
body{font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.4;margin:1.5em 2em;color:#1a1a1a}
h1{font-size:1.6rem;margin:0 0 .4em}
h2{font-size:1.15rem;margin:1.6em 0 .3em}
.count{font-size:1.2rem;font-weight:bold;margin:.2em 0}
table{border-collapse:collapse;width:100%;margin-top:1em;font-size:.95rem}
caption{text-align:left;font-weight:bold;padding:0 0 .4em}
th,td{border:1px solid #8a8a8a;padding:5px 8px;text-align:left;vertical-align:top}
thead th{background:#d9e2f3}
tbody th{font-weight:normal}
tbody{border-top:3px solid #404040}
.role,.where{color:#444;font-size:.9em}
.status,.date{white-space:nowrap}
.status{font-weight:bold}
.folder{overflow-wrap:anywhere}
.failed .status{background:#f6d5d5;color:#6b0000}
.not-deliverable .status{background:#ffe2bf;color:#5c3100}
.made-with-warnings .status{background:#fff2b3;color:#4a3b00}
.made .status{font-weight:normal}
.blocks{color:#6b0000}
ul{margin:.3em 0}
"""


def summary_html(conferences: list[ConferencePacks], manifest: Manifest) -> str:
    """The page: a count line, a table of every pack, then each conference's checks."""
    title = f"Conference packs: {manifest.path.name}"
    attention = [c for c in conferences if c.needs_attention]
    fine = [c for c in conferences if not c.needs_attention]
    unchanged = sum(p.unchanged for c in conferences for p in c.packs)
    parts = ["<!DOCTYPE html>\n<html lang='en-GB'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>",
             f"<h1>{escape(title)}</h1>",
             f"<p class='count' id='count'>{escape(count_line(conferences))}</p>",
             f"<p>{len(conferences)} conference{'' if len(conferences) == 1 else 's'}: "
             + (f"{len(attention)} need{'s' if len(attention) == 1 else ''} attention "
                f"({escape(', '.join(c.conference.id for c in attention))}), listed first"
                if attention else "none needs attention")
             + (f"; nothing to do for {escape(', '.join(c.conference.id for c in fine))}" if fine else "")
             + ".</p>"]
    if unchanged:
        parts.append(f"<p>{unchanged} of the packs had nothing changed since the last run, so "
                     f"{'it was' if unchanged == 1 else 'they were'} kept as made.</p>")
    parts.append(_table(conferences))
    for found in attention:
        parts.append(_checks(found))
    notes = [(c, check) for c in fine for check in c.result.checks]
    if notes:
        parts.append("<h2 id='notes'>Notes on the other conferences</h2><ul>" + "".join(
            f"<li>{escape(c.conference.id)}: {_check(check)}</li>" for c, check in notes) + "</ul>")
    parts.append("</main></body></html>\n")
    return "".join(parts)


_COLUMNS = ("Status", "Conference", "Date", "Pack for", "Delivery", "Reason and what to do", "Pack folder")
_WIDTHS = (12, 8, 10, 18, 10, 28, 14)     # per cent


def _table(conferences: list[ConferencePacks]) -> str:
    parts = ["<table><caption>Every pack, one row per person invited: the conferences that need attention "
             "first, and in each conference the pack that needs most attention first</caption>",
             "<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in _WIDTHS) + "</colgroup>",
             "<thead><tr>" + "".join(f"<th scope='col'>{c}</th>" for c in _COLUMNS) + "</tr></thead>"]
    for found in conferences:
        conf = found.conference
        parts.append(f"<tbody id='packs-{escape(conf.id)}'>")
        for pack in found.packs:
            who = pack.who
            reason = escape(pack.reason)
            if pack.status in (WARNINGS, UNDELIVERABLE) and found.warnings:
                reason += f" <a href='#checks-{escape(conf.id)}'>See the checks for {escape(conf.id)}</a>."
            folder = (f"<a href='{escape(pack.folder)}'>{escape(pack.folder)}</a>"
                      + (" <span class='role'>(unchanged)</span>" if pack.unchanged else "")
                      if pack.folder else "not made")
            parts.append(
                f"<tr class='{pack.status.replace(' ', '-')}'>"
                f"<td class='status'>{escape(pack.status)}</td>"
                f"<td>{escape(conf.id)}</td>"
                f"<td class='date'>{escape(_short_date(conf))}</td>"
                f"<th scope='row'>{escape(who.name)}<br><span class='role'>{escape(_role(who))}</span></th>"
                f"<td>{escape(_delivery(who))}</td>"
                f"<td class='reason'>{reason}</td>"
                f"<td class='folder'>{folder}</td></tr>")
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _checks(found: ConferencePacks) -> str:
    conf, result = found.conference, found.result
    counts = {s: sum(p.status == s for p in found.packs) for s in STATUSES}
    packs = ", ".join(f"{counts[s]} {s}" for s in reversed(STATUSES) if counts[s])
    state = {"blocked": "blocked, no packs made", "failed": "failed"}.get(result.status, result.status)
    parts = [f"<section id='checks-{escape(conf.id)}'>",
             f"<h2>{escape(conf.id)}: {escape(conf.type)} conference, "
             f"{escape(long_date(conf.date))}</h2>",
             f"<p>Conference {escape(state)}" + (f": {escape(result.reason)}" if result.reason else "")
             + f". Packs: {escape(packs)}.</p>"]
    if result.checks:
        parts.append("<ul>" + "".join(f"<li>{_check(c)}</li>" for c in result.checks) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _check(check: Check) -> str:
    label = "<strong class='blocks'>blocks the packs</strong>, " if check.blocks else ""
    return (f"{label}{escape(check.topic)}: {escape(check.message)}"
            + (f" <span class='where'>({escape(check.where)})</span>" if check.where else ""))


def _short_date(conf: Conference) -> str:
    day = conf.date
    return f"{day:%a} {day.day} {day:%b %Y}" if day else ""


def _role(who: Invitee) -> str:
    if who.group == "professional":
        return ", ".join(x for x in (who.role, who.agency) if x)
    if who.group == "child":
        return "child"
    return who.relationship or who.role


def _delivery(who: Invitee) -> str:
    d = who.delivery
    if d.by == "email":
        text = "email" if d.email else "email (address missing)"
    elif d.by == "post":
        text = "post" if d.address else "post (address missing)"
    else:
        text = "not given"
    return text + (", with password" if d.password else "")
