"""``FakeSeam``: the app's store seam (``scc_tui.app.seam.StoreSeam``) in memory, for app tests.

Two ways to use it:

* **Given statuses** (``FakeSeam(statuses)``): ``board_statuses``/``area_statuses`` return those objects
  as they are (e.g. ``tests.helpers.statuses.sample()``); a test changes
  ``seam.statuses`` and sets ``seam.changed = True`` to make the App's poller re-read.
* **Recorded** (``FakeSeam(clock=...)`` then ``add_area`` and the seam's own writes): statuses, the
  detail's records and score history are computed from what was written, by the domain's rules
  (``domain.status.compute_status``, ``domain.scoring.score``), as the store computes them. The
  contract tests (``tests/app/test_seam_contract.py``) run the same checks on this fake and on
  ``DbSeam`` over SQLite and PostgreSQL, so the two cannot drift apart.

Nothing here touches a database or a file beyond the packaged plan files the scoring reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

from scc_tui.app.board.reads import attach_badges
from scc_tui.app.log.model import LogFilter, LogRow
from scc_tui.domain.clock import LONDON, london_date
from scc_tui.domain.records import AreaRecords, AssessmentFacts, DeclarationFacts
from scc_tui.domain.status import StatusRecord, compute_status

__all__ = ["FakeFeed", "FakeSeam"]

REVIEW_HORIZON = timedelta(days=7)


class FakeFeed:
    """The change feed: ``poll()`` says (once) that the seam was written or ``seam.changed`` was set."""

    def __init__(self, seam: "FakeSeam") -> None:
        self.seam = seam
        self.closed = False

    def poll(self) -> bool:
        changed, self.seam.changed = self.seam.changed, False
        return changed

    def close(self) -> None:
        self.closed = True


@dataclass
class _Area:
    id: int
    name: str
    kind: str
    parent_id: int | None
    method: str | None
    plan_area: str | None = None
    short_name: str | None = None
    sort_order: int = 0


@dataclass
class _Assessment:
    id: int
    area_id: int
    at: datetime
    method: str
    values: dict[str, Any]
    level: int | None
    score: float | None
    max_score: float | None
    author: str
    plan_version: str | None


@dataclass
class _Declaration:
    id: int
    area_id: int
    at: datetime
    level: int
    computed_level: int | None
    author: str
    reason: str | None


@dataclass
class FakeSeam:
    statuses: list[Any] | None = None
    clock: Any = None
    #: Set by a test (or any write) to make the next poll of the change feed say True.
    changed: bool = False
    reads: int = 0  # board and area reads
    escalations: list[Any] = field(default_factory=list)  # ActiveFiring-shaped items
    progress: dict[str, str] = field(default_factory=dict)
    risks: list[Any] = field(default_factory=list)
    risk_versions: dict[int, list[Any]] = field(default_factory=dict)
    handover_summary: Any = None
    sitrep_summary: Any = None
    #: The debrief record ``exercise_debrief`` returns (its lessons followed by those ``add_lesson`` wrote).
    debrief_record: dict[str, Any] | None = None
    data_files_logged: list[str] = field(default_factory=list)
    plan_invocations: list[tuple[str, date, str]] = field(default_factory=list)
    prompts: dict[Any, dict[str, Any]] = field(default_factory=dict)  # PromptKey -> record fields
    log: list[LogRow] = field(default_factory=list)
    feeds: list[FakeFeed] = field(default_factory=list)
    _areas: list[_Area] = field(default_factory=list)
    _assessments: list[_Assessment] = field(default_factory=list)
    _declarations: list[_Declaration] = field(default_factory=list)

    # ---------------------------------------------------------------- set-up (tests)

    def add_area(self, name: str, kind: str, parent: str | None = None, method: str | None = None, *,
                 plan_area: str | None = None) -> int:
        parent_id = next(a.id for a in self._areas if a.name == parent) if parent else None
        n = len(self._areas)
        area = _Area(n + 1, name, kind, parent_id, method, plan_area, sort_order=n)
        self._areas.append(area)
        return area.id

    def _area(self, name: str) -> _Area:
        key = name.strip().casefold()
        for a in self._areas:
            if a.name.casefold() == key:
                return a
        raise LookupError(f"no area named {name!r}")

    def _now(self) -> datetime:
        return self.clock.now()

    # ---------------------------------------------------------------- the board and the change feed

    def open_change_feed(self) -> FakeFeed:
        feed = FakeFeed(self)
        self.feeds.append(feed)
        return feed

    def area_statuses(self, at: datetime) -> list[Any]:
        self.reads += 1
        if self.statuses is not None:
            return list(self.statuses)
        # Pure helpers of the store's (no SQL): the tree's order, and when each area owes its submission.
        from scc_tui.store.history import due_by, hierarchy_order

        due = due_by(self._areas)
        out = []
        for a in hierarchy_order(self._areas):
            st = compute_status(area_id=a.id, name=a.name, kind=a.kind, parent_id=a.parent_id, method=a.method,
                                records=self._records(a.id), at=at, due=due[a.id])
            st.short_name = a.short_name
            if a.plan_area:
                st.extra["plan_area"] = a.plan_area
            out.append(st)
        return out

    def board_statuses(self, at: datetime) -> list[Any]:
        statuses = self.area_statuses(at)
        if self.statuses is None:
            attach_badges(statuses, self.escalations, self.progress, None)
        return statuses

    def _records(self, area_id: int) -> list[StatusRecord]:
        recs = [StatusRecord(at=x.at, kind="assessment", level=x.level, id=x.id, score=x.score,
                             max_score=x.max_score, author=x.author)
                for x in self._assessments if x.area_id == area_id]
        recs += [StatusRecord(at=x.at, kind="declaration", level=x.level, id=x.id, author=x.author)
                 for x in self._declarations if x.area_id == area_id]
        return recs

    def area_records(self, area_id: int, at: datetime, *, days: int) -> AreaRecords:
        self.reads += 1
        area = next((a for a in self._areas if a.id == area_id), None)
        if area is None:
            return AreaRecords(area_id=area_id, name=None)
        assessments = sorted((x for x in self._assessments if x.area_id == area_id and x.at <= at),
                             key=lambda x: (x.at, x.id))
        declarations = sorted((x for x in self._declarations if x.area_id == area_id and x.at <= at),
                              key=lambda x: (x.at, x.id))
        a = assessments[-1] if assessments else None
        d = declarations[-1] if declarations else None
        first_day = london_date(at) - timedelta(days=days - 1)
        history, scores = [], []
        recs = sorted(self._records(area_id), key=lambda r: r.order)
        for n in range(days):
            day = first_day + timedelta(days=n)
            end = at if day == london_date(at) else datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
            upto = [r for r in recs if (r.at <= end if day == london_date(at) else r.at < end)]
            levels = [r.level for r in upto if r.level is not None]
            history.append((day, levels[-1] if levels else None))
            scored = [x for x in assessments if (x.at <= end if day == london_date(at) else x.at < end)]
            last = scored[-1] if scored else None
            scores.append((day, last.score if last else None, last.max_score if last else None))
        return AreaRecords(
            area_id=area_id, name=area.name, plan_area=area.plan_area,
            assessment=None if a is None else AssessmentFacts(a.method, dict(a.values), a.at, a.author, "tui",
                                                              a.plan_version),
            declaration=None if d is None else DeclarationFacts(d.level, d.at, d.author, d.computed_level, d.reason),
            history=history, scores=scores,
            escalations=[i for i in self.escalations if i.firing.area == area.name],
        )

    # ---------------------------------------------------------------- assessments and declarations

    def save_assessment(self, area: str, values: Mapping[str, Any], at: datetime, author: str) -> int | None:
        from scc_tui.datafiles.methods import default_registry
        from scc_tui.domain.scoring import score

        a = self._area(area)
        result = score(a.method, dict(values), area=a.plan_area, at=at, registry=default_registry())
        self._assessments.append(_Assessment(len(self._assessments) + 1, a.id, at, a.method, dict(values), result.level,
                                             result.score, result.max, author, result.plan_version))
        self.changed = True
        return result.level

    def save_declaration(self, area: str, level: int, at: datetime, author: str, reason: str | None) -> None:
        a = self._area(area)
        computed = next((x.level for x in sorted(self._assessments, key=lambda x: (x.at, x.id), reverse=True)
                         if x.area_id == a.id and x.at <= at), None)
        self._declarations.append(_Declaration(len(self._declarations) + 1, a.id, at, level, computed, author,
                                               reason or None))
        self.changed = True

    def record_plan_invocation(self, area: str, held_on: date, author: str) -> int:
        self.plan_invocations.append((area, held_on, author))
        return self.append_log(kind="plan-test", text=f"OPEL 4 declared: {area}", author=author)

    def record_data_files(self, author: str) -> None:
        self.data_files_logged.append(author)

    # ---------------------------------------------------------------- the log

    def log_head(self) -> int:
        return self.log[-1].seq if self.log else 0

    def _with_corrections(self, row: LogRow) -> LogRow:
        by = tuple(r.seq for r in self.log if r.corrects_seq == row.seq)
        return replace(row, corrected_by=by) if by else row

    def log_page(self, flt: LogFilter, *, before_seq: int, want: int) -> tuple[list[LogRow], int | None, bool]:
        older = [r for r in reversed(self.log) if r.seq < before_seq]
        out: list[LogRow] = []
        cursor = before_seq
        for r in older:
            cursor = r.seq
            if flt.matches(r):
                out.append(self._with_corrections(r))
                if len(out) >= want:
                    break
        exhausted = not older or cursor == older[-1].seq and len(out) < want
        return out, cursor, exhausted

    def log_after(self, after_seq: int, limit: int) -> list[LogRow]:
        return [r for r in self.log if r.seq > after_seq][:limit]

    def log_reviews(self, now: datetime) -> tuple[dict[int, LogRow], set[int]]:
        since = now - REVIEW_HORIZON
        decisions = {r.seq: self._with_corrections(r) for r in self.log
                     if r.kind == "decision" and r.review_at is not None and r.recorded_at >= since}
        reviewed = {r.reviews_seq for r in self.log if r.reviews_seq is not None and r.recorded_at >= since}
        return decisions, reviewed

    def log_area_refs(self) -> list[Any]:
        from scc_tui.domain.area_match import AreaRef

        by_id = {a.id: a.name for a in self._areas}
        return [AreaRef(a.name, a.short_name, by_id.get(a.parent_id), a.plan_area) for a in self._areas]

    def append_log(self, *, kind: str, text: str, author: str, **fields: Any) -> int:
        from scc_tui.domain import log as dlog

        now = self._now()
        if kind not in dlog.KINDS:
            raise dlog.LogInputError(f"kind: unknown kind {kind!r}")
        rec = {"seq": self.log_head() + 1, "recorded_at": now, "event_at": fields.get("event_at") or now,
               "author": author, "kind": kind, "text": dlog.clean_text(text, "text", required=True),
               "areas": list(fields.get("areas") or ()), "source": fields.get("source", "app")}
        for k in ("role", "rationale", "risk", "risk_measure", "owner", "review_at", "corrects_seq", "late_reason",
                  "reviews_seq"):
            if fields.get(k) is not None:
                rec[k] = fields[k]
        self.log.append(LogRow.from_record(rec))
        self.changed = True
        return rec["seq"]

    # ---------------------------------------------------------------- prompts (the agenda)

    def prompt_records(self, start: datetime, end: datetime) -> list[Any]:
        from types import SimpleNamespace

        return [SimpleNamespace(**r) for r in self.prompts.values() if start <= r["occurrence_at"] < end]

    def mark_prompts_shown(self, prompts: list[Any]) -> None:
        for p in prompts:
            self.prompts.setdefault(p.key, dict(
                item_key=p.item_key, occurrence_at=p.occurrence_at, stage=p.stage, due_at=p.due_at,
                first_shown_at=self._now(), missed=p.state == "missed", acknowledged_at=None,
                acknowledged_by=None, snoozed_until=None))

    def acknowledge_prompt(self, key: Any, user: str, *, title: str, due_at: datetime) -> bool:
        rec = self.prompts.setdefault(key, dict(
            item_key=key.item_key, occurrence_at=key.occurrence_at, stage=key.stage, due_at=due_at,
            first_shown_at=self._now(), missed=False, acknowledged_at=None, acknowledged_by=None,
            snoozed_until=None))
        if rec["acknowledged_at"] is not None:
            return False
        for r in self.prompts.values():  # every stage of the occurrence
            if (r["item_key"], r["occurrence_at"]) == (key.item_key, key.occurrence_at):
                r["acknowledged_at"], r["acknowledged_by"] = self._now(), user
        self.append_log(kind="prompt-ack", text=f"Acknowledged: {title}", author=user)
        return True

    def snooze_prompt(self, key: Any, until: datetime, user: str) -> bool:
        from scc_tui.domain.errors import SccError

        rec = self.prompts.get(key)
        if rec is None:  # as the store says: show it first
            raise SccError(f"no prompt record {key!r}")
        if rec["acknowledged_at"] is not None:
            return False
        rec["snoozed_until"] = until
        return True

    # ---------------------------------------------------------------- escalations, risks, handover

    def active_escalations(self, at: datetime | None = None) -> tuple[list[Any], dict[str, str]]:
        return list(self.escalations), dict(self.progress)

    def acknowledge_escalation(self, firing_id: int, user: str) -> tuple[bool, int | None, str | None]:
        item = next(i for i in self.escalations if i.record is not None and i.record.id == firing_id)
        if item.ack:
            return False, None, item.ack["by"]
        seq = self.append_log(kind="escalation-ack", text=f"Acknowledged escalation: {item.firing.message}",
                              author=user)
        item.ack.update(by=user, at=self._now().isoformat())
        return True, seq, user

    def open_risks(self) -> list[Any]:
        return list(self.risks)

    def risk_history(self, risk_id: int) -> list[Any]:
        return list(self.risk_versions.get(risk_id, []))

    def handover(self, at: datetime | None, *, schedule: Any = None) -> Any:
        if self.handover_summary is None:
            raise LookupError("FakeSeam: no handover_summary given")
        return self.handover_summary

    def sitrep(self, at: datetime, *, area: str | None, cut_by: str) -> Any:
        if self.sitrep_summary is None:
            raise LookupError("FakeSeam: no sitrep_summary given")
        return self.sitrep_summary

    def log_sitrep(self, sitrep: Any, data: bytes, fmt: str, *, author: str) -> int:
        import hashlib

        return self.append_log(kind="report", text=f"Sitrep sent ({fmt}): sha256:{hashlib.sha256(data).hexdigest()}",
                               author=author, source="tui", areas=[sitrep.scope] if sitrep.scope else ())

    # ---------------------------------------------------------------- exercises (the hot debrief)

    def add_lesson(self, text: str, owner: str, due: date, author: str) -> int:
        at = datetime(due.year, due.month, due.day, 9, tzinfo=LONDON)  # as store.exercise.add_lesson
        return self.append_log(kind="note", text=f"Lesson identified: {text}", author=author, owner=owner,
                               review_at=at, source="exercise")

    def exercise_debrief(self, scenario: Any) -> dict[str, Any]:
        d = dict(self.debrief_record or {"scenario": scenario.name, "lessons": []})
        recorded = [{"text": r.text.removeprefix("EXERCISE: ")[len("Lesson identified:"):].strip(), "owner": r.owner,
                     "due": london_date(r.review_at).isoformat(), "log_seq": r.seq}
                    for r in self.log if r.text.startswith("Lesson identified:") and r.owner and r.review_at]
        d["lessons"] = list(d.get("lessons", [])) + recorded
        return d
