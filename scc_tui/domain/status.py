"""An area's status at an instant, from its records (pure: no SQL, no wall clock).

Rules (docs/architecture.md, DOMAIN.md §4):

* **Level in force**: the latest record by event time (``assessed_at`` / ``declared_at``) at or before
  ``at``. At the same instant a declaration ranks after an assessment, so a declaration at or after
  the latest assessment wins. A record with no level (nothing applicable was scored) is an update
  (it counts against staleness) but does not change the level in force.
* **Run and Day N** (one count for the board, the handover and the escalation rules:
  :mod:`scc_tui.domain.escalation`): the run at OPEL n is the time the level in force has been n or
  above; a drop below n ends it only once it has lasted the de-escalation hold (default 24 hours;
  KCC ASC OPEL plan v1.8 §8), and a return within the hold continues the run and its day count.
  ``since`` is the event time of the run's first record; ``days_at_level`` is the number of
  Europe/London calendar days from that record's date to ``at``'s date, inclusive (Day 1 = the day
  the run began). While a higher level's run is in its hold, ``hold_level`` is that level and
  ``hold_until`` the instant its actions stand down ("stepping down – hold until Tue 10:30").
* **Trend**: the level in force now against the level in force before the latest record.
* **Stale** (only an area that owes a daily submission, ``due`` = the London time it is due by, from
  ``data/submissions.toml`` via :mod:`scc_tui.domain.due`): no record at all, or, once it is ``due``
  or later, no record since 00:00 London today. An area that owes nothing (``due=None``: regions,
  ICSs) is never stale, whatever is below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Iterable, Literal

from scc_tui.domain.clock import LONDON, ensure_aware, london_date
from scc_tui.domain.escalation import DEFAULT_HOLD, effective_level, level_points, run_at

__all__ = ["AreaStatus", "StatusRecord", "compute_status", "day_start", "is_stale", "STALE_AFTER"]

STALE_AFTER = time(10, 0)  # NHS providers' first assessment: the default ``due`` (data/submissions.toml)

Trend = Literal["up", "down", "same", "none"]


@dataclass(frozen=True)
class StatusRecord:
    """One assessment or declaration, as far as status is concerned."""

    at: datetime  # event time (aware)
    kind: Literal["assessment", "declaration"]
    level: int | None
    id: int = 0
    score: float | None = None
    max_score: float | None = None
    author: str | None = None

    @property
    def order(self) -> tuple:
        # Declarations rank after assessments at the same instant; then insertion order.
        return (self.at, 1 if self.kind == "declaration" else 0, self.id)


@dataclass
class AreaStatus:
    area_id: int
    name: str
    kind: str
    parent_id: int | None
    method: str | None
    level: int | None = None  # in force
    computed_level: int | None = None  # of the latest assessment
    declared_level: int | None = None  # of the declaration in force (None when an assessment is newer)
    score: float | None = None  # of the latest assessment
    max_score: float | None = None
    since: datetime | None = None  # event time of the first record of the current run
    days_at_level: int | None = None  # Day N (1 = the day the run began), London calendar days
    previous_level: int | None = None  # in force before the latest record
    trend: Trend = "none"
    last_update: datetime | None = None  # event time of the latest record
    stale: bool = True
    updated_by: str | None = None  # author of the latest record
    due_by: time | None = None  # London time its daily submission is due by (None: owes none)
    hold_level: int | None = None  # a higher level stepping down (in its de-escalation hold)
    hold_until: datetime | None = None  # when that level's actions stand down
    short_name: str | None = None  # the areas file's short name (shown where the name would be cut)
    extra: dict = field(default_factory=dict, repr=False, compare=False)
    # The escalation rules' marks for the board, from the firings active at the read (filled by
    # ``scc_tui.app.board.reads.attach_badges``; empty on a read that does not evaluate the rules). Not
    # part of the status itself: left out of equality.
    badge: str = field(default="", compare=False)  # ⚑ (⚑N): firings to acknowledge; ·: none to acknowledge
    escalation_line: str = field(default="", compare=False)  # whom the rules include ("include STP & LA")
    escalations: list[Any] = field(default_factory=list, repr=False, compare=False)  # its ActiveFirings
    action_progress: str = field(default="", compare=False)  # action-card progress
    escalation_error: str | None = field(default=None, compare=False)  # why the rules did not evaluate


def day_start(at: datetime) -> datetime:
    """00:00 Europe/London on ``at``'s London date (aware)."""
    d = london_date(at)
    return datetime.combine(d, time(0), tzinfo=LONDON)


def is_stale(last_update: datetime | None, at: datetime, due: time | None = STALE_AFTER) -> bool:
    """Overdue: the area owes a submission by ``due`` (London) and has none today once it is ``due``
    (or has never had one). ``due=None``: it owes none, never stale."""
    if due is None:
        return False
    if last_update is None:
        return True
    local = ensure_aware(at).astimezone(LONDON)
    if local.time() < due:
        return False
    return last_update < day_start(at)


def compute_status(
    *,
    area_id: int,
    name: str,
    kind: str,
    parent_id: int | None,
    method: str | None,
    records: Iterable[StatusRecord],
    at: datetime,
    due: time | None = STALE_AFTER,
    hold: timedelta = DEFAULT_HOLD,
) -> AreaStatus:
    """The status of one area at ``at`` from its records (any order; those after ``at`` are ignored).

    To be exact, ``records`` must reach back to the first record of the current run and one record
    before it (or to the area's first record); :mod:`scc_tui.store.queries` makes sure of that.
    """
    ensure_aware(at)
    recs = sorted((r for r in records if r.at <= at), key=lambda r: r.order)
    st = AreaStatus(area_id=area_id, name=name, kind=kind, parent_id=parent_id, method=method, due_by=due)
    if not recs:
        st.stale = is_stale(None, at, due)
        return st
    last = recs[-1]
    st.last_update = last.at
    st.updated_by = last.author
    st.stale = is_stale(last.at, at, due)

    latest_assessment = next((r for r in reversed(recs) if r.kind == "assessment"), None)
    if latest_assessment is not None:
        st.computed_level = latest_assessment.level
        st.score = latest_assessment.score
        st.max_score = latest_assessment.max_score

    levelled = [r for r in recs if r.level is not None]
    if not levelled:
        return st
    current = levelled[-1]
    st.level = current.level
    if current.kind == "declaration":
        st.declared_level = current.level

    # The run at this level or above, with the de-escalation hold (scc_tui.domain.escalation).
    points = level_points(levelled)
    if current.level <= 1:
        # OPEL 1 is the floor (every record is "1 or above"): its run is the unbroken stretch at 1.
        start = len(points) - 1
        while start > 0 and points[start - 1].level == current.level:
            start -= 1
        st.since = points[start].at
        st.days_at_level = (london_date(at) - london_date(st.since)).days + 1
    else:
        run = run_at(points, current.level, at, hold)
        assert run is not None  # the level in force is current.level
        st.since = run.start
        st.days_at_level = run.day(at)
    eff = effective_level(points, at, hold)
    if eff is not None and eff > current.level:
        higher = run_at(points, eff, at, hold)
        st.hold_level = eff
        st.hold_until = higher.hold_until if higher else None

    if len(levelled) >= 2:
        st.previous_level = levelled[-2].level
        prev = st.previous_level
        st.trend = "up" if st.level > prev else "down" if st.level < prev else "same"
    return st
