"""``voice.*``: sentences that talk about the family instead of to them."""
from __future__ import annotations

import re

from ..document.frontmatter import Meta, Person
from ..document.tree import Node
from .findings import Context
from .text import (
    ABBREVIATION,
    CLAUSE_BREAK,
    CLAUSE_START,
    MONTHS_AND_DAYS,
    POSSESSIVE,
    SECOND_PERSON,
    Unit,
    capitalised_inside,
    without_possessive,
)

ROLE_WORDS = {"mum": ("mum", "mother", "mummy", "mam"), "dad": ("dad", "father", "daddy")}


def _own(relationship: str) -> str:
    """A relationship without whose it is: "Mum's partner" is a partner."""
    return re.sub(r"\b\w+['’]s\b", "", relationship.lower())


_MUM_OR_DAD = re.compile(r"\b(mum|mother|mam|mummy|dad|father|daddy|stepmum|stepmother|stepdad|stepfather)\b")


def _gender(relationship: str) -> str:
    """"f", "m" or "p" from what the person is: "Mum to Jamie" is "f"; "Mum's partner" is
    not (whose partner says nothing of the partner), "Mum's boyfriend" is "m"."""
    rel = _own(relationship)
    if re.search(r"\b(mum|mother|stepmother|stepmum|mam|gran|grandmother|aunt|nan|sister|wife|girlfriend)\b", rel):
        return "f"
    if re.search(r"\b(dad|father|stepfather|stepdad|grandad|grandfather|uncle|brother|husband|boyfriend)\b", rel):
        return "m"
    return "p"


_TITLE_GENDER = {"Mr": "m", "Mrs": "f", "Ms": "f", "Miss": "f"}


class _Names:
    """Parents' and carers' names from the front matter: "Sam", "Sam Taylor", "Ms Taylor"
    (parents who share a surname are told apart by the title)."""

    def __init__(self, meta: Meta, titles: list[str]):
        self.first: dict[str, tuple[str, dict]] = {}
        self.surnames: dict[str, list[dict]] = {}
        self.titles = frozenset(titles)
        for p in meta.people:
            if p.role not in ("parent", "carer"):
                continue
            parts = p.name.split()
            gender = {"she": "f", "he": "m", "they": "p"}.get(p.pronouns or "", _gender(p.relationship))
            entry = {"plain": "you", "gender": gender, "id": p.id}
            if parts:
                self.first[parts[0]] = (parts[-1] if len(parts) > 1 else "", entry)
            if len(parts) > 1:
                self.surnames.setdefault(parts[-1], []).append(entry)

    def at(self, tokens, i: int) -> tuple[int, dict] | None:
        """(index after the name, entry) when a parent's name starts at token ``i``."""
        word = tokens[i].text
        bare = without_possessive(word)
        if word in self.titles and i + 1 < len(tokens):
            nxt = tokens[i + 1].text
            want = _TITLE_GENDER.get(word)
            entries = [e for e in self.surnames.get(without_possessive(nxt), ())
                       if want is None or e["gender"] in (want, "p")]   # "Mr Taylor" is not Sam Taylor, Mum
            entries.sort(key=lambda e: e["gender"] != want)
            if entries and entries[0]["gender"] == "p" and want:
                entries[0]["gender"] = want   # "Mrs Colley", a foster carer: "she" from now on
            return (i + 2, entries[0]) if entries else None
        if bare in self.first:
            surname, entry = self.first[bare]
            if bare == word and surname and i + 1 < len(tokens) and tokens[i + 1].text in (surname, surname + "'s"):
                return i + 2, entry
            return i + 1, entry
        return None


