"""``jargon.*`` and ``readability.simpler-word``: glossary terms with a plain alternative
(a term with two meanings only where the context gives its professional one), every other
acronym or initialism (``jargon.unknown-acronym``), professional words most families would
not use (``readability.uncommon-word``, from how often a word appears in English), and the
register model's guesses where none of these spoke (``jargon.likely``, see :mod:`.tone`)."""
from __future__ import annotations

import re

from ..common.frequency import zipf
from . import tone
from .findings import Context
from .glossary import Term, glossary_of
from .text import MONTHS_AND_DAYS, WORD, Unit, address_spans, in_sense, stem

_SECTION = re.compile(r"(?<!['’])\b[sS]{1,2}\.\s?(\d+[A-Za-z]?)\b")
_VERB_ENDING = re.compile(r"['’](?:d|ed|ing)$")
_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z]*[A-Z][a-z]?|[A-Z]{2,}\d*|[A-Z]+\d+[A-Z\d]*)$")
_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_DIGIT = re.compile(r"\d")
_CAPITALS = re.compile(r"[A-Z].*[A-Z]|[A-Z]\d")


def known_letters(settings) -> frozenset[str]:
    """Words in capitals families know or that only stress a word ("GP", "AND"), and the project's own."""
    if "known-letters" not in settings.cache:
        words = settings.words
        settings.cache["known-letters"] = frozenset(words["known_abbreviations"]) | frozenset(
            words.get("emphasis", ())) | settings.known_words
    return settings.cache["known-letters"]


def everyday_sense(unit: Unit, matches, known: frozenset[str]) -> list[tuple[int, int]]:
    """The spans of glossary terms used here in their everyday sense ("well known to the RAF
    cadets"): the register model guesses nothing there either."""
    return [(unit.tokens[m.first].start, unit.tokens[m.last - 1].end) for m in matches
            if m.payload[0] == "jargon" and m.payload[1].context and
            not in_sense(unit, m.first, m.last, m.payload[1].context, known)]


def check(ctx: Context) -> None:
    words = ctx.settings.words
    known = known_letters(ctx.settings)
    everyday = frozenset(w.lower() for w in words["everyday"]) | frozenset(w.lower() for w in ctx.settings.known_words)
    names = {w for p in ctx.doc.meta.family for w in re.findall(r"[^\W\d_]+", p.name)}
    names |= {w for a in ctx.doc.meta.attendees + ctx.doc.meta.apologies for w in re.findall(r"[^\W\d_]+", a.name)}
    names |= set(re.findall(r"[^\W\d_]+", " ".join((ctx.doc.meta.author.name, ctx.doc.meta.author.agency,
                                                   ctx.doc.meta.conference.venue, ctx.doc.meta.conference.chair))))
    uncommon = _Uncommon(words["uncommon"], everyday, {n.lower() for n in names})
    acronyms = not ctx.settings.is_disabled("jargon.unknown-acronym")
    rare = not ctx.settings.is_disabled("readability.uncommon-word") and ctx.audience != "professional"
    guess = not ctx.settings.is_disabled("jargon.likely") and ctx.audience != "professional"
    explained = _explained(ctx, known)
    headings = _form_headings(ctx)
    own = _own_names(ctx)
    for n, (unit, matches) in enumerate(zip(ctx.units, ctx.matches)):
        if unit.professional_only or (unit.kind == "heading" and unit.section and unit.section.id):
            continue  # text only professionals see; a kind's own required headings
        in_names = [(m.start(), m.end()) for name in own if name in unit.text for m in re.finditer(re.escape(name), unit.text)]
        covered: set[int] = set()
        judged: set[int] = set()
        heading = headings.get(unit.section.id, "") if unit.section is not None and unit.section.id else ""
        for m in matches:
            family, term = m.payload
            if family != "jargon":
                covered.update(range(m.first, m.last))
                continue
            if term.context and not in_sense(unit, m.first, m.last, term.context, known) or in_names and any(
                    a <= unit.tokens[m.first].start and unit.tokens[m.last - 1].end <= b for a, b in in_names):
                judged.update(range(m.first, m.last))   # its everyday sense here, or part of the writer's agency's
                continue   # name ("Thornleigh Early Help Service"): not the guesser's either
            covered.update(range(m.first, m.last))
            acronym = _has_acronym(term, unit.tokens[m.first:m.last])   # "CP plan": the letters stop a reader
            if not acronym and (explained.get(id(term), (n + 1, 0)) <= (n, m.first) or
                                heading and _heading_label(unit, m, term, heading)):
                continue   # the report has told the reader what it means, or its section's heading names it
            start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
            ctx.add("jargon.acronym" if acronym else term.rule, unit, start, end, [term.plain], plain=term.plain,
                    term=term.term)
        if unit.quoted:
            continue  # the family's own words
        if acronyms and ctx.audience != "professional":
            _acronyms(ctx, unit, covered, known, names)
            if "." in unit.text:
                _sections(ctx, unit)
        if rare:
            _uncommon_words(ctx, unit, covered, uncommon)
        if guess:
            _guesses(ctx, unit, covered | judged, known)


