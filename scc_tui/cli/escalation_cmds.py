"""``scc rules``, ``scc escalations`` and ``scc actions``.

    scc rules check FILE...            validate rule files (one line per file; errors: file:line: field)
    scc rules list [--json]            the rule sets in use (packaged + $SCC_RULES_PATH)
    scc escalations [--at ISO] [--area A] [--json]
                                       firings active now (recorded once) or at an instant (read-only)
    scc escalations ack ID [--note TEXT]
                                       acknowledge a firing as the OS user (logged)
    scc actions [--area A] [--json]    action-card items due and done (see docs/escalation.md)
"""

from __future__ import annotations

import argparse

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail, fail_exc, open_store, print_json

__all__ = ["run"]


def print(*parts, **kw) -> None:  # noqa: A001 - every line this module writes is made inert
    """``print`` for stored and data-file text: control characters shown visibly, never sent
    (``scc_tui.domain.text.inert``)."""
    import builtins

    from scc_tui.domain.text import inert

    builtins.print(*(inert(p) for p in parts), **kw)


def run(command: str, argv: list[str]) -> int:
    if command == "rules":
        return run_rules(argv)
    if command == "escalations":
        return run_escalations(argv)
    if command == "actions":
        return run_actions(argv)
    return fail(f"escalation_cmds has no command {command!r}")


# ---------------------------------------------------------------------------------------------
# scc rules