def check(ctx: Context) -> None:
    voice = ctx.settings.voice
    you, words = _second_person(ctx)
    if ctx.audience not in voice.get("audiences", []) or ctx.doc.meta.kind in voice.get("skip_kinds", []):
        _ratio(ctx, you, third=0)
        return
    names = _Names(ctx.doc.meta, voice.get("titles", []))
    possessives = frozenset(voice.get("possessives", []))
    verbs = voice.get("verbs", {})
    pronouns = {g: frozenset(words) for g, words in voice.get("pronouns", {}).items()}
    children = {c.first_name for c in ctx.doc.meta.children if c.first_name}
    # A report written to two or more parents must sometimes name one to the other; one that
    # never speaks to them as "you" is not written to them at all.
    several = sum(p.role in ("parent", "carer") for p in ctx.doc.meta.people) >= 2 and \
        you >= voice.get("written_to_family", 0.01) * words
    # parents the whole document is withheld from do not read it: their names, and "Dad" or
    # "he" when no parent who reads it could be meant, are not the third person about a reader
    parents = [p for p in ctx.doc.meta.people if p.role in ("parent", "carer")]
    absent = {p.id for p in parents if ctx.doc.meta.withheld_from(p)}
    if len(absent) == len(parents):
        absent = set()   # withheld from every parent: not a way to let a report talk about them
    gender_of = {e["id"]: e["gender"] for _, e in names.first.values()}
    absent_genders = {gender_of.get(i) for i in absent} - {gender_of.get(p.id) for p in parents if p.id not in absent} - {"p", None}
    # who "Mum", "Dad" or "his mum" could be: a parent, or a carer who is a mother or father to the
    # child ("Stepdad to Jamie"); not "Mum's partner", a nan or a foster carer
    readers = {gender_of.get(p.id) for p in parents if p.role == "parent" or _MUM_OR_DAD.search(_own(p.relationship))}
    # but a mother's partner may be "Stepdad"
    step_readers = {gender_of.get(p.id) for p in parents}
    absent_step = set(absent_genders)
    if parents and not readers & {"p", None}:   # no mother reads a report to Dad alone: "the children's mother"
        absent_genders |= {"f", "m"} - readers
    if step_readers and not step_readers & {"p", None}:
        absent_step |= {"f", "m"} - step_readers
    # the gender of the one parent the report is written to, if there is one
    reader_gender = {gender_of.get(p.id) for p in parents if p.id not in absent} if \
        sum(p.id not in absent for p in parents) == 1 else set()
    reporting = frozenset(voice.get("reporting_verbs", []))
    to_children = frozenset(voice.get("to_children", []))
    instructions, homes = frozenset(voice.get("instructions", ())), frozenset(voice.get("homes", ()))
    plan_labels = voice.get("plan_labels", [])
    sections = _plan_sections(ctx, frozenset(voice.get("plan_sections", [])), voice.get("plan_headings", []))
    # Only these words can change the outcome, so only they are visited.
    name_words = set(names.first) | names.titles | {n + s for n in names.first for s in POSSESSIVE}
    watch_text = name_words | children | {c + s for c in children for s in POSSESSIVE}
    watch_lower = frozenset().union(*pronouns.values())
    third = 0
    # one such person, as written or owning something ("the nurse", "the nurse's"): "partners",
    # "officers" are "they", not "she" or "he"
    others = {w.lower() + s: (g,) if g in pronouns else tuple(pronouns)
              for g, words in voice.get("others", {}).items() for w in words for s in ("", *POSSESSIVE)}
    if "they" in pronouns:   # "the nurses", "her sisters": "they" may be them
        others.update({w.lower() + "s": ("they",) for g, words in voice.get("others", {}).items() if g != "they"
                       for w in words if w.lower() + "s" not in others})
    child_gender = {c.first_name: {"she": "f", "he": "m"}.get(c.pronouns or "")
                    for c in ctx.doc.meta.children if c.first_name}
    child_gender.update({name: g for name, g in _child_genders(ctx.units, children).items()
                         if not child_gender.get(name)})
    everyone = tuple(pronouns)
    # the author, the chair, attendees and anyone else named in the front matter who is not a parent
    meta = ctx.doc.meta
    named = {w for p in (meta.author, *meta.attendees, *meta.apologies) for w in p.name.split()}
    named |= {w for p in meta.people if p.role not in ("parent", "carer") for w in p.name.split()}
    named |= set(meta.conference.chair.split())
    named -= set(names.first) | children | set(names.surnames)
    # the author's agency, the venue and the children's schools name places, not people
    services = frozenset(w.lower() for w in re.findall(r"[\w'’-]+", " ".join(
        (meta.author.agency, meta.conference.venue, *(c.school for c in meta.children))))) - \
        frozenset(w.lower() for w in named | set(names.first) | children | set(names.surnames))
    stands: dict[str, bool] = {}   # per gender: "she"/"he" stands for a parent in this section
    quiet: set[str] = set()        # genders someone else may be, in this paragraph (or list, or table)
    young: set[str] = set()        # genders a child may be: the children are what a report is about
    section, last_line = None, 0
    centre = None   # (unit, sentence, gender) of a sentence that opens with a parent talked about
    previous = None   # (unit, index of its last sentence) of the unit before
    rivals: set[tuple[int, int, str]] = set()   # (unit, sentence, gender) where an adult who is not a parent is named
    opening = next((u for u in ctx.units if u.kind != "heading"), None)   # where "To Sam" may stand
    for unit, matches in zip(ctx.units, ctx.matches):
        if unit.quoted or unit.professional_only:
            continue
        # "she" goes on standing for the parent across the paragraphs of a section; within a
        # paragraph, once someone else who could be "she" comes in, until the parent is named
        if unit.section is not section or unit.kind == "heading":
            stands, young, section = {}, set(), unit.section
        if unit.line > last_line + 1:   # a blank line before it: a new paragraph, not the next list item or row
            quiet = set()
        last_line = unit.position(max(len(unit.text) - 1, 0))[0]
        # the unit before's last sentence: the one a "He" opening this list item or paragraph goes on from
        before, previous = previous, (id(unit), len(unit.sentences) - 1)
        tokens = unit.tokens
        terms = {m.first: (m.last, m.payload[1]) for m in matches if m.payload[0] == "voice"}
        starts = {s.first for s in unit.sentences}
        events = sorted(terms.keys() | {i for i, t in enumerate(tokens)
                                        if t.lower in watch_lower or t.lower in others or t.text[:1].isupper() and (
                                            t.text in watch_text or t.text in named or _someone(t, i, starts, unit.text, services))})
        if not events:
            continue
        in_plan = several and (id(unit.section) in sections or _plan_label(unit, plan_labels, name_words))
        # to several parents, a paragraph speaking to one about the other says which is which
        quoted = unit.quotes()
        distinguishes = several and (in_plan or any(t.lower in SECOND_PERSON and not unit.in_quotes(t.start)
                                                    for t in tokens))
        both = None
        addressed = None
        aside = -2
        skip_to = 0
        for i in events:
            tok = tokens[i]
            if i < skip_to or unit.in_quotes(tok.start):
                continue
            if quoted and i in terms and any(a == _after_space(unit.text, tokens[terms[i][0] - 1].end) for a, _ in quoted):
                continue   # the child's words run on into a quote: 'Lily said Mummy "gets sad"'
            hit, rule = terms.get(i), "voice.third-person"
            if hit is not None and (hit[1].get("gender") in (absent_step if "step" in hit[1]["phrase"].lower() else
                                                             absent_genders) or
                                    hit[1].get("start") and i not in starts or
                                    _before_one_of([without_possessive(t.lower) for t in tokens[hit[0]:hit[0] + 3]], hit[1]) or
                                    _after_one_of([t.lower for t in tokens[max(0, i - 3):i]], hit[1],
                                                  tokens[hit[0]].lower if hit[0] < len(tokens) else "") or
                                    "after" in hit[1] and not _clause_start(unit, i, hit[0], starts, hit[1]["after"]) or
                                    unit.kind != "heading" and _in_a_name(tokens, i, hit[0], starts) or
                                    _as_a_role(unit, i, hit[0]) or
                                    hit[1].get("childs_word") and _told_a_child(unit, i, children, to_children) or
                                    several and unit.kind == "cell" and _only_words(unit, i, hit[0]) or
                                    several and (hit[1].get("one_reader") or hit[1].get("gender") in ("f", "m") and
                                                 _whose_home(unit, hit[0], homes))):
                hit = None   # "Parents …" only starting a sentence; "the family doctor" is not the family,
                # nor is "someone outside the family"; "| Mum |"; to two parents, "at Dad's", "Mum's house"
                # and "their dad" say which, as a name would
            if hit is None and tok.text in name_words:
                hit, rule = names.at(tokens, i), "voice.name"
                if hit:
                    addressed = addressed or _sentences_with_you(unit)
                    if unit is opening and _addressed_to(unit, name_words) or \
                            _vocative(unit, i, hit[0], starts, instructions) or \
                            addressed(tok.start) or hit[1]["id"] in absent:
                        hit = None  # "Sam, you told me…": the name addresses the reader; or is not one
                    elif several:
                        both = _sentences_naming_several(unit, names) if both is None else both
                        if (distinguishes or _sentence(unit, i) in both or not _subject(unit, i) or
                                i == 0 and _LABEL_COLON.match(unit.text, tokens[hit[0] - 1].end) or   # "Kyle: …"
                                unit.kind == "cell" and _only_words(unit, i, hit[0]) or
                                i and tokens[i - 1].lower in _SUBORDINATE or tok.text.endswith(POSSESSIVE) or
                                hit[0] < len(tokens) and tokens[hit[0]].lower in reporting):
                            hit = None  # to two parents, a name says which one: "Dale may hurt Sam", "with Leanne"
                    if hit is None:
                        quiet.update(everyone)
                elif tok.text in names.titles:   # "Ms Patel" who is not a parent: "she" may be her now, not "he"
                    gender = _TITLE_GENDER.get(tok.text)
                    could_be = (gender,) if gender in pronouns else everyone
                    quiet.update(could_be)
                    rivals.update((id(unit), _sentence(unit, i), g) for g in could_be)
                    skip_to = i + 2 if i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper() else i + 1
                    continue
            prev = tokens[i - 1].lower if i and not CLAUSE_BREAK.search(unit.text, tokens[i - 1].end, tok.start) else ""
            if hit and not (prev in possessives or prev.endswith(POSSESSIVE)):
                last, term = hit
                third += 1
                gender = "they" if term.get("plural") and "they" in pronouns else term.get("gender", "p")
                if term.get("reader") and len(reader_gender) == 1:
                    gender = next(iter(reader_gender))   # to Lee alone, "the client" is Lee, and "he" is too
                if last + 1 < len(tokens) and tokens[last].lower == "and" and "they" in pronouns and (
                        last + 1 in terms or tokens[last + 1].text in name_words and names.at(tokens, last + 1)):
                    gender = "they"   # "Mum and Dad came. They said…": both of them
                if gender in pronouns:   # "the couple", "parents": not "she" or "he"
                    stands[gender] = True
                    if _subject(unit, i):   # "Mum said…", not "the nurse spoke to Mum"
                        quiet.discard(gender)
                        young.discard(gender)
                        if i in starts:
                            centre = (id(unit), _sentence(unit, i), gender)
                _report(ctx, unit, i, last, term, rule, verbs)
                skip_to = last
            elif tok.text in children:   # until a parent is named again, even in a later paragraph
                gender = child_gender.get(tok.text)
                young.update((gender, "they") if gender else everyone)   # "Jamie and Amy… They"
                rivals.add((id(unit), _sentence(unit, i), "they"))   # "The parents took Jamie to the park. They…"
            elif tok.text.endswith(POSSESSIVE) and tok.text[:-2] in children:
                aside = _sentence(unit, i)   # "Jamie's arm": a pronoun later in this sentence is Jamie
            elif hit:   # "your mum", "his father": "she" or "he" may be them now
                gender = hit[1].get("gender", "p")
                quiet.update((gender,) if gender in pronouns else everyone)
            elif tok.lower in others:
                if not _describes(tokens, i):   # "Mum is a teacher" is still Mum
                    quiet.update(others[tok.lower])   # "the nurse", "her grandmother"
                    if "they" in others[tok.lower]:   # "Both parents rang the police. They came…"
                        rivals.add((id(unit), _sentence(unit, i), "they"))
            elif tok.text in named or (tok.lower not in watch_lower and tok.text[:1].isupper()):
                quiet.update(everyone)   # "Anna Cole", "PC Jones", "Kim": someone else
                if i not in starts:   # a name, not a capital opening a sentence
                    rivals.update((id(unit), _sentence(unit, i), g) for g in everyone)
            elif aside != _sentence(unit, i) and (any(
                    stands.get(g) and g not in quiet and g not in young and tok.lower in pronouns[g]
                    for g in pronouns) or _carries_on(unit, i, starts, centre, tok.lower, pronouns, rivals, before)):
                third += 1
                ctx.add("voice.pronoun", unit, tok.start, tok.end, ["you"])
                if i in starts and tok.lower in _SUBJECT_PRONOUNS:
                    centre = (id(unit), _sentence(unit, i), next(g for g in pronouns if tok.lower in pronouns[g]))
    _ratio(ctx, you, third)


