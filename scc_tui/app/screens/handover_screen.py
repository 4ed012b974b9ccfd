"""The 18:00 handover (seed 004: "close down and handover to on-call") as a screen.

The summary is gathered in a thread worker (the store seam's ``handover``) and shown as
Markdown. ``s`` saves it to a Markdown file (:func:`export_dir`; the full path stays on the status line); ``l`` records it in the decision log as a ``handover``
entry (once per screen); ``r`` re-reads; ``Esc`` goes back.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from scc_tui.domain.clock import LONDON
from scc_tui.domain.handover import Handover, render_markdown, render_text
from scc_tui.domain.text import inert_line
from scc_tui.app.exporting import export_dir, save_export

__all__ = ["HandoverScreen", "export_dir"]


class HandoverScreen(Screen):
    DEFAULT_CSS = """
    HandoverScreen > #handover-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    HandoverScreen > VerticalScroll { height: 1fr; overflow-y: scroll; }  /* one width to draw at: see drawn_once */
    HandoverScreen #handover-md { padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "save", "Save .md", id="handover.save", tooltip="save the handover as Markdown (the path is shown)"),
        # a logged act: not l (right elsewhere), and it asks first
        Binding("L", "log_handover", "Log it…", id="handover.log", tooltip="record the handover in the log (asks first)"),
        Binding("r", "reload", "Reload", id="handover.reload", tooltip="re-read the handover now"),
        Binding("escape", "back", "Back", id="handover.back", tooltip="back to the board"),
    ]

    class Loaded(Message):
        def __init__(self, handover: Handover | None, error: str | None = None, sections: Any = None) -> None:
            self.handover = handover
            self.error = error
            self.sections = sections  # drawn_once.Sections of its Markdown, parsed in the worker
            super().__init__()

    class Logged(Message):
        """The handover's log entry was written (``seq``) or not (``error``)."""

        def __init__(self, seq: int | None, error: str | None = None) -> None:
            self.seq = seq
            self.error = error
            super().__init__()

    def __init__(
        self,
        seam: Any,
        *,
        at: datetime | None = None,
        user: str,
        schedule: Any | None = None,
        save_dir: str | os.PathLike[str] | None = None,
        handover: Handover | None = None,
        loaded: Loaded | None = None,
        pending: bool = False,
    ) -> None:
        """``loaded``: the gather already done (the app gathers before it opens the screen: see
        ``SccApp.open_gathered``); ``pending``: it is being done, its Loaded message will be posted here."""
        super().__init__()
        self._loaded = loaded
        self._pending = pending
        self.seam = seam  # app/seam.py: StoreSeam
        self.at = at
        self.user = user
        self.schedule = schedule
        self.save_dir = Path(save_dir) if save_dir else None
        self.handover: Handover | None = handover
        self.logged_seq: int | None = None
        self.logging = False  # the log entry is being written (in a worker)
        self.saved_to: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static("Handover · loading…", id="handover-status", markup=False)
        with VerticalScroll():
            yield Static("", id="handover-md")
        yield Footer()

    def on_mount(self) -> None:
        loaded, self._loaded = self._loaded, None
        if self.handover is not None:
            self._show(self.handover)
        elif loaded is not None:
            self.on_handover_screen_loaded(loaded)
        elif not self._pending:
            self.load()

    @classmethod
    def gather(cls, seam: Any, at: datetime | None, schedule: Any = None) -> Loaded:
        """The handover read and its Markdown parsed, as the screen's Loaded message (in a worker; an
        error is in the message, never raised)."""
        try:
            h = seam.handover(at, schedule=schedule)
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            return cls.Loaded(None, f"{type(exc).__name__}: {exc}")
        from scc_tui.app.drawn_once import markdown_sections

        return cls.Loaded(h, sections=markdown_sections(render_markdown(h)))

    @work(thread=True, exclusive=True, group="handover")
    def load(self) -> None:
        self.post_message(self.gather(self.seam, self.at, self.schedule))

    def on_handover_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.query_one("#handover-status", Static).update(f"Handover · could not gather: {inert_line(message.error)}")
            return
        assert message.handover is not None
        self._show(message.handover, message.sections)

    def _show(self, h: Handover, sections: Any = None) -> None:
        self.handover = h
        local = h.at.astimezone(LONDON)
        n3 = len(h.pressured)
        n = h.logged_count
        self._status(
            f"{'EXERCISE · ' if h.exercise else ''}Handover {local:%a %d %b %H:%M} · {n3} at OPEL 3/4 · "
            f"{len(h.prompts)} prompt{'s' if len(h.prompts) != 1 else ''} open · "
            f"{n} entr{'y' if n == 1 else 'ies'} logged today"
        )
        # Rich Markdown, each section drawn once per width (app/drawn_once.py): one widget to lay out, where
        # Textual's Markdown widget mounts one per block and table cell (about 700 for a day's handover,
        # ~1.5 s to show); the first screenful at once, the rest a frame later. Links are printed as text
        # with their address, never as terminal hyperlinks.
        from scc_tui.app.drawn_once import show_markdown

        show_markdown(self.query_one("#handover-md", Static), sections or render_markdown(h), self.size.height)

    def _status(self, text: str) -> None:
        """The status line (where a saved file's full path stays: a notification fades)."""
        self.query_one("#handover-status", Static).update(inert_line(text))

    # ------------------------------------------------------------------ actions

    def _user(self) -> str:
        return self.user

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_save(self) -> None:
        h = self.handover
        if h is None:
            return
        local = h.at.astimezone(LONDON)
        stem = f"handover-{local:%Y%m%d-%H%M}{'-EXERCISE' if h.exercise else ''}"
        path = save_export(self.app, self.save_dir or export_dir(), stem, ".md", render_markdown(h).encode("utf-8"),
                           "text/markdown")
        if isinstance(path, Path):
            self.saved_to = path
            self._status(f"Saved to {path}")

    def action_log_handover(self) -> None:
        """Ask first; log the summary as one ``handover`` entry on "y"."""
        from scc_tui.app.screens.confirm import ConfirmScreen

        h = self.handover
        if h is None:
            return
        if self.logged_seq is not None:
            self.app.notify(f"Already logged as entry #{self.logged_seq}", severity="warning", timeout=5)
            return
        if self.logging:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.log_handover()

        self.app.push_screen(ConfirmScreen("Log this handover summary in the decision log under your name?"), answered)

    def log_handover(self) -> None:
        """Log the summary as one ``handover`` entry (written in a thread worker)."""
        h = self.handover
        if h is None or self.logged_seq is not None or self.logging:
            return
        from scc_tui.domain.log import MAX_TEXT

        text = render_text(h)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 40].rstrip() + "\n… (truncated; full text: scc handover)"
        self.logging = True
        self._log_handover(text, [a.name for a in h.pressured])

    @work(thread=True, exclusive=True, group="handover-log")
    def _log_handover(self, text: str, areas: list[str]) -> None:
        from scc_tui.domain.log import LogInputError

        try:
            try:
                # Naming the OPEL 3/4 areas records the level each was at in the entry itself.
                seq = self.seam.append_log(kind="handover", text=text, author=self._user(), areas=areas)
            except LogInputError as exc:
                if not str(exc).startswith("areas:"):
                    raise
                seq = self.seam.append_log(kind="handover", text=text, author=self._user())
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback
            self.post_message(self.Logged(None, f"Could not log: {exc}"))
            return
        self.post_message(self.Logged(seq))

    def on_handover_screen_logged(self, message: Logged) -> None:
        self.logging = False
        if message.seq is None:
            self.app.notify(message.error or "Could not log", severity="error", timeout=8, markup=False)
            return
        self.logged_seq = message.seq
        self.app.notify(f"Handover logged as entry #{message.seq}", timeout=5)
