"""Pack speed: a generated week of 50 conferences (2 parents and 4 professionals each, three
reports each, one parent with a private address) made as DOCX-only packs and then with PDFs,
in parallel as `confpack pack --jobs 2` does.  Prints the wall time, documents per second,
where the time went (render, convert, merge, verify; summed over workers) and the peak
memory of the whole process tree (confpack, its workers and LibreOffice).

Run: python benchmarks/bench_pack.py [--conferences 50] [--jobs 2]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from pipeline.common.workdays import add_working_days
from pipeline.config import load_settings
from pipeline.pack.manifest import load_manifest
from pipeline.pack.run import Options, run_pack

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "initial-conference"
REPORTS = ("social-work-report.md", "school-report.md", "health-visitor-report.md")
PROFESSIONALS = [("hannah-greaves", "Hannah Greaves", "Social worker"),
                 ("mark-denholm", "Mark Denholm", "Designated safeguarding lead"),
                 ("joanne-kitteridge", "Joanne Kitteridge", "Health visitor"),
                 ("tom-halloran", "Tom Halloran", "Police officer")]


def make_week(folder: Path, count: int) -> Path:
    days = [dt.date(2026, 12, 7) + dt.timedelta(days=i) for i in range(5)]
    lines = ["policy:", "  lint_errors: flag", "conferences:"]
    for n in range(count):
        day = days[n % 5]
        cid = f"family-{n + 1:02d}"
        (folder / cid).mkdir()
        for name in REPORTS:
            text = (SOURCE / name).read_text(encoding="utf-8")
            text = re.sub(r"(?m)^  date: .*$", f"  date: {day.isoformat()}", text, count=1)
            shared = add_working_days(day, -3)
            text = re.sub(r"(?m)^shared_with_family: .*$", f"shared_with_family: {shared.isoformat()}", text)
            (folder / cid / name).write_text(text, encoding="utf-8")
        lines += [f"  - id: {cid}", "    type: initial", f"    date: {day.isoformat()}", '    time: "10:00"',
                  "    venue: Eastbrook Family Centre, 2 Orchard Road, Eastbrook", "    chair: Angela Pryce",
                  f"    strategy_discussion: {add_working_days(day, -12).isoformat()}",
                  "    children:", "      - {id: jamie, name: Jamie Taylor, dob: 2015-05-14, advocate: Priya Nair}",
                  "      - {id: ellie, name: Ellie Taylor, dob: 2022-10-21}",
                  "    people:",
                  "      - {id: mum, name: Sam Taylor, role: parent, delivery: {by: post, address: \"Flat 2, 14 Mill "
                  "Lane, Eastbrook EB3 4QT\", password: generate}}",
                  "      - {id: dad, name: Dale Brennick, role: parent, delivery: {by: email, email: "
                  "dale.brennick@example.org, password: Winter-Robin-42}}",
                  "    professionals:"]
        lines += [f"      - {{id: {pid}, name: {name}, role: {role}, agency: Eastbrook Council, delivery: "
                  f"{{by: email, email: {pid}@eastbrook.example.gov.uk}}}}" for pid, name, role in PROFESSIONALS]
        lines += ["    reports:"] + [f"      - {cid}/{name}" for name in REPORTS]
    path = folder / "manifest.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class TreeMemory:
    """Peak summed resident memory of this process and all its descendants, sampled."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> int:
        parents, rss = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as fh:
                    status = fh.read()
            except OSError:
                continue
            ppid = re.search(r"PPid:\s+(\d+)", status)
            kb = re.search(r"VmRSS:\s+(\d+)", status)
            parents[int(entry)] = int(ppid.group(1)) if ppid else 0
            rss[int(entry)] = int(kb.group(1)) * 1024 if kb else 0
        me, total = os.getpid(), 0
        for pid in rss:
            p = pid
            while p and p != me:
                p = parents.get(p, 0)
            if p == me:
                total += rss[pid]
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conferences", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = load_manifest(make_week(Path(tmp), args.conferences))
        recipients = sum(len(c.recipients) for c in manifest.conferences)
        for make_pdf, target in ((False, 60), (True, 240)):
            out = Path(tmp) / ("pdf" if make_pdf else "docx")
            with TreeMemory() as memory:
                run = run_pack(manifest, Options(out, make_pdf, today=dt.date(2026, 12, 1)), load_settings(), jobs=args.jobs)
            assert not run.failed, [r.reason for r in run.results if r.reason]
            docs = sum(r.documents for r in run.results)
            placed = sum(len(r.rows) for r in run.results)
            spent = {k: sum(r.timings.get(k, 0.0) for r in run.results) for k in ("render", "convert", "merge", "verify")}
            print(f"{'with PDFs' if make_pdf else 'DOCX only'}: {args.conferences} conferences, {recipients} packs, "
                  f"{docs} distinct documents ({placed} pack entries) in {run.seconds:.1f} s (target <= {target} s): "
                  f"{docs / run.seconds:.1f} documents/s; worker time: " +
                  ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()) +
                  f"; peak memory {memory.peak / 2**30:.2f} GiB (target < 1.5)")


if __name__ == "__main__":
    main()