_PLACES = frozenset("""court road street lane avenue close way drive park school academy college university
    centre center hospital clinic surgery practice council service team unit ward station house hall church
    mosque temple library nursery trust partnership police prison office board estate magistrate pharmacy
    chemist chemists hostel refuge hotel club project foundation charity""".split())
_BE = frozenset(("is", "was", "am", "are", "were", "be", "been", "became", "becomes"))


def _someone(tok, i: int, starts: set[int], text: str, services: frozenset[str] = frozenset()) -> bool:
    """Whether a word is probably someone's name: capitalised inside a sentence, not a month,
    a day or an acronym ("Kim", "Jones"; not "Monday", "GP", "DNAs"), and not part of a
    place's or a service's name ("Hallowmere Medical Practice", "Sandby Magistrates' Court",
    or a word of ``services``: the author's agency, the venue or a school)."""
    if not capitalised_inside(tok, i, starts) or any(c.isupper() for c in tok.text[1:]) or \
            tok.lower in MONTHS_AND_DAYS or text[:tok.start].rstrip().endswith((":", "\n")):
        return False
    # the run of capitalised words this one is in
    after = re.match(r"(?:[\s'’]*[A-Z][\w'’-]*){0,4}", text[tok.end:]).group()
    before = re.search(r"(?:[A-Z][\w'’-]*[\s'’]+){0,4}$", text[:tok.start]).group()
    return not any(w.lower().rstrip("'’s") in _PLACES or w.lower() in _PLACES or w.lower() in services   # "Services"
                   for w in re.findall(r"[\w'’-]+", before + tok.text + after))


