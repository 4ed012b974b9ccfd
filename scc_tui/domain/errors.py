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

    ``dotted_field`` is a path such as ``parameters.ed_4hr_pct.bands[2].points`` or
    ``items[3].time``. We look for the deepest key name that appears as ``key =`` or ``[..key..]``
    after the line of its parent table, which is what a human would point at.
    """
    if not dotted_field:
        return None
    parts = [p for p in re.split(r"[.\[\]]+", dotted_field) if p and not p.isdigit()]
    lines = text.splitlines()
    start = 0
    found: int | None = None
    for part in parts:
        pat = re.compile(rf"^\s*(\[+[^\]]*\b{re.escape(part)}\b[^\]]*\]+|\"?{re.escape(part)}\"?\s*=)")
        for i in range(start, len(lines)):
            if pat.search(lines[i]):
                found = i + 1
                start = i
                break
    return found
