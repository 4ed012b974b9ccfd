"""Demo data: Kent and Medway and Staffordshire (``data/areas/demo.toml``) with a few weeks of
plausible history ending at the clock's now, deterministic for a (seed, clock). Also a synthetic
generator (``areas=500, days=180``) for benchmarks, written with bulk inserts.

What the demo shows: an OPEL 4 run of several days (QEQM), declarations that differ from the
computed level with reasons, declare-only providers (ambulance, community, mental health, 111) and
councils, systems' own daily OPEL status (declared about 11:20; one system not yet today), and areas
with nothing yet today (stale from the time they owe: 10:00 providers, 10:30 KCC, 11:30 systems).

Its log (``store.demo_day``) is a believable SCC day: yesterday afternoon's call, decision and 18:00
handover, then today's calls with their notes, decisions with rationale, actions, a correction,
acknowledged prompts, and every declaration since yesterday morning. The setting-up entries (the
demo mark, the areas, one entry for the data files in use) come first, stamped before the day.

A demo database is marked by its first log entry (``DEMO_MARK``) and remembers the last entry the demo
wrote (``scc_meta`` ``demo_last_seq``); :func:`create_demo` refuses to replace a database that holds
anything the demo did not make (:func:`foreign_content`) unless asked (``replace``).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from scc_tui.domain.clock import LONDON, Clock, FixedClock, london_date
from scc_tui.domain.errors import SccError
from scc_tui.store.models import Area, Assessment, Declaration, LogEntry, SccMeta

__all__ = ["DEMO_MARK", "DemoError", "DemoResult", "create_demo", "default_demo_path", "foreign_content",
           "is_demo_database"]

DEMO_MARK = "DEMO DATABASE: invented data for training and trying scc-tui. Not real."
DEMO_AUTHOR = "demo"
#: scc_meta key: the seq of the last log entry the demo wrote (anything after it was added later)
LAST_SEQ_KEY = "demo_last_seq"


class DemoError(SccError):
    pass


@dataclass
class DemoResult:
    url: str
    areas: int
    assessments: int
    declarations: int
    seconds: float


def default_demo_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("scc-tui", appauthor=False)) / "demo.db"


def is_demo_database(url: str) -> bool | None:
    """True: a demo; False: has data and is not a demo; None: empty (no areas, no log)."""
    from scc_tui.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as c:
            insp = sa.inspect(c)
            if not insp.has_table("area"):
                return None if not insp.get_table_names() else False
            first = c.execute(sa.select(LogEntry.text).order_by(LogEntry.seq).limit(1)).scalar()
            if first is not None:
                return first == DEMO_MARK
            n = c.execute(sa.select(sa.func.count()).select_from(Area)).scalar()
            return None if n == 0 else False
    finally:
        engine.dispose()


def foreign_content(url: str) -> dict[str, int]:
    """What a database holds that a demo did not make: {what: count}, empty if nothing.

    Made by the demo: its areas, the records it generated (``source = "demo"``), the log entries it
    wrote (up to ``demo_last_seq``; an older demo: those by :data:`DEMO_AUTHOR`), and the app's own bookkeeping (prompt records, "Data file ... loaded" config
    entries). Anything else (an assessment typed in, a decision logged, a role, a plan test, a table of
    another application) counts.
    """
    from scc_tui.store.db import make_engine
    from scc_tui.store.models import PlanTest, RoleAssignment

    engine = make_engine(url)
    out: dict[str, int] = {}
    try:
        with engine.connect() as c:
            insp = sa.inspect(c)
            tables = set(insp.get_table_names())
            if not tables:
                return {}
            if "area" not in tables or "log_entry" not in tables:
                return {"tables of another application": len(tables)}
            first = c.execute(sa.select(LogEntry.text).order_by(LogEntry.seq).limit(1)).scalar()
            if first != DEMO_MARK:  # not a demo: everything in it counts (an empty scc schema is nothing)
                n = c.execute(sa.select(sa.func.count()).select_from(Area)).scalar() or 0
                m = c.execute(sa.select(sa.func.count()).select_from(LogEntry)).scalar() or 0
                return {k: v for k, v in {"areas": n, "log entries": m}.items() if v}
            last = None
            if "scc_meta" in tables:
                last = c.execute(sa.text("SELECT value FROM scc_meta WHERE key = :k"), {"k": LAST_SEQ_KEY}).scalar()
            bookkeeping = sa.and_(LogEntry.kind == "config", LogEntry.text.startswith("Data file ", autoescape=True))
            made = LogEntry.seq <= int(last) if last is not None else LogEntry.author == DEMO_AUTHOR
            checks = {
                "assessments": sa.select(sa.func.count()).select_from(Assessment).where(Assessment.source != "demo"),
                "declarations": sa.select(sa.func.count()).select_from(Declaration).where(Declaration.source != "demo"),
                "log entries": sa.select(sa.func.count()).select_from(LogEntry).where(
                    sa.not_(made), sa.not_(bookkeeping)),
                "roles": sa.select(sa.func.count()).select_from(RoleAssignment),
                "plan tests": sa.select(sa.func.count()).select_from(PlanTest),
            }
            for what, q in checks.items():
                n = c.execute(q).scalar() or 0
                if n:
                    out[what] = n
    finally:
        engine.dispose()
    return out


def describe_foreign(found: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in found.items())


def _prepare_target(url: str, replace: bool = False) -> None:
    """Make ``url`` ready for a fresh demo. Refuses (:class:`DemoError`) a database holding anything
    the demo did not make, unless ``replace``."""
    from sqlalchemy.engine import make_url

    from scc_tui.store.db import redact_url

    u = make_url(url)
    sqlite = u.get_backend_name() == "sqlite"
    path = Path(u.database) if sqlite else None
    exists = path.exists() if path is not None else True
    if exists:
        found = foreign_content(url)
        if found and not replace:
            where = str(path) if path is not None else redact_url(url)
            raise DemoError(f"{where} holds data the demo did not make ({describe_foreign(found)}): "
                            "refusing to replace it (choose another --db, or --replace to delete it)")
    if sqlite:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        from scc_tui.store.db import create_private_file

        create_private_file(path)  # 0600; no folder is made (the caller decides where one may be)
        return
    _drop_scc_tables(url)


def _drop_scc_tables(url: str) -> None:
    """Empty a PostgreSQL database of scc's tables (the demo's own, or with --replace) so that the
    migrations recreate them."""
    from sqlmodel import SQLModel

    from scc_tui.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as c:
            names = set(sa.inspect(c).get_table_names())
            for t in reversed(SQLModel.metadata.sorted_tables):
                if t.name in names:
                    c.exec_driver_sql(f'DROP TABLE IF EXISTS "{t.name}" CASCADE')
            c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    finally:
        engine.dispose()


# ---------------------------------------------------------------- value templates

ACUTE_KEYS = ["ambulance_handover_mins", "ed_4hr_pct", "ed_attendances_vs_expected_pct", "majors_resus_occupancy_pct",
              "time_to_treatment_mins", "over_12hr_in_ed_pct", "ga_bed_occupancy_pct", "escalation_beds_pct", "nctr_pct"]
ACUTE = {  # a value set that lands in each level (DOMAIN.md §3a), jittered within its band
    1: [10, 96, 1, 70, 50, 1, 90, 1, 8],
    2: [20, 80, 5, 90, 70, 3, 93, 3, 11],
    3: [45, 70, 15, 110, 100, 6, 96, 5, 14],
    4: [70, 55, 25, 125, 130, 11, 99, 7, 16],
}
KCC = {
    "stp_staffing_pct": {1: 80, 2: 60, 3: 40, 4: 25},
    "health_caseload": {1: 30, 2: 45, 3: 55, 4: 75},
    "social_caseload": {1: 30, 2: 50, 3: 80, 4: 150},
    "referrals": {1: 5, 2: 12, 3: 17, 4: 25},
    "keah_capacity": {1: 6, 2: 4, 3: 2, 4: 0},
    "d2a_p1_availability": {1: 38, 2: 20, 3: 10, 4: 3},
}


_POOL = 6  # value variants per level: plausible variety, and few distinct sets to score (bulk speed)


def _acute_pool(seed: int) -> dict[int, list[dict[str, float]]]:
    rng = random.Random(seed * 7919 + 1)
    return {lv: [{k: round(max(0.0, v * (1 + rng.uniform(-0.03, 0.03))), 1) for k, v in zip(ACUTE_KEYS, ACUTE[lv])}
                 for _ in range(_POOL)] for lv in ACUTE}


def _values(method: str, plan_area: str | None, level: int, rng: random.Random, params: list[str],
            pool: dict[int, list[dict[str, float]]]) -> dict[str, float]:
    if method.startswith("acute"):
        return dict(rng.choice(pool[level]))
    return {k: float(KCC[k][level]) for k in params if k in KCC}


class _Scorer:
    """Scores value sets, caching by (method, plan area, date's plan, values) for the bulk generator."""

    def __init__(self) -> None:
        self.cache: dict = {}
        self.params: dict = {}
        self.plans: dict = {}

    def applicable(self, method: str, plan_area: str | None, at: datetime) -> list[str]:
        from scc_tui.datafiles.methods import default_registry
        from scc_tui.domain.scoring import method_params

        key = (method, plan_area)
        if key not in self.params:
            self.params[key] = [p.key for p in method_params(method, area=plan_area, at=at, registry=default_registry()) if p.applicable and p.scorable]
        return self.params[key]

    def score(self, method: str, plan_area: str | None, values: dict, at: datetime):
        from scc_tui.datafiles.methods import default_registry
        from scc_tui.domain.scoring import resolve, score

        registry = default_registry()
        day = (method, london_date(at))
        if day not in self.plans:
            self.plans[day] = resolve(method, at=at, registry=registry).id
        key = (method, plan_area, self.plans[day], tuple(sorted(values.items())))
        if key not in self.cache:
            self.cache[key] = score(method, values, area=plan_area, at=at, registry=registry)
        return self.cache[key]


#: Who declares a declare-only organisation's daily level, by kind (the demo's usernames are
#: ``<short name>.oncall``; an acute provider's assessments are by ``<short name>.flow``, its patient
#: flow manager; a KCC area's by ``<short name>.stp``, its short-term pathway team manager).
ONCALL_ROLE = {"provider": "Tactical On-call Manager", "council": "Adult Social Care Duty Manager"}


def _slug(row) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "", (getattr(row, "short_name", None) or row.name).lower()) or "area"


