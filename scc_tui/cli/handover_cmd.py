"""``scc handover``: the 18:00 close-down and handover summary (seed 004), as Markdown, text or JSON."""

from __future__ import annotations

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail, open_store, print_json


def _parser(prog: str) -> ArgParser:
    p = ArgParser(
        prog=prog,
        description=(
            "Summarise the day for the on-call manager: areas at OPEL 3/4 and days at level, every area's "
            "change since 00:00, prompts missed or not acknowledged, decisions and actions logged today, "
            "the next day's first items (before 08:00 the night belongs to the previous day)."
        ),
    )
    p.add_argument("--at", metavar="ISO", help="as at this instant (default: now; a naive time is London time)")
    p.add_argument("--format", choices=("md", "txt", "json"), default="md", help="output format (default: md)")
    p.add_argument("--schedule", metavar="FILE", help="schedule TOML (default: $SCC_SCHEDULE or the winter schedule)")
    add_db_arg(p)
    return p


def run(command: str, argv: list[str]) -> int:
    args = _parser(f"scc {command}").parse_args(argv)
    from scc_tui.domain.clock import parse_instant
    from scc_tui.domain.errors import SccError
    from scc_tui.domain.handover import render_markdown, render_text

    at = None
    if args.at:
        try:
            at = parse_instant(args.at)
        except ValueError as e:
            return fail(f"--at: {e}")
    schedule = None
    if args.schedule:
        from scc_tui.datafiles.schedules import load_schedule

        try:
            schedule = load_schedule(args.schedule)
        except SccError as e:
            return fail(str(e))
    store = open_store(db_of(args))
    try:
        from scc_tui.store.handover import gather_handover

        h = gather_handover(store, at, schedule=schedule)
    finally:
        store.dispose()
    if args.format == "json":
        print_json(h.to_json())
    elif args.format == "txt":
        print(render_text(h), end="")
    else:
        print(render_markdown(h), end="")
    return 0
