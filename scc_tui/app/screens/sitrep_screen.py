"""The upward sitrep as a screen (issue 15 item 3; K&M STP Winter Approach: "pre-emptive upwards briefing
… limiting ad-hoc requests"; KCC ASC OPEL plan v1.7 §3.1: the ICS "must, in turn, submit this to NHSE
regions").

The same report as ``scc report sitrep``: gathered in a thread worker, cut at the clock's time by the
person signed in, shown as the 80-column Markdown. ``s`` saves Markdown, ``v`` saves a CSV that opens
cleanly in Excel (UTF-8 BOM, formula-safe), ``L`` records in the decision log that it was sent (asks
first; the entry carries the SHA-256 of the exact bytes, as the CLI's does), ``r`` cuts it again;
``a`` steps the scope from every area through each region and ICS (the CLI's ``--area``).

The screen does not read the store: the app hands it ``gather`` (cut a sitrep now, for a scope) and
``log`` (record one as sent), so it works the same over any store seam.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
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
from scc_tui.domain.sitrep import CSV_HEADER, Sitrep, csv_rows, render_markdown
from scc_tui.domain.text import inert_line

__all__ = ["SitrepScreen", "sitrep_bytes"]

FORMATS = {"md": ".md", "csv": ".csv"}


def sitrep_bytes(rep: Sitrep, fmt: str) -> bytes:
    """The exact bytes ``scc report sitrep --format FMT`` writes (what is saved, sent and digested)."""
    if fmt == "csv":
        from scc_tui.csvout import csv_text

        return csv_text(CSV_HEADER, csv_rows(rep), lineterminator="\r\n").encode("utf-8-sig")
    return render_markdown(rep).encode("utf-8")


class SitrepScreen(Screen):
    DEFAULT_CSS = """
    SitrepScreen > #sitrep-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    SitrepScreen > VerticalScroll { height: 1fr; overflow-y: scroll; }  /* one width to draw at: see drawn_once */
    SitrepScreen #sitrep-md { padding: 0 1; }
    """
    BINDINGS = [
        Binding("s", "save('md')", "Save .md", id="sitrep.save", tooltip="save the sitrep as Markdown (the path is shown)"),
        Binding("v", "save('csv')", "Save .csv", id="sitrep.save_csv",
                tooltip="save the sitrep as CSV for Excel (UTF-8 BOM, formula-safe; the path is shown)"),
        # a logged act: capital L, and it asks first (as the handover's)
        Binding("L", "log_sent", "Log as sent…", id="sitrep.log",
                tooltip="record in the log that this sitrep was sent (asks first; with the SHA-256 of what was saved)"),
        Binding("a", "scope", "Scope", id="sitrep.scope",
                tooltip="next scope: every area, then each region and ICS with the areas under it (cuts again)"),
        Binding("r", "reload", "Cut again", id="sitrep.reload", tooltip="cut the sitrep again at the current time"),
        Binding("escape", "back", "Back", id="sitrep.back", tooltip="back to the board"),
    ]

    class Loaded(Message):
        def __init__(self, sitrep: Sitrep | None, error: str | None = None, sections: Any = None) -> None:
            self.sitrep = sitrep
            self.error = error
            self.sections = sections  # drawn_once.Sections of its Markdown, parsed in the worker
            super().__init__()

    def __init__(
        self,
        gather: Callable[[str | None], Sitrep],
        log: Callable[[Sitrep, bytes, str], Any],
        *,
        scopes: Sequence[str] = (),
        save_dir: str | os.PathLike[str] | None = None,
        sitrep: Sitrep | None = None,
        loaded: Loaded | None = None,
        pending: bool = False,
    ) -> None:
        """``loaded``: the first cut already done (the app cuts before it opens the screen: see
        ``SccApp.open_gathered``); ``pending``: it is being done, its Loaded message will be posted here."""
        super().__init__()
        self._loaded = loaded
        self._pending = pending
        self._gather = gather
        self._log = log
        #: None (every area), then each region and ICS: ``a`` steps through them
        self.scopes: list[str | None] = [None, *scopes]
        self.scope: str | None = None
        self.save_dir = Path(save_dir) if save_dir else None
        self.sitrep: Sitrep | None = sitrep
        #: the format and bytes last saved (what "Log as sent" digests); Markdown until a save says otherwise
        self.saved: tuple[str, bytes] | None = None
        self.saved_to: Path | None = None
        self.logged_seq: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Sitrep · cutting…", id="sitrep-status", markup=False)
        with VerticalScroll():
            yield Static("", id="sitrep-md")
        yield Footer()

    def on_mount(self) -> None:
        loaded, self._loaded = self._loaded, None
        if self.sitrep is not None:
            self._show(self.sitrep)
        elif loaded is not None:
            self.on_sitrep_screen_loaded(loaded)
        elif not self._pending:
            self.load()

    @classmethod
    def cut(cls, gather: Callable[[str | None], Sitrep], scope: str | None) -> Loaded:
        """The sitrep cut and its Markdown parsed, as the screen's Loaded message (in a worker; an
        error is in the message, never raised)."""
        try:
            rep = gather(scope)
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            return cls.Loaded(None, f"{type(exc).__name__}: {exc}")
        from scc_tui.app.drawn_once import markdown_sections

        return cls.Loaded(rep, sections=markdown_sections(render_markdown(rep)))

    @work(thread=True, exclusive=True, group="sitrep")
    def load(self) -> None:
        self.post_message(self.cut(self._gather, self.scope))

    def on_sitrep_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self._status(f"Sitrep · could not cut: {message.error}")
            return
        assert message.sitrep is not None
        self.saved = None
        self.saved_to = None
        self.logged_seq = None
        self._show(message.sitrep, message.sections)

    def _show(self, rep: Sitrep, sections: Any = None) -> None:
        from scc_tui.app.drawn_once import show_markdown

        self.sitrep = rep
        self._status(f"{'EXERCISE · ' if rep.exercise else ''}Sitrep · {rep.scope_text} · {rep.cut_text} · "
                     f"{len(rep.areas)} areas · {len(rep.firings)} escalations · {len(rep.risks)} risks")
        # One Rich renderable drawn once per width (as the handover); links as text, never terminal hyperlinks.
        show_markdown(self.query_one("#sitrep-md", Static), sections or render_markdown(rep), self.size.height)

    def _status(self, text: str) -> None:
        self.query_one("#sitrep-status", Static).update(inert_line(text))

    def _stem(self, rep: Sitrep) -> str:
        return f"sitrep-{rep.at.astimezone(LONDON):%Y%m%d-%H%M}{'-EXERCISE' if rep.exercise else ''}"

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self._status("Sitrep · cutting…")
        self.load()

    def action_scope(self) -> None:
        i = self.scopes.index(self.scope) if self.scope in self.scopes else 0
        self.scope = self.scopes[(i + 1) % len(self.scopes)]
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scope":
            return len(self.scopes) > 1 or None
        return True

    def action_save(self, fmt: str) -> None:
        rep = self.sitrep
        if rep is None or fmt not in FORMATS:
            return
        from scc_tui.app.exporting import DOWNLOADED, export_dir, save_export

        data = sitrep_bytes(rep, fmt)
        path = save_export(self.app, self.save_dir or export_dir(self.app.settings), self._stem(rep), FORMATS[fmt],
                           data, "text/csv" if fmt == "csv" else "text/markdown")
        if path is None:
            return
        self.saved = (fmt, data)  # what "Log as sent" digests
        if path != DOWNLOADED:
            self.saved_to = path
            self._status(f"Saved to {path}")

    def action_log_sent(self) -> None:
        """Ask first; on "y" record one ``report`` entry (what was sent, its digest)."""
        from scc_tui.app.screens.confirm import ConfirmScreen

        if self.sitrep is None:
            return
        if self.logged_seq is not None:
            self.app.notify(f"Already logged as entry #{self.logged_seq}", severity="warning", timeout=5)
            return
        fmt = self.saved[0] if self.saved else "md"

        def answered(yes: bool | None) -> None:
            if yes:
                self.log_sent()

        self.app.push_screen(ConfirmScreen(
            f"Record in the decision log that this sitrep ({fmt}) was sent, under your name?"), answered)

    def log_sent(self) -> None:
        rep = self.sitrep
        if rep is None or self.logged_seq is not None:
            return
        fmt, data = self.saved or ("md", sitrep_bytes(rep, "md"))
        self._write_log(rep, data, fmt)

    class Logged(Message):
        def __init__(self, seq: int | None, fmt: str, error: str | None = None) -> None:
            self.seq = seq
            self.fmt = fmt
            self.error = error
            super().__init__()

    @work(thread=True, exclusive=True, group="sitrep-log")
    def _write_log(self, rep: Sitrep, data: bytes, fmt: str) -> None:
        try:
            seq = self._log(rep, data, fmt)
        except Exception as exc:  # noqa: BLE001 - a refusal or an outage, in one line
            from scc_tui.app.errors import save_error

            self.post_message(self.Logged(None, fmt, save_error(exc)))
            return
        self.post_message(self.Logged(seq, fmt))

    def on_sitrep_screen_logged(self, message: Logged) -> None:
        if message.error:
            self.app.notify(f"Not logged: {message.error}", severity="error", timeout=8, markup=False)
            return
        self.logged_seq = message.seq
        self.app.notify(f"Sitrep logged as sent: entry #{message.seq}", timeout=5)
        self._status(f"Logged as sent: entry #{message.seq} ({message.fmt}, sha256 of the bytes saved)")