def _guesses(ctx: Context, unit: Unit, covered: set[int], known: frozenset[str]) -> None:
    """``jargon.likely``: words the register model reads as jargon ("poor emotional literacy",
    "peer relationships"), where no entry or other rule has spoken: not names, numbers or abbreviations."""
    starts = {s.first for s in unit.sentences}
    skip = covered | {i for i, t in enumerate(unit.tokens)
                      if t.text[:1].isupper() and i not in starts or _DIGIT.search(t.text) or t.text in known}
    for first, last, rule in tone.guesses(unit, ctx.settings, ("jargon",), indices=skip, memo=ctx.guessed):
        ctx.add(rule, unit, unit.tokens[first].start, unit.tokens[last - 1].end)


# "A danger statement says…", "county lines: gangs use…", "the perinatal team, who help…",
# "naloxone, a medicine that…", "Young Carers Castlemoor, a free club for children who…"
_DEFINED_AFTER = re.compile(r"""["”’]?(?:\s*[:—–]|,?\s*meaning\b|"""   # 'for "neglect", meaning their needs…'
                            # "an advocate for each of you: someone outside the council who…"
                            r"""(?:\s+[\w'’]+){1,4}\s*:\s*(?:someone|somebody|people|somewhere|something|a|an)\s|"""
                            # brackets that say something, not an abbreviation or a count: "(dmft 14)", "(CMHT)"
                            r"""\s*\((?![^)]*\d)(?!\s*[A-Z][A-Za-z]*[A-Z]s?\s*\))|(?:\s+\w+)?,\s*(?:(?:who|which)\b|"""
                            r"""(?:a|an)\s+(?!(?:step|word|thing|decision|point|move|lot|bit|one)\b)(?:[\w'’-]+\s+){1,4}?"""
                            r"""(?:that|which|who|where)\b)|\s+(?:says|means)\b(?!\s+(?:nothing|no|not)\b)|"""
                            # "the core group meeting on 4 February (the small group of people who…)",
                            # not "(the next day)"
                            r"""(?:\s+[\w']+){1,4}\s*\(\s*(?:where|when|which|who|people|someone|"""
                            r"""(?:a|an|the)(?:\s+[\w']+){1,4}\s+(?:where|when|which|who|that))\b|"""
                            r"""[.!]\s+(?:that|this|it)\s+means\b|"""   # "…my advocate. That means…"
                            r"""[.!]\s+(?:this|it)\s+is\s+(?:a|an)\s+\w+\s+(?:that|which|who|where|when)\b|"""
                            r"""[.!]\s+these\s+are\s+(?:the|people|things)\b)""",   # "Bottom lines. These are the least…"
                            re.I)
# the next sentence says what a term near the end of the last one means: "You are on licence
# until 1 March. This means you…", "I am Alfie's key person at the nursery. That means I…",
# "…a core group will meet by 3 December. That is you, me and both schools…"
_DEFINED_NEXT = re.compile(r"""\s*(?:(?:this|that|it)\s+means(?!\s+(?:nothing|no\b|not\b))|"""
                           r"""that\s+is\s+(?:you|people|someone|when|where)|"""
                           r"""this\s+is\s+(?:you|the\s+(?:people|parents|adults|workers|group))\b|"""   # "This is the parents and…"
                           # "…a community order for 2 years. This is a sentence you serve at home."
                           r"""(?:this|it)\s+is\s+(?:a|an)\s+(?!(?:\w+\s+)?(?:thing|step|help|change|time|shame|pity|"""
                           r"""relief|worry|matter|sign|problem|start|point|way|lot|bit|decision)\b)"""   # not "It is a good thing that…"
                           r"""(?:\w+\s+){1,2}?(?:that|which|who|where|when|you|with))\b""",
                           re.I)   # not "This means nothing changes"
