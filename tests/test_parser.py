"""The parser: one tree with true source positions, divs, spans, and clear input errors."""
from __future__ import annotations

import pytest
from conftest import FRONT, dedent

from pipeline.document.parser import parse_text
from pipeline.errors import InputError


def texts(doc):
    return [n for n in doc.root.walk() if n.type == "text"]


def at(source: str, node) -> str:
    """The source text at a node's recorded position."""
    line = source.split("\n")[node.line - 1]
    return line[node.col - 1: node.col - 1 + len(node.text)]


def test_text_positions_match_the_source_everywhere():
    source = FRONT + dedent("""
        # Heading one

        - item with [hidden words]{withhold="dad"} here
          and a continued line
            1. nested *numbered* item

        | Who | What |
        |-----|------|
        | You | Take [Jamie]{only="mum"} to school |

        > You said "I want to keep him safe"

        ::: {only="professionals"}
        Police note in a div.
        :::
        """)
    doc = parse_text(source, "x.md")
    nodes = texts(doc)
    assert len(nodes) > 10
    for node in nodes:
        assert at(source, node) == node.text, (node.text, node.line, node.col)


def test_escapes_and_entities_map_each_character():
    source = "Costs \\[£5\\] &amp; more for you\n"
    doc = parse_text(source)
    node = texts(doc)[0]
    assert node.text == "Costs [£5] & more for you"
    line = source.split("\n")[0]
    assert line[node.position(node.text.index("more")) [1] - 1:].startswith("more")
    assert line[node.position(node.text.index("[")) [1] - 1] == "["


def test_front_matter_is_counted_in_line_numbers():
    doc = parse_text(FRONT + "\nHello you.\n")
    assert texts(doc)[0].line == FRONT.count("\n") + 2
    assert doc.meta.kind == "agency-report"
    assert [p.id for p in doc.meta.people] == ["mum", "dad"]
    assert doc.meta.children[0].dob.isoformat() == "2015-05-14"


def test_spans_links_and_divs_keep_their_audience_attributes():
    source = dedent("""
        Text [secret]{withhold="dad"} and [site](https://example.org){only="professionals"}.

        ::: {withhold="dad jamie"}
        ::: {only="professionals"}
        Nested.
        :::
        :::
        """)
    doc = parse_text(source)
    kinds = {n.type: n.attrs for n in doc.root.walk() if n.type in ("span", "link")}
    assert kinds["span"]["withhold"] == "dad"
    assert kinds["link"]["only"] == "professionals" and kinds["link"]["href"] == "https://example.org"
    outer = doc.root.children[1]
    assert outer.type == "div" and outer.attrs["withhold"] == "dad jamie"
    inner = outer.children[0]
    assert inner.type == "div" and inner.attrs["only"] == "professionals"
    assert inner.children[0].plain_text() == "Nested."


def test_span_inside_a_table_cell_keeps_attributes():
    doc = parse_text("| a |\n|---|\n| [x]{only=\"mum\"} |\n")
    span = next(n for n in doc.root.walk() if n.type == "span")
    assert span.attrs == {"only": "mum"}


@pytest.mark.parametrize("source, line, words", [
    ("Hi\n\n::: {only=\"professionals\"}\nText\n", 3, "never closed"),
    ("Hi\n\n:::\n", 3, "never opened"),
    ("Hi\n\n::: {only=professionals\"}\nText\n:::\n", 3, "cannot read the attributes"),
    ("One\n\nSome [text]{withhold=\"dad} here\n", 3, "span's attributes cannot be read"),
    ("One [text]{only=\"\"} here\n", 1, "empty only"),
    ("- item\n\n  ::: {only=\"professionals\"}\n  inside\n  :::\n  more item text\n", 1, "falls inside"),
    ("---\nkind: agency-report\n", 1, "never closed"),
    ("---\nkind: report-card\n---\nHi\n", 2, "is not one of"),
    ("---\n- just\n- a list\n---\nHi\n", 2, "mapping"),
    ("---\nkind: agency-report\nconference:\n  date: 3rd December\n---\nHi\n", 4, "YYYY-MM-DD"),
    ("---\nkind: agency-report\nconference:\n  time: 10am\n---\nHi\n", 4, "HH:MM"),
    ("---\npeople:\n  - id: mum\n    name: Sam\n    privte: x\n---\nHi\n", 5, "did you mean 'private'"),
    ("---\npeople:\n  - id: mum\n    name: Sam\n    private:\n      address: 1 Road\n---\nHi\n", 6,
     "withhold_from"),
    ("---\nkind: [unclosed\n---\nHi\n", 2, "not valid YAML"),
    ("---\npeople:\n  - id: mum\n    name: A\n  - id: mum\n    name: B\n---\nHi\n", 5, "used twice"),
])
def test_bad_input_names_the_line_and_what_to_do(source, line, words):
    with pytest.raises(InputError) as err:
        parse_text(source, "bad.md")
    assert err.value.path == "bad.md"
    assert err.value.line == line, str(err.value)
    assert words in err.value.message


def test_comments_and_page_breaks_are_their_own_nodes():
    doc = parse_text("<!-- note for authors -->\n\nText\n\n\\newpage\n\nMore\n")
    assert [n.type for n in doc.root.children] == ["comment", "paragraph", "page_break", "paragraph"]
    assert doc.root.plain_text().count("note for authors") == 0


def test_footnotes_are_parsed_with_their_text():
    doc = parse_text("Text with a note.[^1]\n\n[^1]: The note you asked for.\n")
    assert doc.footnotes["1"].plain_text().strip() == "The note you asked for."
    assert any(n.type == "footnote_ref" for n in doc.root.walk())
