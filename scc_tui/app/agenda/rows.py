"""What each agenda row says (pure text from an :class:`~scc_tui.app.prompting.AgendaRow`; no Textual)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from scc_tui.app.prompting import AgendaRow
from scc_tui.app.safe import line as _line
from scc_tui.domain.clock import LONDON

MARKS = {
    "acknowledged": "✓",
    "done": "✓",
    "due": "●",
    "missed": "✗",
    "snoozed": "z",
    "next": "▶",
    "unacknowledged": "!",
    "upcoming": "·",  # later today (a visible mark: Textual drops leading whitespace of a line)
}


def fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def row_tag(row: AgendaRow) -> str:
    owing = f"{len(row.owing)} owing" if row.owing else ""
    if row.state == "acknowledged":
        return f"ack {_line(row.acknowledged_by)}" if row.acknowledged_by else "ack"
    if row.state == "done":
        return "done"
    if row.state == "due":
        return "DUE" + (f" · {owing}" if owing else "")
    if row.state == "missed":
        return "MISSED" + (f" · {owing}" if owing else "")
    if row.state == "snoozed":
        return f"z {row.until.astimezone(LONDON):%H:%M}" if row.until else "snoozed"
    if row.state == "unacknowledged":
        return "not acked"
    if row.state == "next":
        return "next" + (f" · {owing}" if owing else "")
    return owing


def row_detail(row: AgendaRow) -> list[str]:
    at = row.at.astimezone(LONDON)
    what = f"{'Deadline' if row.kind == 'deadline' else 'Call'} {at:%H:%M} {row.title}"
    state = {
        "acknowledged": f"Acknowledged by {row.acknowledged_by}.",
        "done": "Done: every area has submitted.",
        "due": f"Due now ({row.stage} prompt). Enter or A to acknowledge, z to snooze.",
        "missed": "MISSED: fell due with no session open (or was never shown). Enter or A to acknowledge.",
        "snoozed": f"Snoozed until {row.until.astimezone(LONDON):%H:%M}." if row.until else "Snoozed.",
        "unacknowledged": "Shown but never acknowledged. Enter or A to acknowledge.",
        "next": "Next item today.",
        "upcoming": "Later today.",
    }.get(row.state, row.state)
    return [_line(x) for x in (what, state, *row.detail)]


def acknowledge_question(row: AgendaRow) -> str:
    at = row.at.astimezone(LONDON)
    what = "deadline" if row.kind == "deadline" else "call"
    return f"Acknowledge the {at:%H:%M} {what}:\n{row.title}?\n(Logged in the decision log under your name.)"
