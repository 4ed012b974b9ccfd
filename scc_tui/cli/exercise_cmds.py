"""``scc exercise``: tabletop exercises on a simulated clock, sealed off from live data (docs/exercise.md).

    scc exercise list [--json]
    scc exercise check SCENARIO [--db LIVE]
    scc exercise run SCENARIO [--db LIVE] [--speed N] [--headless [--json]]
    scc exercise join NAME [--db LIVE]
    scc exercise debrief NAME [--db LIVE] [--format md|csv|json] [--output FILE [--force]]
    scc exercise lesson NAME --text T --owner WHO --due DATE [--db LIVE]

``--db`` names the **live** database: its areas are read (read-only) and nothing is ever written to it.
The exercise database lives beside it (``LIVE.exercise-NAME.db``) and is named in the output.
"""

from __future__ import annotations

import argparse
import sys
import time

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail, print_json

LIVE_HELP = "the LIVE database (read only: its areas are copied; nothing is written to it)"


def _speed(text: str) -> float:
    from scc_tui.domain.exercise import MAX_SPEED, MIN_SPEED

    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not MIN_SPEED <= v <= MAX_SPEED:
        raise argparse.ArgumentTypeError(f"{text} is out of range ({MIN_SPEED:g} to {MAX_SPEED:g})")
    return v


def _parser() -> ArgParser:
    p = ArgParser(prog="scc exercise", description="Tabletop exercises on a simulated clock, in their own database.")
    add_db_arg(p, LIVE_HELP)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("list", help="shipped and local scenarios")
    a.add_argument("--json", action="store_true")
    add_db_arg(a, LIVE_HELP)
    a = sub.add_parser("check", help="validate a scenario file (with --db: its areas against the live database)")
    a.add_argument("scenario")
    add_db_arg(a, LIVE_HELP)
    a = sub.add_parser("run", help="start an exercise (a fresh exercise database) in the app, or --headless")
    a.add_argument("scenario", help="a scenario name (see `scc exercise list`) or a .toml/.csv file")
    a.add_argument("--speed", type=_speed, default=None, help="simulated seconds per real second (1-600)")
    a.add_argument("--headless", action="store_true", help="no UI: jump from event to event, print the debrief")
    a.add_argument("--json", action="store_true", help="with --headless: the debrief as JSON")
    add_db_arg(a, LIVE_HELP)
    a = sub.add_parser("join", help="join a running exercise (same simulated time)")
    a.add_argument("name")
    add_db_arg(a, LIVE_HELP)
    a = sub.add_parser("debrief", help="the debrief of an exercise")
    a.add_argument("name")
    a.add_argument("--format", choices=["md", "csv", "json"], default="md")
    a.add_argument("--output", metavar="FILE")
    a.add_argument("--force", action="store_true")
    add_db_arg(a, LIVE_HELP)
    a = sub.add_parser("lesson", help="record a lesson identified (owner and due date) in the exercise")
    a.add_argument("name")
    a.add_argument("--text", required=True)
    a.add_argument("--owner", required=True)
    a.add_argument("--due", required=True, help="YYYY-MM-DD")
    add_db_arg(a, LIVE_HELP)
    return p