# said of this case, or what it is not: "Here it means…", "It means not having…" (not "not everything")
_NEXT_HERE_IT_MEANS = re.compile(r"""\s*(?:here,?\s+(?:this|that|it)\s+means\s+(?!(?:nothing|no|not)\b)|"""
                         r"""(?:here,?\s+)?(?:this|that|it)\s+means\s+not\s+(?!\w*thing\b)\w+ing\b)""", re.I)
_WHO_IT_IS = re.compile(r"\s+and|\s+both|,")   # after "…is you": "…is you, me and…", "…is you and the workers…"
_NEXT_WITHIN = 8   # words after the term to the end of its sentence ("…check for Kai by 26 February 2027.")
# a phrase ending in one of these goes on into what follows it ("presented as: tired",
# "presented as cooperative, which may…"), which says how, not what the phrase means
_LINKING = frozenset(("as", "to", "with", "of", "for", "on", "in", "by", "at", "from", "about", "into"))
# 'what the police call "county lines"', 'known as', "This is called a strategy discussion" (not
# "Your social worker called a strategy discussion")
_DEFINED_BEFORE = re.compile(r"""(?:(?:\bcalls?|\bcalled|\bknown\s+as)\s*["“‘]?|"""
                             r"""(?:\b(?:is|are|was|were|be|been)\s+called|\bknown\s+as)\s+(?:a|an|the)\s+["“‘]?)$""", re.I)

# Ways of explaining that need the words to say what the glossary says the term means
# (:func:`_shares_meaning`), since the same shapes also say nothing: a term in quotes, then
# what it is ('a "notice seeking possession", the first legal step to end a tenancy', 'runs "short
# breaks", where a trained carer looks after Leo for a few hours', not
# '"core group", the next one on 10 April'); "…of the whole body, called a skeletal survey";
# "An orthoptist checks how well eyes work together" opening a sentence (not "An orthoptist
# checked…"); and a next sentence saying what it is, what they do or naming it again ("That
# is a full check by a children's doctor", "They run a club for children who care for
# someone at home", "This order says he must not contact you", "That is the smaller group
# (you two, the social worker…) who meet between conferences to check the plan").
_QUOTED_THEN = re.compile(r"""["”’],\s*(?:(?:a|an|the)\s+(?!(?:step|word|thing|decision|point|move|lot|bit|one)\b)|"""
                          r"""where\s+(?:a|an|someone|children|people)\b)""")
_IS_AFTER = re.compile(r"""["”’]?\s+(?:is|are)\s+(?:a|an|the|when|where|what|how|someone|people|time)\b""", re.I)
# what a definition says after "is": who or what, then a clause about it ("the point at which…",
# "the law's words for…", "a child whose family…", "the line the council uses…"), or people
_DEFINITION = re.compile(r"""["”’]?\s+(?:is|are)\s+(?:(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?(?:who|that|which|where|when|"""
                         r"""whose|for|at\s+which)\b|(?:the|a)\s+(?:person|people|group|name|word|words)\b|"""
                         r"""(?:the|a|an)\s+[\w'’-]+\s+(?:the|you|we|your|a|an)\s+\w+|"""   # "the line the council uses…"
                         r"""(?:when|where|what|how|someone|people|the\s+\w+\s+of\s+you)\b)""", re.I)
# the term, the word it names and a colon, then what it is: "a section 47 enquiry: finding out
# whether…" (not a record's "Core group held: plan reviewed")
_NAMED_THEN = re.compile(r"""\s+[a-z][\w'’-]*\s*:\s*(?=(?!\w*thing\b)\w+ing\b|(?:a|an)\s+(?:[\w'’-]+\s+){0,3}"""
                         r"""(?:who|that|which|where)\b)""")
_HERE_MEANS = re.compile(r"""["”’]?\s+here\s+means\s+(?!that\b)""", re.I)   # "Neglect here means a baby's basic needs…"
# examples, not a clause ("like food, clean nappies…", not "like we did", "such as the police said")
_EXAMPLES = re.compile(r""",\s*(?:like|such\s+as)\s+(?!(?:we|you|he|she|they|i|it|the|this|that|last|before|in|at|on|"""
                       r"""when|with|after|as|to|for|from|if)\b)""", re.I)
