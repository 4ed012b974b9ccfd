"""Rendering log rows (Rich Text only: nothing from an entry is ever read as markup)."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text

from scc_tui.app.log.model import KIND_SHORT, LogRow, fmt_full, fmt_time
from scc_tui.domain import log as dlog
from scc_tui.domain.clock import LONDON

COLUMNS = ("seq", "time", "kind", "author", "areas", "opel", "text")
HEADERS = {"seq": "#", "time": "Time", "kind": "Kind", "author": "Author (role)", "areas": "Areas",
           "opel": "OPEL", "text": "Entry"}


def one_line(value: str | None) -> str:
    return dlog.inert(value, keep_newlines=False)


def fit(text: Text, width: int, gap: int, *, justify: str = "left") -> Text:
    """Exactly ``width`` cells (ellipsis when longer) followed by ``gap`` spaces."""
    t = text.copy()
    t.no_wrap = True
    t.end = ""
    t.truncate(max(1, width), overflow="ellipsis", pad=False)
    short = width - t.cell_len
    if short > 0:
        if justify == "right":
            t = Text(" " * short, end="") + t
        else:
            t.append(" " * short)
    t.append(" " * gap)
    return t


def text_cell(row: LogRow, *, due: bool = False) -> Text:
    t = Text(end="")
    if due:
        t.append("review due", "bold reverse")
        t.append(" ")
    if row.corrects_seq is not None:
        t.append(f"corrects #{row.corrects_seq}", "bold")
        t.append(" ")
    if row.corrected_by:
        t.append("corrected by " + ", ".join(f"#{s}" for s in row.corrected_by), "bold")
        t.append(" ")
    if row.late:
        t.append(f"late (event {row.event_at.astimezone(LONDON).strftime('%H:%M')})", "italic")
        t.append(" ")
    t.append(one_line(row.text), "strike" if row.corrected_by else "")
    return t


def opel_cell(row: LogRow) -> Text:
    t = Text(end="")
    for i, (_name, level) in enumerate(row.opel):
        if i:
            t.append(" ")
        if level is None:
            t.append("–", "dim")
        else:
            t.append(str(level), "bold reverse" if level >= 4 else "bold" if level >= 3 else "")
    return t


def row_cells(row: LogRow, widths: dict[str, int], today: date, *, due: bool = False, wide: bool = False,
              gap: int = 1, roles: bool = True) -> list[Text]:
    """The seven cells of a row, each exactly its column's width (plus the gap)."""
    kind = row.kind if wide else KIND_SHORT.get(row.kind, row.kind)
    raw = {
        "seq": Text(str(row.seq)),
        "time": Text(fmt_time(row.recorded_at, today)),
        "kind": Text(kind, "bold" if row.kind in dlog.DECISION_KINDS else ""),
        "author": Text(one_line(row.author_role if roles else row.author)),
        "areas": Text(one_line(", ".join(row.areas))),
        "opel": opel_cell(row),
        "text": text_cell(row, due=due),
    }
    return [fit(raw[c], widths[c], 0 if c == "text" else gap, justify="right" if c == "seq" else "left")
            for c in COLUMNS]


def detail_table(row: LogRow, *, due: bool = False) -> Table:
    """Every field of an entry, for the detail view (values are Text: inert, never markup)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def add(label: str, value: str | None, style: str = "") -> None:
        grid.add_row(Text(label), Text(dlog.inert(value) if value else "—", style=style if value else "dim"))

    add("Entry", f"#{row.seq}" + ("   REVIEW DUE" if due else ""))
    add("Kind", f"{dlog.KINDS.get(row.kind, row.kind)} ({row.kind})")
    add("Recorded", fmt_full(row.recorded_at))
    add("Event time", fmt_full(row.event_at) + ("   LATE" if row.late else ""))
    if row.late or row.late_reason:
        add("Why late", row.late_reason)
    add("Author", row.author)
    add("Role", row.role)
    add("Areas", ", ".join(row.areas) or None)
    add("OPEL in force", ", ".join(f"{n}: {'OPEL ' + str(l) if l is not None else 'no level'}" for n, l in row.opel)
        or None)
    add("Text", row.text)
    if row.kind in dlog.DECISION_KINDS or row.rationale:
        add("Rationale", row.rationale)
    if row.kind in dlog.DECISION_KINDS or row.risk or row.risk_measure:
        add("Risk identified", row.risk)
        add("How measured", row.risk_measure)
    if row.kind in dlog.DECISION_KINDS or row.owner:
        add("Owner", row.owner)
    if row.review_at is not None or row.kind in dlog.DECISION_KINDS:
        add("Review at", fmt_full(row.review_at) if row.review_at else None)
    if row.corrects_seq is not None:
        add("Corrects", f"#{row.corrects_seq}")
    if row.corrected_by:
        add("Corrected by", ", ".join(f"#{s}" for s in row.corrected_by))
    add("Source", row.source)
    add("Hash", row.hash[:16] + "…" if row.hash else None)
    add("Previous hash", row.prev_hash[:16] + "…" if row.prev_hash else None)
    return grid
