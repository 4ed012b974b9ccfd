"""The escalations panel (`e`): every escalation firing active now, and action-card progress.

Each firing says what to do ("East Kent: Day 2 in OPEL 4 – include STP …") and why ("East Kent: OPEL 4
since Mon 09:10, Day 2"). ``A`` acknowledges the highlighted firing as the session's OS user after a
y/n confirmation: a named, logged act (through the app's store seam). Reading happens in
a thread worker; firings active now are recorded once (insert-if-absent).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from rich.text import Text

from scc_tui.app import safe
from scc_tui.domain.clock import LONDON

__all__ = ["EscalationCommands", "EscalationsScreen", "firing_lines"]


def firing_lines(item: Any) -> tuple[str, str]:
    """(headline, detail) for one active firing (``scc_tui.store.escalations.ActiveFiring``)."""
    f = item.firing
    flag = "OPTIONAL " if f.optional else ""
    head = f"{'⚑' if f.needs_ack and not item.ack else '·'} {flag}{f.message}"
    if item.ack:
        state = f"acknowledged by {item.ack['by']} {datetime.fromisoformat(item.ack['at']).astimezone(LONDON):%a %H:%M}"
        if item.ack.get("note"):
            state += f": {item.ack['note']}"
    elif f.needs_ack:
        state = "needs acknowledgement"
    else:
        state = "no acknowledgement needed"
    # Stored and data-file text is made inert here (area names, notes, users): never a control character.
    return safe.line(head), safe.line(f"  {f.why} · {state} · {f.ruleset} {f.ruleset_version}")


class EscalationsScreen(Screen):
    DEFAULT_CSS = """
    EscalationsScreen > #esc-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    EscalationsScreen > OptionList { height: 1fr; }
    EscalationsScreen > #esc-actions { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("A", "acknowledge", "Acknowledge", id="escalations.acknowledge",
                tooltip="acknowledge the highlighted firing (asks y/n, then logged)"),
        Binding("r", "reload", "Reload", id="escalations.reload", tooltip="re-evaluate the rules now"),
        Binding("escape", "back", "Back", id="escalations.back", tooltip="back"),
    ]
    AUTO_FOCUS = "OptionList"

    class Loaded(Message):
        def __init__(self, items: list | None, progress: dict[str, str] | None, error: str | None = None) -> None:
            self.items = items
            self.progress = progress
            self.error = error
            super().__init__()

    def __init__(self, seam: Any, *, user: str, area: str | None = None) -> None:
        super().__init__()
        self.seam = seam  # app/seam.py: StoreSeam
        self.user = user
        self.area = area
        self.items: list = []

    def compose(self) -> ComposeResult:
        yield Static("Escalations · loading…", id="esc-status", markup=False)
        yield OptionList(id="esc-list")
        yield Static("", id="esc-actions", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        # At once what the board's last full read found (it evaluates the same rules for the badges),
        # then the rules again as of now, in a worker (issue 11 item 9: content within 0.3 s).
        if (known := self._from_board()) is not None:
            self.on_escalations_screen_loaded(self.Loaded(*known))
        self.load()

    def _from_board(self) -> tuple[list, dict[str, str]] | None:
        """The active firings and action-card progress of the board's last full read, or None when it has
        none to give (not read yet, or the rules did not evaluate: then only the worker's read says)."""
        statuses = self.app.statuses
        # (The CLI's quick first read carries no escalations: then the worker's read alone.)
        if not self.app.escalations_read or not statuses or any(s.escalation_error for s in statuses):
            return None
        items = [i for s in statuses for i in s.escalations]
        return items, {s.name: s.action_progress for s in statuses if s.action_progress}

    @work(thread=True, exclusive=True, group="escalations")
    def load(self) -> None:
        try:
            items, progress = self.seam.active_escalations()
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            self.post_message(self.Loaded(None, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Loaded(items, progress))

    def on_escalations_screen_loaded(self, message: Loaded) -> None:
        status = self.query_one("#esc-status", Static)
        if message.error:
            status.update(f"Escalations · could not evaluate the rules: {message.error}")
            return
        items = list(message.items or [])
        if self.area:
            items = [i for i in items if i.firing.area == self.area]
        # Needing acknowledgement first, then the rest; within each in board order, each area's in rule
        # order (stable): the same order from the board's read and from the worker's.
        place = self._board_order()
        items.sort(key=lambda i: (not (i.firing.needs_ack and not i.ack), place.get(i.firing.area, len(place))))
        self.items = items
        open_n = sum(1 for i in items if i.firing.needs_ack and not i.ack)
        now = self.app.clock.now().astimezone(LONDON)
        status.update(f"Escalations{' · ' + safe.line(self.area) if self.area else ''} · {now:%a %d %b %H:%M} · "
                      f"{len(items)} active · {open_n} to acknowledge")
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        if not items:
            ol.add_option(Option("No escalations active.", disabled=True))
        for n, i in enumerate(items):
            head, detail = firing_lines(i)
            ol.add_option(Option(Text(f"{head}\n{detail}"), id=f"f{n}"))
        if items:
            ol.highlighted = min(highlighted or 0, len(items) - 1)
        prog = message.progress or {}
        if self.area:
            prog = {a: p for a, p in prog.items() if a == self.area}
        prog = dict(sorted(prog.items(), key=lambda ap: place.get(ap[0], len(place))))
        self.query_one("#esc-actions", Static).update(
            safe.line("Action cards: " + "; ".join(f"{a}: {p}" for a, p in prog.items())) if prog else "Action cards: none due.")

    def _board_order(self) -> dict[str, int]:
        return {s.name: n for n, s in enumerate(self.app.statuses)}

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_acknowledge(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None or not self.items or ol.highlighted >= len(self.items):
            return
        item = self.items[ol.highlighted]
        if item.record is None:
            return
        if item.ack:
            self.app.notify(f"Already acknowledged by {item.ack['by']}.", severity="warning", timeout=5)
            return
        from scc_tui.app.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self._acknowledge(item.record.id)

        self.app.push_screen(ConfirmScreen(f"Acknowledge as {safe.markup(self.user)} (logged)?\n\n{safe.markup(item.firing.message)}"), decided)

    @work(thread=True, group="escalations-ack")
    def _acknowledge(self, firing_id: int) -> None:
        try:
            ok, log_seq, acknowledged_by = self.seam.acknowledge_escalation(firing_id, self.user)
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.app.notify, f"Could not acknowledge: {exc}", severity="error", markup=False)
            return
        if ok:
            self.app.call_from_thread(self.app.notify, f"Acknowledged: logged as entry #{log_seq}", timeout=5)
        else:
            self.app.call_from_thread(self.app.notify, f"Already acknowledged by {acknowledged_by}.",
                                      severity="warning", timeout=5)
        self.load()


class EscalationCommands(Provider):
    """Command palette: 'Escalations' (the panel, as `e`)."""

    TEXT = "Escalations"
    HELP = "escalation rule firings active now (Day 2 in OPEL 4 – include STP …); acknowledge with A"

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.TEXT, partial(self.app.action_escalations), help=self.HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(self.TEXT)
        if score > 0:
            yield Hit(score, matcher.highlight(self.TEXT), partial(self.app.action_escalations), text=self.TEXT,
                      help=self.HELP)
