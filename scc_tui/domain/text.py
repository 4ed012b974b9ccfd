"""Text is inert: the one policy for characters a terminal would interpret, at the door and on the way out.

Two walls (``docs/architecture.md``, "Text is inert"):

1. **At the door** every entry point (areas, schedule and plan TOML files, CSV imports, TUI forms, CLI
   arguments, the store's own write functions) refuses text holding a character that a terminal acts on
   rather than shows: :func:`check_text` / :func:`first_forbidden`. Refused:

   * C0 controls U+0000-U+001F (ESC, NUL, BEL, backspace, CR...) except TAB, and LF in *multi-line*
     fields only (a rationale, a reason, free text, notes); CR and CRLF are first normalised to LF
     (text pasted from Windows) where LF is allowed;
   * DEL U+007F and the C1 controls U+0080-U+009F (U+009B is an 8-bit CSI, U+009D an 8-bit OSC);
   * the Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
     the line/paragraph separators U+2028/U+2029. They are not terminal controls, but they reorder or
     break what is displayed, so that a reader sees something other than what is stored
     ("Trojan Source"); in an NHS escalation record that is as bad. Refusing them costs nothing here:
     area names, titles and reasons are English text, and the right-to-left *letters* (Arabic, Hebrew)
     stay allowed, as their order comes from the letters themselves.

2. **On the way out** every printer (CLI) and every place the TUI draws stored text passes it through
   :func:`inert`, which renders each such character visibly as the Python escape ``\\x1b``, ``\\x9b``,
   ``\\u202e`` (readable, unambiguous, greppable, and what a programmer would type to search for it).
   So a row written by an older version, by raw SQL or restored from a backup still cannot clear the
   screen, set the clipboard (OSC 52) or retitle the terminal. JSON goes through :func:`inert_json`
   (``json`` escapes C0 itself; DEL, C1 and bidi are escaped as ``\\uNNNN``, so the data round-trips).

Pure: no I/O, no Textual, no Rich. (Rich *markup* in stored text is the TUI's concern: it shows text as
``Text`` objects or escapes markup; see ``scc_tui.app.safe``.)
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from scc_tui.domain.errors import SccError

__all__ = [
    "BIDI",
    "TextError",
    "first_forbidden",
    "describe",
    "problem",
    "check_text",
    "inert",
    "inert_json",
    "inert_line",
]

#: Bidirectional embeddings/overrides/isolates and the Unicode line/paragraph separators.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
_C0_C1_DEL = "\x00-\x1f\x7f-\x9f"

FORBIDDEN_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "]")  # TAB and LF allowed
FORBIDDEN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + BIDI + "]")  # TAB allowed

_NAMES = {
    "\x1b": "ESC (escape sequence)",
    "\x07": "BEL",
    "\x00": "NUL",
    "\x08": "backspace",
    "\x7f": "DEL",
    "\x9b": "CSI (C1)",
    "\x9d": "OSC (C1)",
    "\x90": "DCS (C1)",
    "\n": "newline",
    "\r": "carriage return",
}


class TextError(SccError, ValueError):
    """Text holding a character a terminal would interpret. The message is one line and names the field."""


def describe(ch: str) -> str:
    """A human name for a refused character: ``ESC (escape sequence)``, ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    if ch in _NAMES:
        return _NAMES[ch]
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def first_forbidden(value: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """``(index, character)`` of the first refused character in ``value``, or None when it is clean.

    ``multiline`` allows LF (and CR, which callers normalise to LF); TAB is always allowed."""
    pattern = FORBIDDEN_MULTILINE if multiline else FORBIDDEN_LINE
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    m = pattern.search(value)
    return (m.start(), m.group()) if m else None


def problem(value: Any, *, multiline: bool = False) -> str | None:
    """The one-line complaint about ``value`` (without the field name), or None when it is acceptable.

    Non-strings are not this function's business (None is returned)."""
    if not isinstance(value, str):
        return None
    hit = first_forbidden(value, multiline=multiline)
    if hit is None:
        return None
    index, ch = hit
    allowed = "plain text, tabs and new lines" if multiline else "plain text on one line"
    return f"contains a control character ({describe(ch)}) at position {index + 1}; only {allowed} is accepted"


def check_text(value: Any, field: str, *, multiline: bool = False, error: type[Exception] = TextError) -> Any:
    """Return ``value`` unchanged if acceptable, else raise ``error("field: ...")``. None passes."""
    message = problem(value, multiline=multiline)
    if message is not None:
        raise error(f"{field}: {message}")
    return value


# --------------------------------------------------------------------------------------------------
# On the way out
# --------------------------------------------------------------------------------------------------

_INERT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "]")  # TAB and LF are kept


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def inert(text: Any, *, keep_newlines: bool = True) -> str:
    """Text safe to write to a terminal: every character a terminal (or the bidi algorithm) would act on
    is shown as a visible ``\\xNN`` / ``\\uNNNN``. None gives ``""``; other values are ``str()``-ed.

    With ``keep_newlines=False`` (one-line places: a board tile, a table cell) LF becomes `` / `` and
    TAB a space, so the text stays on its line."""
    if text is None:
        return ""
    out = _INERT.sub(_visible, text if isinstance(text, str) else str(text))
    if not keep_newlines:
        out = out.replace("\n", " / ").replace("\t", " ")
    return out


def inert_line(text: Any) -> str:
    """:func:`inert` for a one-line place."""
    return inert(text, keep_newlines=False)


_JSON_UNSAFE = re.compile("[\x7f-\x9f" + BIDI + "]")


def inert_json(obj: Any, **kw: Any) -> str:
    """``json.dumps`` that keeps non-ASCII text readable yet never emits a raw control character
    (``json`` escapes C0 itself; DEL, C1 and bidi controls are escaped here as ``\\uNNNN``)."""
    kw.setdefault("ensure_ascii", False)
    text = json.dumps(obj, **kw)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