# a kind of thing, then its name: "A small group called the core group…" (not "A senior manager called a…")
_A_THING_CALLED = re.compile(r"""\b(?:a|an)\s+(?:[\w'’-]+\s+){0,3}(?:group|meeting|plan|team|service|place|order|"""
                             r"""check|programme|course|club|centre|talk|assessment|review|panel|list|test|visit)\s+"""
                             r"""called\s+(?:a|an|the)\s+["“‘]?$""", re.I)
_CALLED = re.compile(r""",\s*called\s+(?:a|an|the)\s+["“‘]?$""", re.I)
_GENERIC_BEFORE = re.compile(r"(?:^|[.!?:]\s+)An?\s+$")
_GENERIC_AFTER = re.compile(r"\s+(?!(?:is|was|has|does)\b)[a-z]+[^\Ws]s\s+(?:how|what|whether|when|where|why|if|"
                            r"people|children|families|parents|someone|anyone|you|your|"
                            r"a\s+(?:young\s+person|child|parent|person|family)\b(?!['’]))")
# a term opening its sentence, then what it is or does: "Short breaks are overnight stays with…",
# "These short breaks give Oliver fun with trained staff and give you both rest" (not "are not")
_IS = re.compile(r"""["”’']?\s+(?:(?:is|are)\s+(?:[\w'’-]+\s+)?[\w'’-]+[^\Ws]s\b|"""   # "…are overnight stays"
                 r"""(?:means|gives?|lets?|helps?)\s+(?!(?:not|no|nothing|never|now|still|being|going)\b))""", re.I)
# after "the", "a" or "an": "The core group is you and the workers who…" (not "Significant harm is likely");
# "is a…", "is the…" are :data:`_IS_AFTER`'s
_IS_DEFINED = re.compile(r"""\s+(?:is|are)\s+you\b""", re.I)
_OWNED_THEN = re.compile(r"""'\s+[\w-]+\s*,\s*(?:a|an)\s+""")
# a term set off by commas, naming what the words before it describe: "A smaller group, the core group,
# would meet you every few weeks to check it" (not a list: "the school, the core group, and you")
_RENAMED = re.compile(r"""^\s*(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}[\w'’-]+\s*,\s*(?:the\s+)?$""", re.I)
_GOES_ON = re.compile(r"""\s*,\s*(?!(?:and|or|the|a|an)\b)""", re.I)
_ONE_WORD_MEANS = re.compile(r"""\s*["“‘']?([\w-]+)["”’']?\s+means\s+"""
                             r"""(?!(?:a\s+lot|everything|so\s+much|nothing|the\s+world|more|less|much)\b)""", re.I)
_SAYS_NEXT = re.compile(r"""\s*(?:(?:that|this|it)\s+is\s+(?:a|an)\s+(?!(?:matter|thing|question|problem|decision|step|point|"""
                        r"""lot|bit|good|big|great|one)\b)(?:[\w'’-]+\s+){1,3}(?:by|of|for|from|who|that|which|where|when|to)|"""
                        r"""this\s+is\s+you\b|"""
                        r"""that\s+is\s+the\s+(?!(?:first|second|third|fourth|fifth|last|next|same|only|best|main|other)\b)"""
                        r"""(?:[\w'’-]+\s+){0,2}[\w'’-]+\s*(?:\([^)]*\)\s*)?(?:who|that|which|where|when)|"""
                        r"""these\s+are\s+(?!(?:not|the|all|also|still)\b)(?:[\w'’-]+\s+){0,2}[\w'’-]+[^\Ws]s\s|"""   # "These are checks the law…"
                        r"""(?:they|it)\s+(?:runs?|helps?|supports?|offers?|works?)\s+(?:[\w'’-]+\s+){0,4}?"""
                        r"""(?:children|people|families|parents|anyone|someone))\b""", re.I)
# words any explanation may hold, which say nothing of what a term means
_EMPTY = frozenset(stem(w) for w in """a an the and or of to for in on at by with from as who which that this it its is are
    was be been you your we our us they their them he she his her someone anyone people person child children family
    families parent parents help work support what how when where why if not no can will may must do does so
    all any some more most very after before about into over under out up down off through between during until
    since than then there here also just only still even every each other same""".split())


def _shares_meaning(term: Term, words: str) -> bool:
    """Whether ``words`` offered as an explanation share a word of meaning with what the
    glossary says the term means (its plain words and explanation), besides the term's own."""
    own = {stem(w.lower()) for w in WORD.findall(" ".join(term.forms))}
    meaning = {stem(w.lower()) for w in WORD.findall(f"{term.plain} {term.explain}")} - own - _EMPTY
    return bool(meaning & ({stem(w.lower()) for w in WORD.findall(words)} - own - _EMPTY))


