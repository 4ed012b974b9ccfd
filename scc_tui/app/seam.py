"""What the app asks of the store: one protocol, injected into :class:`~scc_tui.app.app.SccApp`.

Every store read and write the app and its screens make goes through a :class:`StoreSeam` (the real
one is :class:`scc_tui.app.db_seam.DbSeam` over a ``Store``; tests use ``tests.helpers.seam.FakeSeam``,
held to the same contract by ``tests/app/test_seam_contract.py``). Methods are coarse — one per thing a
person sees or does — and take and return plain data (domain objects, dataclasses, the log screen's
``LogRow``); no session, no SQLModel row, leaves the seam.

Every method may block on the database: call them from thread workers only, never on the UI thread.
Refusals (``domain.access.Refused``) and bad input (``domain.log.LogInputError``) are raised as the
store raises them; a database that cannot be reached raises the driver's error (``app.errors.is_outage``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Mapping, Protocol

if TYPE_CHECKING:
    from scc_tui.app.log.model import LogFilter, LogRow
    from scc_tui.domain.area_match import AreaRef
    from scc_tui.domain.exercise import Scenario
    from scc_tui.domain.handover import Handover
    from scc_tui.domain.prompts import Prompt, PromptKey
    from scc_tui.domain.records import AreaRecords
    from scc_tui.domain.risks import RiskVersion
    from scc_tui.domain.sitrep import Sitrep
    from scc_tui.domain.status import AreaStatus

__all__ = ["ChangeFeedLike", "StoreSeam"]


class ChangeFeedLike(Protocol):
    """The change-feed token the App's one poller holds: ``poll()`` is True when anything was written
    since the last poll (by any connection); it never raises for a lost connection (it says True)."""

    def poll(self) -> bool: ...

    def close(self) -> None: ...


class StoreSeam(Protocol):
    # ---------------------------------------------------------------- the board and the change feed

    def open_change_feed(self) -> ChangeFeedLike:
        """The change feed the App polls (opened before its first read, so no write is missed)."""
        ...

    def board_statuses(self, at: datetime) -> list[AreaStatus]:
        """Every area's status at ``at`` in hierarchy order, each with its escalation badge and line,
        firings and action-card progress (``badge``, ``escalation_line``, ``escalations``,
        ``action_progress``, ``escalation_error``: a rule file that does not load says so there)."""
        ...

    def area_statuses(self, at: datetime) -> list[AreaStatus]:
        """Every area's status at ``at``, without escalations (the prompts' owing areas)."""
        ...

    def area_records(self, area_id: int, at: datetime, *, days: int) -> AreaRecords:
        """The detail screen's read: latest assessment and declaration, level and score at the end of
        each of the last ``days`` London days, this area's active firings and due actions."""
        ...

    # ---------------------------------------------------------------- assessments and declarations

    def save_assessment(self, area: str, values: Mapping[str, float | str], at: datetime, author: str) -> int | None:
        """Record an assessment (source "tui"); returns its computed level."""
        ...

    def save_declaration(self, area: str, level: int, at: datetime, author: str, reason: str | None) -> None:
        """Record a declaration (source "tui"); a reason is required where the domain says so."""
        ...

    def record_plan_invocation(self, area: str, held_on: date, author: str) -> int:
        """An OPEL 4 declaration recorded as an actual invocation in the history of plan tests; returns
        its log entry's seq."""
        ...

    def record_data_files(self, author: str) -> None:
        """Log the plan and schedule files this session loads, when new or changed since last logged."""
        ...

    # ---------------------------------------------------------------- the log

    def log_head(self) -> int:
        """The newest entry's seq (0: an empty log)."""
        ...

    def log_page(self, flt: LogFilter, *, before_seq: int, want: int) -> tuple[list[LogRow], int | None, bool]:
        """Up to ``want`` rows matching ``flt`` older than ``before_seq``, newest first, with the
        corrections each has had: (rows, the next ``before_seq``, exhausted)."""
        ...

    def log_after(self, after_seq: int, limit: int) -> list[LogRow]:
        """Every entry after ``after_seq`` (oldest first, at most ``limit``): the screen filters."""
        ...

    def log_reviews(self, now: datetime) -> tuple[dict[int, LogRow], set[int]]:
        """Decisions of the last week with a review time (by seq), and the seqs already reviewed."""
        ...

    def log_area_refs(self) -> list[AreaRef]:
        """The areas a log filter's ``area:`` is matched against."""
        ...

    def append_log(self, *, kind: str, text: str, author: str, **fields: Any) -> int:
        """Append one entry (notes, actions, decisions, corrections, reviews, handovers); returns its
        seq. ``fields``: ``store.log.append_entry``'s keywords (areas, rationale, review_at, corrects_seq…)."""
        ...

    # ---------------------------------------------------------------- prompts (the agenda)

    def prompt_records(self, start: datetime, end: datetime) -> list[Any]:
        """The stored prompt records (``PromptRecord``) of occurrences in [start, end)."""
        ...

    def mark_prompts_shown(self, prompts: list[Prompt]) -> None:
        """Record that these prompts were shown (insert-if-absent: one row however many sessions)."""
        ...

    def acknowledge_prompt(self, key: PromptKey, user: str, *, title: str, due_at: datetime) -> bool:
        """Acknowledge a prompt (all its stages), logged; False when already acknowledged. A prompt
        shown from cache but not stored yet is recorded first (due at ``due_at``)."""
        ...

    def snooze_prompt(self, key: PromptKey, until: datetime, user: str) -> bool:
        """Snooze a prompt until ``until``; False when it is already acknowledged."""
        ...

    # ---------------------------------------------------------------- escalations, risks, handover

    def active_escalations(self, at: datetime | None = None) -> tuple[list[Any], dict[str, str]]:
        """(the firings active at ``at``, each area's action-card progress line); ``at`` None: the
        store's clock now. Firings are ``ActiveFiring`` (``.firing``, ``.record``, ``.ack``); those
        active now are recorded once."""
        ...

    def acknowledge_escalation(self, firing_id: int, user: str) -> tuple[bool, int | None, str | None]:
        """Acknowledge a firing, logged: (done, log seq of the firing's acknowledgement, acknowledged by)."""
        ...

    def open_risks(self) -> list[RiskVersion]:
        """Every open risk's latest version."""
        ...

    def risk_history(self, risk_id: int) -> list[RiskVersion]:
        """Every version of one risk, oldest first."""
        ...

    def handover(self, at: datetime | None, *, schedule: Any = None) -> Handover:
        """The handover summary at ``at`` (None: the store's clock now)."""
        ...

    def sitrep(self, at: datetime, *, area: str | None, cut_by: str) -> Sitrep:
        """The upward sitrep cut at ``at`` for every area (``area`` None) or one area and those under it."""
        ...

    def log_sitrep(self, sitrep: Sitrep, data: bytes, fmt: str, *, author: str) -> int:
        """Record in the log that ``sitrep`` was sent as ``data`` (its SHA-256); returns the entry's seq."""
        ...

    # ---------------------------------------------------------------- exercises (the hot debrief)

    def add_lesson(self, text: str, owner: str, due: date, author: str) -> int:
        """Record a lesson identified, as ``scc exercise lesson`` does (``store.exercise.add_lesson``:
        a note "Lesson identified: …" with its owner, reviewed at 09:00 London on ``due``); returns its
        log entry's seq. A user who may not write to the log is refused (``Refused``), nothing written."""
        ...

    def exercise_debrief(self, scenario: Scenario) -> dict[str, Any]:
        """The debrief record of the exercise ``scenario`` played into this database (``store.exercise.
        debrief``; its ``lessons``: those from missed expected responses, then those recorded)."""
        ...
