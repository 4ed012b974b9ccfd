"""``scc score``: score parameter values with a method, no database needed.

    scc score METHOD [--area AREA] [--at DATE] --set KEY=VALUE ... [--json]
    scc score --list [--json]

Start-up stays small: this module imports the scoring engine and its TOML loader (tomllib +
pydantic) only — never Textual, SQLAlchemy/SQLModel or APScheduler.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from scc_tui.cli.common import ArgParser, fail, print_json

__all__ = ["run"]


def _parser(prog: str) -> ArgParser:
    p = ArgParser(
        prog=prog,
        description="Score parameter values with a scoring method (plan version). A method is a plan id "
        "(e.g. kcc-asc-2025: that version) or a family (e.g. kcc-asc: the version in force on --at).",
    )
    p.add_argument("method", nargs="?", help="plan id or family (see --list)")
    p.add_argument("--list", action="store_true", help="list methods, versions, effective dates, keys and areas")
    p.add_argument("--area", help="area, for plans whose bands differ by area (case-insensitive)")
    p.add_argument("--at", metavar="DATE", help="assessment date (YYYY-MM-DD or ISO date-time); default today (London, or $SCC_NOW)")
    p.add_argument("--set", dest="values", action="append", default=[], metavar="KEY=VALUE", help="a parameter value (repeat)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="accepted for symmetry with other commands; not used")
    return p


def run(command: str, argv: list[str]) -> int:
    from scc_tui.domain.errors import SccError

    args = _parser(f"scc {command}").parse_args(argv)
    try:
        if args.list:
            if args.method or args.values:
                return fail("--list takes no method or --set")
            return _list(args.json)
        if not args.method:
            return fail("give a METHOD (see `scc score --list`)")
        values = _parse_sets(args.values)
        at = _parse_at(args.at)
        from scc_tui.datafiles.methods import default_registry
        from scc_tui.domain.scoring import score

        result = score(args.method, values, area=args.area, at=at, registry=default_registry())
    except SccError as e:
        return fail(_one_line(str(e)))
    # Warnings (a pinned version not in force that day, a superseded plan) go to stderr as well as
    # into --json's "warnings", so a script reading stdout still sees them on the terminal.
    for w in result.warnings:
        print(f"scc: warning: {_one_line(w)}", file=sys.stderr)
    if args.json:
        print_json(result.to_json())
    else:
        _print_result(result)
    return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _parse_sets(items: list[str]) -> dict[str, str]:
    from scc_tui.domain.scoring import ScoringError

    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScoringError(f"--set {item!r}: use KEY=VALUE")
        if not value.strip():
            raise ScoringError(f"--set {key}: no value given")
        if key in values:
            raise ScoringError(f"--set {key} given twice ({values[key]!r} and {value!r})")
        values[key] = value
    return values


def _parse_at(text: str | None) -> date:
    from scc_tui.domain.clock import london_date, parse_instant
    from scc_tui.settings import current
    from scc_tui.domain.scoring import ScoringError

    if text is None:
        try:
            return london_date(current().clock().now())
        except ValueError as e:
            raise ScoringError(f"SCC_NOW: {e}") from None
    try:
        return london_date(parse_instant(text))
    except ValueError as e:
        raise ScoringError(f"--at: {e}") from None


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:.4g}" if abs(x) < 1e6 else f"{x:g}"


def _print_result(r) -> None:
    head = f"{r.method} (version {r.plan_version})"
    if r.area:
        head += f", area {r.area}"
    print(head)
    points_plan = r.scoring == "points"
    rows = [("key", "value", "points" if points_plan else "level", "band")]
    for key, part in r.parts.items():
        if points_plan:
            scored = _fmt(part.points)
        else:
            scored = f"OPEL {part.level}" if part.level is not None else "n/a" if not part.applicable else "-"
        band = part.band + ("  [outside published range]" if part.out_of_range else "")
        rows.append((key, _fmt(part.value), scored, band))
    w0 = max(len(r_[0]) for r_ in rows)
    w1 = max(len(r_[1]) for r_ in rows)
    w2 = max(len(r_[2]) for r_ in rows)
    for k, v, s, b in rows:
        print(f"  {k.ljust(w0)}  {v.rjust(w1)}  {s.rjust(w2) if points_plan else s.ljust(w2)}  {b}".rstrip())
    level = f"OPEL {r.level}" if r.level is not None else "no level (no scored indicator)"
    if r.scoring == "points":
        extra = f"  normalised {_fmt(r.normalised)}" if r.normalised is not None else ""
        print(f"total {_fmt(r.score)} of {_fmt(r.max)}{extra} -> {level}")
    elif r.scoring == "normalised":
        print(f"normalised score {_fmt(r.score)} of 100 -> {level}")
    else:
        if r.missing:
            print(f"missing (not given): {', '.join(r.missing)}")
        level = r.level_text if r.level is not None else level
        print(f"suggested level ({r.suggestion} indicator{' given' if r.partial else ''}): {level}"
              " - the manager declares the organisation's level")


def _list(as_json: bool) -> int:
    from pathlib import Path

    from scc_tui.datafiles.methods import METHODS_DIR, default_registry
    from scc_tui.domain.scoring import list_methods

    methods = list_methods(default_registry())
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "family": m.family,
                    "title": m.title,
                    "version": m.version,
                    "effective_from": m.effective_from.isoformat(),
                    "effective_to": m.effective_to.isoformat() if m.effective_to else None,
                    "superseded_from": m.superseded_from.isoformat() if m.superseded_from else None,
                    "superseded_by": m.superseded_by,
                    "scoring": m.scoring,
                    "verified": m.verified,
                    "scorable": m.scorable,
                    "note": m.note,
                    "areas": list(m.areas),
                    "suggestion": m.suggestion,
                    "source": m.source,
                    "file": m.file,
                    "keys": [
                        {"key": p.key, "title": p.title, "unit": p.unit, "required": p.required, "kind": p.kind, "note": p.note}
                        for p in m.params
                    ],
                }
                for m in methods
            ]
        )
        return 0
    family = None
    for m in methods:
        if m.family != family:
            family = m.family
            print(f"{family}")
        until = m.effective_to.isoformat() if m.effective_to else "..."
        flag = "" if m.scorable else "  [cannot score: not verified, structure only]"
        print(f"  {m.id}  version {m.version}  in force {m.effective_from.isoformat()} to {until}  ({m.scoring}){flag}")
        print(f"      {m.title}")
        if m.superseded_from:
            print(f"      superseded from {m.superseded_from.isoformat()} by {m.superseded_by} (still scores, with a warning)")
        if m.file and Path(m.file).parent != METHODS_DIR:
            print(f"      from local file {m.file}")
        if m.areas:
            print(f"      areas: {', '.join(m.areas)}")
        for p in m.params:
            req = "" if p.required else " (optional)"
            unit = f" [{p.unit}]" if p.unit else ""
            words = f" (a word: {', '.join(p.words)}, green/amber/red/black, or 1-4)" if p.words else ""
            print(f"      - {p.key}{unit}{req}: {p.title}{words}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run("score", sys.argv[1:]))
