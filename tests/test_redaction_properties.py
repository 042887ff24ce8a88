"""Property-based: random documents with random withheld spans and divs, random recipients.
Whatever the recipient may not see is absent; everything they may see is present."""
from __future__ import annotations

import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_redaction import FRONT

from pipeline.document.parser import parse_text
from pipeline.redact.audience import resolve
from pipeline.render.jobs import build_docx

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
    build_docx(parsed, resolve(parsed.meta, recipient), dest)
    with zipfile.ZipFile(dest) as z:
        text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    found = set(re.findall(r"[a-z]+\d+x", text))
    for word, marks in tokens:
        if visible(recipient, marks):
            assert word in found, f"{word} should be in {recipient}'s copy:\n{body}"
        else:
            assert word not in found, f"{word} leaked into {recipient}'s copy:\n{body}"
