"""tools/make_templates.py rebuilds exactly the templates that ship (part by part)."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_the_build_script_makes_the_shipped_templates(tmp_path):
    res = subprocess.run([sys.executable, str(ROOT / "tools" / "make_templates.py"), "--out", str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    shipped = sorted((ROOT / "templates").glob("*.docx"))
    assert [p.name for p in shipped] == sorted(p.name for p in tmp_path.glob("*.docx"))
    for path in shipped:
        with zipfile.ZipFile(path) as a, zipfile.ZipFile(tmp_path / path.name) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), path.name
            for name in a.namelist():
                assert a.read(name) == b.read(name), f"{path.name}: {name} differs; run tools/make_templates.py"
