"""``scc report sitrep``: the upward sitrep (K&M STP Winter Approach: "pre-emptive upwards briefing …
limiting ad-hoc requests"; KCC ASC OPEL plan v1.7 §3.1: "ICS must, in turn, submit this to NHSE regions").

    scc report sitrep [--at ISO] [--area ICS-OR-REGION] [--format md|csv|json] [--output FILE [--force]] [--no-log]

Every area in the database, or ``--area`` and every area under it: level, score, days at level, trend;
an ICS's own level and the level it acts at with the reason; open escalation firings and action-card
items; the top risks; today's decisions. Headed with the time it was cut and the OS user who cut it,
and logged (kind ``report``, with the SHA-256 of what was written) unless ``--no-log``. CSV: UTF-8 with
BOM, formula-safe (``scc_tui.csvout``). Errors: one line, exit 2.
"""

from __future__ import annotations

import sys

from scc_tui.cli.common import ArgParser, add_db_arg, print_json


def _parser() -> ArgParser:
    p = ArgParser(prog="scc report", description="reports sent upwards: `scc report sitrep`")
    add_db_arg(p)
    sub = p.add_subparsers(dest="sub", metavar="REPORT")
    sub.required = True
    s = sub.add_parser("sitrep", help="the position now, for the ICS or region (md, csv or json)")
    add_db_arg(s)
    s.add_argument("--at", metavar="ISO", help="cut as at this time (default: now)")
    s.add_argument("--area", metavar="AREA", help="an ICS or region: it and every area under it (default: every area)")
    s.add_argument("--format", choices=("md", "csv", "json"), default="md")
    s.add_argument("--output", "-o", metavar="FILE")
    s.add_argument("--force", action="store_true", help="replace FILE if it exists")
    s.add_argument("--no-log", action="store_true", help="a preview: do not record it in the log as sent")
    return p


def run(command: str, argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from scc_tui.cli.common import open_store
    from scc_tui.domain.clock import parse_instant
    from scc_tui.identity import os_user

    at = None
    if args.at:
        try:
            at = parse_instant(args.at)
        except ValueError as e:
            raise ValueError(f"--at: {e}") from None
    store = open_store(getattr(args, "db", None))
    try:
        from scc_tui.domain import sitrep as dsit
        from scc_tui.store.sitrep import gather_sitrep, log_sitrep

        rep = gather_sitrep(store, at, area=args.area, cut_by=os_user())
        if args.format == "json":
            from scc_tui.domain.text import inert_json

            data = (inert_json(rep.to_json(), indent=2) + "\n").encode("utf-8")
        elif args.format == "csv":
            from scc_tui.csvout import csv_text

            data = csv_text(dsit.CSV_HEADER, dsit.csv_rows(rep), lineterminator="\r\n").encode("utf-8-sig")
        else:
            data = dsit.render_markdown(rep).encode("utf-8")
        if args.output:
            from scc_tui.files import write_file

            path = write_file(args.output, data, force=args.force)
            print(f"sitrep written to {path}", file=sys.stderr)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        if not args.no_log:
            entry = log_sitrep(store, rep, data, args.format, author=os_user())
            print(f"logged as #{entry.seq}", file=sys.stderr)
        return 0
    finally:
        store.dispose()
