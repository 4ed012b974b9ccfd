"""``scc`` command line. Each command lives in its own module, imported only when used, so that
``scc score`` starts without importing Textual or SQLAlchemy.

Exit codes: 0 ok, 1 a check failed (e.g. ``log verify``), 2 bad input or usage, 3 refused (the
user's role does not allow it) (one-line error; see
``cli/errors.py``: every failure goes through one handler, ``SCC_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import sys
from importlib import import_module

from scc_tui import __version__

# command -> (module, one-line help). Modules expose ``run(command: str, argv: list[str]) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("scc_tui.cli.score", "score parameter values with a method (no database needed)"),
    "status": ("scc_tui.cli.store_cmds", "each area's current level, score, days at level, staleness"),
    "db": ("scc_tui.cli.store_cmds", "database maintenance: `scc db upgrade`, `scc db info`"),
    "areas": ("scc_tui.cli.store_cmds", "import or list areas: `scc areas import FILE.toml`"),
    "import": ("scc_tui.cli.store_cmds", "import assessments from CSV (all-or-nothing)"),
    "export": ("scc_tui.cli.store_cmds", "export assessments as CSV or JSON"),
    "demo": ("scc_tui.cli.store_cmds", "create a demo database (Kent and Medway, Staffordshire) and open the app"),
    "log": ("scc_tui.cli.log_cmds", "the decision and action log: add, list, export, verify"),
    "plan-test": ("scc_tui.cli.log_cmds", "history of plan tests: add, list"),
    "schedule": ("scc_tui.cli.schedule_cmds", "list call and deadline occurrences"),
    "handover": ("scc_tui.cli.handover_cmd", "the 18:00 handover summary (markdown, text or JSON)"),
    "rules": ("scc_tui.cli.escalation_cmds", "escalation rule files: `scc rules check FILE`, `scc rules list`"),
    "escalations": ("scc_tui.cli.escalation_cmds", "escalation firings active now (e.g. Day 2 in OPEL 4 – include STP); `ack ID`"),
    "actions": ("scc_tui.cli.escalation_cmds", "action-card items due and done; `scc actions done|na AREA ITEM`"),
    "exercise": ("scc_tui.cli.exercise_cmds", "tabletop exercises on a simulated clock, in their own database: list, run, join, debrief"),
    "access": ("scc_tui.cli.access_cmds", "who may do what: `scc access import FILE`, `scc access list`"),
    "serve": ("scc_tui.cli.serve", "serve the board to web browsers on 127.0.0.1 (textual-serve; no authentication)"),
    "risks": ("scc_tui.cli.risk_cmds", "the system risk register: add, update, list, show, export (versions kept)"),
    "beds": ("scc_tui.cli.beds_cmd", "the winter bed-gap model: gap, mitigations and balance by month per site"),
    "report": ("scc_tui.cli.report_cmd", "the upward sitrep: `scc report sitrep [--area ICS] [--format md|csv|json]` (logged)"),
    "tui": ("scc_tui.cli.tui", "open the board (the default with no command)"),
}

USAGE = """usage: scc [--db URL] [COMMAND] [ARGS...]

Keyboard-first terminal app for NHS System Coordination Centres.
With no command, opens the board on the default database.

options:
  --db URL     database (SQLAlchemy URL or SQLite path); default $SCC_DB, else a per-user SQLite file
  --demo       open the app on a fresh demo database (same as `scc demo`)
  --version    print the version and exit
  -h, --help   show this help and exit

commands:
"""


def _usage() -> str:
    width = max(len(c) for c in COMMANDS)
    return USAGE + "\n".join(f"  {c.ljust(width)}  {h}" for c, (_, h) in COMMANDS.items()) + (
        "\n\nRun `scc COMMAND --help` for a command's options.\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # Global options before the command: --db is passed on to the command, which accepts it too.
    prefix: list[str] = []
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-h", "--help"):
            print(_usage(), end="")
            return 0
        if opt == "--version":
            print(f"scc {__version__}")
            return 0
        if opt == "--demo":
            args.insert(0, "demo")
            break
        if opt == "--db":
            if not args:
                print("scc: error: --db needs a URL", file=sys.stderr)
                return 2
            prefix += ["--db", args.pop(0)]
        elif opt.startswith("--db="):
            prefix += ["--db", opt.split("=", 1)[1]]
        else:
            print(f"scc: error: unknown option {opt} (see scc --help)", file=sys.stderr)
            return 2
    command = args.pop(0) if args else "tui"
    if command not in COMMANDS:
        print(f"scc: error: unknown command {command!r} (see scc --help)", file=sys.stderr)
        return 2
    from scc_tui.cli.errors import report
    from scc_tui.settings import Settings, installed

    # The environment is read here, once (scc_tui.settings); everything below gets it from there.
    with installed(Settings.from_process()) as settings:
        _register_plans()
        try:
            module = import_module(COMMANDS[command][0])
            code = int(module.run(command, prefix + args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
            return code
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:  # e.g. `scc log list | head -1`: the reader has all it wanted
            return _reader_gone()
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001 - the one error path: one line, exit 2 (SCC_DEBUG=1: traceback)
            if settings.debug:
                raise
            return report(exc)


def _register_plans() -> None:
    """Where the scoring engine finds plans: the data files (loaded on first use, not now; the domain
    never imports the loader itself)."""
    from scc_tui.domain import scoring

    scoring.set_registry_provider(_plans)


def _plans():
    from scc_tui.datafiles.methods import default_registry

    return default_registry()


def _reader_gone() -> int:
    """The reader of standard output closed it: exit 0, quietly. As the Python docs advise (module
    ``signal``, "Note on SIGPIPE"), point stdout at devnull so the interpreter's own flush at exit
    does not fail again and print "Exception ignored ... BrokenPipeError"."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (e.g. captured in tests)
        pass
    return 0