def run_rules(argv: list[str]) -> int:
    p = ArgParser(prog="scc rules", description="Escalation rule files: check or list.")
    sub = p.add_subparsers(dest="sub", required=True)
    c = sub.add_parser("check", help="validate rule files")
    c.add_argument("files", nargs="+", metavar="FILE")
    lst = sub.add_parser("list", help="list the rule sets in use")
    lst.add_argument("--json", action="store_true")
    p.add_argument("--db", metavar="URL", help=argparse.SUPPRESS)
    for sp in (c, lst):
        sp.error = p.error  # type: ignore[method-assign]  # one line, exit 2
        sp.add_argument("--db", metavar="URL", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    from scc_tui.datafiles.rules import load_rule_file, load_rulesets
    from scc_tui.domain.errors import SccError

    if args.sub == "check":
        for f in args.files:
            try:
                rs = load_rule_file(f)
            except SccError as e:
                return fail_exc(e)
            print(f"{f}: ok – {rs.id} {rs.version} (from {rs.effective_from}, scope {rs.scope}): "
                  f"{len(rs.rules)} rules, hold {_hours(rs.hold)}")
        return 0
    try:
        sets = load_rulesets()
    except SccError as e:
        return fail_exc(e)
    if args.json:
        print_json([_ruleset_json(rs) for rs in sets])
        return 0
    for rs in sets:
        print(f"{rs.id} {rs.version} – {rs.title}")
        print(f"  from {rs.effective_from}{' to ' + str(rs.effective_to) if rs.effective_to else ''}; "
              f"scope {rs.scope}; de-escalation hold {_hours(rs.hold)}; {rs.source}")
        for r in rs.rules:
            print(f"  {r.id:32} {r.title}")
    return 0


def _hours(td) -> str:
    h = td.total_seconds() / 3600
    return f"{h:g} h"


def _ruleset_json(rs) -> dict:
    return {
        "id": rs.id, "version": rs.version, "title": rs.title, "effective_from": rs.effective_from.isoformat(),
        "effective_to": rs.effective_to.isoformat() if rs.effective_to else None, "scope": rs.scope,
        "hold_hours": rs.hold.total_seconds() / 3600, "source": rs.source,
        "rules": [{
            "id": r.id, "title": r.title, "seed": r.seed, "quote": r.quote, "judgement": r.judgement,
            "kinds": list(r.kinds), "level_at_least": r.level_at_least, "level_below": r.level_below,
            "day_min": r.day_min, "day_max": r.day_max, "occasion": r.occasion, "needs_ack": r.needs_ack,
            "include": [{"role": i.role, "optional": i.optional, "days": i.days, "from": i.from_.strftime("%H:%M")}
                        for i in r.include],
        } for r in rs.rules],
    }


def _on_store(args, work):
    """``(work(store), None)`` on the database ``args`` names (opened, then disposed), or ``(None, exit
    code)`` when opening it or the work fails with an SccError (one line: ``fail_exc``)."""
    from scc_tui.domain.errors import SccError

    try:
        store = open_store(db_of(args))
    except SccError as e:
        return None, fail_exc(e)
    try:
        return work(store), None
    except SccError as e:
        return None, fail_exc(e)
    finally:
        store.dispose()


def _area_names(store, text: str | None) -> frozenset[str] | None:
    """The areas ``--area`` selects, by the one rule the log filter uses (``domain.area_match``:
    full, short or plan-area name, ignoring case, by prefix; the area and every area under it).
    None when no ``--area`` was given; an unknown or ambiguous name raises (one line, exit 2)."""
    if text is None:
        return None
    from scc_tui.domain.area_match import AreaMatchError, filter_names
    from scc_tui.domain.errors import SccError
    from scc_tui.store.areas import load_area_refs

    try:
        return frozenset(filter_names([text], load_area_refs(store)))
    except AreaMatchError as e:
        raise SccError(f"--area: {e}") from None


# ---------------------------------------------------------------------------------------------
# scc escalations


def run_escalations(argv: list[str]) -> int:
    if argv and argv[0] == "ack":
        return _ack(argv[1:])
    p = ArgParser(prog="scc escalations", description="Escalation firings active now (or at --at).")
    p.add_argument("--at", metavar="ISO", help="an instant (read-only: nothing is recorded); default now")
    p.add_argument("--area", metavar="A", help="only this area and the areas under it (full or short name, any case)")
    p.add_argument("--json", action="store_true", help="JSON list: area, rule, day, message, include, optional, since, ack")
    add_db_arg(p)
    args = p.parse_args(argv)
    from scc_tui.domain.clock import LONDON, parse_instant

    at = None
    if args.at:
        try:
            at = parse_instant(args.at)
        except ValueError as e:
            return fail(f"--at: {e}")

    def work(store):
        from scc_tui.store import escalations

        names = _area_names(store, args.area)
        items = escalations.active(store, at)
        return names, items

    result, code = _on_store(args, work)
    if code is not None:
        return code
    names, items = result
    if names is not None:
        items = [i for i in items if i.firing.area in names]
    if args.json:
        print_json([i.to_json() for i in items])
        return 0
    if not items:
        print("No escalations active.")
        return 0
    for i in items:
        f = i.firing
        ack = i.ack
        state = (f"ack {ack['by']} {parse_instant(ack['at']).astimezone(LONDON):%a %H:%M}" if ack
                 else ("needs ack" if f.needs_ack else ""))
        ident = f"#{i.record.id}" if i.record is not None else "-"
        print(f"{ident:>5} {f.message}{'' if not state else '  [' + state + ']'}")
        print(f"      {f.why}; include: {', '.join(f.include) or '-'}; since {f.since.astimezone(LONDON):%a %d %b %H:%M}; "
              f"rule {f.rule_key} ({f.ruleset} {f.ruleset_version})")
    return 0


def _ack(argv: list[str]) -> int:
    p = ArgParser(prog="scc escalations ack", description="Acknowledge a firing (as the OS user; logged).")
    p.add_argument("id", type=int, help="the firing's number (from `scc escalations`)")
    p.add_argument("--note", help="what was done, e.g. 'STP invited to the 10:30 call'")
    add_db_arg(p)
    args = p.parse_args(argv)
    from scc_tui.identity import os_user

    def work(store):
        from scc_tui.store import escalations

        ok = escalations.acknowledge(store, args.id, os_user(), note=args.note)
        return ok

    result, code = _on_store(args, work)
    if code is not None:
        return code
    ok = result
    if not ok:
        return fail(f"escalation #{args.id} is already acknowledged")
    print(f"Acknowledged escalation #{args.id} (logged).")
    return 0


# ---------------------------------------------------------------------------------------------
# scc actions


def run_actions(argv: list[str]) -> int:
    if argv and argv[0] in ("done", "na"):
        return _mark(argv[0], argv[1:])
    p = ArgParser(prog="scc actions", description="Action-card items due now, and their marks.")
    p.add_argument("--area", metavar="A", help="only this area and the areas under it (full or short name, any case)")
    p.add_argument("--json", action="store_true", help="JSON list: area, card, level, item, text, since, status, by, at, reason")
    add_db_arg(p)
    args = p.parse_args(argv)
    from scc_tui.domain.clock import LONDON

    from scc_tui.store import actions

    def work(store):
        names = _area_names(store, args.area)
        items = actions.due(store)
        return names, items

    result, code = _on_store(args, work)
    if code is not None:
        return code
    names, items = result
    if names is not None:
        items = [d for d in items if d.area in names]
    if args.json:
        print_json([d.to_json() for d in items])
        return 0
    if not items:
        print("No action-card items due.")
        return 0
    progress = actions.progress_by_area(items)
    area = None
    for d in items:
        if d.area != area:
            area = d.area
            print(f"{area}: {progress[area]} ({d.card} {d.card_version})")
        state = "due" if d.mark is None else (
            f"done by {d.mark.by} {d.mark.at.astimezone(LONDON):%a %H:%M}" if d.mark.status == "done"
            else f"n/a by {d.mark.by}: {d.mark.reason}")
        print(f"  OPEL {d.level} [{state}] {d.item.id}: {d.item.text}")
    return 0


def _mark(status: str, argv: list[str]) -> int:
    p = ArgParser(prog=f"scc actions {status}", description="Mark an action-card item (as the OS user; logged).")
    p.add_argument("area")
    p.add_argument("item", help="the item id (from `scc actions`)")
    p.add_argument("--reason", help="required for na (not applicable)")
    add_db_arg(p)
    args = p.parse_args(argv)
    from scc_tui.identity import os_user

    if status == "na" and not (args.reason or "").strip():
        return fail("not applicable needs --reason")
    def work(store):
        from scc_tui.store import actions

        d = actions.mark(store, args.area, args.item, status, os_user(), reason=args.reason)
        return d

    result, code = _on_store(args, work)
    if code is not None:
        return code
    d = result
    print(f"{d.area}: {d.item.id} marked {'done' if status == 'done' else 'not applicable'} (logged).")
    return 0
