"""``scc status``, ``scc db``, ``scc areas``, ``scc import``, ``scc export``, ``scc demo``.

Errors are one line on stderr with exit code 2 (never a traceback): bad input, unknown area,
a database from a newer scc, an unreachable database.
"""

from __future__ import annotations

import sys
from datetime import datetime

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail, int_in, open_store, print_json
from scc_tui.domain.text import inert_line


def run(command: str, argv: list[str]) -> int:
    handlers = {"status": _status, "db": _db, "areas": _areas, "import": _import, "export": _export, "demo": _demo}
    handler = handlers.get(command)
    if handler is None:
        return fail(f"unknown command {command!r}")
    return handler(argv)  # failures: the one error path in scc_tui.cli (one line, exit 2)


def _safe_url(store) -> str:
    from scc_tui.store.db import redact_url

    return redact_url(store.engine.url.render_as_string(hide_password=False))


def _depths(parent_of: dict) -> dict:
    """Indentation depth per area, as the hierarchy order shows it (bounded: see domain.hierarchy)."""
    from scc_tui.domain.hierarchy import bounded_parents, depths

    return depths(bounded_parents(parent_of))


def _fmt_time(t: datetime | None) -> str:
    from scc_tui.domain.clock import LONDON

    return t.astimezone(LONDON).strftime("%a %d %b %H:%M") if t else "—"


# ---------------------------------------------------------------- status


def _status(argv: list[str]) -> int:
    p = ArgParser(prog="scc status", description="Each area's level, score, since, days at level and staleness.")
    add_db_arg(p)
    p.add_argument("--at", metavar="ISO", help="as at this time (naive = Europe/London); default now")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    a = p.parse_args(argv)
    from scc_tui.domain.clock import parse_instant
    from scc_tui.store.queries import area_statuses

    store = open_store(db_of(a))
    try:
        at = parse_instant(a.at) if a.at else store.clock.now()
        with store.read() as s:
            statuses = area_statuses(s, at)
    finally:
        store.dispose()
    from scc_tui.domain.groups import group_views

    views = group_views(statuses)  # the board's words for group rows (acts at OPEL 3/4 because …)
    if a.json:
        print_json({"at": at.isoformat(), "areas": [_status_json(x, views.get(x.area_id)) for x in statuses]})
        return 0
    depth = _depths({x.area_id: x.parent_id for x in statuses})
    print(f"As at {_fmt_time(at)} (Europe/London)")
    print(f"{'area':40} {'level':7} {'score':>9}  {'since':16} {'day':>4}  stale")
    for x in statuses:
        name = ("  " * depth[x.area_id] + inert_line(x.name))[:40]
        level = f"OPEL {x.level}" if x.level else "—"
        if x.declared_level is not None and x.computed_level not in (None, x.declared_level):
            level += "*"
        score = "" if x.score is None else (f"{x.score:g}/{x.max_score:g}" if x.max_score else f"{x.score:g}")
        day = str(x.days_at_level) if x.days_at_level else ""
        stale = "STALE" if x.stale else ""
        line = f"{name:40} {level:7} {score:>9}  {_fmt_time(x.since):16} {day:>4}  {stale:5}"
        if x.area_id in views:
            line += "  " + inert_line(views[x.area_id].text())
        print(line.rstrip())
    if any(x.declared_level is not None and x.computed_level not in (None, x.declared_level) for x in statuses):
        print("* declared level differs from the computed one")
    return 0


def _status_json(x, view=None) -> dict:
    """One area: its own level in force (``level``; a group's own declared level too) and, for a group
    row, what the areas below say (``acts_at``, ``acts_because``: the same words as the board)."""
    out = {
        "area_id": x.area_id, "name": x.name, "kind": x.kind, "parent_id": x.parent_id, "method": x.method,
        "level": x.level, "computed_level": x.computed_level, "declared_level": x.declared_level,
        "score": x.score, "max_score": x.max_score, "since": x.since.isoformat() if x.since else None,
        "days_at_level": x.days_at_level, "previous_level": x.previous_level, "trend": x.trend,
        "last_update": x.last_update.isoformat() if x.last_update else None, "stale": x.stale,
        "due_by": x.due_by.strftime("%H:%M") if x.due_by else None,
        "updated_by": x.updated_by, "group": view is not None,
    }
    if view is not None:
        out.update(view.to_json())
    return out


# ---------------------------------------------------------------- db


