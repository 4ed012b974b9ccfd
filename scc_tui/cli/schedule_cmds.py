"""``scc schedule``: list call and deadline occurrences of the winter weekly schedule.

    scc schedule [--from DATE] [--to DATE] [--file PATH] [--json] [--kind call|deadline|all]
                 [--ignore-validity]

Default: seven days starting today (Europe/London; "today" from ``SCC_NOW`` or the system clock).
``--from``/``--to`` take an ISO date (a whole London day; ``--to`` is inclusive) or date-time (an
instant; ``--to`` exclusive). Times are shown in London local time; ``--json`` gives ISO instants with
their UTC offset. (``scc handover`` lives in ``scc_tui.cli.handover_cmd``.)
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta

from scc_tui.cli.common import ArgParser, fail, print_json
from scc_tui.domain.text import inert_line

__all__ = ["run"]

TITLE_WIDTH = 40  # keeps a line within 80 columns


def run(command: str, argv: list[str]) -> int:
    if command == "schedule":
        return run_schedule(argv)
    return fail(f"schedule_cmds has no command {command!r}")


# ---------------------------------------------------------------------------------------------
# scc schedule


def _parser() -> ArgParser:
    p = ArgParser(prog="scc schedule", description="List call and deadline occurrences (Europe/London).")
    p.add_argument("--from", dest="from_", metavar="DATE", help="first day or instant (default: today, London)")
    p.add_argument("--to", metavar="DATE", help="last day (inclusive) or end instant (default: 6 days after --from)")
    p.add_argument("--file", metavar="PATH", help="schedule TOML (default: $SCC_SCHEDULE or schedules/kent-medway-winter.toml)")
    p.add_argument("--json", action="store_true", help="JSON: a list of occurrences with ISO start/end (UTC offset)")
    p.add_argument("--kind", choices=("call", "deadline", "all"), default="all", help="which items (default: all)")
    p.add_argument("--ignore-validity", action="store_true",
                   help="also list dates outside the schedule's effective_from..effective_to window")
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # no database needed
    return p


def _bound(text: str, *, end: bool) -> datetime:
    """A --from/--to value as an aware UTC instant. A bare date is a whole London day."""
    from scc_tui.domain.clock import LONDON, UTC, parse_instant

    value = parse_instant(text)
    if end and len(text.strip()) == 10:
        # Inclusive last day: up to 00:00 London the next day (computed on the wall clock).
        d = value.astimezone(LONDON).date() + timedelta(days=1)
        value = parse_instant(d.isoformat())
    return value.astimezone(UTC)


def run_schedule(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from scc_tui.datafiles.schedules import load_schedule
    from scc_tui.domain.clock import LONDON, parse_instant
    from scc_tui.settings import current
    from scc_tui.domain.errors import SccError
    from scc_tui.domain.schedule import occurrences

    try:
        if args.from_:
            start = _bound(args.from_, end=False)
        else:
            today = current().clock().now().astimezone(LONDON).date()
            start = parse_instant(today.isoformat())
        if args.to:
            end = _bound(args.to, end=True)
        else:
            first = start.astimezone(LONDON).date()
            end = parse_instant((first + timedelta(days=7)).isoformat())
    except ValueError as e:
        return fail(f"scc schedule: {e}")
    if end <= start:
        return fail(f"scc schedule: --from ({args.from_}) is after --to ({args.to})")
    try:
        schedule = load_schedule(args.file)
    except SccError as e:
        return fail(str(e))
    occs = occurrences(schedule, start, end, kind=args.kind, ignore_validity=args.ignore_validity)
    if args.json:
        print_json([o.to_json() for o in occs])
        return 0
    _print_human(schedule, occs, start, end, args.ignore_validity)
    return 0


def _print_human(schedule, occs, start: datetime, end: datetime, ignore_validity: bool) -> None:
    from scc_tui.domain.clock import LONDON

    out = sys.stdout
    valid = f"{schedule.effective_from:%d %b %Y} to " + (
        f"{schedule.effective_to:%d %b %Y}" if schedule.effective_to else "(open)"
    )
    out.write(f"{inert_line(schedule.title)}\nversion {inert_line(schedule.version)}, in force {valid}; times are Europe/London\n")
    if schedule.serves:
        out.write(f"Serves {inert_line(schedule.serves)}: its deadlines chase only areas under it.\n")
    first = start.astimezone(LONDON).date()
    last = (end - timedelta(microseconds=1)).astimezone(LONDON).date()
    if not ignore_validity and (first < schedule.effective_from or (schedule.effective_to and last > schedule.effective_to)):
        out.write("Note: dates outside the schedule's validity are not listed (--ignore-validity lists them).\n")
    if not occs:
        out.write("No occurrences in that period.\n")
        return
    # In a terminal, titles are cut to keep a line within 80 columns; piped or redirected, they are
    # whole (a script or a file wants the text, not a layout).
    cut = _is_terminal(out)
    width = max(len(inert_line(o.title)) for o in occs)
    if cut:
        width = min(TITLE_WIDTH, width)
    day = None
    for o in occs:
        ls, le = o.local_start, o.local_end
        if o.local_date != day:
            day = o.local_date
            out.write(f"\n{day:%a %d %b %Y}{_zone_note(day)}{_bank_holiday_note(schedule, day)}\n")
        if o.kind == "deadline":
            when = f"by {le:%H:%M}" if o.start == o.end else f"{ls:%H:%M}-{le:%H:%M}"
            label = "due"
        else:
            when = f"{ls:%H:%M}-{le:%H:%M}"
            label = "call"
        title = inert_line(o.title)
        title = title if not cut or len(title) <= width else title[: width - 3] + "..."
        out.write(f"  {when:<11} {label:<4} {title:<{width}}  {inert_line(o.category)}\n")
        extra = []
        if o.moved_from:
            extra.append(f"moved from {o.moved_from:%a %d %b} (bank holiday)")
        if o.notes and o.fortnight_on is not None:
            extra.append(inert_line(o.notes))
        for line in extra:
            out.write(f"  {'':<11} {'':<4} {line}\n")


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _bank_holiday_note(schedule, day) -> str:
    """" - bank holiday (Christmas Day), runs as a Saturday" on an England bank holiday."""
    from scc_tui.domain.schedule import england_bank_holiday

    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

    name = england_bank_holiday(day)
    if name is None:
        return ""
    runs_as = schedule.bank_holiday_runs_as
    as_text = f", runs as a {names[runs_as]}" if runs_as is not None and runs_as != day.weekday() else ""
    return f" - bank holiday ({name}){as_text}"


def _zone_note(day) -> str:
    """" (GMT)", " (BST)", or a clock-change note for the day."""
    from scc_tui.domain.clock import LONDON

    a = datetime(day.year, day.month, day.day, 0, 0, tzinfo=LONDON)
    b = datetime(day.year, day.month, day.day, 23, 59, tzinfo=LONDON)
    za, zb = a.tzname(), b.tzname()
    if za == zb:
        return f" ({za})"
    return f" (clocks change: {za} -> {zb})"
