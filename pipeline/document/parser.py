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
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import InputError
from .attributes import parse_attributes
from .frontmatter import parse_front_matter, split_front_matter
from .tree import Document, Node

MAX_BYTES = 5_000_000
_FENCE_DIV = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BROKEN_SPAN = re.compile(r"\]\s?\{[^}]*(only|withhold)|\{\s*(only|withhold)\s*=")
_PAGE_BREAK = {"\\newpage", "\\pagebreak"}
_AUDIENCE_KEYS = ("only", "withhold")

_md = None


def _markdown() -> MarkdownIt:
    global _md
    if _md is None:
        _md = (MarkdownIt("commonmark", {"html": True})
               .enable(["table", "strikethrough"])
               .use(attrs_plugin, spans=True)
               .use(footnote_plugin))
    return _md


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
        yaml_text, first, body_line = split_front_matter(source)
        meta = parse_front_matter(yaml_text, first, body_line)
        lines = source.split("\n")
        masked = [""] * (body_line - 1) + lines[body_line - 1:]
        divs = _find_divs(masked)
        for div in divs:
            masked[div.open] = ""
            if div.close is not None:
                masked[div.close] = ""
        tokens = _markdown().parse("\n".join(masked))
        blocks, footnotes = _Builder(lines).build(tokens)
        for block in blocks:  # a block's range ends at its last non-blank line
            while block.end_line > block.line and not masked[block.end_line - 1].strip():
                block.end_line -= 1
        root = Node("document", children=_nest_divs(blocks, divs), line=1, col=1)
        _check_spans(root, footnotes)
        return Document(path=path, source=source, meta=meta, root=root, footnotes=footnotes)
    except InputError as exc:
        raise exc.located(path) from None


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
                rest = "{." + rest + "}" if re.fullmatch(r"[\w-]+", rest) else rest
            attrs = parse_attributes(rest, line=i + 1)
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


def _check_spans(root: Node, footnotes: dict[str, Node]) -> None:
    """Fail on span syntax the attrs plugin could not read (it would otherwise print as text)."""
    for tree in [root, *footnotes.values()]:
        for node in tree.walk():
            if node.type == "text" and _BROKEN_SPAN.search(node.text):
                raise InputError(
                    "this span's attributes cannot be read; write [text]{withhold=\"dad\"} with straight "
                    "double quotes, '=' and a closing '}' right after ']'", line=node.line)
            if node.type in ("span", "link", "image", "div"):
                for key in _AUDIENCE_KEYS:
                    if key in node.attrs and not node.attrs[key].split():
                        raise InputError(f"empty {key}=\"\"; name who the text is for, e.g. {key}=\"professionals\"",
                                         line=node.line)


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
                if t not in ("footnote_block_close",):
                    stack.pop()
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
                parent.children.append(Node("code_block", text=tok.content, line=line, col=1, end_line=end,
                                            attrs={"info": tok.info}))
            elif t == "hr":
                parent.children.append(Node("thematic_break", line=line, col=1, end_line=end))
            elif t == "html_block":
                kind = "comment" if _only_comments(tok.content) else "html"
                parent.children.append(Node(kind, text=tok.content, line=line, col=1, end_line=end))
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
            attrs = dict(child.attrs or {})
            attrs.update(child.meta.get("insecure_attrs", {}) if child.meta else {})
            attrs = {k: v for k, v in attrs.items() if v is not None}
            line, col = mapper.here()
            node = Node(kind, attrs=attrs, line=line, col=col)
            parent.children.append(node)
            stack.append(node)
            return
        if t == "text":
            if child.content:
                parent.children.append(mapper.text_node("text", child.content))
        elif t == "code_inline":
            parent.children.append(mapper.text_node("code", child.content))
        elif t in ("softbreak", "hardbreak"):
            line, col = mapper.line_break()
            parent.children.append(Node(t, line=line, col=col))
        elif t == "image":
            attrs = {k: v for k, v in dict(child.attrs or {}).items() if v is not None}
            attrs.pop("alt", None)
            line, col = mapper.here()
            node = Node("image", attrs=attrs, line=line, col=col)
            img_stack = [node]
            for grandchild in child.children or []:
                self._inline_token(grandchild, img_stack, mapper)
            parent.children.append(node)
        elif t == "footnote_ref":
            line, col = mapper.here()
            parent.children.append(Node("footnote_ref", attrs={"label": str(child.meta.get("label"))},
                                        line=line, col=col))
        elif t == "html_inline":
            kind = "comment_inline" if _only_comments(child.content) else "html_inline"
            parent.children.append(mapper.text_node(kind, child.content))


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
