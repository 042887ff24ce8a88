"""The jargon glossary: YAML files of terms, each with a plain alternative and an
explanation a parent would understand."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..common.yamlcheck import Fields, Flag, ListOf, OneOf, Text
from ..config import CONTEXT, cached, load_data
from ..document.frontmatter import AUDIENCES
from .text import sense_of

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
    context: dict | None = field(default=None, hash=False, compare=False)   # words that give its professional sense
    exact: bool = False   # only the forms written: "regarding" is not "regards"

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


SCHEMA = Fields({
    "sources": ListOf(Fields({"id": Text(), "title": Text(), "url": Text()}, required=("id",))),
    "terms": ListOf(Fields({"term": Text(), "kind": OneOf(KINDS), "plain": Text(), "explain": Text(empty=True),
                            "audiences": ListOf(OneOf(AUDIENCES)), "variants": ListOf(Text()),
                            "sources": ListOf(Text()),
                            "context": CONTEXT, "exact": Flag()},
                           required=("term", "kind", "plain")))})


def glossary_of(settings) -> Glossary:
    """The run's glossary (its files, checked when read), built once per run and kept in the
    cache folder by the files' paths, sizes and times, so a one-file lint does not build it."""
    if "glossary" not in settings.cache:
        files = settings.glossary_files
        try:
            stamp = "|".join(f"{p.resolve()}|{p.stat().st_size}|{p.stat().st_mtime_ns}" for p in files)
        except OSError:   # load_glossary says which file is missing
            settings.cache["glossary"] = load_glossary(files)
        else:
            key = hashlib.sha1(f"{stamp}|{_CODE}".encode()).hexdigest()
            settings.cache["glossary"] = cached(f"glossary-{key}", lambda: load_glossary(files))
    return settings.cache["glossary"]


_CODE = "|".join(str(p.stat().st_mtime_ns) for p in (Path(__file__), Path(__file__).with_name("text.py")))  # how terms are made


def load_glossary(files: tuple[Path, ...]) -> Glossary:
    """Load glossary files, each checked against :data:`SCHEMA` (a problem names its line)."""
    glossary = Glossary()
    for path in files:
        data = load_data(path, SCHEMA, "glossary terms: sources and terms (term, kind, plain, …)", "glossary")
        glossary.sources.update({s["id"]: s for s in data.get("sources", [])})
        for entry in data.get("terms") or []:
            glossary.terms.append(Term(term=entry["term"], kind=entry["kind"], plain=entry["plain"],
                                       explain=entry.get("explain", ""),
                                       audiences=tuple(entry.get("audiences") or ("family", "child")),
                                       variants=tuple(entry.get("variants") or ()),
                                       sources=tuple(entry.get("sources") or ()), file=path.name,
                                       context=sense_of(entry.get("context")), exact=entry.get("exact", False)))
    return glossary
