"""Pandoc-style attribute lists, ``{key="value" .class}``, read strictly: confpack defines
only the audience keys ``only`` and ``withhold`` and the class ``.silent``.  Anything else
(a misspelt key, a key written twice, an id, an unknown class) is an error with a hint,
because a mark that is silently ignored would show withheld text to its reader."""
from __future__ import annotations

import difflib
import re

from ..errors import InputError

AUDIENCE_KEYS = ("only", "withhold")
CLASSES = ("silent",)
# Words people reach for instead of the two keys.
_SYNONYMS = {
    "withhold": ("withold", "witthold", "withheld", "withhhold", "hide", "hidden", "hidefrom", "exclude", "except",
                 "not", "notfor", "private", "redact", "remove", "secret", "conceal", "block"),
    "only": ("for", "onlyfor", "show", "showto", "visible", "visibleto", "audience", "to", "include", "reader",
             "readers", "allow", "allowed"),
}
_TOKEN = re.compile(
    r"""\s*(?:
        \#(?P<id>[^\s{}]+)
      | \.(?P<cls>[^\s{}=]+)
      | (?P<key>[^\s{}=."'#]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}“”‘’]+))
    )""",
    re.VERBOSE,
)


def parse_attributes(text: str, line: int | None = None) -> dict:
    """Parse ``{...}`` into a dict; classes go under ``"class"`` as a list, an id under ``"id"``.

    Raises :class:`InputError` when the text is not a well-formed attribute list or names
    a key twice."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise InputError(f"attributes must be written inside {{ }}: {text.strip()!r}", line=line)
    inner = body[1:-1]
    attrs: dict = {}
    pos = 0
    while inner[pos:].strip():
        m = _TOKEN.match(inner, pos)
        if not m or m.end() == pos:
            rest = inner[pos:].strip()
            hint = (" with straight double quotes (\" not “ ”)" if re.search(r"[“”‘’]", rest) else "")
            raise InputError(
                f"cannot read the attributes {body!r} near {rest[:20]!r}; write them like "
                f'{{withhold="dad"}} or {{only="mum professionals"}}{hint}', line=line)
        if m.group("id"):
            if "id" in attrs:
                raise InputError(f"{body!r} has two ids; confpack uses none: take them out", line=line)
            attrs["id"] = m.group("id")
        elif m.group("cls"):
            attrs.setdefault("class", []).append(m.group("cls"))
        else:
            key = m.group("key")
            if key in attrs:
                raise InputError(f"'{key}' appears twice in {body!r}; name everyone in one {key}=\"…\" "
                                 f"(for example {key}=\"dad jamie\")", line=line)
            attrs[key] = next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
        pos = m.end()
    return attrs


def check_marks(attrs: dict, line: int | None = None, what: str = "these attributes") -> None:
    """Refuse any key, class or id confpack does not define, and an empty audience."""
    for key in attrs:
        if key == "class":
            for cls in attrs["class"]:
                if cls not in CLASSES:
                    raise InputError(f"unknown class '.{cls}' on {what}; {_hint(cls, classes=True)}", line=line)
        elif key == "id":
            raise InputError(f"'#{attrs['id']}' on {what}: confpack does not use ids; take it out "
                             '(marks are written withhold="…" or only="…")', line=line)
        elif key not in AUDIENCE_KEYS:
            raise InputError(f"unknown key '{key}' on {what}; {_hint(key)}", line=line)
        elif not attrs[key].split():
            raise InputError(f"empty {key}=\"\"; name who the text is for, e.g. {key}=\"professionals\"", line=line)


def looks_like_mark(text: str) -> bool:
    """True when text between braces reads like an attempt at an attribute list."""
    inner = text.strip().strip("{}").strip()
    return "=" in inner or bool(re.match(r"[.#][^\s.#]", inner)) or any(
        _close_to_key(w) for w in re.findall(r"[A-Za-z-]+", inner))


def _close_to_key(word: str) -> bool:
    w = word.lower().replace("-", "").replace("_", "")
    return (w in AUDIENCE_KEYS or (len(w) > 3 and w in _SYNONYMS["withhold"])
            or bool(difflib.get_close_matches(w, AUDIENCE_KEYS, n=1, cutoff=0.75)))


def _hint(word: str, classes: bool = False) -> str:
    w = word.lower().replace("-", "").replace("_", "")
    for key, synonyms in _SYNONYMS.items():
        if w == key or w in synonyms or difflib.get_close_matches(w, (key,), n=1, cutoff=0.7):
            if classes:
                return f'did you mean {key}="…"? audience marks are written {key}="dad" or {key}="mum professionals"'
            return f'did you mean `{key}`? write {key}="…" exactly, in lower case'
    if classes:
        return "the only class confpack knows is .silent (remove without a marker)"
    return 'confpack knows only withhold="…" and only="…"; did you mean `withhold`?'