def _clause_start(unit: Unit, i: int, last: int, starts: set[int], after) -> bool:
    """Whether token ``i`` starts a sentence or a clause, with more of it to come: after a
    comma, colon or semicolon, or after one of ``after`` ("…and parents do not accept",
    "which parents report"; not "hard on children and parents.")."""
    if last >= len(unit.tokens) or last in starts:
        return False
    if i in starts or i == 0:
        return True
    prev = unit.tokens[i - 1]
    return prev.lower in after or any(c in unit.text[prev.end:unit.tokens[i].start] for c in ",;:")


def _in_a_name(tokens, first: int, last: int, starts: set[int]) -> bool:
    """Whether a matched role ends in a capitalised word that a capitalised word follows inside
    a sentence: part of a name ("the Family Hub", "the Parents Plus course"), not "the Mother
    was…" nor "with Mother. She…" (nor a heading in title case: "What The Mother Needs To Do")."""
    end = tokens[last - 1].text
    return (last - 1 not in starts and end[:1].isupper() and not end.isupper() and last < len(tokens)
            and last not in starts and tokens[last].text[:1].isupper())


def _as_a_role(unit: Unit, first: int, last: int) -> bool:
    """"Leanne, as the tenant, you need to sign…", "As the tenant, it is up to you…", "the
    letter went to you as the tenant": the words say in what role the reader acts (not "As the
    mother, she should have… and you know this", "as the mother, who had been drinking…")."""
    tokens = unit.tokens
    if first == 0 or tokens[first - 1].lower != "as" or \
            unit.text[tokens[last - 1].end:].lstrip(" ’'")[:1] not in (",", ";", ")", ".", ""):
        return False
    sentence = unit.sentence_at(first)
    low = sentence.first if sentence else 0
    if any(t.lower in SECOND_PERSON for t in tokens[low:first - 1]):
        return True   # "You, as the parent, …", "the letter went to you as the tenant"
    for t in tokens[last:last + 6]:   # the clause it opens: "you…", "it is up to you…"; not "she…"
        if t.lower in SECOND_PERSON:
            return True
        if t.lower in _THIRD_PRONOUNS:
            return False
    return False


