"""``restorative.*``: blaming labels, vague worries and opinion worded as fact; an entry with a
``context`` only where one of its words is close by ("high risk", not "the risk is that…").
A label said of a child ("Jamie was reluctant to go to school") is only a suggestion: most
often it describes the child, and blames no one.  Words in quotes are someone's own."""
from __future__ import annotations

import re

from .findings import Context
from .text import Unit, in_sense, sense_of

_QUOTE = re.compile(r"[\"“][^\"”]*[\"”]")
_YOU = frozenset({"you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'd", "you'll"})


def check(ctx: Context) -> None:
    senses: dict[int, dict] = {}
    children = frozenset(c.name.split()[0] for c in ctx.doc.meta.children if c.name.split())
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.quoted:
            continue  # the family's own words
        grown_ups = {i for m in matches if m.payload[0] == "voice" for i in range(m.first, m.last)}
        quoted = [(q.start(), q.end()) for q in _QUOTE.finditer(unit.text)] if '"' in unit.text or "“" in unit.text \
            else []
        for m in matches:
            family, entry = m.payload
            if family != "restorative":
                continue
            if quoted and any(a <= unit.tokens[m.first].start < b for a, b in quoted):
                continue  # someone's own words, quoted ("you said he is 'attention seeking'")
            if "context" in entry:
                if id(entry) not in senses:
                    senses[id(entry)] = sense_of(entry["context"])
                if not in_sense(unit, m.first, m.last, senses[id(entry)]):
                    continue
            child = entry["rule"] == "blaming" and children and _said_of_a_child(unit, m.first, children, grown_ups)
            start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
            ctx.add(f"restorative.{entry['rule']}", unit, start, end, advice=entry["advice"],
                    level="suggestion" if child else None)


def _said_of_a_child(unit: Unit, first: int, children: frozenset[str], grown_ups: set[int]) -> bool:
    """Whether a child is named just before token ``first`` in its sentence, with no one else
    between ("Jamie was very reluctant…"; not "Jamie's mum was reluctant…", nor "Poppy will
    continue to be exposed to neglectful parenting")."""
    low = next((s.first for s in unit.sentences if s.first <= first < s.last), 0)
    for i in range(first - 1, max(low, first - 4) - 1, -1):
        tok = unit.tokens[i]
        if tok.lower in _YOU or i in grown_ups:
            return False
        if tok.text in children:
            return True
    return False
