"""Private details and hidden people: what some recipients must never see, parsed once into
the forms that make each findable.

* An address by its parts: every line but the post town (a building name, a district), the
  house number with its street either way round, the street on its own (unless it is an
  everyday phrase such as High Street), the flat with its building, and the
  postcode with or without its space; abbreviations are folded (see :mod:`.fold`).  The post
  town on its own is not searched: everyone in the area shares it.
* A phone number by its significant digits, with or without the trunk 0 or +44/0044.
* An email address whole, also written with "at" and "dot", and its local part and domain
  on their own when they are specific (not a parent's name, not a webmail provider).
* A school or other name whole, by its name without the words "Primary School" and the like,
  and by each uncommon word.
* A person someone must not know of (``withhold_from`` on the person), or an author
  (``withhold_from`` under ``author``): their full name, title or initial with surname
  ("Ms Rahman", "N. Rahman"), and their first name and surname on their own when uncommon and
  no one else's (nicknames are not known: mark them); an author's agency as a name above.

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
# Street names that are also everyday phrases ("the high street"): the street alone says
# nothing there (the house number with it still counts).
_COMMON_STREETS = frozenset(fold(s) for s in (
    "High Street", "Main Street", "The High Street", "The Green", "The Avenue", "The Crescent", "The Close",
    "The Square", "Market Place", "The Parade"))
_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "pc", "dc")
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
    names = frozenset(w for p in meta.family for _, _, w in words(p.name))
    for person in meta.family:
        away = frozenset(person.withhold_from) | frozenset(person.hidden_from)
        group = "children" if person in meta.children else "people"
        for key, value in person.private.items():
            field = re.sub(r"\d+$", "", key)
            line = meta.lines.get(f"{group}.{person.id}.private.{key}", person.line)
            try:
                forms = forms_of(field, value, names, public)
            except ValueError as exc:
                raise InputError(f"{person.name}'s private {field} '{value}' {exc}", path, line) from None
            found.append(Secret(f"{person.name}'s private {field}", person.id, away, forms, path, line))
        if person.hidden_from:
            others = [p for p in meta.family if p is not person]
            found.append(Secret(f"the name of {person.name} (hidden from some readers)", person.id,
                                frozenset(person.hidden_from), _name_forms(person.name, others), path, person.line))
    author = meta.author
    if author.hidden_from:
        forms = {f for f in _name_part_forms(author.agency, public) if len(f) >= MIN_LENGTH}
        forms |= set(_name_forms(author.name, meta.family)) if author.name else set()
        if forms:
            found.append(Secret("the name of this report's author (hidden from some readers)", "",
                                frozenset(author.hidden_from), tuple(sorted(forms)), path,
                                meta.lines.get("author.withhold_from", 0)))
    return found


def public_words(meta: Meta) -> frozenset[str]:
    """Folded words every copy prints (venue, title, the author's agency): not specific alone."""
    texts = [meta.title, meta.conference.venue, meta.conference.chair]
    if not meta.author.hidden_from:
        texts += [meta.author.agency, meta.author.role]
    return frozenset(w for text in texts for _, _, w in words(text))


@lru_cache(maxsize=1024)
def forms_of(field: str, value: str, names: frozenset[str] = frozenset(),
             public: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The folded forms of one detail; ValueError (the reason) when it cannot be searched
    safely.  ``names``: words of the family's names (an email named after someone is not
    specific); ``public``: words every copy prints (not specific alone)."""
    if field == "phone":
        found = _phone(value)
    elif field == "email":
        found = _email(value, names)
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


def _email(value: str, names: frozenset[str]) -> set[str]:
    if value.count("@") != 1 or "." not in value.split("@")[1]:
        raise ValueError("is not an email address; write it whole, like name@example.org")
    local, domain = (part.strip() for part in value.split("@"))
    local_words = [w for _, _, w in words(local)]
    domain_words = [w for _, _, w in words(domain)]
    locals_ = {"".join(local_words), "dot".join(local_words)}
    domains = {"".join(domain_words), "dot".join(domain_words)}
    found = {lo + at + do for lo in locals_ for do in domains for at in ("", "at")}
    local_form = "".join(local_words)
    if len(local_form) >= 6 and not set(w for w in local_words if not w.isdigit()) <= names and (
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
    parts = _address_parts(rest)
    last = parts[-1] if parts else ""
    town = last if last and not re.search(r"\d", last) and (len(parts) > 1 or not (
        {w for _, _, w in words(last)} & (_STREET_TYPES | _BUILDING_TYPES))) else None
    flat_form = ""
    for part in parts:
        flat = _FLAT.match(part)
        if flat:
            flat_form = fold(flat.group())
        body = part[flat.end():].strip(" ,") if flat else part
        tokens = body.split()
        if not tokens or part is town:
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
        meaningful = [w for w in name_words if w not in _FILLER]
        if (len(meaningful) >= 2 or (meaningful and len(meaningful[0]) >= 5 and zipf(meaningful[0]) < COMMON)) \
                and fold(name) not in _COMMON_STREETS:
            found.add(fold(name))          # the street, building or district on its own
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
    (a house number after other words; the words after a street or building type), and the
    last word taken as the town when nothing else marks where the town begins."""
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
    last = parts[-1]
    if len(parts) == 1 or (len(last) > 1 and not any(re.search(r"\d", t) or fold(t) in _STREET_TYPES | _BUILDING_TYPES
                                                      for t in last)):
        if len(last) > 1:
            parts[-1:] = [last[:-1], last[-1:]]
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
    if len(named) > 1 or (named and zipf(named[0]) < COMMON and len(named[0]) >= MIN_LENGTH):
        found.add("".join(name))
    for w in whole:
        if len(w) >= 5 and w not in _TYPES and w not in public and zipf(w) < 3.0 and not w.isdigit():
            found.add(w)
    return found


def _name_forms(name: str, others: list[Person]) -> tuple[str, ...]:
    """A hidden person's full name, their title or initial with their surname, and each part
    of their name alone when uncommon and no one else's."""
    parts = [w for _, _, w in words(name) if w not in _TITLES]
    shared = {w for p in others for _, _, w in words(p.name)}
    found = {"".join(parts)}
    if len(parts) > 1:
        first, surname = parts[0], parts[-1]
        found |= {first + surname, first[0] + surname, *(title + surname for title in _TITLES)}
    for w in parts:
        if len(w) >= 3 and w not in shared and zipf(w) < COMMON:
            found.add(w)
    return tuple(sorted(f for f in found if len(f) >= 3))


def home_of(address: str) -> str:
    """One key per home: the flat, house number and street ("flat222oakroad"), however the
    address is spelt; the folded address when it has no house number and street."""
    postcode = _POSTCODE.search(address)
    rest = address[:postcode.start()] + address[postcode.end():] if postcode else address
    flat_form = ""
    for part in _address_parts(rest):
        flat = _FLAT.match(part)
        if flat:
            flat_form = fold(flat.group())
        tokens = (part[flat.end():] if flat else part).split()
        numbered = [t for t in tokens if _HOUSE_NUMBER.match(t.strip(",.").lower())]
        name = fold(" ".join(t for t in tokens if t not in numbered))
        if numbered and name:
            return flat_form + fold(numbered[0]) + name
    return fold(address)


def inbox_of(email: str) -> str:
    """One key per inbox: case, "+tags" and (for Gmail) dots do not make another inbox."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+")[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"
