"""``scc risks``: the system risk register (SSOT ICB System Surge Plan 2024/25, Risk register).

    scc risks add --title T --if CAUSE --then EVENT --resulting-in EFFECT --likelihood L --consequence C
                  [--residual-likelihood L --residual-consequence C] [--target-likelihood L --target-consequence C]
                  [--target-date YYYY-MM-DD] [--area AREA]... [--log SEQ]... [--firing ID]... [--note TEXT]
    scc risks update ID [--residual-likelihood L --residual-consequence C] [--target-likelihood L
                  --target-consequence C] [--target-date D] [--status open|closed] [--note TEXT]
                  [--area AREA]... [--log SEQ]... [--firing ID]...
    scc risks list [--all] [--json]
    scc risks show ID [--json]
    scc risks export [--format csv|json] [--output FILE [--force]]
    scc risks verify

``add`` prints the new risk's id (``R5``) as its last line. Every change is a new version written by the
OS user with the time, and logged (kind ``risk``); ``scc log verify`` checks the versions against the log.
Errors: one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from scc_tui.cli.common import MAX_ID, ArgParser, add_db_arg, fail, int_in, print_json

_1_5 = int_in(1, 5)


def _parser() -> ArgParser:
    p = ArgParser(prog="scc risks", description="the system risk register: add, update, list, show, export")
    add_db_arg(p)
    sub = p.add_subparsers(dest="sub", metavar="SUBCOMMAND")
    sub.required = True

    def links(sp):
        sp.add_argument("--area", action="append", default=[], metavar="AREA", help="link an area (repeatable)")
        sp.add_argument("--log", action="append", default=[], type=int_in(1, MAX_ID), metavar="SEQ",
                        help="link a log entry, e.g. the decision that agreed a mitigation (repeatable)")
        sp.add_argument("--firing", action="append", default=[], type=int_in(1, MAX_ID), metavar="ID",
                        help="link an escalation firing (repeatable)")
        sp.add_argument("--note", help="mitigations and updates")
        sp.add_argument("--target-date", metavar="YYYY-MM-DD")
        for which in ("residual", "target"):
            sp.add_argument(f"--{which}-likelihood", type=_1_5, metavar="1-5")
            sp.add_argument(f"--{which}-consequence", type=_1_5, metavar="1-5")

    a = sub.add_parser("add", help="add a risk (prints its id last)")
    add_db_arg(a)
    a.add_argument("--title", required=True)
    a.add_argument("--if", dest="cause", required=True, metavar="CAUSE")
    a.add_argument("--then", dest="event", required=True, metavar="EVENT")
    a.add_argument("--resulting-in", dest="effect", required=True, metavar="EFFECT")
    a.add_argument("--likelihood", type=_1_5, required=True, metavar="1-5", help="inherent likelihood")
    a.add_argument("--consequence", type=_1_5, required=True, metavar="1-5", help="inherent consequence")
    links(a)

    u = sub.add_parser("update", help="record a new version of a risk")
    add_db_arg(u)
    u.add_argument("id", metavar="ID")
    u.add_argument("--status", choices=("open", "closed"))
    links(u)

    ls = sub.add_parser("list", help="open risks, highest residual score first")
    add_db_arg(ls)
    ls.add_argument("--all", action="store_true", help="closed risks too")
    ls.add_argument("--json", action="store_true")

    sh = sub.add_parser("show", help="one risk with every version, oldest first")
    add_db_arg(sh)
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--json", action="store_true")

    ex = sub.add_parser("export", help="the register as CSV (the seed's columns; opens in Excel) or JSON")
    add_db_arg(ex)
    ex.add_argument("--format", choices=("csv", "json"), default="csv")
    ex.add_argument("--output", "-o", metavar="FILE")
    ex.add_argument("--force", action="store_true", help="replace FILE if it exists")

    v = sub.add_parser("verify", help="check every risk version against its log entry (also in `scc log verify`)")
    add_db_arg(v)
    return p


def risk_id(text: str) -> int:
    t = str(text).strip()
    if t[:1] in ("R", "r", "#"):
        t = t[1:]
    if not t.isdigit() or not 1 <= int(t) <= MAX_ID:
        raise ValueError(f"risk: {text!r} is not a risk id (e.g. R3 or 3)")
    return int(t)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--target-date: {text!r} is not a date (YYYY-MM-DD)") from None


def _pair(args, which: str):
    from scc_tui.domain.risks import Score

    lik, con = getattr(args, f"{which}_likelihood"), getattr(args, f"{which}_consequence")
    if lik is None and con is None:
        return None
    if lik is None or con is None:
        raise ValueError(f"--{which}-likelihood and --{which}-consequence go together")
    return Score.of(lik, con, which)


def run(command: str, argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from scc_tui.cli.common import open_store

    if args.sub in ("update", "show"):
        rid = risk_id(args.id)
    target_date = _date(getattr(args, "target_date", None))
    store = open_store(getattr(args, "db", None))
    try:
        if args.sub == "add":
            return _add(args, store, target_date)
        if args.sub == "update":
            return _update(args, store, rid, target_date)
        if args.sub == "list":
            return _list(args, store)
        if args.sub == "show":
            return _show(args, store, rid)
        if args.sub == "export":
            return _export(args, store)
        return _verify(store)
    finally:
        store.dispose()


def _add(args, store, target_date) -> int:
    from scc_tui.domain.risks import Score
    from scc_tui.identity import os_user
    from scc_tui.store.risks import add_risk

    v = add_risk(store, title=args.title, cause=args.cause, event=args.event, effect=args.effect,
                 inherent=Score.of(args.likelihood, args.consequence, "inherent"), residual=_pair(args, "residual"),
                 target=_pair(args, "target"), target_date=target_date, note=args.note, areas=args.area,
                 log_refs=args.log, firing_refs=args.firing, author=os_user(), source="cli")
    print(f"added {v.ref} v1: {_t(v.title)}; inherent {v.inherent.text}, residual {v.residual.text}; log #{v.log_seq}",
          file=sys.stderr)
    print(v.ref)
    return 0


def _update(args, store, rid: int, target_date) -> int:
    from scc_tui.identity import os_user
    from scc_tui.store.risks import update_risk

    v = update_risk(store, rid, author=os_user(), residual=_pair(args, "residual"), target=_pair(args, "target"),
                    target_date=target_date, status=args.status, note=args.note, areas=args.area,
                    log_refs=args.log, firing_refs=args.firing, source="cli")
    print(f"{v.ref} v{v.version}: residual {v.residual.text}"
          + (f", target {v.target.text}" if v.target else "") + f" ({v.status}); log #{v.log_seq}")
    return 0


def _t(text: str) -> str:
    from scc_tui.domain.text import inert

    return inert(text)


def version_json(v, *, full: bool = True) -> dict:
    out = {
        "id": v.ref,
        "version": v.version,
        "title": v.title,
        "if": v.cause,
        "then": v.event,
        "resulting_in": v.effect,
        "inherent": v.inherent.to_json(),
        "residual": v.residual.to_json(),
        "target": v.target.to_json() if v.target else None,
        "target_date": v.target_date.isoformat() if v.target_date else None,
        "status": v.status,
        "note": v.note,
        "areas": list(v.areas),
        "log_entries": list(v.log_refs),
        "firings": list(v.firing_refs),
        "author": v.author,
        "recorded_at": v.recorded_at.isoformat() if v.recorded_at else None,
        "log_seq": v.log_seq,
    }
    return out


def _list(args, store) -> int:
    from scc_tui.domain.clock import LONDON
    from scc_tui.domain.risks import due_for_review, ranked
    from scc_tui.store.risks import latest

    rows = ranked(latest(store), include_closed=args.all)
    due = {v.risk_id for v in due_for_review(rows, store.clock.now())}
    if args.json:
        print_json([dict(version_json(v), review_due=v.risk_id in due) for v in rows])
        return 0
    if not rows:
        print("no risks recorded (scc risks add ...)")
        return 0
    print(f"{'id':<5} {'residual':<10} {'inherent':<10} {'target':<10} {'updated':<12} title")
    for v in rows:
        upd = v.recorded_at.astimezone(LONDON).strftime("%d %b %H:%M") if v.recorded_at else ""
        flag = " (review due)" if v.risk_id in due else ""
        closed = " [closed]" if v.status != "open" else ""
        print(f"{v.ref:<5} {v.residual.text:<10} {v.inherent.text:<10} {(v.target.text if v.target else '—'):<10} "
              f"{upd:<12} {_t(v.title)}{closed}{flag}")
    return 0


def _show(args, store, rid: int) -> int:
    from scc_tui.domain.clock import LONDON
    from scc_tui.domain.risks import FIELD_LABELS, changes
    from scc_tui.store.risks import history

    hist = history(store, rid)
    if not hist:
        return fail(f"there is no risk R{rid}")
    v = hist[-1]
    if args.json:
        out = version_json(v)
        out["versions"] = [version_json(h) for h in hist]
        print_json(out)
        return 0
    print(f"{v.ref} {_t(v.title)} ({v.status}; version {v.version})")
    for key in ("cause", "event", "effect"):
        print(f"  {FIELD_LABELS[key]}: {_t(getattr(v, key))}")
    print(f"  Inherent {v.inherent.text}   Residual {v.residual.text}   Target {v.target.text if v.target else '—'}"
          f"   Target date {v.target_date.strftime('%d/%m/%Y') if v.target_date else '—'}")
    if v.areas:
        print(f"  Areas: {_t(', '.join(v.areas))}")
    if v.log_refs or v.firing_refs:
        print("  Linked: " + ", ".join([f"log #{x}" for x in v.log_refs] + [f"firing #{x}" for x in v.firing_refs]))
    print("  History (oldest first):")
    prev = None
    for h in hist:
        when = h.recorded_at.astimezone(LONDON).strftime("%a %d %b %Y %H:%M") if h.recorded_at else ""
        print(f"    v{h.version} {when} {_t(h.author)} (log #{h.log_seq}): {_t('; '.join(changes(prev, h)) or 'reviewed')}")
        if h.note:
            print(f"       {_t(h.note)}")
        prev = h
    return 0


#: The seed's register columns (SSOT ICB System Surge Plan 2024/25, Risk register), after our id.
EXPORT_COLUMNS = ["ID", "Risk Title", "If (Cause)", "Then (Event)", "Resulting in (Effect)", "Date of Update",
                  "Mitigations and Updates", "Target date", "Inherent Score", "Residual Score", "Target Score",
                  "Status", "Areas", "Updated by", "Version"]


def export_rows(rows) -> list[list]:
    from scc_tui.domain.clock import london_date

    return [[v.ref, v.title, v.cause, v.event, v.effect,
             london_date(v.recorded_at).strftime("%d/%m/%Y") if v.recorded_at else "",
             v.note, v.target_date.strftime("%d/%m/%Y") if v.target_date else "", v.inherent.text, v.residual.text,
             v.target.text if v.target else "", v.status, list(v.areas), v.author, v.version] for v in rows]


def _export(args, store) -> int:
    from scc_tui.domain.risks import ranked
    from scc_tui.domain.text import inert_json
    from scc_tui.store.risks import history, latest

    rows = ranked(latest(store), include_closed=True)
    if args.format == "json":
        out = []
        for v in rows:
            d = version_json(v)
            d["versions"] = [version_json(h) for h in history(store, v.risk_id)]
            out.append(d)
        data = (inert_json(out, indent=2) + "\n").encode("utf-8")
    else:
        from scc_tui.csvout import csv_text

        data = csv_text(EXPORT_COLUMNS, export_rows(rows), lineterminator="\r\n").encode("utf-8-sig")
    if args.output:
        from scc_tui.files import write_file

        path = write_file(args.output, data, force=args.force)
        print(f"{len(rows)} risks written to {path}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _verify(store) -> int:
    from scc_tui.store.risks import verify_risks

    res = verify_risks(store)
    print(res.message() if res.ok else f"FAILED: {_t(res.message())}")
    return 0 if res.ok else 1
