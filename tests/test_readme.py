"""The README's examples for the chair's tools and for packs run as written."""
from __future__ import annotations

import re
import shlex
import shutil

import pytest
from conftest import CONFPACK, ROOT, SAMPLES, run

from pipeline.pack.manifest import load_manifest

pytestmark = pytest.mark.libreoffice   # PDFs through the real LibreOffice

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def _commands(section: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()
            if line.startswith("confpack ")]


CHAIR = _commands(_section("After the conference"))
PACK = _commands(_section("`confpack pack`"))


@pytest.mark.parametrize("command", CHAIR + PACK)
def test_readme_command_runs(command, tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "samples")
    args = shlex.split(command)[1:]
    res = run(*args, cwd=tmp_path)
    assert res.returncode == 0, (command, res.stdout[-500:], res.stderr[-500:])
    assert "Traceback" not in res.stderr


def test_readme_manifest_example_is_valid(tmp_path):
    example = re.search(r"```yaml\n(policy:.*?)```", _section("`confpack pack`"), re.S).group(1)
    shutil.copytree(SAMPLES / "initial-conference", tmp_path / "initial-conference")
    (tmp_path / "week").mkdir()
    path = tmp_path / "week" / "manifest.yml"
    path.write_text(example, encoding="utf-8")
    manifest = load_manifest(path)
    conf = manifest.conferences[0]
    assert conf.id == "taylor" and [w.id for w in conf.recipients] == ["mum", "dad", "jamie", "mark-denholm"]
    assert conf.reports[0][0].is_file()
    assert run("pack", str(path), "--dry-run").returncode == 0


def test_the_commands_were_found():
    assert len(CHAIR) == 5 and len(PACK) == 2 and CONFPACK
