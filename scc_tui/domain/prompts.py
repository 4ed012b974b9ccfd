"""Which prompts to show now: due, missed, upcoming, snoozed (PEERS.md "missed and doubled prompts").

Pure: a function of (occurrences, stored prompt records, now, when this session started). Nothing
here remembers anything; the memory is the ``PromptRecord`` table (``scc_tui.store.prompts``), with one
row per (item_key, occurrence_at, stage), so any number of sessions showing a prompt yield one record.

Stages (docs/schedule.md):

* a call has ``before`` (``lead_minutes`` before its start; default 5; the item's
  ``prompt_before_minutes`` overrides) and ``start`` (at its start);
* a deadline has one ``deadline`` stage, ``deadline_lead_minutes`` before the deadline (default 15;
  the item's ``prompt_before_minutes`` overrides).

Per occurrence only its latest due stage is listed (``start`` supersedes ``before``), and nothing at
all once any stage of the occurrence is acknowledged (acknowledging stops all its prompts).

The latest due stage of an occurrence is:

* **due** if it has not been shown yet, fell due while this session was open and the occurrence has
  not expired; or it was shown as due (by any session), is not acknowledged, not snoozed past now, and
  the occurrence has not expired (``end`` + ``grace_minutes``; a deadline's ``end`` is the deadline);
* **missed** if it was never shown and the item itself (a call's start, a deadline) passed before
  this session started (the app was closed), or expired without ever being shown (the scheduler was
  late); a prompt whose stage fell due while the app was closed but whose item is still ahead is due; once shown as missed (record
  ``missed=True``) it stays in the missed list of the session that reported it, until acknowledged, and
  is never reported again by a later session, nor as due;
* **snoozed** while its record's ``snoozed_until`` is in the future;
* **upcoming** if no stage is due yet (the next stage is listed).

The caller marks every listed due or missed prompt with ``needs_record`` as shown
(``scc_tui.store.prompts.mark_shown(..., missed=prompt.state == "missed")``) when it shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

from scc_tui.domain.clock import LONDON, UTC, ensure_aware
from scc_tui.domain.schedule import Occurrence, owing_areas

__all__ = [
    "STAGES",
    "PromptKey",
    "Prompt",
    "PromptView",
    "prompt_stages",
    "due_prompts",
]

STAGES: tuple[str, ...] = ("before", "start", "deadline")
State = Literal["due", "missed", "upcoming", "snoozed"]


class PromptKey(NamedTuple):
    """The identity of one prompt (the unique key of ``PromptRecord``)."""

    item_key: str
    occurrence_at: datetime  # aware UTC; the occurrence's ``start``
    stage: str


@dataclass(frozen=True)
class Prompt:
    item_key: str
    occurrence_at: datetime
    stage: str
    due_at: datetime
    state: State
    occurrence: Occurrence
    record: Any | None  # the stored PromptRecord for this stage, if any
    why: str  # why it fired / why it is listed, in words
    owing: tuple[str, ...] | None = None  # deadlines, when statuses were given: areas still owing

    @property
    def key(self) -> PromptKey:
        return PromptKey(self.item_key, self.occurrence_at, self.stage)

    @property
    def title(self) -> str:
        return self.occurrence.title

    @property
    def needs_record(self) -> bool:
        """True when the UI must call ``mark_shown`` as it shows this prompt (no record yet)."""
        return self.record is None and self.state in ("due", "missed")

    @property
    def text(self) -> str:
        """A one-line prompt, London times, e.g. "10:25 before: System escalation calls at 10:30"."""
        o = self.occurrence
        at = o.local_start.strftime("%H:%M")
        if self.stage == "before":
            mins = int((o.start - self.due_at).total_seconds() // 60)
            s = f"{o.title} at {at} (in {mins} min)"
        elif self.stage == "start":
            s = f"{o.title} now ({at})"
        else:
            by = o.local_end.strftime("%H:%M")
            window = f" (window {at}-{by})" if o.start != o.end else ""
            s = f"{o.title} by {by}{window}"
            if self.owing:
                s += ": owing " + ", ".join(self.owing)
        if self.state == "missed":
            s = f"MISSED {self.due_at.astimezone(LONDON):%a %H:%M}: " + s
        return s


@dataclass(frozen=True)
class PromptView:
    now: datetime
    due: tuple[Prompt, ...]
    missed: tuple[Prompt, ...]
    upcoming: tuple[Prompt, ...]
    snoozed: tuple[Prompt, ...]
    next_change_at: datetime | None  # when the view will next change by time alone (wake-up time)

    @property
    def to_mark(self) -> tuple[Prompt, ...]:
        """Listed prompts with no record yet: mark them shown (missed ones with missed=True)."""
        return tuple(p for p in (*self.missed, *self.due) if p.needs_record)

    def overdue(self, tolerance: timedelta = timedelta(minutes=5)) -> tuple[Prompt, ...]:
        """Due prompts never shown although due more than ``tolerance`` ago ("watch the watcher")."""
        return tuple(p for p in self.due if p.record is None and self.now - p.due_at > tolerance)


def prompt_stages(
    occurrence: Occurrence, lead_minutes: int = 5, deadline_lead_minutes: int = 15
) -> list[tuple[str, datetime]]:
    """The (stage, due_at) pairs of an occurrence, in due order."""
    if occurrence.kind == "deadline":
        lead = occurrence.prompt_before_minutes
        lead = deadline_lead_minutes if lead is None else lead
        return [("deadline", occurrence.end - timedelta(minutes=lead))]
    lead = occurrence.prompt_before_minutes
    lead = lead_minutes if lead is None else lead
    stages: list[tuple[str, datetime]] = []
    if lead > 0:
        stages.append(("before", occurrence.start - timedelta(minutes=lead)))
    stages.append(("start", occurrence.start))
    return stages


def _utc(dt: datetime) -> datetime:
    return ensure_aware(dt).astimezone(UTC)


def _hm(dt: datetime) -> str:
    return dt.astimezone(LONDON).strftime("%a %d %b %H:%M")


def due_prompts(
    occurrences: Iterable[Occurrence],
    records: Iterable[Any],
    now: datetime,
    session_started_at: datetime,
    lead_minutes: int = 5,
    *,
    deadline_lead_minutes: int = 15,
    grace_minutes: int = 30,
    statuses: Sequence[Any] | None = None,
) -> PromptView:
    """What to show at ``now`` for a session that opened at ``session_started_at``.

    ``records`` are stored ``PromptRecord`` rows (or any objects with ``item_key``, ``occurrence_at``,
    ``stage``, ``first_shown_at``, ``missed``, ``acknowledged_at``, ``snoozed_until``), normally
    ``records_between`` over the same window as ``occurrences``. With ``statuses`` (objects with
    ``name``, ``level``, ``last_update``, ``kind``), a deadline prompt carries the areas still owing and
    is dropped when none owe (deadlines with ``tracks = "none"`` are always listed).
    """
    now = _utc(now)
    session_started_at = _utc(session_started_at)
    grace = timedelta(minutes=grace_minutes)

    by_key: dict[PromptKey, Any] = {}
    acknowledged: set[tuple[str, datetime]] = set()
    for r in records:
        occ_at = _utc(r.occurrence_at)
        by_key[PromptKey(r.item_key, occ_at, r.stage)] = r
        if getattr(r, "acknowledged_at", None) is not None:
            acknowledged.add((r.item_key, occ_at))

    due: list[Prompt] = []
    missed: list[Prompt] = []
    upcoming: list[Prompt] = []
    snoozed: list[Prompt] = []
    wake: list[datetime] = []

    for occ in occurrences:
        occ_at = _utc(occ.start)
        if (occ.item_key, occ_at) in acknowledged:
            continue
        stages = prompt_stages(occ, lead_minutes, deadline_lead_minutes)
        owing: tuple[str, ...] | None = None
        if statuses is not None and occ.kind == "deadline":
            owing = tuple(owing_areas(occ, statuses))
        drop_deadline = owing is not None and occ.tracks != "none" and not owing

        due_stages = [(s, t) for s, t in stages if t <= now]
        later = [(s, t) for s, t in stages if t > now]
        if later:
            wake.append(later[0][1])
        if not due_stages:
            stage, due_at = later[0]
            if not drop_deadline:
                upcoming.append(
                    Prompt(occ.item_key, occ_at, stage, due_at, "upcoming", occ, by_key.get(PromptKey(occ.item_key, occ_at, stage)),
                           f"{_stage_words(stage, occ)} at {_hm(due_at)}. {occ.why}", owing)
                )
            continue
        if drop_deadline:
            continue

        stage, due_at = due_stages[-1]
        key = PromptKey(occ.item_key, occ_at, stage)
        rec = by_key.get(key)
        expires_at = max(_utc(occ.end), due_at) + grace
        expired = now >= expires_at
        base = f"{_stage_words(stage, occ)}: due {_hm(due_at)}. {occ.why}"

        def make(state: State, why: str) -> Prompt:
            return Prompt(occ.item_key, occ_at, stage, due_at, state, occ, rec, why, owing)

        snooze_until = getattr(rec, "snoozed_until", None) if rec is not None else None
        if snooze_until is not None and _utc(snooze_until) > now:
            if not expired:
                snoozed.append(make("snoozed", f"{base} Snoozed until {_hm(snooze_until)}."))
                wake.append(_utc(snooze_until))
            continue

        if rec is not None and getattr(rec, "first_shown_at", None) is not None:
            if getattr(rec, "missed", False):
                if _utc(rec.first_shown_at) >= session_started_at:
                    missed.append(make("missed", f"{base} Reported as missed at {_hm(rec.first_shown_at)}."))
                continue  # reported as missed by an earlier session: never again, never as due
            if not expired:
                due.append(make("due", f"{base} Not yet acknowledged (first shown {_hm(rec.first_shown_at)})."))
                wake.append(expires_at)
            continue

        # Never shown. Missed only when the item itself (a call's start, a deadline) passed before this
        # session opened: a 10:30 deadline whose 10:15 prompt fell due while the app was closed is still
        # due at 10:25, not "missed".
        if due_at < session_started_at and _utc(occ.due_by) < session_started_at:
            missed.append(make("missed", f"{base} Fell due while scc-tui was closed (this session opened {_hm(session_started_at)})."))
        elif expired:
            missed.append(make("missed", f"{base} Fell due while this session was open but was never shown (scheduler late?)."))
        else:
            due.append(make("due", base))
            wake.append(expires_at)

    def order(p: Prompt) -> tuple:
        return (p.due_at, p.occurrence_at, p.item_key, p.stage)

    future = [t for t in wake if t > now]
    return PromptView(
        now=now,
        due=tuple(sorted(due, key=order)),
        missed=tuple(sorted(missed, key=order)),
        upcoming=tuple(sorted(upcoming, key=order)),
        snoozed=tuple(sorted(snoozed, key=order)),
        next_change_at=min(future) if future else None,
    )


def _stage_words(stage: str, occ: Occurrence) -> str:
    at = occ.local_start.strftime("%H:%M")
    if stage == "before":
        return f"Reminder before {occ.title} at {at}"
    if stage == "start":
        return f"{occ.title} starts at {at}"
    return f"Deadline {occ.local_end:%H:%M}: {occ.title}"
