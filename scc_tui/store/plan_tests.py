"""History of plan tests (seed 000 Appendix 5): date, exercise or actual invocation, what happened and
for how long, lessons identified. Each addition is also a ``plan-test`` entry in the decision log,
written in the same transaction (``PlanTest.log_seq`` points at it). Append-only like the log."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from scc_tui.domain.clock import london_date
from scc_tui.domain.log import LogInputError, clean_line, clean_text
from scc_tui.store.models import PlanTest

PLAN_TEST_KINDS = {"exercise": "Exercise", "invocation": "Actual invocation"}
MAX_DURATION_MINUTES = 60 * 24 * 366  # a year: longer is a typing error


def add_plan_test(
    store,
    *,
    held_on: date,
    kind: str,
    title: str,
    author: str,
    what_happened: str | None = None,
    duration_minutes: int | None = None,
    lessons: str | None = None,
    source: str = "app",
    session: Session | None = None,
) -> PlanTest:
    """Record a plan test and its log entry; returns the PlanTest (``log_seq`` set)."""
    if kind not in PLAN_TEST_KINDS:
        raise LogInputError(f"kind: {kind!r} is not one of: {', '.join(PLAN_TEST_KINDS)}")
    if not isinstance(held_on, date):
        raise LogInputError("date: must be a date")
    title = clean_line(title, "title", required=True, max_len=500)
    what = clean_text(what_happened, "what", required=False, max_len=4_000) or ""
    lessons = clean_text(lessons, "lessons", required=False, max_len=4_000) or ""
    if duration_minutes is not None:
        if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int) or not (
            0 <= duration_minutes <= MAX_DURATION_MINUTES
        ):
            raise LogInputError(f"duration: {duration_minutes!r} minutes is not a sensible duration")
    if session is None:
        with store.write(lock="log") as s:
            return _add(store, s, held_on, kind, title, author, what, duration_minutes, lessons, source)
    return _add(store, session, held_on, kind, title, author, what, duration_minutes, lessons, source)


def _add(store, s, held_on, kind, title, author, what, duration, lessons, source) -> PlanTest:
    from scc_tui.store.access import require
    from scc_tui.store.log import append_entry

    require(s, author, "plan-test")
    now = store.clock.now()
    if held_on > london_date(now):
        raise LogInputError(f"date: {held_on.isoformat()} is in the future; record a test once it has happened")
    text = f"Plan test recorded: {PLAN_TEST_KINDS[kind].lower()} on {held_on.isoformat()}: {title}"
    if duration is not None:
        text += f" ({_fmt_duration(duration)})"
    if what:
        text += f"\nWhat happened: {what}"
    if lessons:
        text += f"\nLessons identified: {lessons}"
    entry = append_entry(store, kind="plan-test", text=text, author=author, source=source, session=s)
    pt = PlanTest(
        held_on=held_on, kind=kind, title=title, what_happened=what, duration_minutes=duration, lessons=lessons,
        author=entry.author, recorded_at=entry.recorded_at, log_seq=entry.seq,
    )
    s.add(pt)
    s.flush()
    return pt


def _fmt_duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    if h < 48:
        return f"{h} h {m} min" if m else f"{h} h"
    d, h = divmod(h, 24)
    return f"{d} days {h} h" if h else f"{d} days"


def list_plan_tests(store) -> list[PlanTest]:
    """Oldest first, as the plan's table reads."""
    with store.read() as s:
        return list(s.exec(select(PlanTest).order_by(PlanTest.held_on, PlanTest.id)).all())
