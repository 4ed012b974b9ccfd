"""Numbers as people type them: one parser for the assessment form, the CLI and CSV import.

A decimal comma is accepted (``72,5`` is 72.5, as typed on a continental keyboard or copied from a
spreadsheet in such a locale); nothing that could also be read as a thousands separator is guessed
at: ``1,234`` (1234 or 1.234?), ``1,234.5``, ``1.234,5`` and ``1,234,567`` are refused with a
message saying how to write the number. A value is never silently scaled. Exponents, underscores,
``inf`` and ``nan`` (which Python's ``float`` would take) are not numbers here.
"""

from __future__ import annotations

import re

__all__ = ["NumberTextError", "parse_decimal"]

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_COMMA = re.compile(r"([+-]?)(\d*),(\d+)")


class NumberTextError(ValueError):
    """Why a text is not a number; the message does not name the field (callers add it)."""


def parse_decimal(text: str) -> float:
    """The number ``text`` writes, or :class:`NumberTextError`. Signs are kept (callers refuse negatives)."""
    t = text.strip()
    if not t:
        raise NumberTextError("nothing given: not a number")
    if _PLAIN.fullmatch(t):
        return float(t)
    if "," in t and "." in t:
        raise NumberTextError(
            f"{t!r} mixes ',' and '.': write it with no thousands separator and a decimal point (e.g. 1234.5)"
        )
    if t.count(",") > 1:
        raise NumberTextError(f"{t!r} has more than one ',': write it with no thousands separator (e.g. 1234567)")
    m = _COMMA.fullmatch(t)
    if m:
        sign, whole, frac = m.groups()
        if len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
            plain = f"{sign}{whole}{frac}"
            decimal = f"{sign}{whole}.{frac}"
            raise NumberTextError(f"{t!r} is ambiguous (a thousands separator or a decimal comma?): write {plain} or {decimal}")
        return float(f"{sign}{whole or '0'}.{frac}")
    if t.lstrip("+-").casefold() in ("inf", "infinity", "nan"):
        raise NumberTextError(f"{t!r} is not a finite number")
    raise NumberTextError(f"{t!r} is not a number")
