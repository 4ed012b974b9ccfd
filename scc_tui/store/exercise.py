"""Exercise databases: sealed off from live data, played on a simulated clock, debriefed from the log.

* :func:`live_area_specs` reads the area configuration from the **live** database opened read-only: a
  SQLite file through a ``mode=ro`` URI (``immutable=1`` when no ``-wal`` file exists, so SQLite
  creates neither ``-wal`` nor ``-shm`` and writes nothing; the file stays byte-identical), a
  PostgreSQL database in a ``READ ONLY`` transaction. No migration is ever run on it.
* :func:`create_exercise_db` makes a fresh SQLite exercise database beside the live one (or, for a
  PostgreSQL live database, in the per-user data folder), marks it ``exercise`` in ``scc_meta``
  (``clock`` = ``exercise``; ``exercise`` = the scenario's name) and copies the areas into it.
  An existing file there is replaced only if it is itself an exercise database.
* :class:`Runner` plays a scenario: releases injects (rows authored by ``EXERCISE CONTROL``), records
  the escalation firings and schedule prompts due at the simulated instant, keeps the shared clock
  state in ``scc_meta`` (so ``scc exercise join`` sees the same simulated time), ENDEX.
* :func:`debrief` reads it all back beside the scenario: injects, participants' log entries, firings,
  prompts with response times, expected responses met or missed, lessons identified.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import select

from scc_tui.datafiles.areas import AreaSpec
from scc_tui.domain import exercise as dx
from scc_tui.domain.clock import LONDON, UTC, SimulatedClock, SystemClock, london_date
from scc_tui.domain.errors import SccError
from scc_tui.store.db import NoDatabaseError, Store, create_private_file, default_db_path, sqlite_path
from scc_tui.store.models import Declaration, EscalationFiring, LogEntry, PromptRecord, SccMeta

__all__ = ["ExerciseError", "stop_play", "stopped_by", "exercise_name", "live_area_specs", "exercise_path", "create_exercise_db", "open_exercise_db",
           "Runner", "debrief", "META_NAME", "is_exercise_db", "read_clock_state"]

META_NAME = "exercise"
META_FILE = "exercise_file"
META_STATE = "exercise_state"
META_CLOCK = "exercise_clock"
META_LIVE = "exercise_live"
INJECT_RE = re.compile(r"^(?:EXERCISE: )?EXERCISE inject (\S+) \(([^)]*)\)( skipped)?")


class ExerciseError(SccError):
    pass


# ------------------------------------------------------------------------------------------------
# The live database, read-only


def _ro_sqlite(path: Path) -> sqlite3.Connection:
    """A read-only connection that writes nothing: ``mode=ro``; ``immutable=1`` too when there is no
    ``-wal`` (no live session has uncheckpointed pages), so no ``-wal``/``-shm`` file is created."""
    wal = Path(str(path) + "-wal")
    uri = f"file:{quote(str(path))}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    return sqlite3.connect(uri, uri=True)


_AREA_SQL = "SELECT id, name, kind, parent_id, method, plan_area, short_name, sort_order FROM area"


def live_area_specs(live_url: str) -> list[AreaSpec]:
    """The live database's areas (read-only; see the module doc), parents before children."""
    path = sqlite_path(live_url)
    if path is not None:
        if not path.is_file():
            raise NoDatabaseError(f"no live database at {path} (--db names the live database to copy areas from)")
        con = _ro_sqlite(path)
        try:
            mode = _meta_ro(con)
            rows = con.execute(_AREA_SQL).fetchall()
        except sqlite3.DatabaseError as e:
            raise ExerciseError(f"cannot read the areas of the live database {path}: {e}") from None
        finally:
            con.close()
    elif live_url.startswith("postgresql"):
        engine = sa.create_engine(live_url)
        try:
            with engine.connect() as c:
                c.exec_driver_sql("SET TRANSACTION READ ONLY")
                try:
                    mode = c.exec_driver_sql(f"SELECT value FROM scc_meta WHERE key = '{META_NAME}'").scalar()
                except sa.exc.DBAPIError:
                    c.rollback()
                    c.exec_driver_sql("SET TRANSACTION READ ONLY")
                    mode = None
                rows = [tuple(r) for r in c.exec_driver_sql(_AREA_SQL).all()]
                c.rollback()
        finally:
            engine.dispose()
    else:
        raise ExerciseError("the live database must be a SQLite file or a postgresql:// URL")
    if mode:
        raise ExerciseError("--db names an exercise database; name the live database whose areas the exercise copies")
    if not rows:
        raise ExerciseError("the live database has no areas to copy (import them first: scc areas import FILE)")
    by_id = {r[0]: r for r in rows}
    specs = []
    for n, (aid, name, kind, parent_id, method, plan_area, short, order) in enumerate(
            sorted(rows, key=lambda r: (_depth(r, by_id), r[7] or 0, r[0]))):
        parent = by_id[parent_id][1] if parent_id in by_id else None
        specs.append(AreaSpec(name=name, kind=kind, parent=parent, short_name=short, method=method,
                              plan_area=plan_area, sort_order=order if order is not None else n))
    return specs