_THIRD_PRONOUNS = frozenset(("she", "he", "they", "her", "his", "him", "their", "them"))


def _describes(tokens, i: int) -> bool:
    """"(is) a teacher", "as a nurse": the word says what the person before it is."""
    if i >= 1 and tokens[i - 1].lower == "as":
        return True
    return i >= 2 and tokens[i - 1].lower in ("a", "an") and tokens[i - 2].lower in _BE


# a name after these is the subject of a clause about when, where or why, not of the sentence:
# "She smiles when Chantelle comes", "We are worried that if Stacey drinks…", "…the area where Kerry lives"
_SUBORDINATE = frozenset("if when whenever where because until unless while whether after before since once".split())


def _after_space(text: str, at: int) -> int:
    """Where the next character that is not a space is, from ``at``."""
    return len(text) - len(text[at:].lstrip(" "))


_GREETING = frozenset(("dear", "hello", "hi", "thanks", "you"))   # "Dear Sam,", "thank you, Sam,"


def _addressed_to(unit: Unit, name_words: set[str]) -> bool:
    """Whether a report's first paragraph is the line it is addressed by: "To Natalie", "Dear
    Leanne and Craig", "Leanne and Marcus," (only parents' names; not "For Ellie, Sam Must Stop
    Drinking")."""
    tokens = unit.tokens
    if len(tokens) >= 2 and tokens[0].lower in ("to", "dear", "for"):
        return all(t.text in name_words or t.lower == "and" for t in tokens[1:])
    return bool(tokens) and unit.text.rstrip().endswith((",", ":")) and \
        all(t.text in name_words or t.lower == "and" for t in tokens)


def _vocative(unit: Unit, first: int, last: int, starts: set[int], instructions: frozenset[str]) -> bool:
    """Whether a name followed by a comma or colon speaks to its reader: "Sam, you told me…",
    "Amira, I have been…", "Dear Sam,", "thank you, Sam,", "Above all, Dale, Ellie needs…",
    "Darren: clear up…" (a label, then one of ``instructions``);
    not "Dale, who had been drinking, pushed Sam", "Dale, Ellie's dad, was there", "the
    victim, Ms Khan, who had an injury", "the IP, Ms Brannigan, with a cut"."""
    tokens, text = unit.tokens, unit.text
    mark = text[tokens[last - 1].end:].lstrip(" *_")[:1]
    if mark not in (",", ":"):
        return False
    nxt = tokens[last] if last < len(tokens) else None
    if nxt is not None and nxt.lower in _RELATIVE:
        return False
    sentence = unit.sentence_at(first)
    end = sentence.last if sentence else len(tokens)
    # an aside closed by a second comma: "Dale, Ellie's dad, was there", "Sam, in my view, drinks"
    aside = last < end and "," in text[tokens[last - 1].end + 1:tokens[min(last + 5, end - 1)].start]
    if first in starts or first == 0:
        if nxt is not None and nxt.lower in _SPEAKING or mark == ":" and last >= end:
            return True   # "Sam, you…", "Sam, I…"; "Sam:" heading what is said to Sam
        if mark == ":" and nxt is not None and _told(unit, last, end, instructions):
            return True   # "Darren: clear up the dog's mess", "Tracey: if Connor is late, ring 101"
        if aside:
            return False
        if mark == ",":
            return True   # "Michelle, two other mums go."
        # "Sam: Ellie is well, and you…"
        return any(t.lower in _SPEAKING and not unit.in_quotes(t.start) for t in tokens[last:end])
    prev = tokens[first - 1]
    if prev.lower in _GREETING:
        return True
    if "," in text[prev.end:tokens[first].start]:   # between commas, after an opening phrase, not a role
        return not aside and prev.lower not in _ROLES and not prev.lower.endswith(POSSESSIVE) and \
            not ABBREVIATION.fullmatch(prev.text)   # "the IP, Ms Brannigan,": a role written short
    return nxt is not None and nxt.lower in SECOND_PERSON | {"i", "we", "please", "thank", "thanks"}