def _db(argv: list[str]) -> int:
    p = ArgParser(prog="scc db", description="Database maintenance.")
    sub = p.add_subparsers(dest="action", required=True, metavar="{upgrade,info,grant,mark}")
    for name, help_ in (("upgrade", "migrate the database to this version's schema"), ("info", "URL, backend, schema revision")):
        sp = sub.add_parser(name, help=help_)
        add_db_arg(sp)
        if name == "info":
            sp.add_argument("--json", action="store_true")
        else:
            sp.add_argument("--create", action="store_true",
                            help="make a new database: a SQLite file that does not exist yet, or the schema "
                                 "in an existing, empty PostgreSQL database")
    gp = sub.add_parser("grant", help="PostgreSQL: give the app's login ROLE its rights (run as the owner role)")
    gp.add_argument("role")
    add_db_arg(gp)
    mp = sub.add_parser("mark", help="mark a new database demo or exercise (its log may then follow SCC_NOW)")
    mp.add_argument("mode", choices=["exercise", "demo"])
    add_db_arg(mp)
    add_db_arg(p)
    a = p.parse_args(argv)
    from scc_tui.store.schema import ensure_schema, schema_info

    if a.action in ("grant", "mark"):
        return _db_grant_or_mark(a)
    from scc_tui.cli.common import db_target
    from scc_tui.settings import current
    from scc_tui.store.db import Store

    target = db_target(db_of(a), create=a.action == "upgrade" and a.create)
    store = Store(target.url, current().clock(), migrate=False)
    try:
        if a.action == "upgrade":
            before, after = ensure_schema(store.engine, create=target.create)
            if before == after:
                print(f"{_safe_url(store)}: schema already at {after}")
            else:
                print(f"{_safe_url(store)}: schema upgraded {before or 'empty'} -> {after}")
            return 0
        info = schema_info(store.engine)
        out = {"url": _safe_url(store), "backend": info.backend, "revision": info.revision, "head": info.head,
               "current": info.current}
        if info.current:
            from scc_tui.store.assessments import count_rows

            with store.read() as s:
                out["assessments"], out["declarations"] = count_rows(s)
    finally:
        store.dispose()
    if a.json:
        print_json(out)
    else:
        for k, v in out.items():
            print(f"{k:13} {v}")
        if not info.current:
            print("run `scc db upgrade` (any scc command does it on first use)")
    return 0


def _db_grant_or_mark(a) -> int:
    store = open_store(db_of(a))
    try:
        if a.action == "grant":
            from scc_tui.store.grants import grant_app_role

            grant_app_role(store.engine, a.role)
            print(f"{_safe_url(store)}: {a.role} may read, append to the log through scc_log_append, and keep the "
                  "other tables; it cannot alter or remove log entries")
            return 0
        from scc_tui.store.log import mark_database

        mark_database(store, a.mode)
        print(f"{_safe_url(store)}: marked {a.mode}: its log may be stamped by a fixed or simulated clock (SCC_NOW)")
        return 0
    finally:
        store.dispose()


# ---------------------------------------------------------------- areas


def _areas(argv: list[str]) -> int:
    p = ArgParser(prog="scc areas", description="Import or list areas.")
    sub = p.add_subparsers(dest="action", required=True, metavar="{import,list}")
    ip = sub.add_parser("import", help="create or update areas from a TOML file (one transaction)")
    ip.add_argument("file")
    ip.add_argument("--prune", action="store_true", help="remove areas not in the file (refused for any with history)")
    add_db_arg(ip)
    lp = sub.add_parser("list", help="areas in hierarchy order")
    lp.add_argument("--json", action="store_true")
    add_db_arg(lp)
    add_db_arg(p)
    a = p.parse_args(argv)
    store = open_store(db_of(a))
    try:
        if a.action == "import":
            from scc_tui.identity import os_user
            from scc_tui.store.areas import import_areas

            res = import_areas(store, a.file, author=os_user(), prune=a.prune)
            print(inert_line(f"{a.file}: {res.summary()}"))
            return 0
        from scc_tui.store.areas import list_areas

        with store.read() as s:
            areas = list_areas(s)
    finally:
        store.dispose()
    names = {x.id: x.name for x in areas}
    if a.json:
        print_json([{"name": x.name, "kind": x.kind, "parent": names.get(x.parent_id), "method": x.method,
                     "plan_area": x.plan_area, "short_name": x.short_name} for x in areas])
        return 0
    depth = _depths({x.id: x.parent_id for x in areas})
    for x in areas:
        extra = ", ".join(v for v in (x.method, x.plan_area and f"plan area {x.plan_area}") if v)
        print(inert_line(f"{'  ' * depth[x.id]}{x.name}  [{x.kind}]" + (f"  {extra}" if extra else "")))
    if not areas:
        print("no areas yet: `scc areas import FILE.toml` (see README)")
    return 0


# ---------------------------------------------------------------- import / export


