"""Files written whole or not at all: a temporary file beside the target, then one rename."""
from __future__ import annotations

import os
from pathlib import Path


def write_text(target: Path, text: str, mode: int = 0o666) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically (``mode`` before the umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, target)
