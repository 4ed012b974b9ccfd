"""The real :class:`~scc_tui.app.seam.StoreSeam`: every store call the app makes, over one ``Store``
(SQLite or PostgreSQL). The only module of ``scc_tui.app`` that imports ``scc_tui.store`` (besides the
exercise app's own tables: ``app/exercise.py``).

Store modules are imported inside the methods: the CLI builds ``DbSeam(DeferredStore(...))`` before
the first frame, and neither SQLAlchemy nor the store's modules may load on that path (issue 11 item 9).
Every method runs in the caller's thread worker; none is called on the UI thread.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from scc_tui.app.board.reads import attach_badges

if TYPE_CHECKING:
    from scc_tui.app.log.model import LogFilter, LogRow

__all__ = ["DbSeam", "REVIEW_HORIZON"]

#: How far back review times are looked for when the log screen loads.
REVIEW_HORIZON = timedelta(days=7)


class DbSeam:
    """``DbSeam(store)``: the app's store seam over a ``scc_tui.store.db.Store`` (or the CLI's
    ``DeferredStore``, which opens the real one on first use)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def dispose(self) -> None:
        self.store.dispose()

    # ---------------------------------------------------------------- the board and the change feed

    def open_change_feed(self):
        from scc_tui.store.feed import ChangeFeed

        return ChangeFeed.for_store(self.store)

    def area_statuses(self, at: datetime) -> list:
        from scc_tui.store.queries import area_statuses

        with self.store.read() as session:
            return list(area_statuses(session, at))

    def board_statuses(self, at: datetime) -> list:
        statuses = self.area_statuses(at)
        try:
            items, progress = self.active_escalations(at)
            error = None
        except Exception as exc:  # noqa: BLE001 - a rule file that does not load: said on the board
            items, progress, error = [], {}, f"{type(exc).__name__}: {exc}"
        attach_badges(statuses, items, progress, error)
        return statuses

    def area_records(self, area_id: int, at: datetime, *, days: int):
        from scc_tui.store.queries import area_detail

        with self.store.read() as session:
            records = area_detail(session, area_id, at, days=days)
        if records.name is None:
            return records
        try:
            from scc_tui.store import actions, escalations

            items, due = escalations.active_and_due(self.store, at)
            records.escalations = [i for i in items if i.firing.area == records.name]
            records.actions = [d for d in due if d.area == records.name]
        except Exception as exc:  # noqa: BLE001 - shown in the detail, never a traceback
            records.problems.append(f"Escalation rules could not be evaluated: {exc}")
        return records

    # ---------------------------------------------------------------- assessments and declarations

    def save_assessment(self, area: str, values: Mapping[str, Any], at: datetime, author: str) -> int | None:
        from scc_tui.store.assessments import record_assessment

        return record_assessment(self.store, area, dict(values), at, author, "tui").level

    def save_declaration(self, area: str, level: int, at: datetime, author: str, reason: str | None) -> None:
        from scc_tui.store.assessments import record_declaration

        record_declaration(self.store, area, level, at, author, reason or None, "tui")

    def record_plan_invocation(self, area: str, held_on: date, author: str) -> int:
        from scc_tui.store.plan_tests import add_plan_test

        test = add_plan_test(
            self.store,
            held_on=held_on,
            kind="invocation",
            title=f"OPEL 4 declared: {area}",
            what_happened=f"{area} declared at OPEL 4; plan invoked.",
            author=author,
        )
        return test.log_seq

    def record_data_files(self, author: str) -> None:
        from scc_tui.store.config_audit import default_data_files, record_data_files

        record_data_files(self.store, default_data_files(), author=author)

    # ---------------------------------------------------------------- the log

    def log_head(self) -> int:
        from scc_tui.store.log import head

        h = head(self.store)
        return h[0] if h else 0

    def _rows(self, entries: Iterable[Any], *, links: bool = True) -> list[LogRow]:
        """Rows for entries; with ``links``, each review carries the decision it reviews."""
        from scc_tui.app.log.model import LogRow
        from scc_tui.store.log import entry_record, review_links

        entries = list(entries)
        reviews = review_links(self.store, [e.seq for e in entries]) if links and entries else {}
        out = []
        for e in entries:
            rec = entry_record(e)
            if e.seq in reviews:
                rec["reviews_seq"] = reviews[e.seq]
            out.append(LogRow.from_record(rec))
        return out

    def log_page(self, flt: LogFilter, *, before_seq: int, want: int,
                 scan_limit: int = 20_000) -> tuple[list[LogRow], int | None, bool]:
        from scc_tui.store.log import corrections_index, list_entries

        args = flt.store_args()
        batch_size = want if flt.store_complete else 500
        out: list[LogRow] = []
        cursor: int | None = before_seq
        scanned = 0
        exhausted = False
        while len(out) < want:
            batch = list_entries(self.store, before_seq=cursor, limit=batch_size, newest_first=True, **args)
            if not batch:
                exhausted = True
                break
            out.extend(r for r in self._rows(batch) if flt.matches(r))
            cursor = batch[-1].seq
            scanned += len(batch)
            if len(batch) < batch_size:
                exhausted = True
                break
            if scanned >= scan_limit:
                break
        if out:
            idx = corrections_index(self.store, [r.seq for r in out])
            out = [replace(r, corrected_by=tuple(idx.get(r.seq, ()))) if r.seq in idx else r for r in out]
        return out, cursor, exhausted

    def log_after(self, after_seq: int, limit: int) -> list[LogRow]:
        from scc_tui.store.log import list_entries

        return self._rows(list_entries(self.store, after_seq=after_seq, limit=limit))

    def log_reviews(self, now: datetime) -> tuple[dict[int, LogRow], set[int]]:
        from scc_tui.store.log import corrections_index, list_entries, review_links

        since = now - REVIEW_HORIZON
        decisions = {r.seq: r for r in self._rows(list_entries(self.store, kinds=["decision"], since=since), links=False)
                     if r.review_at is not None}
        if decisions:
            for seq, by in corrections_index(self.store, list(decisions)).items():
                for b in by:
                    decisions[seq] = decisions[seq].with_correction(b)
        reviewed = set(review_links(self.store, since=since).values())
        return decisions, reviewed

    def log_area_refs(self) -> list:
        from scc_tui.store.areas import load_area_refs

        return load_area_refs(self.store)

    def append_log(self, *, kind: str, text: str, author: str, **fields: Any) -> int:
        from scc_tui.store.log import append_entry

        return append_entry(self.store, kind=kind, text=text, author=author, **fields).seq

    # ---------------------------------------------------------------- prompts (the agenda)

    def prompt_records(self, start: datetime, end: datetime) -> list:
        from scc_tui.store.prompts import records_between

        return records_between(self.store, start, end)

    def mark_prompts_shown(self, prompts: list) -> None:
        from scc_tui.store.prompts import mark_prompt_shown

        for p in prompts:
            mark_prompt_shown(self.store, p)

    def acknowledge_prompt(self, key, user: str, *, title: str, due_at: datetime) -> bool:
        from scc_tui.store.prompts import PromptNotFound, acknowledge, mark_shown

        try:
            return acknowledge(self.store, key, user, title=title)
        except PromptNotFound:
            # Shown from cache but not stored yet (e.g. the write raced a restart): record, then ack.
            mark_shown(self.store, key.item_key, key.occurrence_at, key.stage, due_at)
            return acknowledge(self.store, key, user, title=title)

    def snooze_prompt(self, key, until: datetime, user: str) -> bool:
        from scc_tui.store.prompts import snooze

        return snooze(self.store, key, until, user)

    # ---------------------------------------------------------------- escalations, risks, handover

    def active_escalations(self, at: datetime | None = None) -> tuple[list, dict[str, str]]:
        from scc_tui.store import actions, escalations

        items, due = escalations.active_and_due(self.store, at)
        return items, actions.progress_by_area(due)

    def acknowledge_escalation(self, firing_id: int, user: str) -> tuple[bool, int | None, str | None]:
        from scc_tui.store import escalations

        ok = escalations.acknowledge(self.store, firing_id, user)
        rec = escalations.get(self.store, firing_id)
        return ok, rec.log_seq, rec.acknowledged_by

    def open_risks(self) -> list:
        from scc_tui.store.risks import latest

        return latest(self.store)

    def risk_history(self, risk_id: int) -> list:
        from scc_tui.store.risks import history

        return history(self.store, risk_id)

    def handover(self, at: datetime | None, *, schedule: Any = None):
        from scc_tui.store.handover import gather_handover

        return gather_handover(self.store, at, schedule=schedule)

    def sitrep(self, at: datetime, *, area: str | None, cut_by: str):
        from scc_tui.store.sitrep import gather_sitrep

        return gather_sitrep(self.store, at, area=area, cut_by=cut_by)

    def log_sitrep(self, sitrep, data: bytes, fmt: str, *, author: str) -> int:
        from scc_tui.store.sitrep import log_sitrep

        return log_sitrep(self.store, sitrep, data, fmt, author=author, source="tui").seq

    # ---------------------------------------------------------------- exercises (the hot debrief)

    def add_lesson(self, text: str, owner: str, due: date, author: str) -> int:
        from scc_tui.store.exercise import add_lesson

        return add_lesson(self.store, text, owner, due, author).seq

    def exercise_debrief(self, scenario) -> dict[str, Any]:
        from scc_tui.store.exercise import debrief

        return debrief(self.store, scenario)
