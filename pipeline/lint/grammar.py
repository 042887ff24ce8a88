"""``grammar.*``: British English grammar, offline, with Harper (harper-py); and, when a
council names one, a LanguageTool server it runs itself (``grammar.languagetool``,
``spelling.languagetool``).

Family data stays local: Harper runs in this process, and no text is sent anywhere unless a
LanguageTool server is configured (``languagetool_url`` or ``CONFPACK_LANGUAGETOOL_URL``);
the public LanguageTool API is used only when a project opts in with
``languagetool_public = true``.
"""
from __future__ import annotations

import bisect
import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:   # kept light: the command starts Harper before the rest of lint is imported
    from concurrent.futures import Future, ThreadPoolExecutor

    from .findings import Context
    from .text import Unit

PUBLIC_API = "https://api.languagetool.org/"
_LOCK = threading.Lock()   # a Harper linter is not thread-safe: one call at a time
_READY = threading.Event()
_STATE: dict = {}          # "linter", the "rules" it has on, or "error"


def _after_fork_in_child() -> None:
    """A forked worker (pack runs) inherits no threads: a build or lint thread the parent had
    does not exist in it, so start afresh, keeping a linter the parent had finished building."""
    global _LOCK, _READY
    linter = _STATE.get("linter") if _READY.is_set() else None
    _LOCK, _READY = threading.Lock(), threading.Event()
    _STATE.clear()
    if linter is not None:
        _STATE.update(started=True, linter=linter)
        _READY.set()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _build() -> None:
    try:
        import harper

        _STATE["linter"] = harper.Linter(dialect=harper.Dialect.BRITISH)
    except ImportError as exc:
        _STATE["error"] = exc
    finally:
        _READY.set()


def prefetch(settings=None) -> None:
    """Start building the Harper linter in the background (a second or more: it builds its
    dictionary without holding Python's lock), so loading, parsing and the other rules of a
    run overlap it.  Nothing is started when the settings switch grammar off."""
    if "started" not in _STATE and not (settings is not None and _switched_off(settings)):
        _STATE["started"] = True
        threading.Thread(target=_build, name="harper", daemon=True).start()


def _switched_off(settings) -> bool:
    return all(settings.is_disabled(rule) for rule in set(settings.grammar["kinds"].values()))


def _harper(settings):
    """The British Harper linter with the settings' rules on, built once per process."""
    prefetch(settings)
    _READY.wait()
    if "error" in _STATE:
        raise _STATE["error"]
    linter, rules = _STATE["linter"], tuple(settings.grammar["harper_rules"])
    if _STATE.get("rules") != rules:
        with _LOCK:
            linter.set_lint_config({name: name in rules for name in linter.get_lint_config()})
            _STATE["rules"] = rules
    return linter


def _checked(ctx: Context) -> list[Unit]:
    return [u for u in ctx.units if not u.quoted]


def _joined(units: list[Unit]) -> tuple[str, list[int]]:
    starts, pieces, at = [], [], 0
    for unit in units:
        starts.append(at)
        pieces.append(unit.text)
        at += len(unit.text) + 2
    return "\n\n".join(pieces), starts


def _place(units: list[Unit], starts: list[int], offset: int, length: int) -> tuple[Unit, int, int] | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0 or offset - starts[i] >= len(units[i].text):
        return None
    unit, start = units[i], offset - starts[i]
    return unit, start, min(start + length, len(unit.text))


def begin(ctx: Context) -> Callable[[], None]:
    """Start the offline grammar check of a document and return the function that adds its
    findings.  Harper runs on a worker thread (it releases Python's lock), so it lints while
    the other rules run; the LanguageTool server, if any, is asked when the findings are added."""
    lints: Future | None = None
    units = _checked(ctx)
    text, starts = _joined(units)
    if not _switched_off(ctx.settings):
        lints = _worker().submit(_lint, ctx.settings, text)

    def finish() -> None:
        if lints is not None:
            _offline(ctx, lints, units, starts)
        url = ctx.settings.languagetool_url or (PUBLIC_API if ctx.settings.languagetool_public else None)
        if url:
            _languagetool(ctx, url)
    return finish