def _form_headings(ctx: Context) -> dict[str, str]:
    """Each required section's heading, by its id, as the report's kind words it, in lower case
    ("Danger statements and safety goals")."""
    spec = ctx.settings.structure.get(ctx.doc.meta.kind or "") or {}
    return {s["id"]: s.get("name", "").lower() for s in spec.get("sections", ()) if s.get("id")}


_LABEL_AFTER = re.compile(r"""\s*\d*\s*(?:\([^)]*\)\s*)?[:.]""")   # "1:", "(from July 2026):"


def _heading_label(unit: Unit, m, term: Term, heading: str) -> bool:
    """Whether a term its section's heading names in the form's own words is used there as a
    label ("**Danger statement 1:** …", a table's "| Danger statement |"), as the heading is."""
    if m.first or not re.search(rf"\b{re.escape(term.term.lower())}", heading):
        return False
    return m.last == len(unit.tokens) or bool(_LABEL_AFTER.match(unit.text, unit.tokens[m.last - 1].end))


def _has_acronym(term, tokens) -> bool:
    """A jargon phrase written with an acronym ("CP plan"; "MDT" for "multidisciplinary team";
    not "CORE GROUP" in capitals): reported, and never explained away, as an acronym."""
    if term.kind != "jargon":
        return False
    written = term.term.split()
    spelled = {w.lower() for w in written}
    return any(_ACRONYM.match(t.text) and (t.text in written or t.lower not in spelled) for t in tokens)


def _own_names(ctx: Context) -> list[str]:
    """The names the front matter gives the writer's agency, the venue (each part between its
    commas) and the children's schools: "Willowgate Family Contact Centre" names a place."""
    meta = ctx.doc.meta
    parts = [meta.author.agency, *meta.conference.venue.split(","), *(c.school for c in meta.children)]
    return [p.strip() for p in parts if p and len(p.strip()) > 3]


def _explained(ctx: Context, known: frozenset[str]) -> dict[int, tuple[int, int]]:
    """Where the report first explains each jargon term it uses (unit index, token index):
    from the start of the paragraph that explains it ("…my advocate. An advocate is someone
    who…"), the reader knows the word.  Acronyms, and phrases holding one, stay flagged
    (families read them later).  A word in its everyday sense ("a place for Kayla") is not a
    term here."""
    out: dict[int, tuple[int, int]] = {}
    for n, (unit, matches) in enumerate(zip(ctx.units, ctx.matches)):
        if unit.professional_only or unit.quoted:
            continue   # words the family may never read, or their own, explain nothing to them
        named = [m for m in matches if m.payload[0] == "jargon" and m.payload[1].kind == "jargon"]
        terms = [m for m in named if not m.payload[1].context or in_sense(unit, m.first, m.last, m.payload[1].context, known)]
        for m in named:   # "These visits, which we call contact, …": named in its sense, whatever is near it
            if m not in terms and id(m.payload[1]) not in out and \
                    _DEFINED_BEFORE.search(unit.text, 0, unit.tokens[m.first].start):
                out[id(m.payload[1])] = (n, 0)
        for m in terms:
            term = m.payload[1]
            if id(term) in out or _has_acronym(term, unit.tokens[m.first:m.last]):
                continue
            start, end = unit.tokens[m.first].start, unit.tokens[m.last - 1].end
            goes_on = unit.tokens[m.last - 1].lower in _LINKING
            if _DEFINED_BEFORE.search(unit.text, 0, start) or not goes_on and (
                    _explained_after(unit, m, terms, start, end)) or _defined_next(unit, m):
                out[id(term)] = (n, 0)
            elif _place_name(unit, m):
                out[id(term)] = (n, m.first)
    # a term holding an explained one, or held in one, is explained from there too: "supervised
    # contact" after "which we call contact"; "child in need" after "a child in need plan. This is…"
    if not out:
        return out
    spans = [(" " + " ".join(t.lower for t in unit.tokens[m.first:m.last]) + " ", m.payload[1])
             for unit, matches in zip(ctx.units, ctx.matches) for m in matches if m.payload[0] == "jargon"]
    words = {w: out[id(term)] for w, term in spans if id(term) in out}
    for mine, term in spans:
        if id(term) not in out:
            at = min((v for w, v in words.items() if _holds(mine, w) or _holds(w, mine)), default=None)
            if at is not None:
                out[id(term)] = at
    return out


