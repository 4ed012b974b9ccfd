"""Area detail: every parameter with value, points/level and band; computed vs declared; who and when;
a plot of the level and score over the last 30 or 90 days (``history_plot``; ``p`` toggles)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from scc_tui.app.board.detail_model import AreaDetail, build_detail
from scc_tui.app.errors import one_line_error
from scc_tui.app.levelstyle import chip
from scc_tui.app.safe import line as _line
from scc_tui.app.safe import markup as escape
from scc_tui.app.messages import StoreChanged, StoreEvent
from scc_tui.app.board.history_plot import SPANS, HistoryPlot, build_series
from scc_tui.app.board.model import TREND_WORDS, fmt_day, fmt_hold, fmt_score, fmt_trend, fmt_when
from scc_tui.domain.status import AreaStatus


def _due(status: AreaStatus) -> str:
    due = status.due_by
    return due.strftime("%H:%M") if due else "10:00"


_COLUMN_STYLE = {
    "Parameter": dict(overflow="fold", ratio=3),
    "Value": dict(justify="right", no_wrap=True),
    "Pts": dict(justify="right", no_wrap=True),
    "Level": dict(no_wrap=True),
    "Band": dict(overflow="fold", ratio=1),
}


def param_columns(parts) -> list[str]:
    """The parameter table's columns: points only for a method that scores points (acute), a level only
    for one whose parameters each map to a level (indicator bands); never a column that is always empty."""
    cols = ["Parameter", "Value"]
    if any(str(p.points or "").strip() for p in parts):
        cols.append("Pts")
    if any(str(p.level or "").strip() for p in parts):
        cols.append("Level")
    return cols + ["Band"]


#: Parameters that are escalation-bed figures: beside them, the detail shows this month's planned bed gap.
ESCALATION_BED_KEYS = frozenset({"escalation_beds_pct"})


def bed_plan_line(area: str, now) -> str:  # noqa: ANN001 - an aware datetime
    """This month's planned gap (London month of ``now``) for the winter bed-model site the model's data
    file maps ``area`` to; "" when no site names the area. Reads the packaged model (a cached file)."""
    try:
        from scc_tui.datafiles.beds import packaged_bed_model
        from scc_tui.domain.beds import london_month, planned_for_area

        planned = planned_for_area(packaged_bed_model(), area, london_month(now))
    except Exception as exc:  # noqa: BLE001 - one line on the detail, never a traceback
        return f"Winter bed plan: the model did not load ({type(exc).__name__}: {exc})"
    return planned.text() if planned is not None else ""


class DetailLoaded(Message):
    def __init__(self, detail: AreaDetail, at, bed_plan: str = "") -> None:  # noqa: ANN001 - aware datetime
        self.detail = detail
        self.at = at  # the clock's time the detail was read at: its history ends on that London day
        self.bed_plan = bed_plan
        super().__init__()


class DetailFailed(Message):
    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__()


class DetailCommands(Provider):
    """The detail screen's own palette entry: the history plot's span (as ``p``)."""

    def _command(self) -> tuple[str, str]:
        other = next(x for x in SPANS if x != self.screen.span)
        return f"History plot: last {other} days", "the level and score plot (p)"

    async def discover(self) -> Hits:
        title, help_text = self._command()
        yield DiscoveryHit(title, self.screen.action_history_span, help=help_text)

    async def search(self, query: str) -> Hits:
        title, help_text = self._command()
        matcher = self.matcher(query)
        if (score := matcher.match(title)) > 0:
            yield Hit(score, matcher.highlight(title), self.screen.action_history_span, text=title, help=help_text)


class DetailScreen(Screen):
    COMMANDS = {DetailCommands}
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back", tooltip="back to the board"),
        Binding("n", "new_assessment", "Assess", id="detail.assess", tooltip="new assessment for this area"),
        Binding("d", "declare", "Declare", id="detail.declare", tooltip="declare this area's level"),
        Binding("e", "escalations", "Escalations", id="detail.escalations", tooltip="this area's escalations"),
        Binding("p", "history_span", "30/90 days", id="detail.history_span",
                tooltip="the history plot: last 30 or last 90 days"),
        Binding("q", "app.quit", "Quit", show=False, id="detail.quit", tooltip="quit (asks first if a form has unsaved input)"),
    ]

    def __init__(self, area_id: int, *, loaded: DetailLoaded | DetailFailed | None = None,
                 pending: bool = False) -> None:
        """``loaded``: the read already done (the app reads before it opens the screen: see
        ``SccApp.open_gathered``); ``pending``: it is being done, its message will be posted here."""
        super().__init__()
        self._loaded = loaded
        self._pending = pending
        self.area_id = area_id
        self.detail: AreaDetail | None = None
        self.bed_plan = ""
        self.loaded_at = None
        self.loaded = False
        self.span = SPANS[0]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-head")
            yield Static("loading…", id="detail-who")
            yield Static("", id="detail-params")
            yield Static("", id="detail-history")
            yield HistoryPlot(id="detail-history-plot", classes="-empty")  # hidden until there is a series
            yield Static("", id="detail-escalations")
        yield Footer()

    def on_mount(self) -> None:
        self._render_head()
        self.app.store_events.subscribe(self, self.apply_store_event)
        loaded, self._loaded = self._loaded, None
        if isinstance(loaded, DetailLoaded):
            self.on_detail_loaded(loaded)
        elif isinstance(loaded, DetailFailed):
            self.on_detail_failed(loaded)
        elif not self._pending:
            self.load()

    @property
    def status(self) -> Any:
        return self.app.status_of(self.area_id)

    @staticmethod
    def read(seam: Any, area_id: int, status: Any, now) -> DetailLoaded | DetailFailed:  # noqa: ANN001 - aware datetime
        """The area's records read and its detail built, as the screen's message (in a worker; an error
        is in the message, never raised)."""
        try:
            records = seam.area_records(area_id, now, days=max(SPANS))
            detail = build_detail(records, status)
        except Exception as exc:  # noqa: BLE001
            return DetailFailed(one_line_error(exc))
        beds = ""
        if detail.status is not None and any(p.key in ESCALATION_BED_KEYS for p in detail.parts):
            beds = bed_plan_line(detail.status.name, now)
        return DetailLoaded(detail, now, beds)

    @work(thread=True, exclusive=True, group="detail")
    def load(self) -> None:
        self.post_message(self.read(self.app.seam, self.area_id, self.status, self.app.clock.now()))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        self.detail = message.detail
        self.bed_plan = message.bed_plan
        self.loaded_at = message.at
        self.loaded = True
        self._render_head()
        self._render_detail()

    def on_detail_failed(self, message: DetailFailed) -> None:
        self.query_one("#detail-who", Static).update(f"Could not load the detail: {escape(message.error)}")

    def apply_store_event(self, event: StoreEvent) -> None:
        if isinstance(event, StoreChanged) and (event.areas is None or self.area_id in event.areas):
            self._render_head()
            self.load()

    def _render_head(self) -> None:
        s = self.status
        if s is None:
            self.query_one("#detail-head", Static).update("This area is no longer on the board.")
            return
        now = self.app.clock.now()
        kind = s.kind + (f" · {s.method}" if s.method else " · declared level only")
        lines = [
            f"[b]{escape(s.name)}[/b]  [$text-muted]{escape(kind)}[/]",
            f"{chip(s.level)}  score {fmt_score(s.score, s.max_score)}"
            + (f"  ·  {fmt_day(s)}" if fmt_day(s) else "")
            + (f"  ·  {fmt_hold(s)}" if fmt_hold(s) else "")
            + (f"  ·  {fmt_trend(s)} {TREND_WORDS[s.trend]}" if s.trend in TREND_WORDS and TREND_WORDS[s.trend] else "")
            + (f"  (was OPEL {s.previous_level})" if s.previous_level else "")
            + (f"  ·  [b $text-error]STALE[/]: today's submission was due by {_due(s)}" if s.stale else ""),
            f"Computed {chip(s.computed_level)}   Declared {chip(s.declared_level)}"
            + f"   updated {fmt_when(s.last_update, now)}" + (f" by {escape(s.updated_by)}" if s.updated_by else ""),
        ]
        item = self.app.board.by_id.get(self.area_id)
        if item is not None and item.summary is not None:
            lines.append(f"Own level above; the areas below: {escape(item.summary.text())}"
                         + (f"  ·  [b $text-error]{item.summary.stale} STALE[/] below" if item.summary.stale else ""))
        self.query_one("#detail-head", Static).update("\n".join(lines))

    def _render_detail(self) -> None:
        d = self.detail
        if d is None:
            return
        now = self.app.clock.now()
        who: list[str] = []
        if d.assessed_at is not None:
            who.append(
                f"Assessment: {fmt_when(d.assessed_at, now)} by {escape(d.assessed_by or '?')}"
                + (f" ({escape(d.assessment_source)})" if d.assessment_source else "")
                + (f", bands {escape(d.plan_version)}" if d.plan_version else "")
            )
            if d.partial:
                who.append(f"  Suggested level is [b]partial[/]: {escape(d.partial)}")
            for w in d.warnings:
                who.append(f"  [$text-warning]{escape(w.split(':', 1)[0])}[/]")
        else:
            who.append("Assessment: none yet")
        if d.declared is not None:
            dec = d.declared
            who.append(
                f"Declaration: {chip(dec.level)} {fmt_when(dec.declared_at, now)} by {escape(dec.author)}"
                + (f" (computed was OPEL {dec.computed_level})" if dec.computed_level else "")
            )
            if dec.reason:
                who.append("  Reason: " + "\n          ".join(escape(x) for x in dec.reason.split("\n")))
        for p in d.problems:
            who.append(f"[$text-warning]{escape(p)}[/]")
        self.query_one("#detail-who", Static).update("\n".join(who))

        params = self.query_one("#detail-params", Static)
        if d.parts:
            table = Table(box=None, pad_edge=False, padding=(0, 1), expand=False, header_style="bold")
            cols = param_columns(d.parts)
            for name in cols:
                table.add_column(name, **_COLUMN_STYLE[name])
            for row in d.parts:
                band = row.band + (f" ({row.flag})" if row.flag else "")
                cells = {"Parameter": row.title, "Value": row.value, "Pts": row.points, "Level": row.level, "Band": band}
                table.add_row(*(Text(_line(cells[c])) for c in cols))
            # This month's planned bed gap right under the escalation-bed figure's table (issue 15 item 2).
            params.update(Group(table, Text(_line(self.bed_plan))) if self.bed_plan else table)
        else:
            params.update("")
        self.query_one("#detail-escalations", Static).update(self._escalations_markup(d))
        # The plot (plotext: the costliest part to draw) after the frame with the figures, so the figures
        # are not kept waiting for it (issue 11 item 9).
        self.call_after_refresh(self._render_history)

    def _escalations_markup(self, d: AreaDetail) -> str:
        from scc_tui.app.screens.escalations_screen import firing_lines
        from scc_tui.domain.actions import progress

        lines = ["[b]Escalations[/b] (e: panel, acknowledge there)"]
        if not d.escalations:
            lines.append("  none active")
        for i in d.escalations:
            head, detail = firing_lines(i)
            lines += [escape(head), "[$text-muted]" + escape(detail) + "[/]"]
        if d.actions:
            open_n = sum(1 for a in d.actions if a.open)
            lines.append(f"[b]Action card[/b] {escape(d.actions[0].card)} {escape(d.actions[0].card_version)}: "
                         f"{escape(progress(d.actions, d.actions[0].area))} · {open_n} outstanding (scc actions)")
        return "\n".join(lines)

    def _render_history(self) -> None:
        d = self.detail
        if d is None:
            return
        # The window ends on the day the detail was read (not the clock's now: a toggle after midnight
        # would otherwise show a day the read did not cover as a gap); a store change reads it again.
        series = build_series(d.history, d.scores, now=self.loaded_at or self.app.clock.now(), days=self.span)
        other = next(x for x in SPANS if x != self.span)
        what = "level and score" if series.has_score else "level"
        head = f"[b]Last {self.span} days[/b] ({what} at the end of each day; today now; p: {other} days)"
        if series.empty:
            head += "\n  no level or score in these days"
        self.query_one("#detail-history", Static).update(head)
        self.query_one(HistoryPlot).show(series)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_history_span(self) -> None:
        self.span = SPANS[(SPANS.index(self.span) + 1) % len(SPANS)]
        self._render_history()

    def action_escalations(self) -> None:
        s = self.status
        self.app.action_escalations(s.name if s is not None else None)

    def action_new_assessment(self) -> None:
        self.app.open_assessment(self.area_id)

    def action_declare(self) -> None:
        self.app.open_declaration(self.area_id)

    def has_unsaved_input(self) -> bool:
        return False