def _worker() -> ThreadPoolExecutor:
    if "worker" not in _STATE:
        from concurrent.futures import ThreadPoolExecutor

        _STATE["worker"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harper-lint")
    return _STATE["worker"]


def _lint(settings, text: str) -> list:
    linter = _harper(settings)
    with _LOCK:
        return linter.lint(text)   # as Markdown (the default): twice as fast as "plaintext" on the same text


def _offline(ctx: Context, lints: Future, units: list[Unit], starts: list[int]) -> None:
    try:
        found = lints.result()
    except ImportError:
        ctx.notes.append("grammar was not checked: harper-py is not installed (pip install harper-py)")
        return
    spec = ctx.settings.grammar
    kinds, need_correction = spec["kinds"], frozenset(spec.get("need_correction", ()))
    past = frozenset(spec.get("past_forms", ()))
    repeat_ok = frozenset(spec.get("repeat_ok", ()))
    reporting = frozenset(ctx.settings.voice.get("reporting_verbs", ()))
    from .text import has_quote_mark  # here, not at the top: the module stays light to import
    speech = {id(u): _speech(u, reporting) for u in units if has_quote_mark(u.text)}
    for lint in found:
        rule = kinds.get(lint.lint_kind)
        placed = _place(units, starts, lint.span.start, lint.span.end - lint.span.start) if rule else None
        if placed is None or "all-caps" in lint.message:
            continue
        suggestions = [s for s in (s.replacement_text for s in lint.suggestions) if s][:3]
        if not suggestions and lint.lint_kind in need_correction:
            continue
        unit, start, end = placed
        if any(a <= start < b for a, b in speech.get(id(unit)) or ()):
            continue   # someone's own words, written as they said them ("Mum says it's Dad time")
        if lint.lint_kind == "Agreement" and _misread(unit.text[:start], unit.text[start:end].lower(), past):
            continue
        if lint.lint_kind == "Repetition" and set(unit.text[start:end].lower().split()) <= repeat_ok:
            continue   # "you had had a few cans"
        ctx.add(rule, unit, start, end, suggestions, message=lint.message.rstrip("."))


def _speech(unit: Unit, reporting: frozenset[str]) -> list[tuple[int, int]]:
    """Quotes of what someone said: after a reporting verb with a speaker just before it, in
    the same sentence ('Finley told me, "Mum says…"', 'You said "…"'), closed by a closing
    mark; not a document's words ('The safety plan says: "…"') nor a quote left open."""
    spans = []
    for a, b in unit.quotes():
        closing = unit.text[b - 2:b - 1]
        if not closing.strip() or unit.text[b:b + 1].isalnum():
            continue   # the next quote's opening mark, not this one's close: a quote left open
        sentence = next((s for s in unit.sentences if s.start <= a < s.end), None)
        before = [t for t in unit.tokens[sentence.first if sentence else 0:] if t.end <= a]
        said = [i for i, t in enumerate(before) if t.lower in reporting]
        if said and said[-1] and _speaker(before[said[-1] - 1]):
            spans.append((a, b))
    return spans


def _speaker(tok) -> bool:
    """A word that can say something: a name or a person ("Finley told", "you said", "Mum says")."""
    return tok.lower in _PEOPLE or tok.text[:1].isupper() and tok.lower not in _NOT_PEOPLE


_PEOPLE = frozenset("i you we he she they mum dad nan grandad mother father".split())
_NOT_PEOPLE = frozenset("the it this that plan report letter statement order".split())
_BE_HAVE_DO = frozenset("""am is are was were be been has have had do does did isn't aren't wasn't weren't hasn't
    haven't hadn't doesn't don't didn't""".split())
_OBJECTS = frozenset({"us", "them", "me", "him"})


def _misread(before: str, word: str, past: frozenset[str]) -> bool:
    """Whether an agreement finding misreads correct English: a past form read as present
    ("he fed", "she hid"), a noun after "you" as an object ("I sent you texts"), a verb after a subject
    that is "you and" someone ("you and she argue"), or a verb after an object ("the payment
    to us was").  "You was" is still wrong."""
    from .text import CLAUSE_START  # here, not at the top: the command imports this module early

    words = before.lower().replace("’", "'").split()[-3:]
    if word in past or words and words[-1] in _OBJECTS:
        return True
    if words and words[-1] == "you":
        # "you" starts a clause ("You knows", "…that you knows"), or it is an object ("I sent you texts")
        subject = len(words) < 2 or words[-2] in CLAUSE_START or words[-2].endswith((",", ";", ":", ".", "!", "?"))
        return not subject and word not in _BE_HAVE_DO
    return len(words) == 3 and words[-2] == "and" and "you" in (words[0], words[2])


@lru_cache(maxsize=4)
def _tool(url: str):
    import language_tool_python  # imported only when a server is configured

    return language_tool_python.LanguageTool("en-GB", remote_server=url)


def _languagetool(ctx: Context, url: str) -> None:
    units = _checked(ctx)
    text, starts = _joined(units)
    try:
        matches = _tool(url).check(text)
    except Exception as exc:  # network, HTTP or server errors: say so, lint the rest
        ctx.notes.append(f"LanguageTool at {url} did not answer ({type(exc).__name__}: {str(exc)[:120]}); "
                         "the offline checks still ran")
        return
    names = {w for p in ctx.doc.meta.family for w in p.name.split()}
    for m in matches:
        placed = _place(units, starts, m.offset, m.error_length)
        if placed is None:
            continue
        unit, start, end = placed
        spelling = m.category == "TYPOS" or m.rule_issue_type == "misspelling"
        if spelling and unit.text[start:end] in names:
            continue
        rule = "spelling.languagetool" if spelling else "grammar.languagetool"
        ctx.add(rule, unit, start, end, list(m.replacements[:3]), message=f"{m.message} [{m.rule_id}]")