def _walk(rng: random.Random, level: int) -> int:
    r = rng.random()
    if r < 0.15 and level < 4:
        return level + 1
    if r < 0.35 and level > 1:
        return level - 1
    return level


# ---------------------------------------------------------------- build


def create_demo(url: str, clock: Clock, *, areas: int | None = None, days: int = 21, seed: int = 1,
                author: str = DEMO_AUTHOR, replace: bool = False) -> DemoResult:
    """Create a fresh demo database at ``url`` (SQLite files are recreated; see module doc)."""
    import time as _time

    from scc_tui.datafiles.areas import AreaSpec, load_areas, packaged_areas_file
    from scc_tui.store.areas import import_area_specs
    from scc_tui.store.db import Store
    from scc_tui.store.log import append_entry

    t0 = _time.perf_counter()
    if days < 1:
        raise DemoError("--days must be at least 1")
    _prepare_target(url, replace)
    now = clock.now()
    today = london_date(now)
    # The log is written on a stepped clock: the setting-up entries before the day, then the day's
    # entries each at its own time (a demo database may be stamped so: mark_database).
    setup_at = min(now, datetime.combine(today - timedelta(days=1), time(7, 0), tzinfo=LONDON))
    stepper = FixedClock(setup_at)
    store = Store(url, stepper)
    try:
        from scc_tui.store.config_audit import default_data_files, record_data_files
        from scc_tui.store.log import head, mark_database

        mark_database(store, "demo")  # its log may be stamped by SCC_NOW's fixed clock
        append_entry(store, kind="config", text=DEMO_MARK, author=author, source="cli")
        if areas is None:
            specs = load_areas(packaged_areas_file("demo"))
        else:
            specs = _synthetic_specs(areas)
        import_area_specs(store, specs, author=author, log=True, source_name="demo areas")
        record_data_files(store, default_data_files(), author=author, source="cli",
                          summary="Data files in use when the demo was made")
        n_a, n_d = _history(store, clock, days=days, seed=seed, curated=areas is None)
        if areas is None:
            from scc_tui.store.demo_day import seed_day

            seed_day(store, stepper, now, today=today, since=setup_at)
        from scc_tui.store.risks import seed_demo_risks  # the SSOT ICB register's example rows (issue 15)

        seed_demo_risks(store, author=author)
        last = head(store)
        with store.write() as s:
            s.add(SccMeta(key=LAST_SEQ_KEY, value=str(last[0] if last else 0)))
    finally:
        store.dispose()
    return DemoResult(url, len(specs), n_a, n_d, _time.perf_counter() - t0)


