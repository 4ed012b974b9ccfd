"""``scc beds``: the winter bed-gap model (SSOT ICB System Surge Plan 2024/25, Indicative Medical Bed Count).

    scc beds [--site S] [--json | --csv] [--file MODEL.toml|FIGURES.csv] [--what-if "SCHEME=CHANGE"]... [--assumptions]

The gap by month per site (beds short, as the plan gives it), each mitigation by month (acute beds or
acute bed equivalents), and the balance after them, with the formula. ``--what-if`` changes a scheme in
its own units (D2A beds, virtual-ward places; beds for acute schemes) in the months it is in place and
shows the balance again. No database. Errors: one line, exit 2.
"""

from __future__ import annotations

import sys

from scc_tui.cli.common import ArgParser, add_db_arg, print_json


def _parser() -> ArgParser:
    p = ArgParser(prog="scc beds", description="the winter bed-gap model: gap, mitigations and balance by month")
    p.add_argument("--site", help="one site (RSUH, County, QHB in the packaged model)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true", help="CSV (UTF-8 with BOM, for Excel)")
    p.add_argument("--file", metavar="MODEL.toml", help="a bed model: TOML, or CSV as --csv writes it (default: the packaged SSOT 2024/25 model)")
    p.add_argument("--what-if", action="append", default=[], metavar="SCHEME=CHANGE",
                   help="change a scheme in its own units, e.g. 'Virtual Ward (Sub Acute)=+30' (repeatable; needs --site)")
    p.add_argument("--assumptions", action="store_true", help="list the model's assumptions with their sources")
    add_db_arg(p, help="accepted for uniformity; the bed model needs no database")
    return p


def _what_if(text: str) -> tuple[str, float]:
    from scc_tui.domain.numtext import NumberTextError, parse_decimal

    name, sep, value = text.rpartition("=")
    if not sep or not name.strip():
        raise ValueError(f"--what-if: {text!r} is not SCHEME=CHANGE (e.g. 'Cheadle=+12')")
    try:
        change = parse_decimal(value)
    except NumberTextError as e:
        raise ValueError(f"--what-if: {e}") from None
    return name.strip(), float(change)


def run(command: str, argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from scc_tui.datafiles.beds import load_bed_model, packaged_bed_model
    from scc_tui.domain.beds import apply_what_if

    if args.file and str(args.file).lower().endswith(".csv"):
        from scc_tui.csvout import unguard
        from scc_tui.datafiles.beds import load_bed_csv

        model = load_bed_csv(args.file, unguard=unguard)
    else:
        model = load_bed_model(args.file) if args.file else packaged_bed_model()
    sites = [model.site(args.site)] if args.site else list(model.sites)
    notes: list[str] = []
    if args.what_if:
        if not args.site:
            raise ValueError("--what-if needs --site (a scheme belongs to one site)")
        site = sites[0]
        for w in args.what_if:
            name, change = _what_if(w)
            site, wi = apply_what_if(model, site, name, change)
            notes.append(wi.formula)
        sites = [site]
    if args.json:
        out = [site_json(model, s) for s in sites]
        if notes:
            out[0]["what_if"] = notes
        print_json(out[0] if args.site else out)
        return 0
    if args.csv:
        sys.stdout.flush()
        sys.stdout.buffer.write(site_csv(sites).encode("utf-8-sig"))
        sys.stdout.buffer.flush()
        return 0
    print(render_text(model, sites, notes, assumptions=args.assumptions), end="")
    return 0


def site_json(model, s) -> dict:
    from scc_tui.domain.beds import months_of, peak

    p = peak(s)
    out = {
        "site": s.name,
        "title": s.title,
        "source": s.source,
        "unit": model.unit,
        "months": [r.to_json() for r in months_of(s)],
        "peak": {"month": p.month, "gap": p.to_json()["gap"], "balance": p.to_json()["balance"]} if p else None,
        "approximate": s.approximate,
    }
    if s.stated_residual is not None:
        out["stated_residual"] = s.stated_residual
    if s.notes:
        out["notes"] = s.notes
    return out


def site_csv(sites) -> str:
    from scc_tui.csvout import csv_text
    from scc_tui.domain.beds import months_of

    names: list[str] = []
    for s in sites:
        for m in s.mitigations:
            if m.name not in names:
                names.append(m.name)
    rows = []
    for s in sites:
        for r in months_of(s):
            rows.append([s.name, r.month, r.gap, *[r.mitigations.get(n, "") for n in names], r.mitigated, r.balance])
    return csv_text(["Site", "Month", "Gap", *names, "Mitigated", "Balance"], rows, lineterminator="\r\n")


def _mon(month: str) -> str:
    from datetime import date

    y, m = month.split("-")
    return date(int(y), int(m), 1).strftime("%b-%y")


def _fmt(x: float, signed: bool = False) -> str:
    s = str(int(x)) if float(x).is_integer() else f"{x:.1f}"
    return ("+" + s) if signed and x > 0 else s


def _wrap(text: str, width: int = 79) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, subsequent_indent="    ", break_on_hyphens=False) or [""]


def render_text(model, sites, notes=(), *, assumptions: bool = False) -> str:
    from scc_tui.domain.beds import months_of, native_capacity, peak
    from scc_tui.domain.text import inert

    out: list[str] = _wrap(f"{inert(model.title)} ({inert(model.unit)}; negative = beds short)")
    for s in sites:
        out.append("")
        out.append(f"{inert(s.name)}: {inert(s.title)}" + ("  (approximate)" if s.approximate else ""))
        rows = months_of(s)
        if not rows:
            if s.stated_residual is not None:
                out += _wrap(f"  No monthly figures in the model; the plan states a residual bed gap of "
                             f"{_fmt(s.stated_residual, True)} beds.")
            else:
                out.append("  No monthly figures in the model.")
        else:
            w = 7
            label = 16
            out.append(" " * label + "".join(_mon(r.month).rjust(w) for r in rows))
            out.append("Bed gap".ljust(label) + "".join(_fmt(r.gap).rjust(w) for r in rows))
            for m in s.mitigations:
                cells = "".join((_fmt(b) if b else "").rjust(w) for b in m.beds)
                name = inert(m.name)
                name = name if len(name) < label else name[:label - 2] + "…"
                out.append(name.ljust(label) + cells)
            out.append("Mitigated".ljust(label) + "".join(_fmt(r.mitigated).rjust(w) for r in rows))
            out.append("Balance".ljust(label) + "".join(_fmt(r.balance, True).rjust(w) for r in rows))
            p = peak(s)
            out += _wrap(f"Peak gap {_fmt(p.gap)} in {_mon(p.month)}: {p.formula}")
            if p.ipc_included:
                out.append(f"  (the gap includes {_fmt(p.ipc_included)} IPC pressure: {_fmt(p.gap - p.ipc_included)} before it)")
            for m in s.mitigations:
                peak_beds = max(m.beds)
                nat = native_capacity(m, model.ratios, peak_beds)
                if nat is not None and peak_beds:
                    out += _wrap(f"  {inert(m.name)}: {nat[1]} (at most)")
        out += _wrap(f"Source: {inert(s.source)}")
    for n in notes:
        out += _wrap(f"What if: {inert(n)}")
    if assumptions:
        out.append("")
        out.append("Assumptions:")
        for a in model.assumptions:
            out += _wrap(f"- {inert(a.text)} [{inert(a.source)}]")
        for r in model.ratios.values():
            out += _wrap(f"- {inert(r.title)}: {r.per_acute:g} per acute bed equivalent [{inert(r.source)}]")
    return "\n".join(line.rstrip() for line in out) + "\n"
