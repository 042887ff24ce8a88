"""``restorative.*``: blaming labels, vague worries and opinion worded as fact."""
from __future__ import annotations

from .findings import Context


def check(ctx: Context) -> None:
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.quoted:
            continue  # the family's own words
        for m in matches:
            family, entry = m.payload
            if family == "restorative":
                start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
                ctx.add(f"restorative.{entry['rule']}", unit, start, end, advice=entry["advice"])