def _told(unit: Unit, at: int, end: int, instructions: frozenset[str]) -> bool:
    """Whether the words from token ``at`` tell someone what to do: one of ``instructions``, or
    "if"/"when" and then one after the comma ("if Connor is late, ring 101"; not "when she
    feels low, she rings her sister")."""
    tokens = unit.tokens
    word = tokens[at]
    if word.lower in ("if", "when"):
        after = next((t for t in tokens[at + 1:end] if "," in unit.text[word.end:t.start]), None)
        return after is not None and after.text.islower() and after.lower in instructions
    return word.text.islower() and word.lower in instructions


def _whose_home(unit: Unit, last: int, homes: frozenset[str]) -> bool:
    """Whether a role word ending at token ``last`` owns a home ("at Dad's.", "Mum's house"), not
    something of the parent's own ("Mum's drinking")."""
    tokens = unit.tokens
    if not tokens[last - 1].text.endswith(POSSESSIVE):
        return False
    if last == len(tokens) or tokens[last].lower in homes or CLAUSE_BREAK.search(unit.text, tokens[last - 1].end,
                                                                                  tokens[last].start):
        return True
    # "weekends at Mum's are fun", "goes to Dad's every other weekend", "between Mum's and Dad's";
    # not "angry at Dad's drinking", "due to Mum's drinking"
    return last > 1 and tokens[last - 2].lower in _TO_A_PLACE and tokens[last].lower in _AFTER_A_PLACE


_TO_A_PLACE = frozenset("at to from between and than".split())
_AFTER_A_PLACE = frozenset("""are is was were and or on for every each at with this last next in because but so when
    until since after before than to from""".split())
_RELATIVE = frozenset(("who", "whose", "whom", "which"))
_SPEAKING = SECOND_PERSON | {"i", "we", "me", "us", "my", "our", "please", "thank", "thanks"}
# "the victim, Ms Khan," "Ellie's mother, Sam,": who the name is, not someone spoken to
_ROLES = frozenset("""mother father mum dad mummy daddy parent parents carer victim suspect partner
    boyfriend girlfriend husband wife tenant defendant complainant perpetrator witness aunt uncle grandmother
    grandfather nan grandad sister brother daughter son stepfather stepmother""".split())


def _child_genders(units: list[Unit], children: set[str]) -> dict[str, str]:
    """A child's pronoun, where the front matter gives none, from how the report speaks of them:
    a sentence that opens with the child's name and is followed by one that opens with "He",
    "His", "She" or "Her" ("Kai is four. He loves the sand tray."), or that calls them a boy or
    girl ("Isla is a happy girl"); only where at least two such sentences agree and none disagrees."""
    votes: dict[str, list[str]] = {}
    for unit in units:
        if unit.quoted or unit.kind == "heading":
            continue
        tokens, sentences = unit.tokens, unit.sentences
        for k, sentence in enumerate(sentences):
            name = tokens[sentence.first].text
            if name not in children:
                continue
            words = {t.lower for t in tokens[sentence.first:sentence.last]}
            said = [g for g, cue in (("m", "boy"), ("f", "girl")) if cue in words]
            if len(said) == 1:
                votes.setdefault(name, []).extend(said * 2)
            elif k + 1 < len(sentences):
                opening = tokens[sentences[k + 1].first].lower
                gender = "m" if opening in ("he", "his") else "f" if opening in ("she", "her") else None
                if gender:
                    votes.setdefault(name, []).append(gender)
    return {name: said[0] for name, said in votes.items() if len(said) >= 2 and len(set(said)) == 1}


def _subject(unit: Unit, i: int) -> bool:
    """Whether the word at token ``i`` starts its sentence or clause (likely its subject),
    rather than following a verb or preposition ("with Leanne", "offer Dale a place"); after a
    word that opens the sentence and says how or when ("Unfortunately Mum is…", "Today Dad said…")."""
    if i == 0 or any(s.first == i for s in unit.sentences):
        return True
    between = unit.text[unit.tokens[i - 1].end:unit.tokens[i].start]
    prev = unit.tokens[i - 1].lower
    return "," in between or ":" in between or ";" in between or prev in CLAUSE_START or \
        (prev.endswith("ly") or prev in _SENTENCE_ADVERBS) and any(s.first == i - 1 for s in unit.sentences)


_SENTENCE_ADVERBS = frozenset("today yesterday now then also still since sometimes often".split())   # "Today Mum said…"


