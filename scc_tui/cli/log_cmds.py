"""``scc log ...`` and ``scc plan-test ...``: the decision and action log from the command line.

    scc log add --kind decision --text "..." --rationale "..." [--area A ...] [--event-at ISO --late-reason R]
    scc log list [--since ISO] [--until ISO] [--area A] [--kind K] [--author U] [--limit N] [--json]
    scc log show N
    scc log export --format csv|md|json [--from ISO] [--to ISO] [--output FILE]
    scc log verify [--anchor SEQ:HASH] [--file EXPORT.json]
    scc log anchor                      (prints the head SEQ:HASH for safekeeping)
    scc log role set USER ROLE | scc log role show [USER] [--history] [--json]
    scc plan-test add --date D --kind exercise|invocation --title T [--what W] [--duration-mins N] [--lessons L]
    scc plan-test list [--json]

The author is always the OS user of this process. There is no edit or delete: a correction is a new
entry (``--corrects N``). Exit codes: 0 ok, 1 ``verify`` found a bad entry, 2 bad input (one line).
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any

from scc_tui.cli.common import MAX_ID, ArgParser, add_db_arg, fail, int_in

_KIND_HELP = (
    "decision, action, call-note, escalation-ack, prompt-ack, handover, note, config, declaration, "
    "plan-test, correction"
)


# --------------------------------------------------------------------------------------------------
# Parsers
# --------------------------------------------------------------------------------------------------


def _db(p) -> None:
    add_db_arg(p)


def _log_parser() -> ArgParser:
    p = ArgParser(prog="scc log", description="The decision and action log: append-only, numbered, hash-chained.")
    _db(p)
    sub = p.add_subparsers(dest="sub", metavar="SUBCOMMAND", required=True)

    a = sub.add_parser("add", help="append an entry; prints its number", description=f"Kinds: {_KIND_HELP}.")
    _db(a)
    a.add_argument("--kind", required=True, help=_KIND_HELP)
    a.add_argument("--text", required=True, help="the entry ('-' reads standard input)")
    a.add_argument("--area", action="append", default=[], help="an area the entry concerns (repeatable)")
    a.add_argument("--event-at", help="when it happened: ISO, or HH:MM for today (default now; naive = Europe/London)")
    a.add_argument("--late-reason", help="required when recorded more than 15 minutes after the event")
    a.add_argument("--rationale", help="why (required for a decision)")
    a.add_argument("--risk", help="the risk being mitigated or accepted")
    a.add_argument("--risk-measure", help="how the risk was identified and measured")
    a.add_argument("--owner", help="who owns the action")
    a.add_argument("--review-at", help="when to review (ISO)")
    a.add_argument("--corrects", type=int_in(1, MAX_ID), metavar="N", help="this entry corrects entry N")

    ls = sub.add_parser("list", help="list entries")
    _db(ls)
    ls.add_argument("--since", help="recorded at or after (ISO)")
    ls.add_argument("--until", help="recorded before (ISO)")
    ls.add_argument("--area", help="an area by full or short name (any case, or the start of it); "
                    "includes the areas under it")
    ls.add_argument("--kind", action="append", help="repeatable")
    ls.add_argument("--author")
    ls.add_argument("--limit", type=int_in(1, MAX_ID), help="the last N matching entries")
    ls.add_argument("--json", action="store_true")

    sh = sub.add_parser("show", help="one entry in full, with its hashes")
    _db(sh)
    sh.add_argument("seq", type=int_in(1, MAX_ID))
    sh.add_argument("--json", action="store_true")

    ex = sub.add_parser("export", help="export as CSV (Excel), Markdown or JSON")
    _db(ex)
    ex.add_argument("--format", required=True, choices=["csv", "md", "json"])
    ex.add_argument("--from", dest="from_", metavar="ISO", help="recorded at or after")
    ex.add_argument("--to", metavar="ISO", help="recorded before")
    ex.add_argument("--output", "-o", metavar="FILE",
                    help="write to FILE (default standard output); never overwrites without --force, never makes a folder")
    ex.add_argument("--force", action="store_true", help="replace an existing --output file")

    v = sub.add_parser("verify", help="check the hash chain; exit 1 naming the first bad entry")
    _db(v)
    v.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                   help="an entry hash recorded elsewhere earlier (detects a truncated or rewritten log)")
    v.add_argument("--file", metavar="EXPORT.json", help="verify a JSON export instead of the database")

    an = sub.add_parser("anchor", help="print the head SEQ:HASH to keep outside the database (for verify --anchor)")
    _db(an)

    r = sub.add_parser("role", help="roles: `role set USER ROLE`, `role show [USER]`")
    _db(r)
    rsub = r.add_subparsers(dest="role_sub", metavar="ACTION", required=True)
    rs = rsub.add_parser("set", help="give USER a role (logged)")
    _db(rs)
    rs.add_argument("user")
    rs.add_argument("role")
    rw = rsub.add_parser("show", help="roles in force (or one user's history)")
    _db(rw)
    rw.add_argument("user", nargs="?")
    rw.add_argument("--history", action="store_true")
    rw.add_argument("--json", action="store_true")
    return p


def _plan_parser() -> ArgParser:
    p = ArgParser(prog="scc plan-test", description="History of plan tests (exercises and actual invocations).")
    _db(p)
    sub = p.add_subparsers(dest="sub", metavar="SUBCOMMAND", required=True)
    a = sub.add_parser("add", help="record a plan test (also logged)")
    _db(a)
    a.add_argument("--date", required=True, help="the day it was held (YYYY-MM-DD)")
    a.add_argument("--kind", required=True, choices=["exercise", "invocation"])
    a.add_argument("--title", required=True)
    a.add_argument("--what", help="what happened, how long the situation lasted")
    a.add_argument("--duration-mins", type=int_in(0, 525_600), help="up to a year (525600)")
    a.add_argument("--lessons", help="lessons identified")
    ls = sub.add_parser("list", help="list plan tests, oldest first")
    _db(ls)
    ls.add_argument("--json", action="store_true")
    return p


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def run(command: str, argv: list[str]) -> int:
    parser = _plan_parser() if command == "plan-test" else _log_parser()
    args = parser.parse_args(argv)
    db = getattr(args, "db", None)
    # Failures go to the one error path in scc_tui.cli (one line, exit 2).
    if command == "plan-test":
        return _plan(args, db)
    if args.sub == "verify" and args.file:
        return _verify_file(args)
    from scc_tui.cli.common import open_store

    store = open_store(db)
    try:
        return _HANDLERS[args.sub](args, store)
    finally:
        store.dispose()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _instant(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    import re

    from scc_tui.domain.clock import london_date, parse_instant
    from scc_tui.settings import current

    try:
        if re.fullmatch(r"\d{1,2}:\d{2}", text.strip()):  # a time alone: today, Europe/London
            h, m = text.strip().split(":")
            text = f"{london_date(current().clock().now()).isoformat()}T{int(h):02d}:{m}"
        return parse_instant(text)
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


# --------------------------------------------------------------------------------------------------
# log subcommands
# --------------------------------------------------------------------------------------------------


def _add(args, store) -> int:
    from scc_tui.identity import os_user
    from scc_tui.store.log import append_entry

    if args.kind == "risk":  # written with its register version, in one transaction
        return fail("--kind risk: risk register entries are written by `scc risks add|update`")
    text = sys.stdin.read() if args.text == "-" else args.text
    entry = append_entry(
        store,
        kind=args.kind,
        text=text,
        author=os_user(),
        areas=args.area,
        event_at=_instant(args.event_at, "--event-at"),
        late_reason=args.late_reason,
        rationale=args.rationale,
        risk=args.risk,
        risk_measure=args.risk_measure,
        owner=args.owner,
        review_at=_instant(args.review_at, "--review-at"),
        corrects_seq=args.corrects,
        source="cli",
    )
    print(entry.seq)
    return 0


def _records(store, entries) -> list[dict[str, Any]]:
    from scc_tui.store.log import corrections_index, entry_record

    fixes = corrections_index(store, [e.seq for e in entries]) if entries else {}
    out = []
    for e in entries:
        rec = entry_record(e)
        rec["corrected_by"] = fixes.get(e.seq, [])
        out.append(rec)
    return out


def _json_ready(rec: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in rec.items():
        out[k] = v.isoformat() if isinstance(v, datetime) else v
    return out


def _list(args, store) -> int:
    from scc_tui.domain.log import inert_json
    from scc_tui.store.log import list_entries

    areas = None
    if args.area is not None:
        from scc_tui.domain.area_match import AreaMatchError, filter_names
        from scc_tui.store.areas import load_area_refs

        try:  # the area and every area under it (East Kent -> QEQM Hospital), as the TUI's area: filter
            areas = filter_names([args.area], load_area_refs(store))
        except AreaMatchError as exc:
            return fail(f"--area: {exc}")
    entries = list_entries(
        store, since=_instant(args.since, "--since"), until=_instant(args.until, "--until"), kinds=args.kind,
        author=args.author, areas=areas, limit=args.limit, newest_first=args.limit is not None,
    )
    entries.sort(key=lambda e: e.seq)
    recs = _records(store, entries)
    if args.json:
        print(inert_json([_json_ready(r) for r in recs], indent=2))
        return 0
    if not recs:
        print("no entries")
        return 0
    for r in recs:
        print(_format_entry(r))
    return 0


def _show(args, store) -> int:
    from scc_tui.domain.log import inert_json
    from scc_tui.store.log import get_entry

    e = get_entry(store, args.seq)
    if e is None:
        return fail(f"there is no entry #{args.seq}")
    rec = _records(store, [e])[0]
    if args.json:
        print(inert_json(_json_ready(rec), indent=2))
    else:
        print(_format_entry(rec))
        print(f"    prev hash: {rec['prev_hash']}\n    hash:      {rec['hash']}")
    return 0


def _local(dt: datetime | None) -> str:
    if dt is None:
        return ""
    from scc_tui.domain.clock import LONDON

    return dt.astimezone(LONDON).isoformat(timespec="seconds")


def _opel_text(rec: dict[str, Any]) -> str:
    opel = rec["opel"] if isinstance(rec["opel"], dict) else {}
    names = rec["areas"] if isinstance(rec["areas"], list) else []
    parts = []
    for n in names:
        lvl = opel.get(n)
        parts.append(f"{n} (OPEL {lvl})" if lvl is not None else f"{n} (OPEL -)")
    return ", ".join(parts)


def _format_entry(r: dict[str, Any]) -> str:
    """Human listing. Every stored string goes through ``inert`` (no terminal injection)."""
    from scc_tui.domain.log import KINDS, inert, is_late

    def i(x: Any) -> str:
        return inert(str(x)) if x is not None else ""

    who = i(r["author"]) + (f" ({i(r['role'])})" if r["role"] else "")
    head = f"#{r['seq']}  {_local(r['recorded_at'])}  {KINDS.get(r['kind'], i(r['kind']))}  {who}"
    lines = [head]
    if r["event_at"] and r["recorded_at"] and r["event_at"] != r["recorded_at"]:
        late = is_late(r["event_at"], r["recorded_at"])
        lines.append(f"    event at {_local(r['event_at'])}" + (f" - LATE: {i(r['late_reason'])}" if late else ""))
    if r["areas"]:
        lines.append(f"    areas: {i(_opel_text(r))}")
    if r["corrects_seq"]:
        lines.append(f"    corrects #{r['corrects_seq']}")

    def block(label: str, value: Any) -> None:
        if value:
            text = i(value).replace("\n", "\n        ")
            lines.append(f"    {label}{text}")

    block("", r["text"])
    block("rationale: ", r["rationale"])
    block("risk: ", r["risk"])
    block("risk measure: ", r["risk_measure"])
    block("owner: ", r["owner"])
    if r["review_at"]:
        lines.append(f"    review at {_local(r['review_at'])}")
    if r.get("corrected_by"):
        lines.append("    corrected by " + ", ".join(f"#{n}" for n in r["corrected_by"]))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "seq", "recorded_at", "event_at", "late_reason", "author", "role", "kind", "areas", "opel", "text",
    "rationale", "risk", "risk_measure", "owner", "review_at", "corrects_seq", "corrected_by", "source",
    "prev_hash", "hash",
]


def _csv_cell(value: Any) -> Any:
    """Times in London; the one CSV writer (``scc_tui.csvout``) makes text inert and guards formulas."""
    if isinstance(value, datetime):
        return _local(value)
    return value


def head_row(log_head: tuple[int, str] | None) -> list[str]:
    """The last row of every CSV export: the log's head when it was made, to keep for
    ``scc log verify --anchor`` (the first cell is not a number, so no importer takes it for data)."""
    if log_head is None:
        return ["log head", "(the log is empty)"]
    return ["log head", f"{log_head[0]}:{log_head[1]}", f"scc log verify --anchor {log_head[0]}:{log_head[1]}"]


def export_csv(recs: list[dict[str, Any]], log_head: tuple[int, str] | None = None) -> bytes:
    from scc_tui.csvout import csv_text

    rows = []
    for r in recs:
        row = dict(r)
        opel = r["opel"] if isinstance(r["opel"], dict) else {}
        row["opel"] = "; ".join(f"{k}: {'-' if v is None else v}" for k, v in opel.items())
        rows.append([_csv_cell(row.get(c)) for c in CSV_COLUMNS])
    rows.append(head_row(log_head))
    # excel dialect: CRLF rows, quoted multi-line cells; a BOM so Excel reads UTF-8
    return csv_text(CSV_COLUMNS, rows, lineterminator="\r\n").encode("utf-8-sig")


def _md_cell(value: Any) -> str:
    from scc_tui.domain.log import inert

    if value is None or value == "":
        return ""
    text = inert(str(value))
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("\t", " ").replace("\n", "<br>")
    return text


def export_md(recs: list[dict[str, Any]], *, title: str, verified: str,
              log_head: tuple[int, str] | None = None) -> bytes:
    from scc_tui.domain.log import KINDS

    anchor = (f"Log head when exported: #{log_head[0]} `{_md_cell(log_head[1])}` (keep it; "
              f"`scc log verify --anchor {log_head[0]}:{_md_cell(log_head[1])}` checks the log later)."
              if log_head else "Log head when exported: none (the log is empty).")
    out = [f"# {title}", "", verified, "", anchor, "",
           "| # | Recorded | Event | Author (role) | Kind | Areas (OPEL) | Entry | Hash |",
           "|---:|---|---|---|---|---|---|---|"]
    for r in recs:
        entry = _md_cell(r["text"])
        for label, key in (("Rationale", "rationale"), ("Risk", "risk"), ("Risk measure", "risk_measure"),
                           ("Owner", "owner"), ("Late because", "late_reason")):
            if r.get(key):
                entry += f"<br>**{label}:** {_md_cell(r[key])}"
        if r.get("review_at"):
            entry += f"<br>**Review at:** {_local(r['review_at'])}"
        if r.get("corrects_seq"):
            entry += f"<br>*Corrects #{r['corrects_seq']}*"
        if r.get("corrected_by"):
            entry += "<br>*Corrected by " + ", ".join(f"#{n}" for n in r["corrected_by"]) + "*"
        who = _md_cell(r["author"]) + (f" ({_md_cell(r['role'])})" if r["role"] else "")
        out.append(
            f"| {r['seq']} | {_local(r['recorded_at'])} | {_local(r['event_at'])} | {who} | "
            f"{_md_cell(KINDS.get(r['kind'], r['kind']))} | {_md_cell(_opel_text(r))} | {entry} | "
            f"`{_md_cell(r['hash'])[:12]}` |"
        )
    return ("\n".join(out) + "\n").encode("utf-8")


def export_json(recs: list[dict[str, Any]], log_head: tuple[int, str] | None = None) -> bytes:
    """``{"log_head": {"seq", "hash"} or null, "entries": [...]}`` (``verify --file`` also reads the
    bare list that older versions wrote)."""
    from scc_tui.domain.log import inert_json

    doc = {"log_head": {"seq": log_head[0], "hash": log_head[1]} if log_head else None,
           "entries": [_json_ready(r) for r in recs]}
    return (inert_json(doc, indent=2) + "\n").encode("utf-8")


def _export(args, store) -> int:
    from scc_tui.store.log import head, list_entries, verify_chain

    if args.output:
        from scc_tui.files import check_target

        check_target(args.output, force=args.force)  # refuse at once, before reading the log

    log_head = head(store)
    recs = _records(store, list_entries(store, since=_instant(args.from_, "--from"), until=_instant(args.to, "--to")))
    if args.format == "csv":
        data = export_csv(recs, log_head)
    elif args.format == "json":
        data = export_json(recs, log_head)
    else:
        from scc_tui.domain.log import inert

        res = verify_chain(store)
        status = (f"Chain verified: {res.checked} entries, head #{res.head_seq} `{res.head_hash}`." if res.ok
                  else f"**CHAIN VERIFICATION FAILED:** {inert(res.reason)}")
        span = ""
        if args.from_ or args.to:
            span = f" ({args.from_ or 'start'} to {args.to or 'now'})"
        data = export_md(recs, title=f"Decision and action log{_md_cell(span)}", verified=status, log_head=log_head)
    data = _exercise_heading(store, args.format, data)
    if args.output:
        from scc_tui.files import write_file

        path = write_file(args.output, data, force=args.force)
        print(f"{len(recs)} entries written to {path}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _exercise_heading(store, fmt: str, data: bytes) -> bytes:
    """An exercise database's export is headed "EXERCISE EXERCISE EXERCISE" (docs/exercise.md)."""
    from scc_tui.domain.exercise import BANNER
    from scc_tui.store.exercise import exercise_name

    if exercise_name(store) is None:
        return data
    if fmt == "json":
        from scc_tui.domain.log import inert_json

        doc = json.loads(data)
        return (inert_json({"exercise": BANNER, **doc}, indent=2) + "\n").encode("utf-8")
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    sep = b"\r\n" if fmt == "csv" else b"\n\n"
    return bom + BANNER.encode() + sep + data[len(bom):]


