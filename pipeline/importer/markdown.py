"""Pandoc's (tidied) tree written as the Markdown confpack reads: ATX headings, one line per
paragraph, ``-`` and ``1.`` lists, pipe tables, ``>`` quotes, footnotes at the end.  Every
character of the Word text that Markdown would read as markup is escaped, so the words
come back exactly as they were typed."""
from __future__ import annotations

import re

_ESCAPE = set("\\`*[]<~")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_NUMBER_START = re.compile(r"(\d{1,9})([.)])(\s|$)")
_BLOCK_START = re.compile(r"(#{1,6}|[-+])(\s|$)|[>=]|:::|-+\s*$")
_ALIGN = {"AlignLeft": ":---", "AlignRight": "---:", "AlignCenter": ":---:"}
_DELIMITER = {"Emph": "*", "Strong": "**", "Strikeout": "~~"}


class MarkdownWriter:
    """Writes blocks; counts what a pipe table could not hold (merged cells, lists in cells)."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.merged_cells = 0
        self.flattened_cells = 0

    def document(self, blocks: list, after: str = "") -> str:
        """The blocks, then ``after`` (Markdown), then the footnotes."""
        body = self.blocks(blocks)
        notes = [f"[^{n}]: " + _indent(text, "    ") for n, text in enumerate(self.notes, 1)]
        return "\n\n".join(part for part in [body, after, *notes] if part) + "\n"

    def blocks(self, blocks: list) -> str:
        return "\n\n".join(text for text in (self.block(b) for b in blocks) if text)

    def block(self, block: dict) -> str:
        kind, c = block["t"], block.get("c")
        if kind == "Para":
            return _paragraph(self.inlines(c))
        if kind == "Header":
            text = re.sub(r"#$", r"\\#", " ".join(self.inlines(c[2], "heading").split()))
            return f"{'#' * c[0]} {text}" if text else ""
        if kind == "BulletList":
            return self.items(c, lambda n: "-")
        if kind == "OrderedList":
            return self.items(c[1], lambda n, start=c[0][0]: f"{start + n}.")
        if kind == "BlockQuote":
            return "\n".join(f"> {line}" if line else ">" for line in self.blocks(c).split("\n"))
        if kind == "Table":
            return self.table(c)
        if kind == "CodeBlock":
            fence = "`" * max(3, *(len(run) + 1 for run in re.findall(r"`+", c[1])))
            return f"{fence}\n{c[1]}\n{fence}"
        if kind == "HorizontalRule":
            return "---"
        return ""

    def items(self, items: list, marker) -> str:
        tight = all(sum(1 for b in item if b["t"] not in ("BulletList", "OrderedList")) <= 1 for item in items)
        out = []
        for n, item in enumerate(items):
            parts = [text for text in (self.block(b) for b in item) if text]
            loose = not tight or any(b["t"] == "OrderedList" and b["c"][0][0] != 1 for b in item[1:])
            body = ("\n\n" if loose else "\n").join(parts)
            mark = marker(n)
            out.append(f"{mark} " + _indent(body, " " * (len(mark) + 1)) if body else mark)
        return ("\n" if tight else "\n\n").join(out)

    # -- tables --------------------------------------------------------------------------
    def table(self, c: list) -> str:
        _, caption, specs, head, bodies, foot = c
        rows = head[1] + [r for body in bodies for r in body[2] + body[3]] + foot[1]
        if not rows:
            return ""
        width = len(specs)
        grid = self.grid(rows, width)
        header, body = grid[0], grid[1:]
        header = [re.sub(r"^\*\*(.*)\*\*$", r"\1", cell) for cell in header]   # header cells are bold anyway
        lines = [_row(header), _row(_ALIGN.get(spec[0]["t"], "---") for spec in specs)]
        lines += [_row(cells) for cells in body]
        title = self.blocks(caption[1])
        return (title + "\n\n" if title else "") + "\n".join(lines)

    def grid(self, rows: list, width: int) -> list[list[str]]:
        """Each row as ``width`` cell texts; a merged cell keeps its text in its first cell."""
        covered = [0] * width
        grid = []
        for row in rows:
            cells: list[str] = []
            col = 0
            for _, _, rowspan, colspan, blocks in row[1]:
                while col < width and covered[col]:
                    covered[col] -= 1
                    cells.append("")
                    col += 1
                if rowspan > 1 or colspan > 1:
                    self.merged_cells += 1
                cells += [self.cell(blocks)] + [""] * (colspan - 1)
                for k in range(col, min(width, col + colspan)):
                    covered[k] = rowspan - 1
                col += colspan
            while col < width:
                if covered[col]:
                    covered[col] -= 1
                cells.append("")
                col += 1
            grid.append(cells[:width])
        return grid

    def cell(self, blocks: list) -> str:
        lines = []
        for block in blocks:
            kind, c = block["t"], block.get("c")
            if kind == "Para":
                lines.append(self.inlines(c, "table").strip())
                continue
            self.flattened_cells += 1
            if kind in ("BulletList", "OrderedList"):
                items = c if kind == "BulletList" else c[1]
                lines += [("- " if kind == "BulletList" else f"{n}. ") + self.cell(item)
                          for n, item in enumerate(items, 1)]
            elif kind == "BlockQuote":
                lines.append(self.cell(c))
            elif kind == "CodeBlock":
                lines += [_escape(line, "table") for line in c[1].split("\n")]
        return "<br>".join(line for line in lines if line)

    # -- inlines -------------------------------------------------------------------------
    def inlines(self, inlines: list, where: str = "text") -> str:
        """``where``: text, heading (one line) or table (one line, ``|`` escaped)."""
        out = []
        for element in inlines:
            kind, c = element["t"], element.get("c")
            if kind == "Str":
                out.append(_escape(c, where))
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "LineBreak":
                out.append({"table": "<br>", "heading": " "}.get(where, "\\\n"))
            elif kind in _DELIMITER:
                inner = self.inlines(c, where)
                core = inner.strip()
                if core:
                    lead, trail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
                    out.append(f"{lead}{_DELIMITER[kind]}{core}{_DELIMITER[kind]}{trail}")
                else:
                    out.append(inner)
            elif kind == "Code":
                out.append(_code(c[1]))
            elif kind == "Math":
                out.append(_escape(c[1], where))
            elif kind == "Quoted":
                quotes = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
                out.append(quotes[0] + self.inlines(c[1], where) + quotes[1])
            elif kind == "Link":
                out.append(self.link(c, where))
            elif kind == "Note":
                self.notes.append(self.blocks(c))
                out.append(f"[^{len(self.notes)}]")
        return "".join(out)

    def link(self, c: list, where: str) -> str:
        text, url = self.inlines(c[1], where), c[2][0]
        if not url or url.startswith("#"):     # a bookmark inside the Word file: the words only
            return text
        address = "".join(f"%{ord(ch):02X}" if ch in " ()<>" else ch for ch in url)
        return f"[{text if text.strip() else _escape(url, where)}]({address})"


def _escape(text: str, where: str) -> str:
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in _ESCAPE or (ch == "|" and where == "table") or (
                ch == "_" and (i == 0 or i == last or not text[i - 1].isalnum() or not text[i + 1].isalnum())) or (
                ch == "&" and _ENTITY.match(text, i)):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _paragraph(text: str) -> str:
    """One paragraph: trailing breaks dropped, and each line kept from starting a heading,
    list, quote, div or setext underline."""
    lines = [line.strip() for line in re.sub(r"(\\\n|\s)+$", "", text.strip()).split("\n")]
    return "\n".join(_safe_start(line) for line in lines)


def _safe_start(line: str) -> str:
    number = _NUMBER_START.match(line)
    if number:
        return number.group(1) + "\\" + line[len(number.group(1)):]
    return "\\" + line if _BLOCK_START.match(line) else line


def _code(text: str) -> str:
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _indent(text: str, prefix: str) -> str:
    """Every line but the first indented by ``prefix`` (blank lines left blank)."""
    first, *rest = text.split("\n")
    return "\n".join([first, *(prefix + line if line else "" for line in rest)])