def run(command: str, argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return {"list": _list, "check": _check, "run": _run, "join": _join, "debrief": _debrief,
            "lesson": _lesson}[args.cmd](args)


def _live_url(args) -> str:
    """The live database's URL: must exist (an explicit path), never created here."""
    from scc_tui.store.db import NoDatabaseError, resolve_url, sqlite_path

    url = resolve_url(db_of(args))
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise NoDatabaseError(f"no live database at {path} (--db names the live database whose areas are copied)")
    return url


def _list(args) -> int:
    from scc_tui.datafiles.scenarios import list_scenarios

    found = list_scenarios()
    if args.json:
        print_json([s.to_json() for s in found])
        return 0
    from scc_tui.domain.text import inert_line

    for s in found:
        if s.error:
            print(f"{s.name:24} ({s.origin}) NOT USABLE: {inert_line(s.error)}")
        else:
            print(f"{s.name:24} ({s.origin}) {inert_line(s.title)} · {s.injects} injects · starts {s.start}")
    return 0


def _check(args) -> int:
    from scc_tui.datafiles.scenarios import check_areas, find_scenario

    s = find_scenario(args.scenario)
    if db_of(args):
        from scc_tui.store.exercise import live_area_specs

        check_areas(s, [a.name for a in live_area_specs(_live_url(args))])
    print(f"{s.name}: {len(s.injects)} injects, {len(s.expected)} expected responses, "
          f"{s.start.isoformat()} to {s.end.isoformat()}: OK")
    return 0


def _load(name: str):
    from scc_tui.datafiles.rules import load_rulesets
    from scc_tui.datafiles.scenarios import find_scenario
    from scc_tui.datafiles.schedules import load_schedule

    return find_scenario(name), load_schedule(), load_rulesets()


def _run(args) -> int:
    from scc_tui.domain.clock import SimulatedClock
    from scc_tui.store.exercise import Runner, create_exercise_db

    if not args.headless and (refused := _no_terminal()):
        return fail(refused)
    scenario, schedule, rulesets = _load(args.scenario)
    speed = args.speed or scenario.speed
    live = _live_url(args)
    clock = SimulatedClock(scenario.start, speed)
    if args.headless:
        clock.pause()  # the headless run moves the clock itself, from event to event
    store, path = create_exercise_db(live, scenario, clock)
    if not args.headless:
        store.dispose()
        return open_exercise(path, scenario, clock, controller=True)
    t0 = time.monotonic()
    try:
        runner = Runner(store, scenario, clock, schedule=schedule, rulesets=rulesets, auto_contingency=True)
        d = headless(runner)
    finally:
        store.dispose()
    d["exercise_db"] = str(path)
    d["real_seconds"] = round(time.monotonic() - t0, 2)
    d["speed"] = speed
    if args.json:
        print_json(d)
    else:
        from scc_tui.domain.exercise import render_md

        sys.stdout.write(render_md(d))
        print(f"exercise database: {path}", file=sys.stderr)
    return 0


def _no_terminal() -> str | None:
    from scc_tui.cli import tui

    if not tui._terminal():
        return "the exercise app needs a terminal (for scripts use `scc exercise run SCENARIO --headless`)"
    return tui._unsupported()


def open_exercise(path, scenario, clock, *, controller: bool) -> int:
    """The app in exercise mode on the exercise database ``path`` (never the live one)."""
    from scc_tui import lifeline

    lifeline.install()
    from scc_tui.app.exercise import ExerciseApp
    from scc_tui.identity import os_user
    from scc_tui.store.exercise import open_exercise_db

    store = open_exercise_db(path, clock)
    app = ExerciseApp(store, clock, os_user(), scenario=scenario, controller=controller)
    try:
        app.run()
    finally:
        lifeline.detach()
        store.dispose()
    print(f"exercise database: {path}", file=sys.stderr)
    return int(app.return_code or 0)


def headless(runner) -> dict:
    """Jump from event to event (injects, prompt instants, midnights, the rules' start times), run
    everything due at each, ENDEX at the end; return the debrief."""
    from scc_tui.domain.exercise import timeline_instants
    from scc_tui.domain.prompts import prompt_stages
    from scc_tui.domain.schedule import occurrences

    sc = runner.scenario
    extra = []
    if runner.schedule is not None:
        for o in occurrences(runner.schedule, sc.start, sc.end):
            extra += [due for _stage, due in prompt_stages(o)]
    wall = {r.from_ for rs in (runner.rulesets or []) for r in rs.rules} | {
        i.from_ for rs in (runner.rulesets or []) for r in rs.rules for i in r.include}
    deadlines = [e.at + e.within for e in sc.expected if e.at is not None]
    deadlines += [i.at + e.within for e in sc.expected if e.after for i in sc.injects
                  if i.id == e.after and not i.contingency]
    for t in timeline_instants(sc, [*extra, *deadlines], sorted(wall)):
        runner.clock.jump(t)
        runner.step(t)
    return runner.endex()


def _exercise_store(args, clock=None):
    from scc_tui.store.exercise import exercise_path, open_exercise_db

    path = exercise_path(_live_url(args), args.name)
    return open_exercise_db(path, clock), path


def _scenario_of(store, name: str):
    from pathlib import Path

    from scc_tui.datafiles.scenarios import find_scenario, load_scenario
    from scc_tui.store.exercise import META_FILE, meta

    m = meta(store)
    f = m.get(META_FILE)
    if f and Path(f).is_file():
        return load_scenario(f)
    return find_scenario(name)


def _join(args) -> int:
    from scc_tui.store.exercise import clock_from_state, read_clock_state

    if refused := _no_terminal():
        return fail(refused)
    store, path = _exercise_store(args)
    try:
        scenario = _scenario_of(store, args.name)
        state = read_clock_state(store)
    finally:
        store.dispose()
    if state is None:
        return fail(f"exercise {args.name} has not started yet (the controller runs `scc exercise run`)")

    from scc_tui.domain.clock import SystemClock

    return open_exercise(path, scenario, clock_from_state(state, SystemClock().now()), controller=False)


def _debrief(args) -> int:
    from scc_tui.domain.exercise import render_csv, render_md
    from scc_tui.store.exercise import debrief

    if args.output:
        from scc_tui.files import check_target

        check_target(args.output, force=args.force)
    store, path = _exercise_store(args)
    try:
        d = debrief(store, _scenario_of(store, args.name))
    finally:
        store.dispose()
    if args.format == "json":
        from scc_tui.domain.text import inert_json

        data = (inert_json(d, indent=2) + "\n").encode("utf-8")
    elif args.format == "csv":
        data = render_csv(d).encode("utf-8-sig")
    else:
        data = render_md(d).encode("utf-8")
    if args.output:
        from scc_tui.files import write_file

        out = write_file(args.output, data, force=args.force)
        print(f"debrief of {args.name} written to {out}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _lesson(args) -> int:
    from scc_tui.domain.clock import parse_instant, london_date
    from scc_tui.identity import os_user
    from scc_tui.store.exercise import add_lesson

    due = london_date(parse_instant(args.due))
    store, _path = _exercise_store(args)
    try:
        e = add_lesson(store, args.text, args.owner, due, os_user())
    finally:
        store.dispose()
    print(f"lesson recorded in exercise {args.name} (entry #{e.seq}), owner {args.owner}, due {due.isoformat()}")
    return 0
