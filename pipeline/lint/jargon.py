"""``jargon.*`` and ``readability.simpler-word``: glossary terms with a plain alternative."""
from __future__ import annotations

from .findings import Context


def check(ctx: Context) -> None:
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.professional_only or (unit.kind == "heading" and unit.section and unit.section.id):
            continue  # text only professionals see; a kind's own required headings
        for m in matches:
            family, term = m.payload
            if family == "jargon":
                start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
                ctx.add(term.rule, unit, start, end, [term.plain], plain=term.plain, term=term.term)