# --------------------------------------------------------------------------------------------------
# verify
# --------------------------------------------------------------------------------------------------


def _anchors(values: list[str]) -> dict[int, str]:
    out = {}
    for v in values:
        seq, _, h = v.partition(":")
        if not seq.strip().lstrip("#").isdigit() or len(h.strip()) != 64:
            raise ValueError(f"--anchor: {v!r} is not SEQ:HASH (a number and a 64-character hash)")
        out[int(seq.strip().lstrip("#"))] = h.strip().lower()
    return out


def _report(res) -> int:
    from scc_tui.domain.log import inert

    if res.ok:
        print(res.message())
        return 0
    print(f"FAILED: {inert(res.reason)}")
    if res.checked:
        print(f"{res.checked} entries before it verified (up to #{res.head_seq}).")
    return 1


def _verify(args, store) -> int:
    from scc_tui.domain.log import inert
    from scc_tui.store import anchors as remembered_anchors
    from scc_tui.store.log import database_mode, guard_warnings, verify_chain

    anchors = _anchors(args.anchor)
    seen = remembered_anchors.remembered(store)
    if seen is not None:
        anchors.setdefault(seen.seq, seen.hash)
    res = verify_chain(store, anchors=anchors)
    code = _report(res)
    if res.ok:  # the risk register's versions are vouched for by their log entries
        from scc_tui.store.risks import verify_risks

        risk_res = verify_risks(store)
        if risk_res.checked or not risk_res.ok:
            print(risk_res.message() if risk_res.ok else f"FAILED: {inert(risk_res.message())}")
        code = code if risk_res.ok else 1
    if seen is not None and not res.ok and res.first_bad_seq == seen.seq:
        print(f"warning: #{seen.seq} {seen.hash} was the head when this log was last checked here "
              f"({seen.seen_at}); the log is now shorter or different", file=sys.stderr)
    if res.ok and not res.checked:
        print("warning: the log is empty", file=sys.stderr)
    with store.read() as s:
        warnings = guard_warnings(s)
        mode = database_mode(s)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if mode in ("demo", "exercise"):
        print(f"note: this is {'a demo' if mode == 'demo' else 'an exercise'} database: its entries may be stamped "
              "by a fixed or simulated clock", file=sys.stderr)
    if res.ok and res.checked:
        remembered_anchors.remember(store, res.head_seq, res.head_hash, store.clock.now())
    return code


