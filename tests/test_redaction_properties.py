"""Property-based: random documents with random withheld spans and divs, random recipients.
Whatever the recipient may not see is absent; everything they may see is present."""
from __future__ import annotations

import json
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redaction import FRONT

from pipeline.config import load_settings
from pipeline.document.parser import parse_text
from pipeline.errors import InputError
from pipeline.redact.audience import resolve
from pipeline.redact.filter import make_copy
from pipeline.redact.fold import fold
from pipeline.render.jobs import build_docx

SETTINGS = load_settings()

WORDS = ["apple", "birch", "cedar", "delta", "ember", "fjord", "gorse", "heath", "inlet", "juniper"]
AUDIENCES = ["mum", "dad", "jamie", "parents", "children", "family", "professionals", "mum professionals",
             "dad jamie"]
MEMBERS = {
    "mum": {"mum", "parents", "family", "all"},
    "dad": {"dad", "parents", "family", "all"},
    "jamie": {"jamie", "children", "family", "all"},
    "professionals": {"professionals", "all"},
}


def visible(recipient: str, marks: list[tuple[str, str]]) -> bool:
    """The test's own model of the rules: every enclosing mark must allow the recipient."""
    member = MEMBERS[recipient]
    for key, words in marks:
        hit = bool(set(words.split()) & member)
        if (key == "only" and not hit) or (key == "withhold" and hit):
            return False
    return True


@st.composite
def documents(draw):
    counter = iter(range(10_000))
    tokens: list[tuple[str, list]] = []

    def token(marks):
        word = f"{draw(st.sampled_from(WORDS))}{next(counter)}x"
        tokens.append((word, marks))
        return word

    def inline(marks, depth):
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            if depth < 2 and draw(st.booleans()):
                mark = (draw(st.sampled_from(["only", "withhold"])), draw(st.sampled_from(AUDIENCES)))
                parts.append(f"[{inline(marks + [mark], depth + 1)}]{{{mark[0]}=\"{mark[1]}\"}}")
            else:
                parts.append(token(marks))
        return " ".join(parts)

    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["para", "list", "div", "table"]))
        if kind == "div":
            mark = (draw(st.sampled_from(["only", "withhold"])), draw(st.sampled_from(AUDIENCES)))
            blocks.append(f"::: {{{mark[0]}=\"{mark[1]}\"}}\n{inline([mark], 0)}\n:::")
        elif kind == "list":
            blocks.append("\n".join(f"- {inline([], 0)}" for _ in range(draw(st.integers(1, 3)))))
        elif kind == "table":
            blocks.append(f"| A | B |\n|---|---|\n| {inline([], 1)} | {inline([], 1)} |")
        else:
            blocks.append(inline([], 0))
    return "\n\n".join(blocks) + "\n", tokens


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents(), recipient=st.sampled_from(sorted(MEMBERS)))
def test_random_documents_never_leak_and_keep_what_is_allowed(doc, recipient, tmp_path):
    body, tokens = doc
    parsed = parse_text(FRONT + "\n" + body, str(tmp_path / "r.md"))
    dest = tmp_path / f"{recipient}.docx"
    build_docx(parsed, resolve(parsed.meta, recipient), dest, SETTINGS)
    with zipfile.ZipFile(dest) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    found = set(re.findall(r"[a-z]+\d+x", text))
    for word, marks in tokens:
        if visible(recipient, marks):
            assert word in found, f"{word} should be in {recipient}'s copy:\n{body}"
        else:
            assert word not in found, f"{word} leaked into {recipient}'s copy:\n{body}"


# -- private details in many formats ---------------------------------------------------------------
STREETS = ["Mill", "Larch", "Quarry", "Kestrel", "Orchard", "Birchwood", "Saint Anne's", "Holloway", "Ravensworth"]
TYPES = [("Road", ["Road", "Rd", "RD.", "road"]), ("Street", ["Street", "St", "St."]), ("Lane", ["Lane", "Ln"]),
         ("Avenue", ["Avenue", "Ave", "Av."]), ("Close", ["Close", "Cl"]), ("Court", ["Court", "Ct"]),
         ("Gardens", ["Gardens", "Gdns"]), ("Crescent", ["Crescent", "Cres"])]
