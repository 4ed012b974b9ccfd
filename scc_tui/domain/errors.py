"""Errors that carry enough to be fixed at 3 a.m.: the file, the line, the field, what is wrong."""

from __future__ import annotations

import re
from pathlib import Path


class SccError(Exception):
    """Base for errors shown to a user as one line (CLI exit code 2), never as a traceback."""


class DataFileError(SccError):
    """A data file (TOML plan, rules, schedule, areas) failed validation."""

    def __init__(self, file: str | Path, field: str | None, message: str, line: int | None = None):
        self.file = str(file)
        self.field = field
        self.message = message
        self.line = line
        where = self.file + (f":{line}" if line else "")
        what = f" field {field!r}" if field else ""
        super().__init__(f"{where}:{what} {message}".replace(": ", ": ", 1))


def find_line(text: str, dotted_field: str | None) -> int | None:
    """Best-effort line number of a field in TOML source text.

    ``dotted_field`` is a path such as ``parameters[2].bands[1].max``, ``by_area."West Kent"[0]``
    or ``items.time``. Each step narrows the search: a key is looked for as ``key =`` (also inside an
    inline table) or as a table header ``[..key]`` / ``[[..key]]``; an index ``[n]`` picks the n-th
    ``[[..key]]`` array-of-tables header, or the n-th element of an inline array ``key = [...]``.
    Returns the deepest line found (the parent's line if a child is missing), or ``None``.
    """
    if not dotted_field:
        return None
    segments: list[str | int] = []
    for m in re.finditer(r'"([^"]*)"|\'([^\']*)\'|\[(\d+)\]|([^.\[\]"\']+)', dotted_field):
        if m.group(3) is not None:
            segments.append(int(m.group(3)))
        else:
            segments.append(next(g for g in (m.group(1), m.group(2), m.group(4)) if g is not None))
    lines = text.splitlines()
    lo, hi = 0, len(lines)  # the search region (line indexes, hi exclusive)
    found: int | None = None
    i = 0
    while i < len(segments):
        seg = segments[i]
        if isinstance(seg, int):  # an index with no key before it: nothing to narrow by
            i += 1
            continue
        index = segments[i + 1] if i + 1 < len(segments) and isinstance(segments[i + 1], int) else None
        key = _key_pattern(seg)
        if index is not None:
            headers = [n for n in range(lo, hi) if re.match(rf"^\s*\[\[\s*(?:[^\]]*\.)?\s*{key}\s*\]\]", lines[n])]
            if len(headers) > index:
                start = headers[index]
                found, lo, hi = start + 1, start, _table_end(lines, start, hi)
                i += 2
                continue
        n = _find_key(lines, lo, hi, key)
        if n is None:
            break
        found = n + 1
        if re.match(r"^\s*\[", lines[n]):  # a table header: its region runs to the next unrelated header
            lo, hi = n, _table_end(lines, n, hi)
        else:
            lo = n
        if index is not None:
            span = _inline_element(lines, n, index)
            if span is None:
                break
            found, lo, hi = span[0] + 1, span[0], span[1] + 1
            i += 2
        else:
            i += 1
    return found


def _key_pattern(key: str) -> str:
    k = re.escape(key)
    return rf"(?:\"{k}\"|'{k}'|{k})"


def _find_key(lines: list[str], lo: int, hi: int, key: str) -> int | None:
    """First line in [lo, hi) that assigns ``key`` (also inside an inline table) or heads its table."""
    assign = re.compile(rf"(?:^|[{{,])\s*{key}\s*=")
    header = re.compile(rf"^\s*\[\[?\s*(?:[^\]]*\.)?\s*{key}\s*\]\]?\s*(?:#.*)?$")
    for n in range(lo, hi):
        line = lines[n]
        if line.lstrip().startswith("["):
            if header.match(line):
                return n
        elif assign.search(line):
            return n
    return None


def _table_end(lines: list[str], start: int, hi: int) -> int:
    """Index of the first header after ``start`` that is not a sub-table of the header at ``start``."""
    head = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
    m = head.match(lines[start])
    name = m.group(1) if m else ""
    for n in range(start + 1, hi):
        h = head.match(lines[n])
        if h and not h.group(1).startswith(name + "."):
            return n
    return hi


def _inline_element(lines: list[str], n: int, index: int) -> tuple[int, int] | None:
    """(first, last) line of element ``index`` of the inline array that starts on line ``n``."""
    eq = lines[n].find("=")
    pos = lines[n].find("[", eq) if eq >= 0 else -1
    if pos < 0:
        return None
    depth, count, first, last, quote = 0, 0, None, None, ""
    row, col = n, pos
    while row < len(lines):
        text = lines[row]
        while col < len(text):
            ch = text[col]
            if quote:
                if ch == "\\" and quote == '"':
                    col += 1
                elif ch == quote:
                    quote = ""
                col += 1
                continue
            if ch == "#":
                break
            if depth == 1 and ch in ",]":
                if first is not None:
                    return first, last
                if ch == "]":
                    return None
                count += 1
            elif depth >= 1 and not ch.isspace():
                if depth == 1 and first is None and count == index:
                    first = row
                if first is not None:
                    last = row
            if ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
            col += 1
        row += 1
        col = 0
    return None


class ScoringError(SccError):
    """One-line problem with a scoring request: unknown method/area/key, missing required value,
    a value that is not a finite non-negative number, or a plan that cannot score."""
