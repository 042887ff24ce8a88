"""Read a Markdown report into the document tree, with source positions.

markdown-it-py gives block line ranges; inline columns are recovered by aligning each
text token with its block's source.  Fenced divs (``::: {only="professionals"}``) are
found in a line pre-pass (pandoc requires blank lines around them) and spans come from
the attrs plugin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as attribute_end
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import InputError
from .attributes import check_marks, looks_like_mark, parse_attributes
from .frontmatter import GROUPS, parse_front_matter, split_front_matter
from .tree import Document, Node

MAX_BYTES = 5_000_000
MAX_DIV_DEPTH = 8        # divs inside divs
MAX_DEPTH = 40           # any nesting: lists, quotes, spans, divs
HARD_BREAK = "\ue000"    # stands in for a line break pasted from Word until the tree is built
_WORD_BREAKS = "\v\f\x85\u2028\u2029"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ue000\u202a-\u202e\u2066-\u2069]")
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_FENCE_DIV = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BRACES = re.compile(r"[{｛][^{}｛｝\n]*[}｝]|[{｛][^{}｛｝\n]*=[^{}｛｝\n]*$")
_LABEL = re.compile(r"\]\s?\[([^\]\n]+)\]")
_BR = re.compile(r"^<br\s*/?>$", re.I)
_HTML_MARK = re.compile(r"with\w*hold|withold|\bhidden\b|display\s*:\s*none|\bonly\s*=|data-", re.I)
_HREF_MARK = re.compile(r"\s*(\{|[.#]?(only|with\w*h\w*ld|hide)\s*=)", re.I)
_PAGE_BREAK = {"\\newpage", "\\pagebreak"}
_ATTACH = ("image", "code_inline", "link_close", "span_close", "footnote_ref")

_md = None


def _markdown() -> MarkdownIt:
    global _md
    if _md is None:
        _md = (MarkdownIt("commonmark", {"html": True})
               .enable(["table", "strikethrough"])
               .use(footnote_plugin))
        _md.inline.ruler.after("footnote_ref", "confpack_span", _span_rule)
        _md.inline.ruler.push("confpack_attrs", _attrs_rule)
    return _md


def _span_rule(state, silent: bool) -> bool:
    """``[text]{...}``: a span; its attribute text is kept raw, to be read strictly later.

    When a link's text is being measured (silent), a span counts as plain brackets, so a
    link may hold a span: ``[see [this]{withhold="dad"} page](url)``."""
    if silent or state.src[state.pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or label_end + 1 >= state.posMax or state.src[label_end + 1] != "{":
        return False
    try:
        length, _ = attribute_end(state.src[label_end + 1:])
    except ParseError:
        return False
    end = label_end + 1 + length + 1
    if not silent:
        maximum = state.posMax
        state.pos, state.posMax = state.pos + 1, label_end
        state.push("span_open", "span", 1).meta["raw_attrs"] = [state.src[label_end + 1:end]]
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
        state.posMax = maximum
    state.pos = end
    return True


def _attrs_rule(state, silent: bool) -> bool:
    """``{...}`` right after a link, image, code span, span or footnote reference."""
    if state.pending or not state.tokens or state.src[state.pos] != "{" or state.tokens[-1].type not in _ATTACH:
        return False
    try:
        length, _ = attribute_end(state.src[state.pos:])
    except ParseError:
        return False
    if not silent:
        target = len(state.tokens) - 1
        if state.tokens[target].nesting == -1:
            level = 0
            while target >= 0:
                level += state.tokens[target].nesting
                if level == 0:
                    break
                target -= 1
        token = state.tokens[target]
        if token.meta is None:
            token.meta = {}
        token.meta.setdefault("raw_attrs", []).append(state.src[state.pos:state.pos + length + 1])
    state.pos += length + 1
    return True


def read_source(path: str | Path) -> str:
    """Read a report as UTF-8 text, refusing empty, binary and non-UTF-8 files clearly."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError("is a folder; give a Markdown file or use 'confpack lint FOLDER'", str(path))
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found; check the path", str(path)) from None
    except PermissionError:
        raise InputError("cannot read the file (permission denied)", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", str(path)) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"file is {len(data) // 1_000_000} MB; reports over {MAX_BYTES // 1_000_000} MB are refused", str(path))
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not Markdown text", str(path))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("is not UTF-8 text; save it as UTF-8 (in Word: Save As > Plain Text > UTF-8)",
                         str(path), line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("file is empty; write the report first (see 'confpack new KIND')", str(path))
    return text


def parse_file(path: str | Path) -> Document:
    """Read and parse one report file."""
    return parse_text(read_source(path), str(path))


def parse_text(source: str, path: str = "<text>") -> Document:
    """Parse report text (front matter optional) into a :class:`Document`."""
    try:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        source = _controls(source, split_front_matter(source)[2])
        yaml_text, first, body_line = split_front_matter(source)
        meta = parse_front_matter(yaml_text, first, body_line)
        lines = source.split("\n")
        masked = [""] * (body_line - 1) + lines[body_line - 1:]
        divs = _find_divs(masked)
        for div in divs:
            masked[div.open] = ""
            if div.close is not None:
                masked[div.close] = ""
        env: dict = {}
        tokens = _markdown().parse("\n".join(masked), env)
        blocks, footnotes = _Builder(lines).build(tokens)
        for block in blocks:  # a block's range ends at its last non-blank line
            while block.end_line > block.line and not masked[block.end_line - 1].strip():
                block.end_line -= 1
        root = Node("document", children=_nest_divs(blocks, divs), line=1, col=1)
        _check_marks(root, footnotes, {p.id for p in meta.family})
        _check_definitions(root, footnotes, divs, env.get("references", {}))
        return Document(path=path, source=source, meta=meta, root=root, footnotes=footnotes)
    except InputError as exc:
        raise exc.located(path) from None


def _controls(source: str, body_line: int) -> str:
    """Line breaks pasted from Word (vertical tab, form feed, Unicode line and paragraph
    separators) become line breaks inside their paragraph (spaces in the front matter);
    any other control character is refused with its line.  Line numbers never change."""
    if not _CONTROL.search(source):
        return source
    lines = source.split("\n")
    for i, line in enumerate(lines):
        for m in _CONTROL.finditer(line):
            ch = m.group()
            if ch in _BIDI:
                raise InputError(f"an invisible direction control (U+{ord(ch):04X}) is at column {m.start() + 1}: it "
                                 "makes text show in another order than it is written; delete it", line=i + 1)
            if ch not in _WORD_BREAKS:
                raise InputError(f"an invisible control character (U+{ord(ch):04X}) is at column {m.start() + 1}; "
                                 "delete it (paste as plain text, or retype that word)", line=i + 1)
        if any(ch in line for ch in _WORD_BREAKS):
            sub = " " if i < body_line - 1 else HARD_BREAK
            lines[i] = re.sub(f"[{_WORD_BREAKS}]", sub, line)
    return "\n".join(lines)


@dataclass
class _Div:
    open: int          # 0-based line index of the opening fence
    close: int | None  # 0-based line index of the closing fence
    attrs: dict


def _find_divs(lines: list[str]) -> list[_Div]:
    divs: list[_Div] = []
    stack: list[_Div] = []
    code_fence = None
    for i, line in enumerate(lines):
        fence = _CODE_FENCE.match(line)
        if code_fence:
            if fence and fence.group(1)[0] == code_fence[0] and len(fence.group(1)) >= len(code_fence):
                code_fence = None
            continue
        if fence:
            code_fence = fence.group(1)
            continue
        m = _FENCE_DIV.match(line)
        if not m:
            continue
        rest = m.group(2).rstrip(":").strip()
        if rest:
            if not rest.startswith("{"):
                raise InputError(f"'::: {rest}' is not a mark confpack knows; write ::: {{withhold=\"{rest}\"}} "
                                 f"or ::: {{only=\"{rest}\"}}, with the braces and quotes", line=i + 1)
            attrs = parse_attributes(rest, line=i + 1)
            check_marks(attrs, i + 1, "this div")
            if not any(k in attrs for k in ("only", "withhold")):
                raise InputError("this div marks nobody; write ::: {withhold=\"…\"} or ::: {only=\"…\"}", line=i + 1)
            if len(stack) >= MAX_DIV_DEPTH:
                raise InputError(f"divs are nested more than {MAX_DIV_DEPTH} deep here; close some with ':::' "
                                 "(one mark with several names does the same job)", line=i + 1)
            div = _Div(i, None, attrs)
            divs.append(div)
            stack.append(div)
        elif stack:
            stack.pop().close = i
        else:
            raise InputError("this ':::' closes a div that was never opened; remove it or add "
                             "'::: {only=\"...\"}' above the text", line=i + 1)
    if stack:
        raise InputError("this div is never closed; add a ':::' line after its last paragraph",
                         line=stack[-1].open + 1)
    return divs


def _nest_divs(blocks: list[Node], divs: list[_Div]) -> list[Node]:
    """Place top-level blocks inside the divs whose fences enclose them."""
    root = Node("document")
    stack: list[tuple[Node, _Div | None]] = [(root, None)]
    pending = list(divs)

    def open_until(line: int) -> None:
        while pending and pending[0].open < line:
            div = pending.pop(0)
            while stack[-1][1] is not None and stack[-1][1].close < div.open:
                stack.pop()
            node = Node("div", attrs=div.attrs, line=div.open + 1, col=1, end_line=div.close + 1)
            stack[-1][0].children.append(node)
            stack.append((node, div))

    for block in blocks:
        start, end = block.line - 1, block.end_line - 1  # 0-based first and last line
        while stack[-1][1] is not None and stack[-1][1].close < start:
            stack.pop()
        open_until(start)
        while stack[-1][1] is not None and stack[-1][1].close < start:
            stack.pop()
        inner = stack[-1][1]
        crosses = (inner is not None and end > inner.close) or (pending and pending[0].open < end)
        if crosses:
            raise InputError("a ':::' div line falls inside this list, quote or table; put a blank line "
                             "and the ':::' line at the left margin between blocks", line=block.line)
        stack[-1][0].children.append(block)
    open_until(10**9)
    return root.children


def _check_marks(root: Node, footnotes: dict[str, Node], ids: set[str]) -> None:
    """Fail closed on mark syntax that would otherwise print as text or be ignored: attributes
    that attach to nothing, marks written in other ways, HTML pretending to hide, unclosed
    comments, too deep nesting."""
    audience = ids | set(GROUPS)
    for tree in [root, *footnotes.values()]:
        stack = [(tree, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise InputError(f"the text is nested more than {MAX_DEPTH} levels deep here (lists, quotes, "
                                 "spans or divs); flatten it", line=node.line)
            stack.extend((child, depth + 1) for child in node.children)
            t = node.type
            if t in ("text", "code"):
                _check_stray(node, audience)
            if t in ("text", "html", "html_inline") and "<!--" in node.text and "-->" not in node.text.split("<!--")[-1]:
                raise InputError("this comment is never closed, so everything after it would be printed; "
                                 "end it with -->", line=node.line)
            if t in ("html", "html_inline") and _HTML_MARK.search(node.text):
                raise InputError("HTML is printed as text here and hides nothing; mark the words with "
                                 "[the words]{withhold=\"…\"} instead", line=node.line)
            if t == "link" and _HREF_MARK.match(node.attrs.get("href", "")):
                raise InputError("this link's address looks like a mark; a mark goes in { } after the ], "
                                 "not in ( )", line=node.line)


def _check_stray(node: Node, audience: set[str]) -> None:
    """Braces or brackets left in the text that read like a mark: refused, with how to write it."""
    def names_someone(text: str) -> bool:
        return bool(set(re.findall(r"[a-z][a-z0-9-]*", text)) & audience)

    for m in _BRACES.finditer(node.text):
        braces = m.group()
        if not (looks_like_mark(braces) or names_someone(braces) or not braces.endswith(("}", "｝"))):
            continue
        line, _ = node.position(m.start())
        if braces.startswith("｛") or braces.endswith("｝"):
            raise InputError(f"the mark {braces!r} uses full-width braces; type {{ }} from the keyboard", line=line)
        try:
            attrs = parse_attributes(braces, line)
        except InputError:
            raise InputError(f"this span's attributes cannot be read: {braces!r}; write [text]{{withhold=\"dad\"}} "
                             "with straight double quotes, '=' and a closing '}' right after ']'", line=line) from None
        if not any(k in attrs for k in ("only", "withhold")):
            raise InputError(f"{braces!r} looks like a mark but says neither withhold nor only; write "
                             "[the words]{withhold=\"dad\"} or [the words]{only=\"mum professionals\"}", line=line)
        if node.text[:m.start()].endswith("]") and re.search(r"\s=|=\s", braces):
            raise InputError(f"write the mark {braces!r} with no spaces around '=', like {{withhold=\"dad\"}}",
                             line=line)
        raise InputError(f"the mark {braces!r} does not attach to any words, so it would print as text; put "
                         "the words in [ ] right before it, with no space: [the words]{withhold=\"dad\"}", line=line)
    for m in _LABEL.finditer(node.text):
        if names_someone(m.group(1)) or looks_like_mark("{" + m.group(1) + "}"):
            line, _ = node.position(m.start())
            raise InputError(f"'[{m.group(1)}]' after the words is not a mark; write [the words]{{withhold=\"dad\"}} "
                             "with curly braces", line=line)


def _check_definitions(root: Node, footnotes: dict[str, Node], divs: list["_Div"], references: dict) -> None:
    """A footnote or link reference defined inside a marked div must only be used inside it."""
    def enclosing(line: int) -> frozenset[int]:
        return frozenset(d.open + 1 for d in divs if d.open < line - 1 and (d.close is None or line - 1 < d.close))

    note_divs = {label: enclosing(note.line) for label, note in footnotes.items()}
    ref_divs = {}
    for ref in references.values():
        if ref.get("map"):
            inside = enclosing(ref["map"][0] + 1)
            if inside:
                ref_divs[ref["href"]] = (inside, ref["map"][0] + 1)
    if not ref_divs and not any(note_divs.values()):
        return

    def visit(node: Node, around: frozenset[int]) -> None:
        if node.type == "div":
            around = around | {node.line}
        if node.type == "footnote_ref":
            label = node.attrs.get("label", "")
            if not note_divs.get(label, frozenset()) <= around:
                raise InputError(f"footnote [^{label}] is defined inside the marked div on line "
                                 f"{min(note_divs[label])}, but used here, outside it; move the definition out of "
                                 "the div or mark this reference the same way", line=node.line)
        if node.type == "link" and node.attrs.get("href") in ref_divs:
            inside, line = ref_divs[node.attrs["href"]]
            if not inside <= around:
                raise InputError(f"this link's address is defined on line {line}, inside a marked div, but the link "
                                 "is outside it; move the definition out of the div or mark the link the same way",
                                 line=node.line)
        for child in node.children:
            visit(child, around)

    visit(root, frozenset())
    for label, note in footnotes.items():
        visit(note, note_divs[label])


class _Builder:
    """Turns markdown-it's token stream into :class:`Node` trees with positions."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def build(self, tokens) -> tuple[list[Node], dict[str, Node]]:
        root = Node("document")
        footnotes: dict[str, Node] = {}
        stack = [root]
        row_cursor: dict[int, int] = {}
        for tok in tokens:
            t = tok.type
            line = tok.map[0] + 1 if tok.map else stack[-1].line
            end = tok.map[1] if tok.map else line
            if t.endswith("_close"):
                if t != "footnote_block_close":
                    node = stack.pop()
                    if t == "footnote_close":
                        node.end_line = max((c.end_line for c in node.children), default=node.line)
                continue
            if t == "footnote_block_open":
                continue
            if t == "footnote_open":
                node = Node("footnote", attrs={"label": str(tok.meta.get("label", tok.meta.get("id")))},
                            line=line, col=1)
                footnotes[node.attrs["label"]] = node
                stack.append(node)
                continue
            if t == "footnote_anchor":
                continue
            if t.endswith("_open"):
                node = self._block_open(tok, line, end)
                stack[-1].children.append(node)
                stack.append(node)
                continue
            parent = stack[-1]
            if t == "inline":
                if parent.type == "cell":
                    row_line = parent.line
                    parent.children.extend(self._inline(tok, cell_line=row_line, cursor=row_cursor))
                else:
                    parent.children.extend(self._inline(tok))
                if parent.type == "paragraph" and parent.plain_text().strip() in _PAGE_BREAK:
                    parent.type, parent.children = "page_break", []
                if parent.type == "footnote" or (len(stack) > 1 and stack[-2].type == "footnote"):
                    fn = next(n for n in reversed(stack) if n.type == "footnote")
                    fn.line = fn.line or line
            elif t in ("fence", "code_block"):
                parent.children.append(Node("code_block", text=tok.content.replace(HARD_BREAK, "\n"), line=line,
                                            col=1, end_line=end, attrs={"info": tok.info}))
            elif t == "hr":
                parent.children.append(Node("thematic_break", line=line, col=1, end_line=end))
            elif t == "html_block":
                kind = "comment" if _only_comments(tok.content) else "html"
                parent.children.append(Node(kind, text=tok.content.replace(HARD_BREAK, "\n"), line=line, col=1,
                                            end_line=end))
        return root.children, footnotes

    def _block_open(self, tok, line: int, end: int) -> Node:
        t = tok.type[: -len("_open")]
        attrs = dict(tok.attrs or {})
        if t == "heading":
            attrs["level"] = int(tok.tag[1])
        elif t == "ordered_list":
            attrs["start"] = int(attrs.get("start", 1))
        elif t in ("th", "td"):
            style = str(attrs.pop("style", ""))
            attrs["header"] = t == "th"
            attrs["align"] = style.replace("text-align:", "") or None
            t = "cell"
        elif t == "tr":
            t = "row"
        elif t in ("thead", "tbody"):
            t = "table_section"
        node = Node(t, attrs=attrs, line=line, col=1, end_line=end)
        if t == "table_section":
            node.type = "table_part"
        return node

    # -- inline ---------------------------------------------------------------------
    def _inline(self, tok, cell_line: int | None = None, cursor: dict | None = None) -> list[Node]:
        content = tok.content
        first = tok.map[0]
        if cell_line is not None:
            src = self.lines[cell_line - 1]
            start = cursor.get(cell_line, 0)
            at = src.find(content, start) if content else start
            if at < 0:
                at = start
            cursor[cell_line] = at + len(content)
            line_bases = [(0, cell_line, at + 1)]
        else:
            line_bases = []
            offset = 0
            for i, piece in enumerate(content.split("\n")):
                src = self.lines[first + i] if first + i < len(self.lines) else ""
                stripped = piece.rstrip()
                at = src.rfind(stripped) if stripped else len(src) - len(src.lstrip())
                line_bases.append((offset, first + i + 1, max(at, 0) + 1))
                offset += len(piece) + 1
        mapper = _Mapper(content, line_bases)
        root = Node("inline")
        stack = [root]
        for child in tok.children or []:
            self._inline_token(child, stack, mapper)
        return root.children

    def _inline_token(self, child, stack: list[Node], mapper: "_Mapper") -> None:
        t = child.type
        parent = stack[-1]
        if t.endswith("_close"):
            stack.pop()
            return
        if t.endswith("_open"):
            kind = {"strong": "strong", "em": "em", "s": "strike", "link": "link", "span": "span"}[t[:-5]]
            line, col = mapper.here()
            node = Node(kind, attrs=_marks(child, line), line=line, col=col)
            parent.children.append(node)
            stack.append(node)
            return
        if t == "text":
            if child.content:
                for i, piece in enumerate(child.content.split(HARD_BREAK)):
                    if i:
                        line, col = mapper.here()
                        mapper.cursor += 1
                        parent.children.append(Node("hardbreak", line=line, col=col))
                    if piece:
                        parent.children.append(mapper.text_node("text", piece))
        elif t == "code_inline":
            line, _ = mapper.here()
            node = mapper.text_node("code", child.content)
            node.text = node.text.replace(HARD_BREAK, " ")
            node.attrs = _marks(child, line)
            parent.children.append(node)
        elif t in ("softbreak", "hardbreak"):
            line, col = mapper.line_break()
            parent.children.append(Node(t, line=line, col=col))
        elif t == "image":
            line, col = mapper.here()
            node = Node("image", attrs=_marks(child, line), line=line, col=col)
            img_stack = [node]
            for grandchild in child.children or []:
                self._inline_token(grandchild, img_stack, mapper)
            parent.children.append(node)
        elif t == "footnote_ref":
            line, col = mapper.here()
            attrs = {**_marks(child, line), "label": str(child.meta.get("label"))}
            parent.children.append(Node("footnote_ref", attrs=attrs, line=line, col=col))
        elif t == "html_inline":
            if _BR.match(child.content.strip()):   # <br>, pasted in a table cell: a line break
                line, col = mapper.here()
                mapper.text_node("html_inline", child.content)
                parent.children.append(Node("hardbreak", line=line, col=col))
                return
            kind = "comment_inline" if _only_comments(child.content) else "html_inline"
            parent.children.append(mapper.text_node(kind, child.content))


def _marks(token, line: int) -> dict:
    """An element's own attributes (a link's href, an image's src) plus the audience marks
    written after it, read strictly."""
    attrs = {k: v for k, v in dict(token.attrs or {}).items() if v is not None and k != "alt"}
    raw = (token.meta or {}).get("raw_attrs") or []
    if len(raw) > 1:
        raise InputError(f"two sets of marks, {' and '.join(raw)}, on the same words; put them in one {{ }}", line=line)
    if raw:
        marks = parse_attributes(raw[0], line)
        check_marks(marks, line, "these words")
        if not any(k in marks for k in ("only", "withhold")):
            raise InputError(f"{raw[0]!r} marks nobody; write {{withhold=\"…\"}} or {{only=\"…\"}}", line=line)
        attrs.update(marks)
    return attrs


class _Mapper:
    """Aligns inline text tokens with their block's source content to recover columns."""

    def __init__(self, content: str, line_bases: list[tuple[int, int, int]]):
        self.content = content
        self.bases = line_bases
        self.cursor = 0

    def _pos(self, offset: int) -> tuple[int, int]:
        base = self.bases[0]
        for b in self.bases:
            if b[0] <= offset:
                base = b
            else:
                break
        return base[1], base[2] + offset - base[0]

    def here(self) -> tuple[int, int]:
        return self._pos(self.cursor)

    def line_break(self) -> tuple[int, int]:
        """Position of the next line break; the cursor moves past it."""
        at = self.content.find("\n", self.cursor)
        if at < 0:
            return self.here()
        self.cursor = at + 1
        return self._pos(at)

    def text_node(self, kind: str, text: str) -> Node:
        at = self.content.find(text, self.cursor)
        if at >= 0 and "\n" not in self.content[self.cursor:at]:
            line, col = self._pos(at)
            node = Node(kind, text=text, line=line, col=col)
            if "\n" in text:
                node.charpos = [self._pos(at + i) for i in range(len(text))]
            self.cursor = at + len(text)
            return node
        positions = []
        cur = self.cursor
        for ch in text:
            j = self.content.find(ch, cur)
            if j < 0:
                j = cur
            positions.append(self._pos(j))
            cur = j + 1
        self.cursor = cur
        return Node(kind, text=text, line=positions[0][0], col=positions[0][1], charpos=positions)


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _only_comments(html: str) -> bool:
    return _COMMENT.sub("", html).strip() == "" and "<!--" in html
