"""``restorative.*``: blaming labels, vague worries and opinion worded as fact; an entry with a
``context`` only where one of its words is close by ("high risk", not "the risk is that…")."""
from __future__ import annotations

from .findings import Context
from .text import in_sense, sense_of


def check(ctx: Context) -> None:
    senses: dict[int, dict] = {}
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.quoted:
            continue  # the family's own words
        for m in matches:
            family, entry = m.payload
            if family != "restorative":
                continue
            if "context" in entry:
                if id(entry) not in senses:
                    senses[id(entry)] = sense_of(entry["context"])
                if not in_sense(unit, m.first, m.last, senses[id(entry)]):
                    continue
            start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
            ctx.add(f"restorative.{entry['rule']}", unit, start, end, advice=entry["advice"])
