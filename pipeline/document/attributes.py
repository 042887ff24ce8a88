"""Pandoc-style attribute lists: ``{#id .class key="value" key=value}``."""
from __future__ import annotations

import re

from ..errors import InputError

_TOKEN = re.compile(
    r"""\s*(?:
        \#(?P<id>[\w:-]+)
      | \.(?P<cls>[\w:-]+)
      | (?P<key>[A-Za-z_][\w:-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+))
    )""",
    re.VERBOSE,
)


def parse_attributes(text: str, line: int | None = None) -> dict:
    """Parse ``{...}`` into a dict; classes go under ``"class"`` as a list.

    Raises :class:`InputError` when the text is not a well-formed attribute list.
    """
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise InputError(f"attributes must be written inside {{ }}: {text.strip()!r}", line=line)
    inner = body[1:-1]
    attrs: dict = {}
    pos = 0
    while pos < len(inner):
        if inner[pos:].strip() == "":
            break
        m = _TOKEN.match(inner, pos)
        if not m or m.end() == pos:
            raise InputError(
                f"cannot read the attributes {body!r} near {inner[pos:].strip()[:20]!r}; "
                'write them like {withhold="dad"} or {only="mum professionals"}',
                line=line,
            )
        if m.group("id"):
            attrs["id"] = m.group("id")
        elif m.group("cls"):
            attrs.setdefault("class", []).append(m.group("cls"))
        else:
            value = next(v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None)
            attrs[m.group("key")] = value
        pos = m.end()
    return attrs
