"""Stored text on screen: the second wall of "text is inert" (``docs/architecture.md``).

Every place the TUI draws text that came from the database or a data file passes it through one of
these. :func:`line` shows control characters visibly (``\\x1b``, ``\\x9b``, ``\\u202e``;
:func:`scc_tui.domain.text.inert`) and keeps it on one line; :func:`markup` also escapes Rich/Textual
markup, for the few places that build a markup string (``[b]…[/b]``), so that a stored ``[link=…]`` or
``[bold red]`` is shown as typed, never interpreted. Elsewhere stored text goes in a ``Text`` object or a
``markup=False`` widget/notification.
"""

from __future__ import annotations

from typing import Any

from scc_tui.domain.text import inert, inert_line

__all__ = ["line", "text", "markup", "markup_text"]


def _escape(value: str) -> str:
    """Escape for Textual markup. ``textual.markup.escape`` only escapes what looks like a tag
    (``[b]``, ``[link=…]``), which is not enough: after ``\\x1b[2J`` the parser reads ``[2J…`` as the
    start of a tag. Here every ``[`` is escaped (Textual unescapes exactly one backslash before a
    ``[``), and a trailing backslash, which would escape the closing tag that follows, is kept apart from
    it by a zero-width space."""
    out = value.replace("[", "\\[")
    return out + "\u200b" if out.endswith("\\") else out


def line(value: Any) -> str:
    """One line of plain text (not markup), inert."""
    return inert_line(value)


def text(value: Any) -> str:
    """Plain text that may span lines, inert."""
    return inert(value)


def markup(value: Any) -> str:
    """One line, inert, with markup escaped: safe inside a markup string."""
    return _escape(inert_line(value))


def markup_text(value: Any) -> str:
    """Multi-line, inert, with markup escaped."""
    return _escape(inert(value))
