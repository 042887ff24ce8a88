"""``structure.*``: the sections each kind of document needs, present and not empty."""
from __future__ import annotations

import re

from .findings import Context
from .text import Section

_PUNCT = re.compile(r"[^\w\s']+")


def heading_key(title: str) -> str:
    """Lower case, curly apostrophes straightened, punctuation and extra spaces removed."""
    return " ".join(_PUNCT.sub(" ", title.lower().replace("’", "'")).split())


def _matches(section_spec: dict, title: str) -> bool:
    norm = heading_key(title)
    if norm in (heading_key(h) for h in section_spec.get("headings", [])):
        return True
    words = norm.split()
    wanted = section_spec.get("words") or []
    return bool(wanted) and all(any(w.startswith(x) for w in words) for x in wanted)


def _words_under(sections: list[Section], i: int) -> int:
    """Words in section ``i`` and its subsections."""
    total = sections[i].words
    for s in sections[i + 1:]:
        if s.level <= sections[i].level:
            break
        total += s.words
    return total


def assign_sections(titles: list[str], kind_spec: dict) -> list[str | None]:
    """The section id each heading title stands for (each id used once, first match wins)."""
    ids: list[str | None] = []
    taken: set[str] = set()
    for title in titles:
        sid = next((spec["id"] for spec in kind_spec.get("sections", [])
                    if spec["id"] not in taken and _matches(spec, title)), None)
        if sid:
            taken.add(sid)
        ids.append(sid)
    return ids


def assign(ctx: Context, kind_spec: dict) -> dict[str, int]:
    """Give each section its id from the kind's spec; returns id → index in ctx.sections."""
    found: dict[str, int] = {}
    for i, sid in enumerate(assign_sections([s.title for s in ctx.sections], kind_spec)):
        if sid:
            ctx.sections[i].id = sid
            found[sid] = i
    return found


def check(ctx: Context) -> None:
    kind = ctx.doc.meta.kind
    kind_spec = ctx.settings.structure.get(kind) if kind else None
    if kind_spec is None:
        _strengths_by_words(ctx)
        return
    found = assign(ctx, kind_spec)
    line = ctx.doc.meta.body_line
    strengths = worries = False
    for spec in kind_spec.get("sections", []):
        i = found.get(spec["id"])
        if i is None:
            ctx.add("structure.missing-section", None, line=line, kind=kind_spec.get("title", kind).lower(),
                    section=spec["name"])
            continue
        words = _words_under(ctx.sections, i)
        if words == 0:
            ctx.add("structure.empty-section", None, line=ctx.sections[i].line, section=ctx.sections[i].title)
        strengths |= bool(spec.get("strengths")) and words > 0
        worries |= bool(spec.get("worries")) and words > 0
    if worries and not strengths:
        ctx.add("structure.no-strengths", None, line=line)


def _strengths_by_words(ctx: Context) -> None:
    """Without a kind: flag headings about worries with none about strengths."""
    titles = [heading_key(s.title) for s in ctx.sections]
    worries = any("worr" in t for t in titles)
    strengths = any(w in t for t in titles for w in ("working well", "going well", "strength", "good"))
    if worries and not strengths:
        ctx.add("structure.no-strengths", None, line=ctx.doc.meta.body_line)
