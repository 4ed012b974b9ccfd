"""Helpers shared by the commands: argument parsing that exits 2 with one line, the store, output."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn


class ArgParser(argparse.ArgumentParser):
    """argparse that reports errors as one line and exit code 2 (argparse's own code too)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL or SQLite path (default: $SCC_DB or the per-user file)")


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error to stderr and return the exit code (inert: a message may quote stored text)."""
    from scc_tui.domain.text import inert_line

    print(f"scc: error: {inert_line(message)}", file=sys.stderr)
    return code


def print_json(obj: Any) -> None:
    """JSON on stdout; no raw control character ever (``domain.text.inert_json``), the data exact."""
    from scc_tui.domain.text import inert_json

    print(inert_json(obj, indent=2, default=str))


def open_store(db: str | None):
    """Open (and migrate) the store for a command. Heavy imports happen here, not at start-up."""
    from scc_tui.domain.clock import clock_from_env
    from scc_tui.store.db import Store, resolve_url

    return Store(resolve_url(db), clock_from_env())
