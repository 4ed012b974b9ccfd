"""Helpers shared by the commands: argument parsing that exits 2 with one line, the store, output."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn


class ArgParser(argparse.ArgumentParser):
    """argparse that reports errors as one line and exit code 2 (argparse's own code too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def int_in(lo: int, hi: int):
    """An argparse ``type`` for a whole number within ``lo``..``hi`` (checked at parse time, so a value
    such as ``--days 100000000`` is one line and exit 2, not an overflow deep inside)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({lo} to {hi})")
        return value

    parse.__name__ = "whole number"
    return parse


#: Largest id or count accepted from the command line (fits a PostgreSQL bigint and SQLite INTEGER).
MAX_ID = 2**62


DB_HELP = "database URL or SQLite path (default: $SCC_DB, else the per-user file)"


def add_db_arg(parser: argparse.ArgumentParser, help: str = DB_HELP) -> None:
    """``--db`` on a parser or subparser. Every level uses ``SUPPRESS`` as its default, so a value given
    before the subcommand (``scc --db X log add``, ``scc log --db X add``) is not overwritten by a
    subparser's default; given at several levels, the innermost wins."""
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=help)


def db_of(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error to stderr and return the exit code (passwords redacted, controls escaped)."""
    from scc_tui.cli.errors import printable

    print(f"scc: error: {printable(message)}", file=sys.stderr)
    return code


def fail_exc(exc: BaseException) -> int:
    """:func:`fail` for a caught error: exit 3 for a refused action (``domain.access.Refused``), else 2."""
    from scc_tui.cli.errors import exit_code

    return fail(str(exc), exit_code(exc))


def print_json(obj: Any) -> None:
    """JSON on stdout; no raw control character ever (``domain.text.inert_json``), the data exact."""
    from scc_tui.domain.text import inert_json

    print(inert_json(obj, indent=2, default=str))


def warn(message: str) -> None:
    print(f"scc: warning: {message}", file=sys.stderr)


def db_target(db: str | None, *, create: bool = False):
    """The database for a command (``--db`` value or None): see ``store.db.database_url``. An explicit
    SQLite path that does not exist is refused unless ``create``; the per-user default file is created
    on first use and says so on stderr. A password typed in ``--db`` is warned about."""
    from scc_tui.store.db import database_url, url_has_password

    if db and url_has_password(db):
        warn("a password in --db is visible to other users in the process list; "
             "use PGPASSWORD, ~/.pgpass or SCC_DB instead")
    return database_url(db, create=create, notice=lambda m: print(m, file=sys.stderr))


def open_store(db: str | None, *, create: bool = False, migrate: bool = True):
    """Open (and migrate) the store for a command. Heavy imports happen here, not at start-up."""
    from scc_tui.settings import current
    from scc_tui.store.db import Store

    target = db_target(db, create=create)
    return Store(target.url, current().clock(), migrate=migrate, create=target.create)