def _second_person(ctx: Context) -> tuple[int, int]:
    """How many of a report's words (outside quotes) are "you", "your"…, and how many words."""
    you = words = 0
    for unit in ctx.units:
        if not unit.quoted:
            words += len(unit.tokens)
            you += len([t for t in unit.tokens if t.lower in SECOND_PERSON])
    return you, words


def _only_words(unit: Unit, first: int, last: int) -> bool:
    """Whether tokens ``first`` to ``last`` are all a unit says: a table's "Who" cell."""
    return first == 0 and last == len(unit.tokens)


def _carries_on(unit: Unit, i: int, starts: set[int], centre, word: str, pronouns: dict, rivals: set,
                before_unit) -> bool:
    """Whether "He", "She" or "They" opening a sentence goes on from the sentence before, which opened
    with a parent (or the parents) talked about ("Mr Dale was slow to report Kai missing. He does not accept…"):
    its subject, even after a child or a worker came into it ("the nurse's notes"), but not after
    an adult named in it who could be them ("Mum met Ms Cole, the nurse. She weighed Jamie.").
    Opening a list item or paragraph, it goes on from the last sentence of the one before."""
    if not (i in starts and word in _SUBJECT_PRONOUNS and centre is not None):
        return False
    last = (id(unit), _sentence(unit, i) - 1) if i else before_unit
    return last is not None and (centre[0], centre[1]) == last and word in pronouns.get(centre[2], ()) and \
        (*last, centre[2]) not in rivals


_SUBJECT_PRONOUNS = frozenset(("he", "she", "they"))


def _sentence(unit: Unit, i: int) -> int:
    return next((k for k, s in enumerate(unit.sentences) if s.first <= i < s.last), -1)


def _sentences_naming_several(unit: Unit, names: "_Names") -> set[int]:
    """The sentences that name two or more different parents, and the pairs of sentences next
    to each other that say something different of each with the same word ("Amira brought him
    on 15 September. Imran brought him on 24 November.", "| Craig has been to 5 of 6. Leanne
    has been to 3 of 6. |"; not "Mum failed to attend. Dad failed to attend.", "Sam was drunk.
    Dale was shouting.")."""
    found: dict[int, set[str]] = {}
    said: dict[int, set[tuple[str, str, str]]] = {}   # sentence -> (parent, word, what follows it)
    tokens = unit.tokens
    for i, tok in enumerate(tokens):
        if tok.text[:1].isupper():
            hit = names.at(tokens, i)
            if hit:
                k = _sentence(unit, i)
                found.setdefault(k, set()).add(hit[1]["id"])
                end = unit.sentences[k].last if k >= 0 else 0
                j = hit[0]
                while j < end and tokens[j].lower in _HELPING:
                    j += 1
                if j < end:
                    rest = " ".join(t.lower for t in tokens[j + 1:end])
                    said.setdefault(k, set()).add((hit[1]["id"], tokens[j].stem, rest))
    both = {k for k, ids in found.items() if len(ids) >= 2}
    for k, told in said.items():
        if any(p != q and w == v and r != o for p, w, r in told for q, v, o in said.get(k + 1, ())):
            both |= {k, k + 1}
    return both


# words that only help the verb after them: the comparison is in the word they lead to
_HELPING = frozenset("""is was are were be been being has have had having do does did will would can could
    shall should may might must not never also still""".split())


def _told_a_child(unit: Unit, i: int, children: set[str], verbs: frozenset[str]) -> bool:
    """Whether token ``i`` is in a "that" clause saying what a child is told, in the same sentence
    ("tell Josh and Lily, in words they understand, that Mum is poorly")."""
    tokens = unit.tokens
    sentence = unit.sentence_at(i)
    low = sentence.first if sentence else 0
    that = next((k for k in range(i - 1, max(low, i - 4) - 1, -1) if tokens[k].lower == "that"), None)
    return that is not None and any(tokens[k].lower in verbs and any(t.text in children for t in tokens[k + 1:k + 3])
                                    for k in range(max(low, that - 12), that))


_LABEL = re.compile(r"([^:\n]{3,60}?):(?!\d)")
_LABEL_COLON = re.compile(r"[*_]*\s*:")   # a name as a list item's label, to several parents: whose item it is


def _plan_label(unit: Unit, labels: list[str], names: set[str]) -> bool:
    """Whether a paragraph opens with a label in the writer's voice naming a part of the plan
    ("**Our worry is this:** Lee may…", "Danger statement: …"), as a heading would; not one
    naming someone ("Kai's teacher is worried: …") or a time ("worried at 14:15")."""
    label = _LABEL.match(unit.text)
    if not label or len(label.group(1).split()) > 6:
        return False
    words = label.group(1).lower()
    return any(w in words for w in labels) and not any(t.text in names or t.text[:1].isupper() and i
                                                       for i, t in enumerate(unit.tokens) if t.end <= label.end())