def _depth(row, by_id) -> int:
    d, seen, p = 0, set(), row[3]
    while p in by_id and p not in seen and d < 16:
        seen.add(p)
        p = by_id[p][3]
        d += 1
    return d


def _meta_ro(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT value FROM scc_meta WHERE key = ?", (META_NAME,)).fetchone()
    except sqlite3.OperationalError:  # an older database: no scc_meta
        return None
    return row[0] if row else None


# ------------------------------------------------------------------------------------------------
# The exercise database


def exercise_path(live_url: str, name: str) -> Path:
    """Beside a SQLite live database (``scc.db`` -> ``scc.exercise-NAME.db``); else in the per-user
    data folder (``exercises/NAME.db``)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", name):
        raise ExerciseError(f"{name!r} is not an exercise name (lower-case letters, digits and '-')")
    path = sqlite_path(live_url)
    if path is not None:
        out = path.with_name(f"{path.stem}.exercise-{name}.db")
    else:
        out = default_db_path().parent / "exercises" / f"{name}.db"
    if path is not None and out.resolve() == path.resolve():  # pragma: no cover - the suffix differs
        raise ExerciseError("the exercise database would be the live database")
    return out


def is_exercise_db(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        con = _ro_sqlite(path)
        try:
            return bool(_meta_ro(con))
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return False


def _remove(path: Path) -> None:
    for p in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def create_exercise_db(live_url: str, scenario: dx.Scenario, clock: SimulatedClock, *,
                       path: Path | None = None) -> tuple[Store, Path]:
    """A fresh exercise database for ``scenario`` (see the module doc). Unknown areas in the scenario
    are refused before anything is written."""
    from scc_tui.datafiles.scenarios import check_areas
    from scc_tui.store import log as store_log
    from scc_tui.store.areas import import_area_specs

    specs = live_area_specs(live_url)
    check_areas(scenario, [s.name for s in specs])
    path = path or exercise_path(live_url, scenario.name)
    live = sqlite_path(live_url)
    if live is not None and live.exists() and path.exists() and path.resolve() == live.resolve():
        raise ExerciseError("the exercise database would be the live database")
    if not path.parent.is_dir():
        from scc_tui.store.db import make_private_dir

        if live is not None:
            raise NoDatabaseError(f"the folder {path.parent} does not exist")
        make_private_dir(path.parent)
    if path.exists():
        if not is_exercise_db(path):
            raise ExerciseError(f"{path} exists and is not an exercise database: not replacing it")
        _remove(path)
    create_private_file(path)
    store = Store(f"sqlite:///{path}", clock, create=True)
    store_log.mark_database(store, "exercise")
    with store.write() as s:
        s.merge(SccMeta(key=META_NAME, value=scenario.name))
        if len(scenario.source) <= 200:
            s.merge(SccMeta(key=META_FILE, value=scenario.source))
        from scc_tui.store.db import redact_url

        s.merge(SccMeta(key=META_LIVE, value=redact_url(live_url)[-200:]))
        s.merge(SccMeta(key=META_STATE, value="ready"))
    import_area_specs(store, specs, author=dx.CONTROL, log=True, source_name="live database areas (read-only copy)")
    return store, path


def open_exercise_db(path: Path, clock=None) -> Store:
    if not is_exercise_db(path):
        raise NoDatabaseError(f"no exercise database at {path} (start one with `scc exercise run SCENARIO`)")
    return Store(f"sqlite:///{path}", clock, create=False)


def meta(store) -> dict[str, str]:
    with store.read() as s:
        return {r.key: r.value for r in s.exec(select(SccMeta)).all()}


def _set_meta(store, **values: str) -> None:
    with store.write() as s:
        for k, v in values.items():
            s.merge(SccMeta(key=k, value=v[:200]))


def read_clock_state(store) -> dict[str, Any] | None:
    raw = meta(store).get(META_CLOCK)
    return json.loads(raw) if raw else None


def clock_from_state(state: dict[str, Any], real_now: datetime) -> SimulatedClock:
    """A joiner's clock: the same simulated time as the controller's (``state`` written by
    :meth:`Runner.save_clock`)."""
    base = datetime.fromisoformat(state["base"])
    speed = float(state["speed"])
    if not state.get("paused"):
        base = base + (real_now - datetime.fromisoformat(state["real"])) * speed
    clock = SimulatedClock(base, speed)
    if state.get("paused"):
        clock.pause()
    return clock


# ------------------------------------------------------------------------------------------------
# Playing a scenario


@dataclass
class Step:
    at: datetime
    released: list[tuple[dx.Inject, str]] = field(default_factory=list)
    firings: list[Any] = field(default_factory=list)
    prompts: list[Any] = field(default_factory=list)


class Runner:
    """Plays ``scenario`` into ``store`` on ``clock`` (a SimulatedClock). The TUI calls :meth:`step`
    on its timer; the headless run jumps the clock from one instant to the next and calls it there."""

    def __init__(self, store: Store, scenario: dx.Scenario, clock: SimulatedClock, *, schedule=None,
                 rulesets=None, auto_contingency: bool = False, real_now=None) -> None:
        self.store = store
        self.scenario = scenario
        self.clock = clock
        self.schedule = schedule
        self.rulesets = rulesets
        self.auto_contingency = auto_contingency
        self.real_now = real_now  # a callable returning real time (for the shared clock state)
        self.done: dict[str, tuple[datetime, str]] = self._read_done()
        self.ended = meta(store).get(META_STATE) in ("endex", "stopped")

    # -- state

    def _read_done(self) -> dict[str, tuple[datetime, str]]:
        out: dict[str, tuple[datetime, str]] = {}
        with self.store.read() as s:
            rows = s.exec(select(LogEntry).where(LogEntry.author == dx.CONTROL).order_by(LogEntry.seq)).all()
        for e in rows:
            m = INJECT_RE.match(e.text)
            if m:
                out[m.group(1)] = (e.event_at, "skipped" if m.group(3) else "released")
        return out

    def pending(self) -> list[dx.Inject]:
        """Timeline injects not yet released or skipped, in order."""
        return [i for i in self.scenario.scheduled() if i.id not in self.done]

    def next_inject(self) -> dx.Inject | None:
        p = self.pending()
        return p[0] if p else None

    def contingencies(self) -> list[dx.Inject]:
        return [i for i in self.scenario.injects if i.contingency and i.id not in self.done]

    # -- acts

    def release(self, inject: dx.Inject, *, at: datetime | None = None, why: str = "") -> None:
        """Put one inject in now (simulated): its rows authored by EXERCISE CONTROL, and a log entry."""
        from scc_tui.store import log as store_log
        from scc_tui.store.assessments import record_assessment, record_declaration

        if inject.id in self.done:
            return
        at = at or self.clock.now()
        if inject.kind == "declare":
            record_declaration(self.store, inject.area, inject.level, at, dx.CONTROL,
                               reason=inject.reason or f"exercise inject {inject.id}", source="exercise", log=False)
        elif inject.kind == "assess":
            record_assessment(self.store, inject.area, dict(inject.values), at, dx.CONTROL, source="exercise")
        text = f"EXERCISE inject {inject.id} ({inject.when}): {inject.summary()}"
        if inject.to:
            text += f" [to: {', '.join(inject.to)}]"
        if why:
            text += f" ({why})"
        store_log.append_entry(self.store, kind="note", text=text, author=dx.CONTROL, role=dx.CONTROL,
                               areas=[inject.area] if inject.area else [], event_at=at, source="exercise",
                               _lookup_role=False)
        self.done[inject.id] = (at, "released")

    def skip(self, inject: dx.Inject) -> None:
        from scc_tui.store import log as store_log

        if inject.id in self.done:
            return
        at = self.clock.now()
        store_log.append_entry(self.store, kind="note", text=f"EXERCISE inject {inject.id} ({inject.when}) skipped "
                               f"by the controller: {inject.summary()}", author=dx.CONTROL, role=dx.CONTROL,
                               event_at=at, source="exercise", _lookup_role=False)
        self.done[inject.id] = (at, "skipped")

    def step(self, at: datetime | None = None) -> Step:
        """Everything due at the simulated instant ``at`` (default: the clock): timeline injects,
        contingencies whose expected response was missed (``auto_contingency``), escalation firings
        and schedule prompts (recorded once, as in a live session)."""
        at = at or self.clock.now()
        out = Step(at)
        if self.ended:
            return out
        for i in self.pending():
            if i.at <= at:
                self.release(i, at=i.at)
                out.released.append((i, "timeline"))
        if self.auto_contingency:
            for i in self.contingencies():
                e = next((x for x in self.scenario.expected if x.id == i.release_if_missed), None)
                if e is None:
                    continue
                state, deadline = self._expected_state(e, at)
                if state == "missed" and deadline is not None and deadline <= at:
                    self.release(i, at=at, why=f"expected response {e.id} missed by {_hm(deadline)}")
                    out.released.append((i, f"{e.id} missed"))
        out.firings = self._firings()
        out.prompts = self._prompts(at)
        return out

    def _expected_state(self, e: dx.Expected, at: datetime):
        released = self.done.get(e.after)[0] if e.after and e.after in self.done else None
        state, _rec, deadline = dx.match_expected(e, released, responses(self.store))
        return state, deadline

    def _firings(self) -> list[Any]:
        from scc_tui.store import escalations

        return escalations.active(self.store, rulesets=self.rulesets)

    def _prompts(self, at: datetime) -> list[Any]:
        if self.schedule is None:
            return []
        from scc_tui.domain.prompts import due_prompts
        from scc_tui.domain.schedule import ScheduleScopeError, check_scope, occurrences
        from scc_tui.store.prompts import mark_prompt_shown, records_between
        from scc_tui.store.queries import area_statuses

        d = london_date(at)
        start = datetime(d.year, d.month, d.day, tzinfo=LONDON).astimezone(UTC)
        nd = d + timedelta(days=1)
        end = datetime(nd.year, nd.month, nd.day, tzinfo=LONDON).astimezone(UTC)
        occs = occurrences(self.schedule, start, end)
        with self.store.read() as s:
            statuses = list(area_statuses(s, at))
        try:
            check_scope(getattr(self.schedule, "serves", None), statuses, self.schedule.id)
        except ScheduleScopeError:
            statuses = None
        view = due_prompts(occs, records_between(self.store, start, end), at, self.scenario.start, statuses=statuses)
        for p in view.to_mark:
            mark_prompt_shown(self.store, p)
        return list(view.to_mark)

    # -- the shared clock and the end

    def save_clock(self, state: str = "running") -> None:
        """Publish the controller's clock for joiners (``scc exercise join``)."""
        real = (self.real_now or (lambda: SystemClock().now()))()
        paused = bool(getattr(self.clock, "_paused", False))
        _set_meta(self.store, **{
            META_CLOCK: json.dumps({"base": self.clock.now().isoformat(), "real": real.isoformat(),
                                    "speed": self.clock.speed, "paused": paused}),
            META_STATE: "paused" if paused and state == "running" else state,
        })

    def endex(self, *, stopped_by: str | None = None, reason: str = "") -> dict[str, Any]:
        """ENDEX (or a real-world emergency stop, ``stopped_by``): logged; the plan-test history gets
        an entry with the lessons identified. Returns the debrief."""
        from scc_tui.store import log as store_log
        from scc_tui.store.plan_tests import add_plan_test

        if self.ended:
            return debrief(self.store, self.scenario)
        at = self.clock.now()
        if stopped_by:
            store_log.append_entry(self.store, kind="note", author=stopped_by, event_at=at,
                                   text=f"EXERCISE STOPPED: REAL-WORLD EMERGENCY{(' – ' + reason) if reason else ''}. "
                                        "Play stopped at once; respond to the real event on the live system.",
                                   source="exercise")
        else:
            store_log.append_entry(self.store, kind="note", text=f"EXERCISE ENDEX: {self.scenario.title}",
                                   author=dx.CONTROL, role=dx.CONTROL, event_at=at, source="exercise",
                                   _lookup_role=False)
        self.ended = True
        self.save_clock("stopped" if stopped_by else "endex")
        d = debrief(self.store, self.scenario)
        lessons = "\n".join(f"- {lx['text']} (owner: {lx['owner']}; due {lx['due']})" for lx in d["lessons"])
        minutes = int((at - self.scenario.start).total_seconds() // 60)
        add_plan_test(self.store, held_on=london_date(at), kind="exercise", author=dx.CONTROL,
                      title=f"EXERCISE {self.scenario.name}: {self.scenario.title}"[:500],
                      what_happened=("Stopped for a real-world emergency. " if stopped_by else "")
                      + f"{len(d['injects'])} injects, {len(d['firings'])} escalation firings, "
                      f"{sum(1 for e in d['expected'] if e['state'] == 'met')} of {len(d['expected'])} expected "
                      "responses met.", duration_minutes=max(0, minutes), lessons=lessons or None, source="exercise")
        return debrief(self.store, self.scenario)


def _hm(at: datetime) -> str:
    return f"{at.astimezone(LONDON):%a %H:%M}"


# ------------------------------------------------------------------------------------------------
# The debrief


def responses(store) -> list[dx.ResponseRecord]:
    """What participants did: log entries, declarations, acknowledged firings and prompts."""
    out: list[dx.ResponseRecord] = []
    with store.read() as s:
        for e in s.exec(select(LogEntry).order_by(LogEntry.seq)).all():
            out.append(dx.ResponseRecord("log", e.event_at, e.author, e.text, areas=tuple(json.loads(e.areas_json or "[]"))))
        from scc_tui.store.models import Area

        names = {a.id: a.name for a in s.exec(select(Area)).all()}
        for d in s.exec(select(Declaration)).all():
            out.append(dx.ResponseRecord("declaration", d.declared_at, d.author, area=names.get(d.area_id), level=d.level))
        for f in s.exec(select(EscalationFiring).where(EscalationFiring.acknowledged_at.is_not(None))).all():
            out.append(dx.ResponseRecord("escalation-ack", f.acknowledged_at, f.acknowledged_by or "", area=f.area,
                                         rule=f.rule_key))
        for p in s.exec(select(PromptRecord).where(PromptRecord.acknowledged_at.is_not(None))).all():
            out.append(dx.ResponseRecord("prompt-ack", p.acknowledged_at, p.acknowledged_by or "", item=p.item_key))
    return out


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at is not None else None


def _minutes(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return round((b - a).total_seconds() / 60, 1)


def debrief(store, scenario: dx.Scenario) -> dict[str, Any]:
    """The debrief record (see docs/exercise.md): JSON-ready."""
    m = meta(store)
    done: dict[str, tuple[datetime, str]] = {}
    entries = []
    lessons: list[dict[str, Any]] = []
    with store.read() as s:
        log = s.exec(select(LogEntry).order_by(LogEntry.seq)).all()
        firings = s.exec(select(EscalationFiring).order_by(EscalationFiring.first_seen_at, EscalationFiring.id)).all()
        prompts = s.exec(select(PromptRecord).order_by(PromptRecord.due_at, PromptRecord.id)).all()
    for e in log:
        if e.author == dx.CONTROL:
            mt = INJECT_RE.match(e.text)
            if mt:
                done[mt.group(1)] = (e.event_at, "skipped" if mt.group(3) else "released")
        entries.append({"seq": e.seq, "at": _iso(e.event_at), "recorded_at": _iso(e.recorded_at), "author": e.author,
                        "role": e.role, "kind": e.kind, "text": e.text, "areas": json.loads(e.areas_json or "[]"),
                        "control": e.author == dx.CONTROL})
        if e.author != dx.CONTROL and e.text.removeprefix("EXERCISE: ").lower().startswith("lesson identified:") \
                and e.owner and e.review_at:
            lessons.append({"text": e.text.removeprefix("EXERCISE: ")[len("lesson identified:"):].strip(),
                            "owner": e.owner, "due": london_date(e.review_at).isoformat(), "log_seq": e.seq})
    injects = []
    for i in scenario.injects:
        at, state = done.get(i.id, (None, "contingency, not released" if i.contingency else "not released"))
        d = i.to_json()
        d.update(state=state, released_at=_iso(at))
        injects.append(d)
    injects.sort(key=lambda d: (d["released_at"] or d["at"], d["id"]))
    recs = responses(store)
    expected = []
    missed = []
    for e in scenario.expected:
        released = done[e.after][0] if e.after and e.after in done and done[e.after][1] == "released" else None
        state, rec, deadline = dx.match_expected(e, released, recs)
        start = e.at if e.at is not None else released
        d = e.to_json()
        d.update(state=state, deadline=_iso(deadline), response_at=_iso(rec.at if rec else None),
                 by=rec.author if rec else None, response_minutes=_minutes(start, rec.at if rec else None))
        expected.append(d)
        if state in ("missed", "late"):
            missed.append(e)
    endex = max([e.event_at for e in log] + [scenario.start])
    auto = [lx.to_json() for lx in dx.lessons_from_missed(scenario, missed, endex)]
    return {
        "banner": dx.BANNER,
        "scenario": scenario.name,
        "title": scenario.title,
        "exercise_db": str(sqlite_path(store.url) or store.url),
        "state": m.get(META_STATE, "ready"),
        "start": _iso(scenario.start),
        "end": _iso(scenario.end),
        "injects": injects,
        "firings": [{
            "area": f.area, "rule": f.rule_key, "day": f.day, "at": _iso(f.first_seen_at), "since": _iso(f.since),
            "level": f.level, "optional": f.optional, "needs_ack": f.needs_ack, "message": f.message, "why": f.why,
            "acknowledged_by": f.acknowledged_by, "acknowledged_at": _iso(f.acknowledged_at),
            "response_minutes": _minutes(f.first_seen_at, f.acknowledged_at),
        } for f in firings],
        "prompts": [{
            "item": p.item_key, "occurrence_at": _iso(p.occurrence_at), "stage": p.stage, "due_at": _iso(p.due_at),
            "shown_at": _iso(p.first_shown_at), "acknowledged_by": p.acknowledged_by,
            "acknowledged_at": _iso(p.acknowledged_at), "response_minutes": _minutes(p.due_at, p.acknowledged_at),
        } for p in prompts],
        "entries": entries,
        "expected": expected,
        "lessons": auto + lessons,
    }


def add_lesson(store, text: str, owner: str, due, author: str) -> LogEntry:
    """A lesson identified at the debrief, with its owner and due date: a log entry in the exercise
    database (``owner``; ``review_at`` = the due date, 09:00 London)."""
    from scc_tui.store import log as store_log

    at = datetime(due.year, due.month, due.day, 9, tzinfo=LONDON)
    return store_log.append_entry(store, kind="note", text=f"Lesson identified: {text}", author=author, owner=owner,
                                  review_at=at, source="exercise")


def exercise_name(store) -> str | None:
    """The scenario an exercise database plays (None for any other database): exports of an exercise
    database are headed "EXERCISE EXERCISE EXERCISE"."""
    with store.read() as s:
        try:
            return s.execute(sa.text("SELECT value FROM scc_meta WHERE key = :k"), {"k": META_NAME}).scalar()
        except sa.exc.DBAPIError:  # pragma: no cover - a database older than scc_meta
            return None


META_STOPPED_BY = "exercise_stopped_by"


def stop_play(store, scenario: dx.Scenario, clock, user: str, reason: str = "") -> None:
    """A real-world emergency stop, by anyone (a viewer too): logged as the user, the shared clock
    paused and the state ``stopped`` so that every session stops play at once."""
    from scc_tui.store import log as store_log

    at = clock.now()
    store_log.append_entry(store, kind="note", author=user, event_at=at, source="exercise",
                           text=f"EXERCISE STOPPED: REAL-WORLD EMERGENCY{(' – ' + reason) if reason else ''}. "
                                f"Play of {scenario.name} stopped at once by {user}; respond on the live system.")
    real = SystemClock().now()
    _set_meta(store, **{
        META_STATE: "stopped", META_STOPPED_BY: user,
        META_CLOCK: json.dumps({"base": at.isoformat(), "real": real.isoformat(), "speed": clock.speed,
                                "paused": True}),
    })


def stopped_by(store) -> str | None:
    return meta(store).get(META_STOPPED_BY)