def _anchor(args, store) -> int:
    """Print the head for safekeeping (and remember it here, as verify does)."""
    from scc_tui.store import anchors as remembered_anchors
    from scc_tui.store.log import head

    h = head(store)
    if h is None:
        return fail("the log is empty: nothing to anchor")
    remembered_anchors.remember(store, h[0], h[1], store.clock.now())
    print(f"{h[0]}:{h[1]}")
    print(f"keep this line outside the database (handover, e-mail, notebook); check later with "
          f"`scc log verify --anchor {h[0]}:{h[1]}`", file=sys.stderr)
    return 0


def _verify_file(args) -> int:
    from scc_tui.domain.log import verify_records

    with open(args.file, encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except ValueError as exc:
            raise ValueError(f"{args.file}: not a JSON export ({exc})") from None
    anchors = _anchors(args.anchor)
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        h = data.get("log_head")
        entries = data["entries"]
        # The head written into the file must be the entry of that number in it (if it holds it).
        if isinstance(h, dict) and isinstance(h.get("seq"), int) and any(
                isinstance(r, dict) and r.get("seq") == h["seq"] for r in entries):
            anchors.setdefault(h["seq"], str(h.get("hash")))
        data = entries
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError(f"{args.file}: not a JSON export (expected a list of entries)")
    partial = bool(data) and data[0].get("seq") != 1
    if partial:
        print(f"note: the export starts at #{data[0].get('seq')}; checking from there", file=sys.stderr)
    return _report(verify_records(data, anchors=anchors, partial=partial))


# --------------------------------------------------------------------------------------------------
# roles
# --------------------------------------------------------------------------------------------------


def _role(args, store) -> int:
    from scc_tui.domain.log import inert
    from scc_tui.store import roles

    if args.role_sub == "set":
        from scc_tui.identity import os_user

        _ra, seq = roles.set_role(store, args.user, args.role, set_by=os_user(), source="cli")
        print(seq)
        return 0
    rows = roles.role_history(store, args.user) if args.history else roles.current_roles(store)
    if args.user and not args.history:
        rows = [r for r in rows if r.username == args.user]
    data = [{"user": r.username, "role": r.role, "set_by": r.set_by, "set_at": r.set_at.isoformat()} for r in rows]
    if args.json:
        from scc_tui.domain.log import inert_json

        print(inert_json(data, indent=2))
        return 0
    if not data:
        print("no roles set")
    for d in data:
        print(f"{inert(d['user'])}\t{inert(d['role'])}\t(set by {inert(d['set_by'])} at {_local(datetime.fromisoformat(d['set_at']))})")
    return 0


_HANDLERS = {"add": _add, "list": _list, "show": _show, "export": _export, "verify": _verify, "anchor": _anchor,
             "role": _role}


# --------------------------------------------------------------------------------------------------
# plan-test
# --------------------------------------------------------------------------------------------------


def _plan(args, db) -> int:
    from scc_tui.cli.common import open_store
    from scc_tui.domain.log import inert, inert_json
    from scc_tui.store import plan_tests

    store = open_store(db)
    try:
        if args.sub == "add":
            from scc_tui.identity import os_user

            from scc_tui.domain.clock import check_year

            try:
                held = date.fromisoformat(args.date.strip())
            except ValueError:
                raise ValueError(f"--date: {args.date!r} is not a date (YYYY-MM-DD)") from None
            check_year(held.year, f"--date {args.date.strip()}")
            pt = plan_tests.add_plan_test(
                store, held_on=held, kind=args.kind, title=args.title, author=os_user(), what_happened=args.what,
                duration_minutes=args.duration_mins, lessons=args.lessons, source="cli",
            )
            print(f"plan test {pt.id} recorded (log entry #{pt.log_seq})")
            return 0
        rows = plan_tests.list_plan_tests(store)
        data = [
            {"id": p.id, "date": p.held_on.isoformat(), "kind": p.kind, "title": p.title,
             "what_happened": p.what_happened, "duration_minutes": p.duration_minutes, "lessons": p.lessons,
             "author": p.author, "recorded_at": p.recorded_at.isoformat(), "log_seq": p.log_seq}
            for p in rows
        ]
        if args.json:
            print(inert_json(data, indent=2))
            return 0
        if not data:
            print("no plan tests recorded")
        for d in data:
            kind = plan_tests.PLAN_TEST_KINDS[d["kind"]] if d["kind"] in plan_tests.PLAN_TEST_KINDS else d["kind"]
            dur = f" ({d['duration_minutes']} min)" if d["duration_minutes"] is not None else ""
            print(f"{d['date']}  {inert(kind)}  {inert(d['title'])}{dur}  [log #{d['log_seq']}]")
            if d["what_happened"]:
                print("    what happened: " + inert(d["what_happened"]).replace("\n", "\n    "))
            if d["lessons"]:
                print("    lessons: " + inert(d["lessons"]).replace("\n", "\n    "))
        return 0
    finally:
        store.dispose()