TOWNS = ["Eastbrook", "Westmoor", "Hollins Park"]
PROVIDERS = ["gmail.com", "outlook.com", "wrenfield-refuge.org.uk", "yahoo.co.uk"]


@st.composite
def addresses(draw):
    """(declared address, the same address as someone might write it in a report)."""
    number = draw(st.integers(1, 299))
    street = draw(st.sampled_from(STREETS))
    full, spellings = draw(st.sampled_from(TYPES))
    flat = draw(st.sampled_from(["", f"Flat {draw(st.integers(1, 40))}, "]))
    postcode = f"EB{draw(st.integers(1, 9))} {draw(st.integers(1, 9))}{draw(st.sampled_from(['QT', 'NW', 'DS']))}"
    declared = f"{flat}{number} {street} {full}, {draw(st.sampled_from(TOWNS))} {postcode}"
    if draw(st.booleans()):
        declared = declared.replace(",", "")
    kind = draw(st.sampled_from(spellings))
    form = draw(st.sampled_from(["number-first", "number-last", "number-comma", "street-only", "postcode",
                                 "postcode-squashed", "line-break", "hyphenated"]))
    written = {
        "number-first": f"{number} {street} {kind}",
        "number-last": f"{street} {kind} {number}",
        "number-comma": f"{number}, {street} {kind}",
        "street-only": f"{street} {kind}",
        "postcode": postcode,
        "postcode-squashed": postcode.replace(" ", ""),
        "line-break": f"{number} {street}\n{kind}",
        "hyphenated": f"{number} {street[:3]}-\n{street[3:]} {kind}" if len(street) > 5 else f"{number} {street} {kind}",
    }[form]
    case = draw(st.sampled_from([str, str.upper, str.lower]))
    return declared, case(written)


@st.composite
def phones(draw):
    digits = "7" + "".join(str(draw(st.integers(0, 9))) for _ in range(9))
    declared = "0" + digits[:4] + " " + digits[4:]
    prefix = draw(st.sampled_from(["0", "+44 ", "+44 (0)", "0044 ", "", "(0)"]))
    cuts = sorted(draw(st.lists(st.integers(1, 9), max_size=3, unique=True)))
    sep = draw(st.sampled_from([" ", "-", ".", "  "]))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(digits[last:cut])
        last = cut
    pieces.append(digits[last:])
    return declared, prefix + sep.join(pieces)


@st.composite
def emails(draw):
    local = draw(st.sampled_from(["sam.taylor", "s.taylor", "samt", "taylor.sam"])) + str(draw(st.integers(10, 99)))
    declared = f"{local}@{draw(st.sampled_from(PROVIDERS))}"
    style = draw(st.sampled_from(["as-is", "upper", "words", "dot-words"]))
    written = {"as-is": declared, "upper": declared.upper(),
               "words": declared.replace("@", " at ").replace(".", " dot "),
               "dot-words": declared.replace("@", " at ")}[style]
    return declared, written


def _private_front(field: str, value: str) -> str:
    block = f"    private:\n      {field}: {json.dumps(value)}\n      withhold_from: [dad]\n"
    front = re.sub(r"    private:\n(      .*\n)+", block, FRONT, count=1)
    assert json.dumps(value) in front
    return front


@settings(max_examples=300, deadline=None)
@given(detail=st.one_of(addresses().map(lambda d: ("address", *d)), phones().map(lambda d: ("phone", *d)),
                        emails().map(lambda d: ("email", *d))))
def test_every_format_of_a_declared_detail_is_refused_unless_marked(detail):
    field, declared, written = detail
    front = _private_front(field, declared)
    unmarked = parse_text(front + f"\nWe met you at {written} last week.\n", "r.md")
    with pytest.raises(InputError) as refused:
        make_copy(unmarked, resolve(unmarked.meta, "dad"))
    assert "without a mark" in str(refused.value) and refused.value.path == "r.md", str(refused.value)
    marked = parse_text(front + f'\nWe met you [at {written}]{{withhold="dad"}} last week.\n', "r.md")
    copy = make_copy(marked, resolve(marked.meta, "dad"))   # no refusal
    assert fold(written) not in fold(" ".join(b.plain_text() for b in copy.blocks))
    make_copy(unmarked, resolve(unmarked.meta, "mum"))        # her own copy keeps it