def _holds(longer: str, shorter: str) -> bool:
    """Whether the words ``shorter`` begin or end ``longer`` (each as written, lower case,
    padded with spaces)."""
    return longer != shorter and (longer.startswith(shorter) or longer.endswith(shorter))


# the last word of a term that names a kind of place ("contact centre", "family hub")
_PLACE_WORDS = frozenset(("centre", "centres", "center", "hub", "clinic", "house"))
# last words a term may be named without ("The core group is…" after "core group meetings")
_GENERIC_LAST = frozenset(("meeting", "meetings"))


def _place_name(unit: Unit, m) -> bool:
    """A term that names a kind of place, written as part of one place's name ("at Riverside
    Contact Centre"): from there on the reader knows it as that place, whose sign says so."""
    tokens = unit.tokens
    if not (m.first and unit.kind != "heading" and tokens[m.last - 1].lower in _PLACE_WORDS
            and all(t.text[:1].isupper() for t in tokens[m.first:m.last])):
        return False
    before = tokens[m.first - 1]
    sentence = unit.sentence_at(m.first)
    name = before.text[:1].isupper() and not before.text.isupper() and not before.lower.endswith(("'s", "’s")) and \
        before.lower not in MONTHS_AND_DAYS and before.lower not in tone.FUNCTION
    # the name ends with the term: "…Contact Centre on Tuesday", not "Contact Centre staff"
    ends = m.last == len(tokens) or tokens[m.last].lower in tone.FUNCTION or \
        not unit.text[tokens[m.last - 1].end:tokens[m.last].start].isspace()
    return name and ends and (sentence is None or sentence.first < m.first - 1)


def _defined_next(unit: Unit, m) -> bool:
    """The next sentence opens by saying what the term (or the term without a last word such as
    "meetings") is, wherever the term stands in its own ("I will go to core group meetings and
    say how you are doing. The core group is you and the workers who…"), in words that say what
    the glossary says."""
    sentence = unit.sentence_at(m.first)
    if not sentence or sentence.last >= len(unit.tokens):
        return False
    opening = unit.tokens[sentence.last:sentence.last + 2]
    words = [t.lower for t in unit.tokens[m.first:m.last]]
    if len(opening) < 2 or opening[0].lower not in ("the", "a", "an") or opening[1].lower != words[0]:
        return False   # the next sentence does not open "The", "A" or "An" and the term's first word
    after = unit.sentence_at(sentence.last)
    following = unit.text[sentence.end:after.end if after else len(unit.text)]
    heads = re.escape(" ".join(words))
    if len(words) > 2 and words[-1] in _GENERIC_LAST:
        heads += "|" + re.escape(" ".join(words[:-1]))
    opens = re.match(rf"\s*(?:the|an?)\s+(?:{heads})s?\s+(?:means\s+(?!not\b)|(?:is|are)\s+(?:you|a|an|the|when|where|someone|people)\b)",
                     following, re.I)
    # who it is, named ("The core group is you, me, Kayden's school and the health visitor"), or what it is
    if not opens:
        return False
    named = opens.group().lower().endswith("you") and _WHO_IT_IS.match(following, opens.end())
    return bool(named) or _shares_meaning(m.payload[1], following)


def _explained_after(unit: Unit, m, terms, start: int, end: int) -> bool:
    """Whether the words after a term, or the next sentence ("This means…" after a sentence
    whose only jargon term is near its end), explain it."""
    if _DEFINED_AFTER.match(unit.text, end):
        return True
    following = _next_sentence(unit, m, terms)
    return bool(following and _DEFINED_NEXT.match(following)) or _explained_if_it_says(unit, m, start, end, following)


def _next_sentence(unit: Unit, m, terms) -> str:
    """The sentence after the one holding term ``m``, when that is its only jargon term and
    near its end; else ""."""
    sentence = unit.sentence_at(m.first)
    if not (sentence and sentence.end < len(unit.text) and sentence.last - m.last <= _NEXT_WITHIN
            and sum(sentence.first <= t.first < sentence.last for t in terms) == 1):
        return ""
    after = unit.sentence_at(sentence.last)
    return unit.text[sentence.end:after.end if after else len(unit.text)]


