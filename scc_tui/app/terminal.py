"""Which terminals the board runs on (no Textual here: the CLI asks before anything heavy loads).

The board draws with colour and Unicode (box drawing, arrows, ▶ ⚑ ✓): ``TERM=dumb`` and the DEC VT
terminals (``vt52``, ``vt100``, ``vt102``) have neither, so the board refuses them with one line naming
the terminals it supports, rather than drawing what such a terminal would garble.
"""

from __future__ import annotations

from collections.abc import Mapping

#: TERM values that cannot draw the board.
UNSUPPORTED = frozenset({"dumb", "unknown", "vt52", "vt100", "vt102"})
SUPPORTED = "xterm-256color, xterm, screen-256color, tmux-256color or linux"


def unsupported_terminal(env: Mapping[str, str]) -> str | None:
    """One line saying why the board cannot run on this terminal, or None when it can."""
    term = (env.get("TERM") or "").strip()
    if term.lower() in UNSUPPORTED:
        return (f"the board needs a terminal with colour and Unicode line drawing, not TERM={term}: "
                f"use {SUPPORTED} (for scripts use `scc status --json`)")
    return None
