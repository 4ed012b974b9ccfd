"""Record a decision: what, why (required), the risk and how it was measured, owner, review time,
areas, and the event time with a reason when the entry is late. Saved as one ``decision`` entry.

Checks that need no database run as you save (:func:`scc_tui.app.log.model.decision_fields`); the log core's own
checks (e.g. an unknown area) come back as ``field: message`` and are shown under that field.
Nothing is written unless every check passes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TextArea

from scc_tui.app.keymap import form_bindings
from scc_tui.app.messages import FormSaved
from scc_tui.app.log.model import LogRow, decision_fields, field_of_error, fmt_full, when_text
from scc_tui.domain import log as dlog
from scc_tui.domain.clock import Clock

__all__ = ["DecisionForm"]

#: (field id, label, placeholder, multi-line)
FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("text", "Decision *", "what was decided", True),
    ("rationale", "Rationale *", "why: what was known and weighed at the time", True),
    ("risk", "Risk identified", "the risk this mitigates, and how it was identified", False),
    ("risk_measure", "How measured", "the measure or indicator used", False),
    ("owner", "Owner", "who carries it out", False),
    ("review_at", "Review at", "+2h, +30m, 15:30 or 2026-11-23T15:30", False),
    ("areas", "Areas", "comma list, e.g. Swale, Medway", False),
    ("event_at", "Decided at", "blank = now; or -40m, 08:20, 2026-11-23T08:20", False),
    ("late_reason", "Why late", "needed when decided more than 15 min ago", False),
)


class DecisionForm(ModalScreen[int | None]):
    """The full decision form. Dismisses with the new entry's seq, or None when cancelled."""

    DEFAULT_CSS = """
    DecisionForm { align: center middle; }
    DecisionForm #df-dialog {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    DecisionForm #df-title { height: 1; text-style: bold; }
    DecisionForm #df-fields { height: auto; max-height: 1fr; }
    DecisionForm .df-row { height: auto; }
    DecisionForm .df-label { width: 16; height: 1; color: $text-muted; }
    DecisionForm .df-label.-required { color: $text; }
    DecisionForm .df-input { width: 1fr; height: 1; border: none; padding: 0 1; background: $panel; }
    DecisionForm .df-input:focus { background: $boost; border: none; }
    DecisionForm .df-area { width: 1fr; height: 3; border: none; padding: 0 1; background: $panel; }
    DecisionForm .df-area:focus { border: none; background: $boost; }
    DecisionForm .df-error { height: auto; color: $error; text-style: bold; padding-left: 16; display: none; }
    DecisionForm .df-error.-shown { display: block; }
    DecisionForm #df-hint { height: 1; color: $text-muted; }
    DecisionForm #df-status { height: auto; color: $error; text-style: bold; display: none; }
    DecisionForm #df-status.-shown { display: block; }
    """

    # a modal form whose fields take ?: F1 is its help
    BINDINGS = form_bindings("decision", "Save", "save the decision to the log", f1_help=True)

    def __init__(
        self,
        seam: Any,
        clock: Clock,
        user: str,
        *,
        corrects: LogRow | None = None,
        areas: tuple[str, ...] = (),
        source: str = "app",
    ) -> None:
        super().__init__()
        self.seam = seam  # app/seam.py: StoreSeam
        self.clock = clock
        self.user = user
        self.corrects = corrects
        self.source = source
        self.initial: dict[str, str] = {"areas": ", ".join(areas)}
        self.auto_late_reason = ""
        if corrects is not None:
            # A correction restates the entry: it keeps the original's event and review times unless
            # they are changed here (issue 9 item 6). Kept as written, they are saved exactly.
            self.initial = {
                "text": corrects.text,
                "rationale": corrects.rationale or "",
                "risk": corrects.risk or "",
                "risk_measure": corrects.risk_measure or "",
                "owner": corrects.owner or "",
                "areas": ", ".join(corrects.areas),
                "event_at": when_text(corrects.event_at),
                "review_at": when_text(corrects.review_at),
            }
            if corrects.late_reason:
                self.initial["late_reason"] = corrects.late_reason
            elif dlog.is_late(corrects.event_at, clock.now()):
                self.auto_late_reason = f"Correction of #{corrects.seq}, recorded {fmt_full(corrects.recorded_at)}"
                self.initial["late_reason"] = self.auto_late_reason
        self.saving = False
        self.errors: dict[str, str] = {}
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="df-dialog"):
            title = "Record a decision"
            if self.corrects is not None:
                title = f"Correct decision #{self.corrects.seq} (a new entry; #{self.corrects.seq} stays on record)"
            yield Static(Text(f"{title} · by {self.user} · {fmt_full(self.clock.now())}"), id="df-title")
            with VerticalScroll(id="df-fields"):
                for fid, label, placeholder, multi in FIELDS:
                    with Horizontal(classes="df-row"):
                        lab = Static(Text(label), classes="df-label")
                        if fid in ("text", "rationale"):
                            lab.add_class("-required")
                        yield lab
                        value = self.initial.get(fid, "")
                        if multi:
                            yield TextArea(value, id=f"df-{fid}", classes="df-area", soft_wrap=True,
                                           tab_behavior="focus", show_line_numbers=False, placeholder=placeholder)
                        else:
                            yield Input(value, placeholder=placeholder, id=f"df-{fid}", classes="df-input",
                                        select_on_focus=False)
                    yield Static(id=f"df-{fid}-error", classes="df-error")
            yield Static(id="df-status")
            yield Static(Text("Ctrl+S save · Esc cancel · Tab next field · * required"), id="df-hint")
        yield Footer()

    def on_mount(self) -> None:
        found = self.query("#df-text").results(TextArea)
        text = next(found, None)
        if text is None:  # closed (or the app ended) before the form finished opening: nothing to focus
            return
        text.focus()
        if self.corrects is not None:
            text.select_all()  # typing replaces the old text; it is never appended to or garbled

    # ---------------------------------------------------------------- values and errors

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for fid, _label, _ph, multi in FIELDS:
            w: Widget = self.query_one(f"#df-{fid}")
            out[fid] = w.text if multi else w.value  # type: ignore[attr-defined]
        return out

    def set_errors(self, errors: dict[str, str], status: str | None = None, *, focus: bool = True) -> None:
        self.errors = dict(errors)
        for fid, *_ in FIELDS:
            err = self.query_one(f"#df-{fid}-error", Static)
            msg = errors.get(fid)
            err.update(Text(msg or ""))
            err.set_class(bool(msg), "-shown")
        st = self.query_one("#df-status", Static)
        st.update(Text(status or ""))
        st.set_class(bool(status), "-shown")
        if not focus:
            return
        for fid, *_ in FIELDS:
            if fid in errors:
                self.query_one(f"#df-{fid}").focus()
                break

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _recheck(self) -> None:
        """A field fixed after a refused save loses its error at once (it was kept, stale, until the next
        Ctrl+S); errors are only ever taken away while typing, never added, and focus stays put."""
        if not self.errors:
            return
        try:
            _kwargs, errors = self.checked(self.clock.now())
        except NoMatches:
            return
        still = {k: v for k, v in errors.items() if k in self.errors}
        if still != self.errors:
            self.set_errors(still, "Not saved: see the fields marked." if still else None, focus=False)


    def checked(self, now) -> tuple[dict[str, Any], dict[str, str]]:
        """``decision_fields``, except that a correction's event and review times left as pre-filled
        are the original's exact instants (a past review time included: it is the entry's, restated)."""
        values = self.values()
        c = self.corrects
        keep_event = c is not None and values["event_at"].strip() == self.initial.get("event_at")
        keep_review = c is not None and c.review_at is not None and values["review_at"].strip() == self.initial.get("review_at")
        if keep_event:
            values["event_at"] = ""
        if keep_review:
            values["review_at"] = ""
        kwargs, errors = decision_fields(values, now)
        if keep_review:
            kwargs["review_at"] = c.review_at
        if keep_event:
            kwargs["event_at"] = c.event_at
            if dlog.is_late(c.event_at, now) and not kwargs.get("late_reason") and "late_reason" not in errors:
                errors["late_reason"] = "a correction keeps the original event time: say why it is recorded now"
        at = kwargs.get("event_at") or now
        if self.auto_late_reason and kwargs.get("late_reason") == self.auto_late_reason and not dlog.is_late(at, now):
            kwargs["late_reason"] = None  # the event time was changed to now: nothing is late
        return kwargs, errors

    # ---------------------------------------------------------------- actions

    def action_save(self) -> None:
        if self.saving:
            return
        self._discard_armed = False
        kwargs, errors = self.checked(self.clock.now())
        if errors:
            self.set_errors(errors, "Not saved: see the fields marked.")
            return
        self.set_errors({})
        self.saving = True
        self._save(kwargs)

    @work(thread=True, group="decision-form")
    def _save(self, kwargs: dict[str, Any]) -> None:
        try:
            seq = self.seam.append_log(
                kind="decision",
                author=self.user,
                corrects_seq=self.corrects.seq if self.corrects is not None else None,
                source=self.source,
                **kwargs,
            )
        except dlog.LogInputError as exc:
            self.post_message(FormSaved(None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown, never a traceback; an outage keeps the form open
            from scc_tui.app.errors import save_error

            self.post_message(FormSaved(None, save_error(exc)))
        else:
            self.post_message(FormSaved(seq, None))

    @on(FormSaved)
    def _done(self, message: FormSaved) -> None:
        self.saving = False
        if message.error:
            field = field_of_error(message.error)
            if field:
                self.set_errors({field: message.error.split(":", 1)[1].strip()}, "Not saved: see the field marked.")
            else:
                self.set_errors({}, f"Not saved: {message.error}")
            return
        self.app.notify(f"Decision logged as #{message.seq}", markup=False)
        self.dismiss(message.seq)

    def action_cancel(self) -> None:
        if self.saving:
            return
        try:
            values = self.values()
        except NoMatches:  # Esc before the fields were mounted: nothing typed yet
            self.dismiss(None)
            return
        changed = any(v.strip() != self.initial.get(k, "").strip() for k, v in values.items())
        if changed and not self._discard_armed:
            self._discard_armed = True
            self.set_errors(self.errors, "Unsaved decision: press Esc again to discard it, Ctrl+S to save.")
            return
        self.dismiss(None)