def _synthetic_specs(n: int):
    from scc_tui.datafiles.areas import AreaSpec

    if n < 1:
        raise DemoError("--areas must be at least 1")
    specs = [AreaSpec("Region", "region", None, None, None, None, 0)]
    ics = system = None
    for i in range(n - 1):
        if i % 100 == 0:
            ics = f"ICS {i // 100 + 1}"
            specs.append(AreaSpec(ics, "ics", "Region", None, None, None, len(specs)))
            continue
        if i % 10 == 1:
            system = f"System {i // 10 + 1}"
            specs.append(AreaSpec(system, "system", ics, None, None, None, len(specs)))
            continue
        specs.append(AreaSpec(f"Provider {i + 1}", "provider", system, None, "acute", None, len(specs)))
    return specs[:n]


CURATED = {
    # area: (starting level, forced levels for the last days: {days ago: level})
    "QEQM Hospital": (3, {4: 4, 3: 4, 2: 4, 1: 4, 0: 4}),  # an OPEL 4 run of 5 days
    "William Harvey Hospital": (2, {1: 2, 0: 3}),
    "Kent & Canterbury Hospital": (1, {}),
    "Medway Maritime Hospital": (2, {2: 3, 1: 3, 0: 3}),
}
DIFFERING = [  # (area, days ago, declared level, reason): declared by the SCC manager (store.demo_day.PEOPLE)
    ("Tunbridge Wells Hospital", 0, 3, "Two wards closed (norovirus); the computed score lags"),
    ("Royal Stoke University Hospital", 2, 3, "Critical care full; mutual aid requested from UHDB"),
    ("KCC Swale", 1, 2, "Two reablement staff off sick; caseload figure is from yesterday"),
]
STALE_TODAY = {"Kent & Canterbury Hospital", "Queen's Hospital Burton", "KCC West Kent", "NSCHT"}
SYSTEM_STALE_TODAY = {"Medway & Swale"}  # no 11:30 SHREWD update yet today: STALE after 11:30


