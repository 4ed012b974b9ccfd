"""``scc [--db URL] [tui]``: open the board."""

from __future__ import annotations

import sys

from scc_tui.cli.common import ArgParser, add_db_arg, fail


def open_app(url: str, clock=None) -> int:
    """Open the board on a database URL (also what `scc demo` calls). Returns the exit code."""
    from scc_tui.domain.clock import clock_from_env
    from scc_tui.identity import os_user

    clock = clock or clock_from_env()
    try:
        from scc_tui.store.db import Store

        store = Store(url, clock)
        with store.read() as session:  # reachable now, not at the first refresh
            from sqlalchemy import text

            session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        return fail(f"cannot open the database {_redact(url)}: {_one_line(exc)}")
    from scc_tui.app.app import SccApp

    app = SccApp(store, clock, os_user())
    try:
        app.run()
    finally:
        store.dispose()
    code = app.return_code
    return int(code or 0)


def run(command: str, argv: list[str]) -> int:
    parser = ArgParser(prog="scc tui", description="Open the SCC board (the default with no command).")
    add_db_arg(parser)
    args = parser.parse_args(argv)
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return fail("the board needs a terminal (for scripts use `scc status --json`)")
    from scc_tui.store.db import resolve_url

    try:
        url = resolve_url(args.db)
    except Exception as exc:  # noqa: BLE001
        return fail(_one_line(exc))
    return open_app(url)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first[:300]


def _redact(url: str) -> str:
    """Hide a password in a URL shown in an error."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