def _plan_sections(ctx: Context, ids: frozenset[str], headings: list[str]) -> set[int]:
    """The sections (by ``id()``) that are part of the plan: with a plan id of their own or
    from the nearest section around them that has an id, or a heading naming a plan part."""
    out: set[int] = set()
    stack: list[tuple[int, bool]] = []
    for section in ctx.sections:
        while stack and stack[-1][0] >= section.level:
            stack.pop()
        title = section.title.lower()
        if section.id:
            plan = section.id in ids
        else:
            plan = any(h in title for h in headings) or (stack[-1][1] if stack else False)
        stack.append((section.level, plan))
        if plan:
            out.add(id(section))
    return out


def _report(ctx: Context, unit: Unit, first: int, last: int, term: dict, rule: str, verbs: dict) -> None:
    """Add the finding with its mechanical rewrite: "Mum is" → "You are", "Mum's" → "your"."""
    tokens = unit.tokens
    end = tokens[last - 1].end
    suggestion = term["plain"]
    if tokens[last - 1].lower.endswith(POSSESSIVE):
        suggestion = "your"
    elif last < len(tokens) and tokens[last].lower in verbs and suggestion == "you":
        end = tokens[last].end
        suggestion = f"you {verbs[tokens[last].lower]}"
    start = tokens[first].start
    before = unit.text[:start].rstrip()
    if not before or before[-1] in ".!?:":
        suggestion = suggestion[:1].upper() + suggestion[1:]
    ctx.add(rule, unit, start, end, [suggestion], plain=suggestion)


def _sentences_with_you(unit: Unit):
    """A test: does the sentence holding this offset also say "you" (not inside a quote)?"""
    spans = [(s.start, s.end) for s in unit.sentences
             if any(t.lower in SECOND_PERSON and not unit.in_quotes(t.start) for t in unit.tokens[s.first:s.last])]
    return lambda offset: any(a <= offset < b for a, b in spans)


def _ratio(ctx: Context, second: int, third: int) -> None:
    ctx.metrics["second_person_ratio"] = round(second / (second + third), 2) if second + third else None


# -- for documents written to one person (letters, invitations) ----------------------------
def role_of(person: Person) -> str | None:
    """"mum" or "dad" from a relationship such as "Mum to Jamie and Ellie"."""
    words = person.relationship.lower().replace("-", " ").split()[:2]
    return next((role for role, names in ROLE_WORDS.items() if any(w in names for w in words)), None)


def pronoun_of(person: Person) -> str | None:
    """The person's pronoun: from the front matter, else from their relationship ("Mum to …")."""
    return person.pronouns or {"f": "she", "m": "he"}.get(_gender(person.relationship))


def _before_one_of(after: list[str], term: dict) -> bool:
    """Whether the words after a term (lower case) start with one of its ``not_before`` words or
    phrases: "the family doctor", "the mother and baby group"."""
    return any(after[:len(w.split())] == w.split() for w in term.get("not_before", ()))


def _after_one_of(before: list[str], term: dict, next_word: str) -> bool:
    """Whether the words just before a term (up to three, lower case) are one of its ``not_after``
    words ("outside the family"), or with the word after it one of its ``not_between`` pairs
    ("someone in the family who is ill")."""
    if before and before[-1] in term.get("not_after", ()):
        return True
    return any(next_word == after and " ".join(before[-len(words.split()):]) == words
               for words, after in term.get("not_between", ()))


def third_person_left(nodes: list[Node], reader: Person, voice: dict) -> list[tuple[str, int]]:
    """Words still about the reader in the third person after rewriting ("the mother" in a
    letter to the mother), each with the line of the notes it came from.  The voice rules'
    words are words for parents and carers: in a child's letter "the father" is their father."""
    if reader.role == "child":
        return []
    pronoun = pronoun_of(reader)
    gender = {"she": "f", "he": "m"}.get(pronoun or "", "p")
    terms = [t for t in voice.get("terms", []) if t.get("gender", "p") in (gender, "p")
             and not t.get("start") and "after" not in t]
    found = []
    for node in (n for top in nodes for n in top.walk() if n.type == "text"):
        for term in terms:
            flags = 0 if term.get("case_sensitive") else re.I
            for m in re.finditer(rf"(?<![\w'’]){re.escape(term['phrase'])}(?:['’]s)?(?![\w'’])", node.text, flags):
                after = re.findall(r"[\w'’]+", node.text[m.end():m.end() + 60])[:3]
                before = re.findall(r"[\w'’]+", node.text[max(0, m.start() - 40):m.start()])[-3:]
                if re.search(r"\b(your|my|his|her|their)\s+$", node.text[:m.start()], re.I) or (
                        _before_one_of([w.lower() for w in after], term)) or (
                        _after_one_of([w.lower() for w in before], term, after[0].lower() if after else "")):
                    continue   # "your mum"; "the family doctor"; "outside the family"
                found.append((m.group(), node.line))
    return found