def _system_declarations(area_rows, a_rows, d_rows, today, now, days: int, seed: int) -> list[dict]:
    """Each system's own daily OPEL status, declared at about 11:20 after the morning escalation call
    (K&M STP Winter Approach grid: 11:30 "Systems update SHREWD with system OPEL status"): the worst
    level its providers recorded that morning. A separate random stream keeps the rest of the demo as
    it was."""
    rng = random.Random(seed * 104729 + 11)
    parent = {r.id: r for r in area_rows}
    morning: dict[tuple[int, object], int] = {}
    for row in (*a_rows, *d_rows):
        at = row.get("assessed_at") or row.get("declared_at")
        area = parent.get(row["area_id"])
        if area is None or area.kind != "provider" or row["level"] is None or at.astimezone(LONDON).hour >= 11:
            continue
        system = parent.get(area.parent_id) if area.parent_id is not None else None
        if system is None or system.kind != "system":
            continue
        key = (system.id, london_date(at))
        morning[key] = max(morning.get(key, 0), row["level"])
    out = []
    for r in area_rows:
        if r.kind != "system":
            continue
        for back in range(days - 1, -1, -1):
            d = today - timedelta(days=back)
            level = morning.get((r.id, d))
            at = datetime.combine(d, time(11, rng.randint(10, 28)), tzinfo=LONDON)
            if level is None or at > now or (back == 0 and r.name in SYSTEM_STALE_TODAY):
                continue
            out.append(dict(area_id=r.id, declared_at=at, recorded_at=at + timedelta(minutes=rng.randint(1, 5)),
                            level=level, computed_level=None, assessment_id=None, reason=None,
                            author=f"{_slug(r)}.lead", role="System Director on call", source="demo", dedupe_key=None))
    return out


