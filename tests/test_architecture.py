"""The folders show the flow: each stage imports only the stages below it (checked by
import-linter against the contract in pyproject.toml), and one node vocabulary."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from pipeline.document import tree


def test_stages_import_only_the_stages_below_them():
    tool = Path(sys.executable).parent / "lint-imports"
    res = subprocess.run([str(tool)], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


def test_every_node_type_the_parser_makes_is_declared_once():
    from pipeline.document.parser import parse_text

    doc = parse_text("# H\n\n- a\n\n1. b\n\n> q\n\n| A | B |\n|---|---|\n| went | Dale |\n\n```\nc\n```\n\n---\n\n"
                     "::: {only=\"all\"}\nd [e]{only=\"all\"} *f* **g** ~~h~~ `i` [j](k) ![l](m)[^n] <b>\n:::\n\n"
                     "<!-- c -->\n\n\\newpage\n\n[^n]: note\n")
    kinds = {n.type for root in [doc.root, *doc.footnotes.values()] for n in root.walk()}
    assert kinds <= tree.BLOCKS | tree.INLINES, kinds - tree.BLOCKS - tree.INLINES
    assert not tree.BLOCKS & tree.INLINES
    table = next(n for n in doc.root.walk() if n.type == "table")
    assert "went\nDale" in table.plain_text() or "went Dale" in table.plain_text()
