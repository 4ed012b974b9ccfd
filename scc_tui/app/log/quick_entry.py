"""The quick-entry bar: one line to log a note, action or call note without leaving the screen.

Put it on any screen after the main ``1fr`` widget (it is in the flow, not docked, so it sits above
a docked Footer; it takes no room while closed). The board binds ``l`` to :meth:`QuickEntry.open`,
the log screen ``a``. Listen for :class:`QuickEntry.Saved` (and :class:`QuickEntry.Closed` to move
focus back). It saves through ``store.log.append_entry`` in a thread
worker with the session's user as author; empty or over-long text is refused inline and nothing is
written.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from scc_tui.domain import log as dlog

__all__ = ["QuickEntry"]


class QuickEntry(Widget, can_focus=False):
    """A hidden one-line entry bar. ``open()`` shows and focuses it; Enter saves; Esc cancels."""

    DEFAULT_CSS = """
    QuickEntry {
        height: auto;
        display: none;
        background: $panel;
        padding: 0 1;
        border-top: tall $accent;
    }
    QuickEntry.-open { display: block; }
    QuickEntry Horizontal { height: 1; }
    QuickEntry #qe-kind { width: auto; min-width: 10; padding: 0 1 0 0; text-style: bold; color: $accent; }
    QuickEntry #qe-input { border: none; height: 1; padding: 0; background: $panel; width: 1fr; }
    QuickEntry #qe-input:focus { border: none; background: $boost; }
    QuickEntry #qe-hint { height: 1; color: $text-muted; }
    QuickEntry #qe-error { height: auto; color: $error; text-style: bold; display: none; }
    QuickEntry #qe-error.-shown { display: block; }
    """

    BINDINGS = [
        Binding("tab", "next_kind", "Kind", id="note.next_kind", tooltip="next kind: note, action, call note…"),
        Binding("shift+tab", "previous_kind", "Kind", show=False, id="note.previous_kind", tooltip="previous kind"),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="close the quick entry"),
    ]

    class Saved(Message):
        """An entry was written (``seq`` is its number)."""

        def __init__(self, seq: int, kind: str) -> None:
            self.seq = seq
            self.kind = kind
            super().__init__()

    class Closed(Message):
        """The bar closed (saved or cancelled); the owner may move focus back."""

    class _Done(Message):
        def __init__(self, seq: int | None, kind: str, error: str | None) -> None:
            self.seq = seq
            self.kind = kind
            self.error = error
            super().__init__()

    def __init__(
        self,
        seam: Any,
        user: str,
        *,
        kinds: tuple[str, ...] = dlog.QUICK_KINDS,
        source: str = "app",
        lazy: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        #: Lazy (the board's): the bar's fields are mounted by :meth:`build` on first use, not with the
        #: screen, so the board's first frame does not wait for them (issue 11 item 9).
        self._built = not lazy
        self.seam = seam  # app/seam.py: StoreSeam
        self.user = user
        self.kinds = tuple(kinds)
        self.source = source
        self.kind = self.kinds[0]
        self.corrects_seq: int | None = None
        self.reviews_seq: int | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        if self._built:
            yield from self._parts()

    @staticmethod
    def _parts() -> list[Widget]:
        return [
            Horizontal(
                Static(id="qe-kind"),
                Input(id="qe-input", placeholder="what happened / what was done…", select_on_focus=False),
            ),
            Static(id="qe-error"),
            Static(Text("Tab kind · Enter save · Esc cancel · a decision with its rationale: D"), id="qe-hint"),
        ]

    def on_mount(self) -> None:
        if self._built:
            self._show_kind()

    async def build(self) -> None:
        """Mount the bar's fields if not yet (a lazy bar); awaited before :meth:`open`, so the keys typed
        right after the key that opens it (one burst: "aCalled the site⏎") reach its input."""
        if not self._built:
            self._built = True
            await self.mount_all(self._parts())
            self._show_kind()

    # ---------------------------------------------------------------- API

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def input(self) -> Input:
        return self.query_one("#qe-input", Input)

    def open(self, kind: str | None = None, *, corrects_seq: int | None = None, reviews_seq: int | None = None,
             text: str = "") -> None:
        """Show the bar and focus it. ``corrects_seq`` makes the entry a correction of that entry;
        ``reviews_seq`` a review of that decision."""
        self.corrects_seq = corrects_seq
        self.reviews_seq = reviews_seq
        if corrects_seq is not None:
            self.kind = "correction"
        elif reviews_seq is not None:
            self.kind = "review"
        elif kind is not None:
            self.kind = dlog.check_kind(kind)
        elif self.kind not in self.kinds:
            self.kind = self.kinds[0]
        self._show_kind()
        self._set_error(None)
        self.add_class("-open")
        inp = self.input
        inp.disabled = False
        inp.value = text
        inp.cursor_position = len(text)
        # Focus now, not after the queued keys (``Widget.focus()`` is deferred): in a burst ("aCalled the
        # site⏎", a bunched SSH read) the letters after the key that opened the bar are the note's.
        self.screen.set_focus(inp)

    def close(self) -> None:
        self.remove_class("-open")
        self._set_error(None)
        self.input.value = ""
        self.corrects_seq = None
        self.reviews_seq = None
        self.post_message(self.Closed())

    # ---------------------------------------------------------------- actions

    def action_next_kind(self) -> None:
        self._cycle(1)

    def action_previous_kind(self) -> None:
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        if self.corrects_seq is not None or self.reviews_seq is not None:
            return  # a correction is a correction, a review a review
        i = self.kinds.index(self.kind) if self.kind in self.kinds else -step
        self.kind = self.kinds[(i + step) % len(self.kinds)]
        self._show_kind()

    def action_cancel(self) -> None:
        if not self.saving:
            self.close()

    @on(Input.Submitted, "#qe-input")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if self.saving:
            return
        try:
            text = dlog.clean_text(event.value, "text")
        except dlog.LogInputError as exc:
            self._set_error(_friendly(str(exc)))
            return
        self.saving = True
        self.input.disabled = True
        self._save(self.kind, text, self.corrects_seq, self.reviews_seq)

    @work(thread=True, group="quick-entry")
    def _save(self, kind: str, text: str, corrects_seq: int | None, reviews_seq: int | None = None) -> None:
        try:
            seq = self.seam.append_log(
                kind=kind, text=text, author=self.user, corrects_seq=corrects_seq,
                reviews_seq=reviews_seq, source=self.source
            )
        except dlog.LogInputError as exc:
            self.post_message(self._Done(None, kind, _friendly(str(exc))))
        except Exception as exc:  # noqa: BLE001 - a database error is shown, not raised
            from scc_tui.app.errors import save_error

            self.post_message(self._Done(None, kind, f"not saved: {save_error(exc)}"))
        else:
            self.post_message(self._Done(seq, kind, None))

    @on(_Done)
    def _done(self, message: _Done) -> None:
        message.stop()
        self.saving = False
        self.input.disabled = False
        if message.error:
            self._set_error(message.error)
            self.input.focus()
            return
        self.app.notify(f"Logged #{message.seq} ({dlog.KINDS.get(message.kind, message.kind)})", markup=False)
        self.close()
        self.post_message(self.Saved(message.seq, message.kind))

    # ---------------------------------------------------------------- display

    def _show_kind(self) -> None:
        label = dlog.KINDS.get(self.kind, self.kind)
        if self.corrects_seq is not None:
            label = f"Correct #{self.corrects_seq}"
        elif self.reviews_seq is not None:
            label = f"Review #{self.reviews_seq}"
        self.query_one("#qe-kind", Static).update(Text(f"{label} ›"))

    def _set_error(self, message: str | None) -> None:
        err = self.query_one("#qe-error", Static)
        err.update(Text(message or ""))
        err.set_class(bool(message), "-shown")


def _friendly(message: str) -> str:
    field, _, rest = message.partition(":")
    rest = rest.strip()
    if field == "text" and rest in ("is empty", "is required"):
        return "Nothing to log: type the entry first (Esc cancels)."
    if field == "text":
        return f"Not saved: the entry {rest}."
    return f"Not saved: {message}"
