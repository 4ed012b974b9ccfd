"""Declare a level: OPEL 1-4, and a reason whenever it differs from the computed level."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from scc_tui.app.safe import line as _line
from scc_tui.app.safe import markup as escape
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Static

from scc_tui.app import keymap
from scc_tui.app.levelstyle import chip
from scc_tui.app.screens.assess import SaveFailed, Saved
from scc_tui.domain.kinds import KIND_TITLES
from scc_tui.domain.levels import Opel, declaration_needs_reason
from scc_tui.domain.status import AreaStatus
from scc_tui.domain.text import problem as text_problem


class LevelPicker(Widget, can_focus=True):
    """Four levels in a row; 1-4 or ←/→ choose.

    The keys are handled by the picker itself as it receives them, not as bindings: Textual resolves
    a non-priority binding against whichever widget has focus when the key reaches the app, so in a
    fast burst ("4 Tab reason…") the 4 would be checked against the reason field and dropped.
    """

    KEYS = {
        **{str(n): ("set", n) for n in (1, 2, 3, 4)},
        **{k: ("move", -1) for k in ("left", "up", "h", "k")},
        **{k: ("move", 1) for k in ("right", "down", "l", "j")},
    }
    DEFAULT_CSS = "LevelPicker { height: 1; width: 1fr; }"

    level: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, level: int | None) -> None:
            self.level = level
            super().__init__()

    def watch_level(self, level: int | None) -> None:
        self.post_message(self.Changed(level))

    def render(self) -> str:
        out = []
        for n in (1, 2, 3, 4):
            mark = "▶" if n == self.level else " "
            label = chip(n) if n == self.level else f"[$text-muted] OPEL {n} [/]"
            out.append(f"{mark}{label} {Opel(n).risk}")
        return "  ".join(out)

    def on_key(self, event) -> None:
        what = self.KEYS.get(event.key)
        if what is None:
            return
        event.stop()
        event.prevent_default()
        if what[0] == "set":
            self.level = what[1]
        else:
            self.action_move(what[1])

    def action_move(self, delta: int) -> None:
        self.level = max(1, min(4, (self.level or (1 if delta > 0 else 5)) + delta))

    def on_click(self, event) -> None:
        n = event.x // (self.size.width // 4 or 1) + 1
        if 1 <= n <= 4:
            self.level = n


class DeclareScreen(Screen[str | None]):
    IS_FORM = True  # the prompt line stays off: Esc is Cancel here (app._move_prompt_bar)
    BINDINGS = [
        *keymap.form_bindings("declare", "Declare", "declare the chosen level"),
        *[Binding(str(n), f"choose({n})", f"OPEL {n}", show=False, id=f"declare.opel{n}",
                  tooltip=f"choose OPEL {n} (outside the reason field)") for n in (1, 2, 3, 4)],
    ]

    def __init__(self, status: AreaStatus) -> None:
        super().__init__()
        self.status = status
        self.saving = False

    def compose(self) -> ComposeResult:
        s = self.status
        computed = s.computed_level
        yield Static(f"[b]Declare level[/b] · {escape(s.name)} · by {escape(self.app.user)}", id="form-title")
        with Vertical(id="declare"):
            yield Static(
                f"In force {chip(s.level)}   Computed {chip(computed)}"
                + ("" if computed is not None else "  (no assessment: the level in force stands in)"),
                id="declare-now",
            )
            summary = self._group_summary()
            if summary is not None:
                yield Static(
                    f"Own level of this {escape(KIND_TITLES.get(s.kind, s.kind))}; the areas below: {escape(summary.text())}",
                    id="declare-group",
                )
            yield Static("Level (1-4, or ←/→):", classes="declare-label")
            yield LevelPicker(id="picker")
            yield Static("", id="declare-meaning", markup=False)
            against = "the computed level" if computed is not None else "the level in force"
            yield Static(f"Reason (required when it differs from {against}):", classes="declare-label")
            reason = Input(id="reason", placeholder="why this level, what is known now")
            yield reason
            yield Static("", id="declare-message")
        with Horizontal(id="form-buttons"):
            yield Button("Declare  Ctrl+S", id="save", variant="primary")
            yield Button("Cancel  Esc", id="cancel")
        yield Footer()

    def _group_summary(self) -> Any:
        """The domain's view of the areas below (a system, ICS or council declares its own level)."""
        item = self.app.board.by_id.get(self.status.area_id)
        return item.summary if item is not None else None

    def on_mount(self) -> None:
        picker = self.query_one(LevelPicker)
        picker.level = self._start_level  # the level in force: declaring starts from what stands now
        picker.focus()
        self._check()

    @property
    def _start_level(self) -> int | None:
        return self.status.level if self.status.level is not None else self.status.computed_level

    @property
    def level(self) -> int | None:
        return self.query_one(LevelPicker).level

    @property
    def reason(self) -> str:
        return self.query_one("#reason", Input).value.strip()

    def action_choose(self, n: int) -> None:
        self.query_one(LevelPicker).level = n

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check()

    def on_level_picker_changed(self, _: LevelPicker.Changed) -> None:
        self._check()
        self._show_meaning()

    def _show_meaning(self) -> None:
        """The plan's own words for the chosen level (KCC ASC OPEL plan v1.8 Table 2 for KCC areas);
        otherwise the framework's clinical risk (Table 1), already on the picker."""
        meaning = ""
        level = self.level
        if level is not None:
            try:
                from scc_tui.datafiles.descriptors import descriptors_for

                d = descriptors_for(self.status.name, self.status.method)
                meaning = d.text(level) if d is not None else ""
            except Exception as exc:  # noqa: BLE001 - a broken data file is said, not hidden
                meaning = f"(level descriptors could not be loaded: {exc})"
        from scc_tui.app.safe import text as _safe_text

        for w in self.query("#declare-meaning"):
            w.update(_safe_text(meaning))
            w.display = bool(meaning)

    def _problem(self) -> str:
        if self.level is None:
            return "Choose a level (1-4)."
        if (bad := text_problem(self.reason, multiline=True)) is not None:
            return f"The reason {bad}."
        computed, in_force = self.status.computed_level, self.status.level
        if not self.reason and declaration_needs_reason(self.level, computed, in_force) is not None:
            if computed is not None:
                return f"A reason is needed: OPEL {self.level} differs from the computed OPEL {computed}."
            return f"A reason is needed: OPEL {self.level} differs from OPEL {in_force} in force (no computed level)."
        return ""

    def _check(self, show: bool = False) -> str:
        problem = self._problem()
        message = self.query_one("#declare-message", Static)
        if problem and (show or self.reason or self.level != self._start_level):
            message.update(f"[$text-warning]{escape(problem)}[/]")
        else:
            message.update("")
        return problem

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_save(self) -> None:
        if self.saving:
            return
        problem = self._check(show=True)
        if problem:
            self.query_one("#declare-message", Static).update(f"[b $text-error]Not declared:[/] {escape(problem)}")
            return
        self.saving = True
        self._save(self.level, self.reason)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, level: int, reason: str) -> None:
        from scc_tui.app.errors import save_error

        app = self.app
        try:
            app.seam.save_declaration(self.status.name, level, app.clock.now(), app.user, reason)
        except Exception as exc:  # noqa: BLE001 - one line; an outage keeps the form open to retry
            self.post_message(SaveFailed(save_error(exc)))
            return
        self.post_message(Saved(f"Declared: {_line(self.status.name)} OPEL {level}"))

    def on_saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.text)

    def on_save_failed(self, message: SaveFailed) -> None:
        self.saving = False
        self.query_one("#declare-message", Static).update(f"[b $text-error]Not declared:[/] {escape(message.error)}")

    def has_unsaved_input(self) -> bool:
        return bool(self.reason) or self.level != self._start_level

    def action_cancel(self) -> None:
        from scc_tui.app.screens.confirm import cancel_form

        cancel_form(self, "Discard this declaration?")
