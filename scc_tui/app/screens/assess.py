"""New assessment: one field per parameter of the area's method, checked as you type, with a live
preview of the score and level. Nothing is written until every field is valid."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from scc_tui.app import keymap
from scc_tui.app.board.detail_model import params as plan_params
from scc_tui.app.board.detail_model import partial_text
from scc_tui.app.board.detail_model import preview as score_preview
from scc_tui.app.errors import save_error
from scc_tui.app.levelstyle import chip
from scc_tui.app.safe import line as _line
from scc_tui.app.safe import markup as escape
from scc_tui.app.board.model import fmt_score
from scc_tui.domain.numtext import NumberTextError, parse_decimal
from scc_tui.domain.scoring import ParamInfo
from scc_tui.domain.status import AreaStatus


def parse_value(text: str, required: bool, words: tuple[str, ...] = ()) -> tuple[float | str | None, str]:
    """(value, error). Empty optional fields are (None, ''). A status parameter takes one of ``words``.

    Numbers are read by the one parser the CLI and CSV import use (``domain.numtext``): ``72,5`` is
    72.5 and anything a thousands separator could make ambiguous is refused, never rescaled.
    """
    text = text.strip()
    if not text:
        return None, ("required" if required else "")
    for word in words:
        if text.casefold() == word.casefold():
            return word, ""
    try:
        value = parse_decimal(text)
    except NumberTextError as exc:
        message = str(exc)
        if message.endswith("is not a number"):
            message = "not a number" + (f" or one of {', '.join(words)}" if words else "")
        return None, message
    if value < 0:
        return None, "can't be negative"
    return value, ""


class Saved(Message):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class SaveFailed(Message):
    def __init__(self, error: str) -> None:
        self.error = error
        super().__init__()


def plan_area(status: AreaStatus) -> str | None:
    """The label the scoring plan knows the area by (e.g. "Swale" for KCC bands): read with the
    statuses (``AreaStatus.extra``), so the form never asks the store on the UI thread."""
    return status.extra.get("plan_area") or None


class AssessmentScreen(Screen[str | None]):
    IS_FORM = True  # the prompt line stays off: Esc is Cancel here (app._move_prompt_bar)
    BINDINGS = keymap.form_bindings("assess", "Save", "save the assessment", enter=True)

    def __init__(self, status: AreaStatus) -> None:
        super().__init__()
        self.status = status
        self.params: list[ParamInfo] = []
        self.touched: set[str] = set()
        self.errors: dict[str, str] = {}
        self.values: dict[str, float | str] = {}
        self.saving = False
        self.setup_error = ""
        self.area_label: str | None = None
        self.partial = False  # the last preview was a partial suggestion (indicator plans)

    def compose(self) -> ComposeResult:
        s = self.status
        at = self.app.clock.now()
        try:
            self.area_label = plan_area(s)
            self.params = plan_params(s.method, area=self.area_label, at=at)
        except Exception as exc:  # noqa: BLE001
            self.setup_error = f"{type(exc).__name__}: {exc}"
        yield Static(
            f"[b]New assessment[/b] · {escape(s.name)} · {escape(s.method or '')} · by {escape(self.app.user)}",
            id="form-title",
        )
        with VerticalScroll(id="form"):
            for p in self.params:
                with Horizontal(classes="field"):
                    title = p.title + (f" ({p.unit})" if p.unit else "") + ("" if p.required else " (optional)")
                    yield Label(_line(title), classes="field-label", markup=False)
                    field = Input(id=f"v-{p.key}", classes="field-input", placeholder="/".join(p.words)[:10] if p.words else "—")
                    yield field
                    yield Static("", id=f"e-{p.key}", classes="field-error")
        yield Static("", id="preview")
        with Horizontal(id="form-buttons"):
            yield Button("Save  Ctrl+S", id="save", variant="primary", disabled=True)
            yield Button("Cancel  Esc", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        if self.setup_error:
            self.query_one("#preview", Static).update(f"[$text-error]{escape(self.setup_error)}[/]")
        self._revalidate()
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()

    # ------------------------------------------------------------------ validation

    def _revalidate(self, show_missing: bool = False) -> None:
        """Check every field (on mount, on save, after a failed save)."""
        for p in self.params:
            self._check_field(p, show_missing)
        self._summarise()

    def _check_field(self, p: ParamInfo, show_missing: bool = False) -> None:
        value, error = parse_value(self.query_one(f"#v-{p.key}", Input).value, p.required, p.words)
        self.errors.pop(p.key, None)
        self.values.pop(p.key, None)
        if error:
            self.errors[p.key] = error
        elif value is not None:
            self.values[p.key] = value
        shown = error if (error and (error != "required" or show_missing or p.key in self.touched)) else ""
        self.query_one(f"#e-{p.key}", Static).update(f"[$text-error]✗ {shown}[/]" if shown else "")

    def _summarise(self) -> None:
        # the dicts are keyed in parameter order whatever order the fields were checked in
        order = {p.key: i for i, p in enumerate(self.params)}
        self.errors = dict(sorted(self.errors.items(), key=lambda kv: order.get(kv[0], 0)))
        self.values = dict(sorted(self.values.items(), key=lambda kv: order.get(kv[0], 0)))
        self._preview()
        self.query_one("#save", Button).disabled = bool(self.errors) or self.saving or not self.params or not self.values

    def _param(self, widget: Any) -> ParamInfo | None:
        wid = getattr(widget, "id", None) or ""
        if not wid.startswith("v-"):
            return None
        return next((p for p in self.params if p.key == wid[2:]), None)

    def _preview(self) -> None:
        preview = self.query_one("#preview", Static)
        if self.setup_error:
            return
        bad = [k for k, e in self.errors.items() if e != "required"]
        missing = [k for k, e in self.errors.items() if e == "required"]
        if bad:
            preview.update(f"Preview: fix {len(bad)} field{'s' if len(bad) > 1 else ''} marked ✗")
            return
        if missing:
            preview.update(f"Preview: {len(missing)} more field{'s' if len(missing) > 1 else ''} to fill")
            return
        if not self.values:
            # Indicator plans: any subset scores, but nothing at all is not an assessment.
            preview.update("Preview: enter at least one value")
            return
        try:
            result = score_preview(self.status.method, self.values, area=self.area_label, at=self.app.clock.now())
        except Exception as exc:  # noqa: BLE001 - ScoringError: one line
            preview.update(f"[$text-error]{escape(str(exc))}[/]")
            return
        if result.scoring == "indicators":
            text = f"Preview: suggested {chip(result.level)} ({result.suggestion} indicator given)"
        else:
            text = f"Preview: score {fmt_score(result.score, result.max)} → {chip(result.level)}"
        flagged = self._out_of_range(result)
        if flagged:
            text += f"\n[$text-warning]Outside the published range (scored by the nearest band): {escape(flagged)}[/]"
        self.partial = result.partial
        if result.partial:
            # A suggestion from some of the indicators is labelled so wherever it is shown.
            text += f"\n[b]Partial[/]: {escape(partial_text(result))}"
        for w in result.warnings:
            text += f"\n[$text-warning]{escape(w.split(':', 1)[0])}[/]"
        preview.update(text)

    def _out_of_range(self, result: Any) -> str:
        """Each field whose value is beyond the plan's published range, by its title, with the value."""
        titles = {p.key: p.title for p in self.params}
        out = []
        for key, part in result.parts.items():
            if part.out_of_range:
                value = self.query_one(f"#v-{key}", Input).value.strip() if key in titles else str(part.value)
                out.append(f"{titles.get(key, key)} = {value}")
        return "; ".join(out)

    # Per keystroke only the changed field is checked and the preview recomputed (pure, cached data).
    # Tab, Shift+Tab and Enter move between fields as priority bindings (keymap.form_focus_bindings),
    # so focus moves before the next key of a fast burst is delivered.

    def on_input_changed(self, event: Input.Changed) -> None:
        p = self._param(event.input)
        if p is not None:
            self._check_field(p)
            self._summarise()

    def on_descendant_blur(self, event) -> None:
        widget = event.widget if hasattr(event, "widget") else None
        p = self._param(widget)
        if p is not None and p.key not in self.touched:
            self.touched.add(p.key)
            self._check_field(p)
            self._summarise()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":  # Enter: next field from a value field; otherwise the key goes on
            return self._param(self.focused) is not None
        return True

    def action_next_field(self) -> None:
        self.focus_next()

    # ------------------------------------------------------------------ save

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_save(self) -> None:
        if self.saving:
            return
        self._revalidate(show_missing=True)
        if self.errors or not self.params:
            n = len(self.errors)
            self.query_one("#preview", Static).update(
                f"[b $text-error]Not saved:[/] {n} field{'s' if n != 1 else ''} need{'s' if n == 1 else ''} attention"
            )
            return
        self.saving = True
        self.query_one("#save", Button).disabled = True
        self._save(dict(self.values))

    @work(thread=True, exclusive=True, group="save")
    def _save(self, values: dict[str, float]) -> None:
        app = self.app
        try:
            level = app.seam.save_assessment(self.status.name, values, app.clock.now(), app.user)
        except Exception as exc:  # noqa: BLE001 - one line; an outage keeps the form open to retry
            self.post_message(SaveFailed(save_error(exc)))
            return
        partial = " (partial: from the indicators given)" if level and self.partial else ""
        self.post_message(Saved(f"Assessment saved: {_line(self.status.name)}" + (f" OPEL {level}" if level else "") + partial))

    def on_saved(self, message: Saved) -> None:
        self.saving = False
        self.dismiss(message.text)

    def on_save_failed(self, message: SaveFailed) -> None:
        self.saving = False
        self._revalidate()  # re-enables Save; the preview keeps the reason until the next save
        preview = self.query_one("#preview", Static)
        preview.update(f"[b $text-error]Not saved:[/] {escape(message.error)}")

    def has_unsaved_input(self) -> bool:
        return any(i.value.strip() for i in self.query(Input))

    def action_cancel(self) -> None:
        from scc_tui.app.screens.confirm import cancel_form

        cancel_form(self, "Discard this assessment?")
