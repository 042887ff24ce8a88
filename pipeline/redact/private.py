"""Private details and hidden people: what some recipients must never see, parsed once into
the forms that make each findable.

* An address by its parts: the house number with its street (either way round), the street
  or building name on its own, the flat with its building, the postcode (with or without its
  space); abbreviations are folded (see :mod:`.fold`).  A town or district on its own is not
  searched: everyone in the area shares it.
* A phone number by its significant digits, with or without the trunk 0 or +44/0044.
* An email address whole, also written with "at" and "dot", and its local part and domain
  on their own when they are specific (not a parent's name, not a webmail provider).
* A school or other name whole, by its name without the words "Primary School" and the like,
  and by each uncommon word.
* A person someone must not know of (``withhold_from`` on the person): their full name, and
  their first name and surname on their own when uncommon and no one else's.
* An author someone must not know (``withhold_from`` under ``author``): name and agency.

A detail too short or too common to search safely is refused when the report is read, with
what to write instead; it is never silently skipped."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..common.frequency import zipf
from ..document.frontmatter import Meta, Person
from ..errors import InputError
from .fold import fold, words

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.I)
_STREET_TYPES = frozenset(fold(w) for w in (
    "road street avenue lane drive close court crescent place gardens terrace square grove park mount parade "
    "highway way walk row hill mews rise view green gate wharf yard meadow meadows vale end croft fields chase "
    "heights approach boulevard broadway circus embankment esplanade promenade quay wynd passage alley path "
    "bank brow dale fold hollow side").split())
_BUILDING_TYPES = frozenset(fold(w) for w in (
    "house court lodge mansions tower towers building buildings block hall cottage cottages farm barn villa "
    "manor point heights flats apartments centre refuge hostel wing chambers residence place").split())
_FLAT = re.compile(r"^\s*(flat|apartment|apt|unit|room|suite|studio|bedsit)\.?\s+\w+\b", re.I)
_FLAT_WORD = re.compile(r"^(flat|apartment|apt|unit|room|suite|studio|bedsit)\.?$", re.I)
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?$|^\d+[-/]\d+$")
# Words that say what kind of place a name is: the name is the words before them.
_TYPES = frozenset(fold(w) for w in (
    "primary school academy college nursery infants infant junior juniors secondary high church ce rc catholic "
    "community university preschool pre sixth centre services service trust project hostel refuge club group "
    "foundation federation surgery practice clinic").split())
_FILLER = frozenset(("the", "and", "of", "for", "s"))
_WEBMAIL = frozenset(("gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "icloud", "me", "aol",
                      "btinternet", "sky", "virginmedia", "talktalk", "protonmail", "proton", "mail", "gmx",
                      "ymail", "msn", "ntlworld", "blueyonder", "tiscali", "plusnet", "yahoo.co.uk"))
COMMON = 4.5          # a word this frequent (Zipf) is not specific enough to search alone
MIN_LENGTH = 4        # folded characters a form needs


@dataclass(frozen=True)
class Secret:
    """Something some recipients must never see: whose, what, who from, and its forms."""

    label: str                     # "Sam Taylor's private address": what it is, never its text
    owner: str                     # the id whose detail it is ("" for an author)
    withhold_from: frozenset[str]  # audience words it is withheld from
    forms: tuple[str, ...]         # folded strings, any one of which is a leak
    path: str = ""
    line: int = 0


def secrets_of(meta: Meta, path: str = "") -> list[Secret]:
    """Every private detail, hidden person and hidden author the front matter declares."""
    found: list[Secret] = []
    public = public_words(meta)
    for person in meta.family:
        away = frozenset(person.withhold_from) | frozenset(person.hidden_from)
        group = "children" if person in meta.children else "people"
        for key, value in person.private.items():
            field = re.sub(r"\d+$", "", key)
            line = meta.lines.get(f"{group}.{person.id}.private.{key}", person.line)
            try:
                forms = forms_of(field, value, person.name, public)
            except ValueError as exc:
                raise InputError(f"{person.name}'s private {field} '{value}' {exc}", path, line) from None
            found.append(Secret(f"{person.name}'s private {field}", person.id, away, forms, path, line))
        if person.hidden_from:
            others = [p for p in meta.family if p is not person]
            found.append(Secret(f"the name of {person.name} (hidden from some readers)", person.id,
                                frozenset(person.hidden_from), _name_forms(person.name, others), path, person.line))
    author = meta.author
    if author.hidden_from:
        forms = tuple(sorted({f for f in (fold(author.name), *_name_part_forms(author.agency, public))
                              if len(f) >= MIN_LENGTH}))
        if forms:
            found.append(Secret("the name of this report's author (hidden from some readers)", "",
                                frozenset(author.hidden_from), forms, path, meta.lines.get("author.withhold_from", 0)))
    return found


def public_words(meta: Meta) -> frozenset[str]:
    """Folded words every copy prints (venue, title, the author's agency): not specific alone."""
    texts = [meta.title, meta.conference.venue, meta.conference.chair]
    if not meta.author.hidden_from:
        texts += [meta.author.agency, meta.author.role]
    return frozenset(w for text in texts for _, _, w in words(text))


@lru_cache(maxsize=1024)
def forms_of(field: str, value: str, owner: str = "", public: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The folded forms of one detail; ValueError (the reason) when it cannot be searched safely."""
    if field == "phone":
        found = _phone(value)
    elif field == "email":
        found = _email(value, owner)
    elif field == "address":
        found = _address(value)
    else:
        found = _name_part_forms(value, public)
        if not found:
            raise ValueError("is too short or too common to find safely; write it in full (for example "
                             "'Ravenscourt Primary School' rather than 'the primary')")
    return tuple(sorted({f for f in found if len(f) >= MIN_LENGTH}))


def _phone(value: str) -> set[str]:
    digits = re.sub(r"\D", "", value)
    international = value.strip().startswith("+") or digits.startswith("00")
    national = re.sub(r"^(?:0044|44)0?|^0", "", digits) if (digits.startswith(("44", "0044")) or not international) \
        else None
    if national is None:  # another country's number: its digits, with + or 00
        core = digits[2:] if digits.startswith("00") else digits
        if len(core) < 8:
            raise ValueError("is too short to find safely; write the whole number with its country code")
        return {core, "00" + core}
    if len(national) < 9:
        raise ValueError("is too short to find safely; write the whole number with its area code, "
                         "e.g. 01632 960123")
    return {"0" + national, national, "44" + national, "440" + national, "0044" + national}


def _email(value: str, owner: str) -> set[str]:
    if value.count("@") != 1 or "." not in value.split("@")[1]:
        raise ValueError("is not an email address; write it whole, like name@example.org")
    local, domain = (part.strip() for part in value.split("@"))
    local_words = [w for _, _, w in words(local)]
    domain_words = [w for _, _, w in words(domain)]
    locals_ = {"".join(local_words), "dot".join(local_words)}
    domains = {"".join(domain_words), "dot".join(domain_words)}
    found = {lo + at + do for lo in locals_ for do in domains for at in ("", "at")}
    owner_words = {w for _, _, w in words(owner)}
    local_form = "".join(local_words)
    if len(local_form) >= 6 and not set(local_words) <= owner_words and (
            any(c.isdigit() for c in local_form) or zipf(local_form) < COMMON):
        found |= locals_
    if domain_words and domain_words[0] not in _WEBMAIL:
        found |= domains
    return found


def _address(value: str) -> set[str]:
    found = {fold(value)}
    postcode = _POSTCODE.search(value)
    rest = value
    if postcode:
        found.add(fold(postcode.group()))
        rest = value[:postcode.start()] + value[postcode.end():]
    specific = bool(postcode)
    flat_form = ""
    for part in _address_parts(rest):
        flat = _FLAT.match(part)
        if flat:
            flat_form = fold(flat.group())
        body = part[flat.end():].strip(" ,") if flat else part
        tokens = body.split()
        if not tokens:
            continue
        numbered = [t for t in tokens if _HOUSE_NUMBER.match(t.strip(",.").lower())]
        name = " ".join(t for t in tokens if t not in numbered)
        name_words = [w for _, _, w in words(name)]
        if numbered and name_words:
            number = fold(numbered[0])
            found |= {number + fold(name), fold(name) + number}
            if flat_form:
                found |= {flat_form + number + fold(name)}
            specific = True
        if name_words and name_words[-1] in _STREET_TYPES | _BUILDING_TYPES and len(name_words) >= 2:
            found.add(fold(name))          # the street or building on its own
            if flat_form:
                found.add(flat_form + fold(name))
            specific = True
        flat_form = ""
    if not specific:
        raise ValueError("has no house number and street, building name or postcode, so it cannot be found "
                         "safely; write the full address")
    return found


def _address_parts(text: str) -> list[str]:
    """The lines of an address; without commas or line breaks, split where a new part starts
    (a house number after other words; the words after a street or building name)."""
    lines = [p.strip() for p in re.split(r"[,\n;]", text) if p.strip()]
    if len(lines) > 1:
        return lines
    tokens = text.split()
    parts: list[list[str]] = [[]]
    for i, token in enumerate(tokens):
        word = fold(token)
        if _HOUSE_NUMBER.match(token.lower()) and parts[-1] and not (
                len(parts[-1]) == 1 and _FLAT_WORD.match(parts[-1][0])):
            parts.append([])
        parts[-1].append(token)
        if word in _STREET_TYPES | _BUILDING_TYPES and i + 1 < len(tokens) and len(parts[-1]) >= 2:
            parts.append([])
    return [" ".join(p) for p in parts if p]


def _name_part_forms(value: str, public: frozenset[str] = frozenset()) -> set[str]:
    """A school, agency or other name: whole, its name without "Primary School" and the like
    ("St Mary's"), and each uncommon word that the document does not print everywhere."""
    whole = [w for _, _, w in words(value)]
    found: set[str] = set()
    meaningful = [w for w in whole if w not in _FILLER]
    if len(meaningful) > 1 or (meaningful and len(meaningful[0]) >= 5 and zipf(meaningful[0]) < COMMON):
        found.add("".join(whole))
    name: list[str] = []
    for w in whole:
        if w in _TYPES and name:
            break
        if not (w in _FILLER and not name):
            name.append(w)
    named = [w for w in name if w not in _FILLER]
    if len(named) > 1 or (named and zipf(named[0]) < COMMON and len(named[0]) >= MIN_LENGTH
                          and named[0] not in public):
        found.add("".join(name))
    for w in whole:
        if len(w) >= 5 and w not in _TYPES and w not in public and zipf(w) < 3.0 and not w.isdigit():
            found.add(w)
    return found


def _name_forms(name: str, others: list[Person]) -> tuple[str, ...]:
    """A hidden person's full name, and each part of it alone when uncommon and no one else's."""
    parts = [w for _, _, w in words(name)]
    shared = {w for p in others for _, _, w in words(p.name)}
    found = {"".join(parts)}
    if len(parts) > 1:
        found.add(parts[0] + parts[-1])
    for w in parts:
        if len(w) >= 3 and w not in shared and zipf(w) < COMMON:
            found.add(w)
    return tuple(sorted(f for f in found if len(f) >= 3))
