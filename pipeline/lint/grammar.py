"""``grammar.*`` and ``spelling.*`` through a LanguageTool server the council runs itself.

Family data stays local: no text is sent anywhere unless a server is configured
(``languagetool_url`` or ``CONFPACK_LANGUAGETOOL_URL``), and the public API is used only
when a project opts in with ``languagetool_public = true``.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from .findings import Context

PUBLIC_API = "https://api.languagetool.org/"
NOT_CONFIGURED = ("grammar and spelling were not checked: no LanguageTool server is configured "
                  "(set CONFPACK_LANGUAGETOOL_URL or languagetool_url in .confpack.toml)")


@lru_cache(maxsize=4)
def _tool(url: str):
    import language_tool_python  # imported only when a server is configured

    return language_tool_python.LanguageTool("en-GB", remote_server=url)


def server_url(ctx: Context) -> str | None:
    settings = ctx.settings
    return settings.languagetool_url or (PUBLIC_API if settings.languagetool_public else None)


def check(ctx: Context) -> None:
    url = server_url(ctx)
    if url is None:
        ctx.notes.append(NOT_CONFIGURED)
        return
    units = [u for u in ctx.units if not u.quoted]
    starts, pieces, at = [], [], 0
    for unit in units:
        starts.append(at)
        pieces.append(unit.text)
        at += len(unit.text) + 2
    try:
        matches = _tool(url).check("\n\n".join(pieces))
    except Exception as exc:  # network, HTTP or server errors: say so, lint the rest
        ctx.notes.append(f"grammar and spelling were not checked: LanguageTool at {url} did not answer "
                         f"({type(exc).__name__}: {str(exc)[:120]})")
        return
    names = {w for p in ctx.doc.meta.family for w in p.name.split()}
    for m in matches:
        i = bisect.bisect_right(starts, m.offset) - 1
        if i < 0:
            continue
        unit, start = units[i], m.offset - starts[i]
        end = min(start + m.error_length, len(unit.text))
        if start >= len(unit.text):
            continue
        spelling = m.category == "TYPOS" or m.rule_issue_type == "misspelling"
        if spelling and unit.text[start:end] in names:
            continue
        rule = "spelling.languagetool" if spelling else "grammar.languagetool"
        ctx.add(rule, unit, start, end, list(m.replacements[:3]), message=f"{m.message} [{m.rule_id}]")
