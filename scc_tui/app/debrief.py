"""The hot debrief screen (docs/exercise.md, "Debrief"): opened at ENDEX (or after an emergency stop).

What happened against what was expected, and the lessons identified. ``n`` records a lesson here
(:class:`~scc_tui.app.lesson_form.LessonForm`), written as ``scc exercise lesson`` writes it, through the
app's store seam in a thread worker; the lesson list is then re-read from the exercise database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from scc_tui.app.safe import line as _line
from scc_tui.app.safe import text as _text
from scc_tui.domain.clock import LONDON

__all__ = ["DebriefCommands", "HotDebriefScreen", "debrief_lines"]


def _local(iso: str | None) -> str:
    return f"{datetime.fromisoformat(iso).astimezone(LONDON):%a %H:%M}" if iso else ""


def debrief_lines(d: dict[str, Any], *, can_add: bool = False) -> list[str]:
    """The screen's text for a debrief record (``store.exercise.debrief``); ``can_add``: say ``n``."""
    lines = [f"Hot debrief: {d['title']} ({d['scenario']}) · {d['state'].upper()}", ""]
    released = [i for i in d["injects"] if i["state"] == "released"]
    lines.append(f"Injects: {len(released)} of {len(d['injects'])} released")
    lines.append(f"Escalation rules fired: {len(d['firings'])}, "
                 f"{sum(1 for f in d['firings'] if f['needs_ack'] and not f['acknowledged_by'])} not acknowledged")
    for f in d["firings"]:
        if f["day"]:
            lines.append(f"  {f['area']}: {f['rule']} Day {f['day']} at {_local(f['at'])}")
    lines += ["", "Expected responses:"]
    for e in d["expected"]:
        lines.append(f"  {e['id']} {e['state'].upper()}: {e['text']}")
    lines += ["", "Lessons identified:"]
    lines += [f"  {x['text']} (owner: {x['owner']}; due {x['due']})" for x in d["lessons"]] or ["  none yet"]
    lines += ["", f"Full debrief: scc exercise debrief {d['scenario']} --format md"]
    if can_add:
        lines.append("Record a lesson: n here (Ctrl+S saves it)")
    lines.append(f"Record a lesson from a shell: scc exercise lesson {d['scenario']} --text T --owner WHO --due DATE")
    return lines


class DebriefCommands(Provider):
    """Command palette on the hot debrief: 'Add lesson…'."""

    def _commands(self):
        screen = self.screen
        if isinstance(screen, HotDebriefScreen) and screen.scenario is not None:
            yield "Add lesson…", screen.action_add_lesson, "record a lesson identified: text, owner, due date"

    async def discover(self) -> Hits:
        for text, fn, help_text in self._commands():
            yield DiscoveryHit(text, fn, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, fn, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), fn, text=text, help=help_text)


class HotDebriefScreen(Screen):
    """At ENDEX (or after an emergency stop): what happened, against what was expected, and the lessons.

    ``scenario`` (the exercise's, to re-read the debrief) enables ``n``; ``owner``: the lesson form's
    default owner, when the exercise has one configured."""

    COMMANDS = {DebriefCommands}
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="debrief.back"),
        Binding("n", "add_lesson", "Add lesson", id="debrief.add_lesson",
                tooltip="record a lesson identified: text, owner, due date (Ctrl+S saves)"),
    ]

    def __init__(self, debrief: dict[str, Any], *, scenario: Any = None, owner: str = "") -> None:
        super().__init__()
        self.debrief = debrief
        self.scenario = scenario
        self.owner = owner

    def compose(self) -> ComposeResult:
        yield VerticalScroll(Static(self._text(), id="debrief-text", markup=False))
        yield Footer()

    def _text(self) -> str:
        return _text("\n".join(debrief_lines(self.debrief, can_add=self.scenario is not None)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_lesson":
            return self.scenario is not None
        return True

    def action_add_lesson(self) -> None:
        from scc_tui.app.lesson_form import LessonForm

        if self.scenario is None:
            return
        app: Any = self.app
        self.app.push_screen(LessonForm(app.seam, app.clock, app.user, owner=self.owner), self._lesson_saved)

    def _lesson_saved(self, seq: int | None) -> None:
        if seq is not None:
            self.reload_debrief()

    @work(thread=True, exclusive=True, group="debrief")
    def reload_debrief(self) -> None:
        """Re-read the debrief (the new lesson among them) off the UI thread."""
        app: Any = self.app
        try:
            d = app.seam.exercise_debrief(self.scenario)
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback
            from scc_tui.app.errors import one_line_error

            app.call_from_thread(app.notify, _line(f"Debrief not re-read: {one_line_error(exc)}"),
                                 severity="error", markup=False)
            return
        app.call_from_thread(self.show_debrief, d)

    def show_debrief(self, d: dict[str, Any]) -> None:
        self.debrief = d
        found = self.query("#debrief-text").results(Static)
        text = next(found, None)
        if text is not None:  # None: the screen was closed while the worker read (shown if it is pushed again)
            text.update(self._text())
