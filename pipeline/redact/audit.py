"""The distribution log: who was sent what, from which source, and how much was withheld
(counts by rule, never the withheld text).  SQLite, one row per recipient copy."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

LOG_NAME = "distribution-log.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS distribution (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    recipient TEXT NOT NULL,
    outputs TEXT NOT NULL,          -- JSON list of {"file", "sha256"}
    withheld_total INTEGER NOT NULL,
    withheld_by_rule TEXT NOT NULL, -- JSON {"withhold": n, "only": n, "private": n}
    note TEXT NOT NULL DEFAULT ''   -- an override the sender chose, e.g. a letter over its reading age
)"""


def _open(log: Path) -> sqlite3.Connection:
    db = sqlite3.connect(log)
    db.execute(_SCHEMA)
    if "note" not in {row[1] for row in db.execute("PRAGMA table_info(distribution)")}:   # a log from before notes
        db.execute("ALTER TABLE distribution ADD COLUMN note TEXT NOT NULL DEFAULT ''")
    return db


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def record(log: Path, source: Path, recipient: str, outputs: list[Path], withheld: dict[str, int],
           note: str = "") -> None:
    """Append one row for one recipient's copy of one source."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with _open(log) as db:
        db.execute(
            "INSERT INTO distribution (time, source, source_sha256, recipient, outputs, withheld_total, "
            "withheld_by_rule, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), str(source), sha256(source), recipient,
             json.dumps([{"file": str(p), "sha256": sha256(p)} for p in outputs]), sum(withheld.values()),
             json.dumps(withheld, sort_keys=True), note))


def rows(log: Path) -> list[dict]:
    if not log.is_file():
        return []
    with _open(log) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM distribution ORDER BY id")]
