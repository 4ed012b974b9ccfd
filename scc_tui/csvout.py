"""The one CSV writer for every export (assessments, declarations, the log).

Each text cell is made inert (terminal controls shown escaped, ``scc_tui.domain.text.inert``) and guarded
against spreadsheet formula injection: a cell starting with ``=``, ``+``, ``-``, ``@``, TAB or CR is
prefixed with ``'`` so Excel or LibreOffice shows it as text instead of running it
(``=cmd|' /C calc'!A0``). Numbers are written as numbers. ``unguard`` reverses the prefix on import, so an
export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any, Iterable, Sequence

__all__ = ["FORMULA_START", "cell", "csv_text", "guard", "unguard"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(text: str) -> str:
    return "'" + text if text[:1] in FORMULA_START else text


def unguard(text: str) -> str:
    """A cell as read back from a guarded export (only the prefix this module adds is removed)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START else text


def cell(value: Any) -> str:
    from scc_tui.domain.text import inert

    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    return guard(inert(str(value)))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow([cell(h) for h in header])
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue()