def _history(store, clock: Clock, *, days: int, seed: int, curated: bool) -> tuple[int, int]:
    rng = random.Random(seed)
    now = clock.now()
    today = london_date(now)
    scorer = _Scorer()
    pool = _acute_pool(seed)
    with store.read() as s:
        area_rows = s.execute(sa.select(Area.id, Area.name, Area.kind, Area.parent_id, Area.method, Area.plan_area,
                                        Area.short_name).order_by(Area.sort_order, Area.id)).all()
    a_rows: list[dict] = []
    d_rows: list[dict] = []
    latest_computed: dict[int, tuple[datetime, int | None, int | None]] = {}
    # Organisations that report a level of their own each morning (providers, councils, council areas).
    leaves = [r for r in area_rows if r.kind in ("provider", "council", "la-area")]
    for r in leaves:
        start, forced = CURATED.get(r.name, (rng.choice([1, 2, 2, 2, 3]), {})) if curated else (rng.choice([1, 2, 2, 3]), {})
        level = start
        method = r.method
        for back in range(days - 1, -1, -1):
            d = today - timedelta(days=back)
            level = forced[back] if back in forced else _walk(rng, level)
            slots = [time(8, rng.randint(15, 59))]
            if level >= 3:
                slots.append(time(14, rng.randint(0, 59)))
            for slot in slots:
                at = datetime.combine(d, slot, tzinfo=LONDON)
                if at > now:
                    continue
                if curated and back == 0 and r.name in STALE_TODAY:
                    continue
                if method:
                    params = scorer.applicable(method, r.plan_area, at)
                    values = _values(method, r.plan_area, level, rng, params, pool)
                    res = scorer.score(method, r.plan_area, values, at)
                    a_rows.append(dict(area_id=r.id, assessed_at=at, recorded_at=at + timedelta(minutes=rng.randint(1, 20)),
                                       method=method, plan_version=res.plan_version,
                                       values_json=json.dumps(values, sort_keys=True), score=res.score,
                                       max_score=res.max, normalised=res.normalised, level=res.level,
                                       author=f"{_slug(r)}.{'flow' if r.kind == 'provider' else 'stp'}", source="demo",
                                       dedupe_key=None))
                    latest_computed[r.id] = (at, res.level, None)
                else:
                    d_rows.append(dict(area_id=r.id, declared_at=at, recorded_at=at + timedelta(minutes=rng.randint(1, 20)),
                                       level=level, computed_level=None, assessment_id=None, reason=None,
                                       author=f"{_slug(r)}.oncall", role=ONCALL_ROLE.get(r.kind, "On-call Manager"),
                                       source="demo", dedupe_key=None))
    if curated:
        by_name = {r.name: r for r in area_rows}
        for name, back, level, reason in DIFFERING:
            r = by_name.get(name)
            if r is None:
                continue
            d = today - timedelta(days=back)
            at = datetime.combine(d, time(9, 50), tzinfo=LONDON)
            if at > now:
                continue
            computed = [x for x in a_rows if x["area_id"] == r.id and x["assessed_at"] <= at]
            comp = max(computed, key=lambda x: x["assessed_at"])["level"] if computed else None
            if comp == level:
                level = min(4, (comp or 1) + 1)
            d_rows.append(dict(area_id=r.id, declared_at=at, recorded_at=at + timedelta(minutes=3), level=level,
                               computed_level=comp, assessment_id=None, reason=reason, author="a.okafor",
                               role="SCC Manager", source="demo", dedupe_key=None))
        d_rows.extend(_system_declarations(area_rows, a_rows, d_rows, today, now, days, seed))
        ics = by_name.get("Kent and Medway ICS")
        at = datetime.combine(today, time(9, 55), tzinfo=LONDON)
        if ics is not None and at <= now:
            d_rows.append(dict(area_id=ics.id, declared_at=at, recorded_at=at + timedelta(minutes=2), level=3,
                               computed_level=None, assessment_id=None,
                               reason="QEQM at OPEL 4: the ICS acts at OPEL 3/4 whatever the aggregate",
                               author="a.okafor", role="SCC Manager", source="demo", dedupe_key=None))
    from scc_tui.store import feed

    with store.write() as s:
        conn = s.connection()  # Core executemany: no ORM bookkeeping for 100k rows
        for i in range(0, len(a_rows), 5000):
            conn.execute(Assessment.__table__.insert(), a_rows[i : i + 5000])
        for i in range(0, len(d_rows), 5000):
            conn.execute(Declaration.__table__.insert(), d_rows[i : i + 5000])
        feed.notify(s, "assessment")
    return len(a_rows), len(d_rows)
