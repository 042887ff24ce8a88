"""Sentences from the chair's notes rewritten for the person a letter is written to.

The reader's names ("Sam", "Sam Taylor", "Ms Taylor", "Sam's"), the words for their role
("his mum" when the reader is his mum) and the pronouns that stand for them become "you"
and "your", and the verb after them agrees ("Sam has" → "you have", "she keeps" → "you
keep": the voice rules' ``verbs``, else the regular -s ending).  A pronoun is taken to
stand for the reader only when the reader is the last person named before it and the
pronoun is theirs (``pronouns`` in the front matter, or "she"/"he" from a parent's
relationship).  Everyone else stays named; in a child's letter the child's parents become
"your mum" and "your dad".  A group that takes in the reader is "you" too: "you and Noah
… on their own" → "on your own".

What still talks about the reader in the third person afterwards (a role word the
rewriting cannot place, such as "the mother") is found by
:func:`pipeline.lint.voice.third_person_left`, so a letter that would talk about its reader
is stopped at the line of the notes to change."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..common.frequency import zipf
from ..document.frontmatter import Meta, Person
from ..document.tree import Node
from ..lint.voice import ROLE_WORDS, pronoun_of, role_of
from ..render.fields import TITLES, first_name

_TOKEN = re.compile(r"[\ue000\ue001]?[^\W\d_]+(?:['’][^\W\d_]+)*|[.!?;:]")
_MARK = "\ue000"        # put before the "you"/"your" that replaced the reader's name
_OTHER = "\ue001"       # before "your dad" that replaced a parent's name in a child's letter
_POSSESSIVE = ("'s", "’s")
_PRONOUNS = {"she": ("she", "her", "hers", "herself"), "he": ("he", "him", "his", "himself"),
             "they": ("they", "them", "their", "theirs", "themselves")}
_YOU = {"she": "you", "he": "you", "they": "you", "him": "you", "them": "you", "hers": "yours", "theirs": "yours",
        "his": "your", "their": "your", "herself": "yourself", "himself": "yourself", "themselves": "yourselves"}
# after "her", a word that shows it is not "her [thing]": "told her that", "with her and"
_NOT_OWNED = frozenset("to that and or but with at in on for from about when if because so as by than "
                       "again too now then there here the a an".split())
_ADVERBS = frozenset("always also still never often now usually sometimes really just already".split())
_CLAUSE = frozenset("and but because so that when if while although though until unless after before since "
                    "or as".split())   # words after which a name starts a clause (and is its subject)
_BREAK = re.compile(r"[,;:(]")


@dataclass
class Reader:
    """How to rewrite text for one reader of a letter."""

    person: Person
    verbs: dict[str, str]
    others: list[str] = field(default_factory=list)     # other people's names, to know who was named last
    known_as: dict[str, str] = field(default_factory=dict)   # in a child's letter: "Dale" → "your dad"

    @classmethod
    def of(cls, meta: Meta, person: Person, verbs: dict[str, str], child: bool) -> "Reader":
        reader = cls(person, verbs)
        for p in [*meta.family, *meta.attendees, *meta.apologies]:
            if p.name != person.name:
                reader.others += [p.name, first_name(p.name)]
        if child:   # a child knows the workers by their first names, their parents as "your mum"
            for a in meta.attendees:
                reader.known_as.setdefault(a.name, first_name(a.name))
            for p in meta.people:
                role = role_of(p)
                if role and p.role in ("parent", "carer"):
                    reader.known_as[p.name] = reader.known_as[first_name(p.name)] = f"your {role}"
                    reader.known_as[role.capitalize()] = f"your {role}"   # "Dad will …"
        return reader

    def forms(self) -> list[str]:
        """The reader's names, longest first: "Sam Taylor", "Ms Taylor", "Sam"."""
        parts = [w for w in self.person.name.split() if w.rstrip(".") not in TITLES]
        found = {self.person.name, first_name(self.person.name)}
        if len(parts) > 1:
            found |= {f"{t} {parts[-1]}" for t in TITLES} | {f"{parts[0]} {parts[-1]}"}
        return sorted(found, key=len, reverse=True)

    def rewrite(self, nodes: list[Node]) -> list[Node]:
        """Rewrite the text nodes under ``nodes`` in place (one item: a cell, a list item)."""
        state = _State()
        for node in (n for top in nodes for n in top.walk() if n.type == "text"):
            new = self.text(node.text, state)
            if new != node.text:
                node.text, node.charpos = new, None
        return nodes

    def text(self, text: str, state: "_State | None" = None) -> str:
        """One run of text rewritten for the reader."""
        return self._agree(self._names(text), state or _State())

    def _names(self, text: str) -> str:
        names = "|".join(re.escape(f) for f in self.forms())
        role = role_of(self.person)
        if role:   # "his mum", "the children's mother" in a letter to their mum
            names += rf"|(?:his|her|their|the\s+children's|the\s+child's)\s+(?:{'|'.join(ROLE_WORDS[role])})"
        text = re.sub(rf"\b(?:{names})(?:['’]s)?\b",
                      lambda m: _MARK + ("your" if m.group().endswith(_POSSESSIVE) else "you"), text)
        for name, known in sorted(self.known_as.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(rf"(?<!your )\b{re.escape(name)}(['’]s)?\b",
                          lambda m, known=known: _OTHER + known + (m.group(1) or ""), text)
        return text

    def _agree(self, text: str, state: "_State") -> str:
        """Capitals, the verb after "you", and the reader's pronouns."""
        own = _PRONOUNS.get(pronoun_of(self.person) or "", ())
        others = {w for name in self.others for w in name.split()}
        out, last = [], 0
        agree_next = False
        for k, m in enumerate(tokens := list(_TOKEN.finditer(text))):
            word, start = m.group(), m.start()
            new = None
            if word in ".!?":
                state.sentence_start, state.group, agree_next = True, False, False
                continue
            if word.startswith(_OTHER):
                new = word[1:]   # "your dad": another person, named as the child knows them
                state.last_is_reader = False
            elif word.startswith(_MARK):
                word = word[1:]
                new = word
                state.last_is_reader = True
                after = tokens[k + 1].group().lower() if k + 1 < len(tokens) else ""
                before = tokens[k - 1].group().lower() if k else ""
                state.group = state.group or "and" in (after, before)
                subject = state.sentence_start or before in _CLAUSE or k == 0 or \
                    bool(_BREAK.search(text, tokens[k - 1].end(), start))
                agree_next = word == "you" and subject and after not in ("and", "or")   # "Sam has", not "told Sam news"
            elif agree_next:
                agree_next = word.lower() in _ADVERBS
                if not agree_next:
                    new = self._verb(word)
            elif word.lower() in own and state.last_is_reader:
                new = self._pronoun(word.lower(), tokens, k)
                agree_next = new == "you" and word.lower() in ("she", "he", "they")
            elif state.group and word.lower() in ("their", "them", "themselves", "they", "theirs"):
                new = _YOU[word.lower()]
            elif word in others:
                state.last_is_reader = False
            if new is not None:
                capital = state.sentence_start or (start == 0 and not out and state.first)
                new = new[:1].upper() + new[1:] if capital else new
                out.append(text[last:start] + new)
                last = m.end()
            state.sentence_start = state.first = False
        out.append(text[last:])
        return "".join(out).replace(_MARK, "").replace(_OTHER, "")

    def _verb(self, verb: str) -> str | None:
        lower = verb.lower()
        return self.verbs.get(lower) or _base(lower)

    @staticmethod
    def _pronoun(lower: str, tokens, k: int) -> str:
        if lower == "her":
            after = tokens[k + 1].group().lower() if k + 1 < len(tokens) else "."
            return "you" if after in _NOT_OWNED or after in ".!?;:" else "your"
        return _YOU[lower]


@dataclass
class _State:
    first: bool = True            # nothing written yet in this item
    sentence_start: bool = True
    last_is_reader: bool = False
    group: bool = False           # "you and Noah" in this sentence


def _base(verb: str) -> str | None:
    """"keeps" → "keep", "watches" → "watch", "tries" → "try": only where the base form is a
    common English word in its own right."""
    if not verb.isalpha() or not verb.endswith("s") or verb.endswith(("ss", "us", "is")) or len(verb) < 4:
        return None
    for cut, add in (("ies", "y"), ("shes", "sh"), ("ches", "ch"), ("sses", "ss"), ("xes", "x"), ("oes", "o"),
                     ("s", "")):
        if verb.endswith(cut):
            base = verb[: -len(cut)] + add
            return base if zipf(base) >= 3.0 else None
    return None
