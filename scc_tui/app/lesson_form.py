"""Record a lesson identified at the hot debrief: what was learnt, who owns it, when it is due.

The fields are checked as you save (``domain.exercise.check_lesson``; the due date is read by
``domain.dates.parse_due_date`` with the clock's London date as "today"); nothing is written unless every
check passes, and a refusal keeps what was typed. The lesson is written through the app's store seam
(``add_lesson``: what ``scc exercise lesson`` writes) in a thread worker, authored by the session's OS
user. Esc asks before discarding anything typed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from scc_tui.app.keymap import form_bindings
from scc_tui.app.messages import FormSaved
from scc_tui.domain.clock import Clock, london_date
from scc_tui.domain.dates import FORMS
from scc_tui.domain.exercise import LESSON_FIELDS, check_lesson

__all__ = ["LessonForm"]

PLACEHOLDERS = {"text": "what was learnt, and what should change", "owner": "who acts on it (a person or role)",
                "due": FORMS}


class LessonForm(ModalScreen[int | None]):
    """Dismisses with the new lesson's log entry seq, or None when cancelled."""

    DEFAULT_CSS = """
    LessonForm { align: center middle; }
    LessonForm #lf-dialog {
        width: 100%; max-width: 100; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    LessonForm #lf-title { height: 1; text-style: bold; }
    LessonForm .lf-row { height: auto; }
    LessonForm .lf-label { width: 11; height: 1; }
    LessonForm .lf-input { width: 1fr; height: 1; border: none; padding: 0 1; background: $panel; }
    LessonForm .lf-input:focus { background: $boost; border: none; }
    LessonForm .lf-error { height: auto; color: $error; text-style: bold; display: none; }
    LessonForm .lf-error.-shown { display: block; }
    LessonForm #lf-status { height: auto; color: $error; text-style: bold; display: none; }
    LessonForm #lf-status.-shown { display: block; }
    LessonForm #lf-hint { height: 1; color: $text-muted; }
    """

    BINDINGS = form_bindings("lesson", "Save", "save the lesson to the exercise's log", f1_help=True)

    def __init__(self, seam: Any, clock: Clock, user: str, *, owner: str = "") -> None:
        super().__init__()
        self.seam = seam  # app/seam.py: StoreSeam
        self.clock = clock
        self.user = user  # the session's OS user: the author, never typed
        self.initial = {"text": "", "owner": owner or "", "due": ""}
        self.saving = False
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="lf-dialog"):
            yield Static(Text(f"Add a lesson identified · by {self.user}"), id="lf-title")
            for fid, label in LESSON_FIELDS:
                with Horizontal(classes="lf-row"):
                    yield Static(Text(f"{label} *"), classes="lf-label")
                    yield Input(self.initial[fid], placeholder=PLACEHOLDERS[fid], id=f"lf-{fid}", classes="lf-input",
                                select_on_focus=False)
                yield Static(id=f"lf-{fid}-error", classes="lf-error")
            yield Static(id="lf-status")
            yield Static(Text("Ctrl+S save · Esc cancel · Tab next field · * required"), id="lf-hint")
        yield Footer()

    def on_mount(self) -> None:
        first = next(self.query("#lf-text").results(Input), None)
        if first is not None:
            first.focus()

    # ---------------------------------------------------------------- values and errors

    def values(self) -> dict[str, str]:
        return {fid: self.query_one(f"#lf-{fid}", Input).value for fid, _label in LESSON_FIELDS}

    def set_errors(self, errors: dict[str, str], status: str | None = None, *, focus: bool = True) -> None:
        self.errors = dict(errors)
        for fid, _label in LESSON_FIELDS:
            err = self.query_one(f"#lf-{fid}-error", Static)
            err.update(Text(errors.get(fid, "")))
            err.set_class(fid in errors, "-shown")
        st = self.query_one("#lf-status", Static)
        st.update(Text(status or ""))
        st.set_class(bool(status), "-shown")
        if focus:
            for fid, _label in LESSON_FIELDS:
                if fid in errors:
                    self.query_one(f"#lf-{fid}", Input).focus()
                    break

    @on(Input.Changed)
    def _recheck(self) -> None:
        """A field fixed after a refused save loses its error at once (errors are only taken away while
        typing, never added; focus stays put)."""
        if not self.errors:
            return
        try:
            v = self.values()
        except NoMatches:
            return
        _lesson, errors = check_lesson(v["text"], v["owner"], v["due"], london_date(self.clock.now()))
        still = {k: m for k, m in errors.items() if k in self.errors}
        if still != self.errors:
            self.set_errors(still, "Not saved: see the fields marked." if still else None, focus=False)

    def has_unsaved_input(self) -> bool:
        try:
            v = self.values()
        except NoMatches:  # not mounted yet: nothing typed
            return False
        return any(v[k].strip() != self.initial[k].strip() for k in v)

    # ---------------------------------------------------------------- actions

    def action_save(self) -> None:
        if self.saving:
            return
        v = self.values()
        lesson, errors = check_lesson(v["text"], v["owner"], v["due"], london_date(self.clock.now()))
        if errors or lesson is None:
            self.set_errors(errors, "Not saved: see the fields marked.")
            return
        self.set_errors({}, None, focus=False)
        self.saving = True
        self._save(lesson.text, lesson.owner, lesson.due)

    @work(thread=True, group="lesson-form")
    def _save(self, text: str, owner: str, due) -> None:
        try:
            seq = self.seam.add_lesson(text, owner, due, self.user)
        except Exception as exc:  # noqa: BLE001 - one line; a refusal or an outage keeps the form open
            from scc_tui.app.errors import save_error

            self.post_message(FormSaved(None, save_error(exc)))
        else:
            self.post_message(FormSaved(seq, None))

    @on(FormSaved)
    def _done(self, message: FormSaved) -> None:
        self.saving = False
        if message.error:
            self.set_errors({}, f"Not saved: {message.error}", focus=False)
            return
        self.app.notify(f"Lesson recorded (log entry #{message.seq})", markup=False)
        self.dismiss(message.seq)

    def action_cancel(self) -> None:
        if self.saving:
            return
        from scc_tui.app.screens.confirm import cancel_form

        cancel_form(self, "Discard this lesson?")