def _explained_if_it_says(unit: Unit, m, start: int, end: int, following: str) -> bool:
    """The shapes of explanation that count only when their words say what the term means."""
    term = m.payload[1]
    sentence = unit.sentence_at(m.first)
    low, high = (sentence.start, sentence.end) if sentence else (0, len(unit.text))
    if _QUOTED_THEN.match(unit.text, end):   # the words up to the next comma
        appositive = unit.text[end:high].split(",", 2)
        return _shares_meaning(term, appositive[1] if len(appositive) > 1 else "")
    # "The threshold is the point at which…", "An abscess is an infection…" (not "The core group is a
    # week on Tuesday"); "Neglect here means…" (not "what significant harm here means"); "a section
    # 47 enquiry: finding out whether…": when these say nothing, the shapes below may still explain it
    opening = unit.text[low:start].strip(" \"“‘'*_").lower()
    if _IS_AFTER.match(unit.text, end) and (opening in ("a", "an") or
                                            _DEFINITION.match(unit.text, end) or _shares_meaning(term, unit.text[end:high])):
        return True
    here = _HERE_MEANS.match(unit.text, end)
    if here and not re.search(r"\bwhat\s+$", unit.text[low:start], re.I) and _shares_meaning(term, unit.text[here.end():high]):
        return True
    named = _NAMED_THEN.match(unit.text, end)
    if named and _shares_meaning(term, unit.text[named.end():high]):
        return True
    examples = _EXAMPLES.match(unit.text, end)
    if examples:   # "…basic care, like food, clean nappies and…"
        return _shares_meaning(term, unit.text[examples.end():high])
    if _GENERIC_BEFORE.search(unit.text, 0, start) and _GENERIC_AFTER.match(unit.text, end):
        return _shares_meaning(term, unit.text[end:high])
    if _A_THING_CALLED.search(unit.text, low, start):   # "A small group called the core group will check the plan"
        return _shares_meaning(term, unit.text[low:start] + unit.text[end:high])
    if _CALLED.search(unit.text, 0, start):
        return _shares_meaning(term, unit.text[low:start])
    if _RENAMED.match(unit.text[low:start]) and _GOES_ON.match(unit.text, end):
        return _shares_meaning(term, unit.text[low:high])   # "A smaller group, the core group, would meet you…"
    if _OWNED_THEN.match(unit.text, end):   # "the young carers' club, a group for children who…"
        return _shares_meaning(term, unit.text[end:high].split(",", 2)[1])
    if _IS.match(unit.text, end) and opening in ("", "these", "this") or \
            _IS_DEFINED.match(unit.text, end) and opening in ("the", "a", "an"):
        return _shares_meaning(term, unit.text[end:high])   # "Short breaks are overnight stays with…", "The core group is…"
    if following and (_SAYS_NEXT.match(following) or _NEXT_HERE_IT_MEANS.match(following) or
                      _names_it_again(unit, m, following) or _word_of_it_means(m, following)):
        return _shares_meaning(term, following)
    return False


def _word_of_it_means(m, following: str) -> bool:
    """The next sentence says what one word of the term means ('…the perinatal mental health team.
    "Perinatal" means pregnancy and…')."""
    said = _ONE_WORD_MEANS.match(following)
    return bool(said) and len(said.group(1)) > 3 and said.group(1).lower() in m.payload[1].term.lower().split()


def _names_it_again(unit: Unit, m, following: str) -> bool:
    """The next sentence names the term by its last word and says what it does ("…the
    non-molestation order you asked for. This order says Liam must not…")."""
    last = re.escape(unit.tokens[m.last - 1].lower)
    return bool(re.match(rf"\s*(?:this|that|the)\s+{last}s?\s+(?:means|says|lets|stops|gives|is\s+(?:a|an|the|when|where))\b",
                         following, re.I))


def _acronyms(ctx: Context, unit: Unit, covered: set[int], known: frozenset[str], names: set[str]) -> None:
    """Abbreviations families may not know; one made a verb ("DNA'd") even when its letters alone
    are known ("DNA"), if the glossary has it as a professional abbreviation."""
    if not _CAPITALS.search(unit.text):
        return   # no word with two capitals, or a capital and a digit
    tokens = unit.tokens
    acronyms = _glossary_acronyms(ctx.settings)[0]
    postcodes = [(m.start(), m.end()) for m in _POSTCODE.finditer(unit.text)] if _DIGIT.search(unit.text) else []
    addresses = address_spans(unit.text)
    for i, tok in enumerate(tokens):
        word = _VERB_ENDING.sub("", tok.text)   # "DNA'd", "CAF'ed": an abbreviation made a verb
        known_here = known if word == tok.text or word not in acronyms else frozenset()   # not "OK'd"
        if word.islower() or i in covered or len(word) < 2 or not _ACRONYM.match(word) or word in known_here or \
                word in names:
            continue
        if addresses and any(a <= tok.start < b for a, b in addresses):
            continue   # part of an email or web address
        bare = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if bare in known_here or _ROMAN.match(word) or any(a <= tok.start < b for a, b in postcodes):
            continue
        if word.isupper() and _shouting(tokens, i):
            continue   # capitals for emphasis: "PLEASE CALL ME"
        covered.add(i)
        ctx.add("jargon.unknown-acronym", unit, tok.start, tok.end)


