"""The jargon glossary: YAML files of terms, each with a plain alternative and an
explanation a parent would understand."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..config import load_yaml
from ..errors import InputError

KINDS = ("acronym", "jargon", "wordy")


@dataclass(frozen=True)
class Term:
    term: str
    kind: str
    plain: str
    explain: str
    audiences: tuple[str, ...]
    variants: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    file: str = ""

    @property
    def rule(self) -> str:
        return {"acronym": "jargon.acronym", "jargon": "jargon.term", "wordy": "readability.simpler-word"}[self.kind]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)


@dataclass(eq=False)
class Glossary:
    terms: list[Term] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)

    def lookup(self, text: str) -> list[Term]:
        """Terms whose term or variants equal ``text`` (any case), else whose term contains it."""
        wanted = text.strip().lower()
        exact = [t for t in self.terms if wanted in (f.lower() for f in t.forms)]
        return exact or [t for t in self.terms if wanted and wanted in t.term.lower()]


@lru_cache(maxsize=8)
def load_glossary(files: tuple[Path, ...]) -> Glossary:
    """Load and check glossary files; a bad entry is an InputError naming the file."""
    glossary = Glossary()
    for path in files:
        data = load_yaml(path)
        glossary.sources.update({s["id"]: s for s in data.get("sources", []) if isinstance(s, dict) and "id" in s})
        for i, entry in enumerate(data.get("terms") or []):
            glossary.terms.append(_term(entry, path, i))
    return glossary


def _term(entry, path: Path, i: int) -> Term:
    where = f"term {i + 1}"
    if not isinstance(entry, dict) or not all(k in entry for k in ("term", "kind", "plain")):
        raise InputError(f"{where} needs at least 'term', 'kind' and 'plain'", str(path))
    if entry["kind"] not in KINDS:
        raise InputError(f"{where} ('{entry['term']}') has kind '{entry['kind']}'; use one of {', '.join(KINDS)}",
                         str(path))
    return Term(term=str(entry["term"]), kind=entry["kind"], plain=str(entry["plain"]),
                explain=str(entry.get("explain", "")),
                audiences=tuple(entry.get("audiences") or ("family", "child")),
                variants=tuple(str(v) for v in entry.get("variants") or ()),
                sources=tuple(entry.get("sources") or ()), file=path.name)
