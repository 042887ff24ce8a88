"""Shared helpers: run the `confpack` command (in process, or as a real process where that is
the point) and write report files."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CONFPACK = str(Path(sys.executable).parent / "confpack")

FRONT = """\
---
kind: agency-report
conference:
  type: initial
  date: 2026-12-03
  time: "10:00"
  venue: Eastbrook Family Centre
  chair: Priya Shah
children:
  - id: jamie
    name: Jamie Taylor
    dob: 2015-05-14
people:
  - id: mum
    name: Sam Taylor
    role: parent
    relationship: Mum to Jamie
  - id: dad
    name: Dale Brennick
    role: parent
    relationship: Dad to Jamie
author:
  name: Ruth Okafor
  role: Teacher
  agency: Eastbrook Academy
---
"""


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> SimpleNamespace:
    """Run a confpack command in this process (click's CliRunner): returncode, stdout, stderr."""
    here = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    finally:
        os.chdir(here)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed confpack command as its own process, as a user would."""
    return subprocess.run([CONFPACK, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def write(tmp_path):
    """write(name, text) → path of a new file under tmp_path."""
    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path
    return _write
