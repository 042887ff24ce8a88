"""Lint speed, as issue 12 sets the targets.

1. In-process, spelling and grammar off: 5,000 and 50,000 words (median after warm-up),
   interleaved with proselint on the same text in the same rounds (target: at least 3.5x
   proselint; at most 25 ms per 5,000 words on the reference machine).
2. In-process with offline spelling and grammar: 5,000 words after warm-up (target at most
   150 ms), and what each engine adds.
3. Whole process, as a user meets it, with `disable = ["spelling", "grammar"]`:
   `confpack lint --format json` on a 5,000-word (and a 50,000-word) file, beyond the same
   command on a 20-word file, against `proselint check` on the same pair of files in the
   same rounds (target: at most half of proselint's extra cost).
4. Wall time of `confpack lint` on one small file, without and with spelling and grammar
   (targets: under 0.4 s and under 1.5 s).

Run: .venv/bin/python benchmarks/bench_lint.py
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workload import SAMPLE, median_seconds, report_of

from pipeline.config import load_settings
from pipeline.document.parser import read_source
from pipeline.lint import lint_text

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "samples" / "initial-conference" / "child-report.md"
OFF = 'disable = ["spelling", "grammar"]\n'


def tiny_report() -> str:
    """The same front matter with a 20-word body."""
    front = read_source(SAMPLE).split("\n---\n", 1)[0]
    return front + "\n---\n# What happens next\n\nYou and I will meet on Monday at ten. I will bring the plan and we can read it together.\n"


# As on a user's machine, Python keeps the compiled modules it makes (a sandbox may say not to,
# and then every run compiles confpack's modules again).
_USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, env=_USER_ENV)
    return time.perf_counter() - start


def proselint_in_process():
    """A function running proselint's checks on a text, or None when it is not installed."""
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    config = {**DEFAULT, "max_errors": 10**9}   # proselint's default caps its findings; read all the text
    CheckRegistry().register_many(__register__)
    return lambda text: LintFile("bench.md", text).lint(config)


def in_process(work: Path) -> None:
    (work / "off.toml").write_text(OFF, encoding="utf-8")
    off = load_settings(work / "off.toml")
    on = load_settings()
    small, large = report_of(5_000), report_of(50_000)
    words = len(small.split("\n---\n", 1)[1].split())
    prose = proselint_in_process()
    ours, theirs = [], []
    lint_text(small, off, "bench.md")
    for _ in range(15):   # interleaved, so a change in machine speed hits both alike
        ours.append(median_seconds(lambda: lint_text(small, off, "bench.md"), 1))
        if prose:
            text = small.split("\n---\n", 1)[1]
            theirs.append(median_seconds(lambda: prose(text), 1))
    t5 = statistics.median(ours)
    print(f"1. in process, spelling and grammar off, {words:,} words: {t5 * 1000:.1f} ms median "
          f"({t5 * 1000 * 5000 / words:.1f} ms per 5,000 words; target <= 25 ms on the reference machine)")
    if prose:
        t_prose = statistics.median(theirs)
        print(f"   proselint on the same text, same rounds: {t_prose * 1000:.1f} ms: confpack is "
              f"{t_prose / t5:.1f}x faster (target >= 3.5x)")
    else:
        print("   proselint is not installed (pip install proselint): comparison skipped")
    t50 = median_seconds(lambda: lint_text(large, off, "bench.md"), 5)
    print(f"   50,000 words: {t50 * 1000:.0f} ms median ({t50 / t5:.1f}x the 5,000-word time for 10x the words)")

    lint_text(small, on, "bench.md")   # warm-up: loads Harper and the dictionary
    t_on = median_seconds(lambda: lint_text(small, on, "bench.md"), 11)
    print(f"2. in process, with offline spelling and grammar: {t_on * 1000:.1f} ms median for {words:,} words "
          f"({t_on * 1000 * 5000 / words:.0f} ms per 5,000; target <= 150 ms); they add {(t_on - t5) * 1000:.0f} ms")


def whole_process(work: Path) -> None:
    exe = shutil.which("confpack") or str(Path(sys.executable).parent / "confpack")
    prose = shutil.which("proselint") or str(Path(sys.executable).parent / "proselint")
    have_prose = Path(prose).exists()
    folder = work / "project"
    folder.mkdir()
    (folder / ".confpack.toml").write_text(OFF, encoding="utf-8")
    (folder / "tiny.md").write_text(tiny_report(), encoding="utf-8")
    for words in (5_000, 50_000):
        (folder / f"r{words}.md").write_text(report_of(words), encoding="utf-8")
        ours = {"tiny": [], "big": []}
        theirs = {"tiny": [], "big": []}
        for _ in range(15 if words == 5_000 else 5):   # a noisy machine: more rounds
            for key, name in (("tiny", "tiny.md"), ("big", f"r{words}.md")):
                ours[key].append(wall([exe, "lint", name, "--format", "json"], folder))
                if have_prose:
                    theirs[key].append(wall([prose, "check", name], folder))
        extra = statistics.median(ours["big"]) - statistics.median(ours["tiny"])
        line = (f"3. whole process, spelling and grammar off, {words:,} words: confpack "
                f"{statistics.median(ours['big']):.2f} s, 20 words {statistics.median(ours['tiny']):.2f} s: "
                f"{extra * 1000:.0f} ms extra")
        if have_prose:
            p_extra = statistics.median(theirs["big"]) - statistics.median(theirs["tiny"])
            line += (f"; proselint {statistics.median(theirs['big']):.2f} s / {statistics.median(theirs['tiny']):.2f} s: "
                     f"{p_extra * 1000:.0f} ms extra; ratio {extra / p_extra:.2f} (target <= 0.5)")
        print(line)
    small = work / "one"
    small.mkdir()
    shutil.copy(SMALL, small / "child-report.md")
    (small / ".confpack.toml").write_text(OFF, encoding="utf-8")
    quick = statistics.median(wall([exe, "lint", "child-report.md"], small) for _ in range(7))
    (small / ".confpack.toml").unlink()
    full = statistics.median(wall([exe, "lint", "child-report.md"], small) for _ in range(7))
    print(f"4. confpack lint on one small file: {quick:.2f} s wall without spelling and grammar (target < 0.4 s), "
          f"{full:.2f} s with them (target < 1.5 s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        in_process(Path(tmp))
        whole_process(Path(tmp))
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