def _glossary_acronyms(settings) -> dict[str, Term]:
    """The glossary's abbreviations by every form as written, and (first) by its lower case."""
    if "glossary-acronyms" not in settings.cache:
        forms = {f: t for t in glossary_of(settings).terms if t.kind == "acronym" for f in t.forms}
        lower: dict[str, Term] = {}
        for f, t in forms.items():
            lower.setdefault(f.lower(), t)
        settings.cache["glossary-acronyms"] = forms, lower
    return settings.cache["glossary-acronyms"]


def _sections(ctx: Context, unit: Unit) -> None:
    """A section of an Act written short ("s.47", "S. 39", "ss.17"): the glossary's plain words
    for "S47" where it has them."""
    by_lower = _glossary_acronyms(ctx.settings)[1]
    for m in _SECTION.finditer(unit.text):
        term = by_lower.get(f"s{m.group(1)}".lower())
        if term:
            ctx.add("jargon.acronym", unit, m.start(), m.end(), [term.plain], plain=term.plain, term=term.term)
        else:
            ctx.add("jargon.unknown-acronym", unit, m.start(), m.end())


def _shouting(tokens, i: int) -> bool:
    """Part of a run of capitalised everyday words (emphasis, not an abbreviation)."""
    run = [t for t in tokens[max(0, i - 2):i + 3] if t.text.isupper() and len(t.text) > 1]
    return len(run) >= 2 and sum(zipf(t.lower) >= 3.5 for t in run) >= 2


class _Uncommon:
    """Decides whether a word is one most families would not use."""

    def __init__(self, spec: dict, everyday: frozenset[str], names: set[str]):
        self.below, self.register_below = spec["below"], spec["register_below"]
        self.endings = tuple(spec["register_endings"])
        self.min_length = spec["min_length"]
        self.skip = everyday | names
        self.seen: dict[str, bool] = {}

    def decide(self, lower: str, stem: str) -> bool:
        if len(lower) < self.min_length or not lower.isalpha() or lower in self.skip or stem in self.skip:
            return False
        frequency = _frequency(lower, stem)
        if frequency >= self.register_below or (frequency >= self.below and not lower.endswith(self.endings)):
            return False
        # rare but homely: an everyday ending ("lateness", "shouty") or two everyday words ("bedwetting")
        return lower.endswith(self.endings) or not (lower.endswith(_HOMELY) or _compound(lower))


_HOMELY = ("ness", "ful", "less", "ish", "y", "ie", "ies", "er", "ers")


def _frequency(lower: str, stem: str) -> float:
    return max(zipf(lower), zipf(stem), zipf(stem + "e"))


def _compound(word: str) -> bool:
    """Two everyday words run together ("bedwetting", "eggshells")."""
    return any(_frequency(word[:i], stem(word[:i])) >= 3.5 and _frequency(word[i:], stem(word[i:])) >= 3.5
               for i in range(3, len(word) - 2))


def _uncommon_words(ctx: Context, unit: Unit, covered: set[int], uncommon: _Uncommon) -> None:
    seen, decide = uncommon.seen, uncommon.decide
    starts = addresses = None
    for i, tok in enumerate(unit.tokens):
        rare = seen.get(tok.lower)
        if rare is None:
            rare = seen[tok.lower] = decide(tok.lower, tok.stem)
        if not rare or i in covered:
            continue   # a glossary term
        starts = starts or {s.first for s in unit.sentences}
        if tok.text[:1].isupper() and i not in starts:
            continue   # a name in the middle of a sentence
        addresses = address_spans(unit.text) if addresses is None else addresses
        if any(a <= tok.start < b for a, b in addresses):
            continue   # part of an email or web address
        covered.add(i)
        ctx.add("readability.uncommon-word", unit, tok.start, tok.end)