def _import(argv: list[str]) -> int:
    p = ArgParser(prog="scc import", description="Import from CSV, all-or-nothing per file.")
    p.add_argument("what", choices=["assessments"], help="what the file holds")
    p.add_argument("file", help="CSV file (UTF-8); header area,assessed_at,method,<keys...> or area,assessed_at,level[,reason]")
    add_db_arg(p)
    a = p.parse_args(argv)
    from scc_tui.identity import os_user
    from scc_tui.store.imports import CsvImportError, import_csv

    try:
        fh = open(a.file, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        return fail(f"{a.file}: cannot read: {e.strerror or e}")
    import csv

    with fh:
        store = open_store(db_of(a))
        try:
            report = import_csv(store, fh, a.file, author=os_user())
        except csv.Error as e:  # e.g. a cell over the csv module's 131,072-character limit
            return fail(f"{a.file}: not importable CSV: {e}")
        except CsvImportError as e:
            if e.total == 1 and len(e.errors) == 1:
                return fail(f"{a.file}: {e.errors[0]}; nothing imported")
            for err in e.errors:
                print(inert_line(f"scc: error: {a.file}: {err}"), file=sys.stderr)
            more = f" (the first {len(e.errors)} shown)" if e.total > len(e.errors) else ""
            print(f"scc: error: {a.file}: {e.total} problem(s){more}; nothing imported", file=sys.stderr)
            return 2
        finally:
            store.dispose()
    for w in report.warnings:
        print(f"scc: warning: {a.file}: {' '.join(w.split())}", file=sys.stderr)
    print(f"{a.file}: {report.kind}: {report.summary()}")
    return 0


def _export(argv: list[str]) -> int:
    p = ArgParser(prog="scc export", description="Export assessments (and declarations) as CSV or JSON.")
    p.add_argument("what", choices=["assessments", "declarations"])
    p.add_argument("--from", dest="since", metavar="ISO", help="from this time (inclusive; naive = London)")
    p.add_argument("--to", dest="until", metavar="ISO", help="up to this time (exclusive)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write here instead of stdout; never overwrites without --force, never makes a folder")
    p.add_argument("--force", action="store_true", help="replace an existing --output file")
    add_db_arg(p)
    a = p.parse_args(argv)
    from scc_tui.domain.clock import parse_instant
    from scc_tui.store.imports import export_csv, export_json, export_rows

    since = parse_instant(a.since) if a.since else None
    until = parse_instant(a.until) if a.until else None
    if a.output:
        from scc_tui.files import check_target

        check_target(a.output, force=a.force)
    store = open_store(db_of(a))
    try:
        with store.read() as s:
            rows = export_rows(s, since=since, until=until)
        from scc_tui.store.exercise import exercise_name

        exercise = exercise_name(store) is not None
    finally:
        store.dispose()
    if exercise:  # never mistaken for (or re-imported as) live data, in either format
        from scc_tui.domain.exercise import BANNER
    if a.format == "json":
        text = export_json({"exercise": BANNER, **rows} if exercise else rows)
    else:
        text = export_csv(rows, a.what)
        if exercise:
            text = BANNER + "\n" + text
    if a.output:
        from scc_tui.files import write_file

        write_file(a.output, text.encode("utf-8"), force=a.force)
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------- demo


def _confirm_replace(url: str) -> bool:
    """In a terminal, ask before a demo replaces a database holding data the demo did not make. Without a
    terminal: False (``create_demo`` then refuses, naming what is there)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    from scc_tui.store.db import redact_url, sqlite_path
    from scc_tui.store.demo import describe_foreign, foreign_content

    path = sqlite_path(url)
    if path is not None and not path.exists():
        return False
    found = foreign_content(url)
    if not found:
        return False
    where = str(path) if path is not None else redact_url(url)
    sys.stderr.write(f"{where} holds data the demo did not make ({describe_foreign(found)}).\n"
                     "Delete it all and put a demo there? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def _demo(argv: list[str]) -> int:
    p = ArgParser(prog="scc demo", description="Create a fresh demo database (invented data) and open the app on it.")
    add_db_arg(p, help="where (default: $SCC_DB, else demo.db in the per-user data directory); "
                       "a database holding anything the demo did not make is never overwritten")
    p.add_argument("--no-open", action="store_true", help="create it and print how to open it")
    p.add_argument("--replace", action="store_true",
                   help="delete a database that holds data the demo did not make and put a demo there "
                        "(without it: refused, or asked when run in a terminal)")
    p.add_argument("--areas", type=int_in(1, 100_000), metavar="N",
                   help="synthetic areas instead of Kent/Staffordshire (benchmarks; up to 100000)")
    p.add_argument("--days", type=int_in(1, 3660), default=21, metavar="D", help="days of history (default 21; up to 3660)")
    p.add_argument("--seed", type=int_in(0, 2**31 - 1), default=1, metavar="S",
                   help="random seed (same seed and clock: same data)")
    a = p.parse_args(argv)
    from scc_tui.cli.common import db_target
    from scc_tui.settings import current
    from scc_tui.store.db import make_private_dir, redact_url, sqlite_path
    from scc_tui.store.demo import create_demo, default_demo_path

    if db_of(a) or current().db:
        url = db_target(db_of(a), create=True).url
    else:
        path = default_demo_path()
        make_private_dir(path.parent)
        url = f"sqlite:///{path}"
    replace = a.replace or _confirm_replace(url)
    res = create_demo(url, current().clock(), areas=a.areas, days=a.days, seed=a.seed, replace=replace)
    path = sqlite_path(url)
    target = str(path) if path is not None else redact_url(url)
    print(f"demo database: {target} ({res.areas} areas, {res.assessments} assessments, "
          f"{res.declarations} declarations, {res.seconds:.1f} s)")
    if a.no_open:
        print(f"open it with: scc --db {target}")
        return 0
    try:
        from scc_tui.cli import tui
    except ImportError:
        print(f"open it with: scc --db {target}")
        return 0
    return int(tui.open_on_terminal(url) or 0)
