"""``scc [--db URL] [tui]``: open the board."""

from __future__ import annotations

import sys

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail


def open_app(url: str, clock=None, *, create: bool = True) -> int:
    """Open the board on a database URL (also what `scc demo` calls). Returns the exit code."""
    from scc_tui import lifeline

    lifeline.install()  # before anything heavy: a closed terminal ends us at every stage from here
    try:
        keymap = _user_keymap()
    except Exception as exc:  # noqa: BLE001 - the keymap file's error: one line, exit 2
        return fail(_one_line(exc))
    from scc_tui.domain.clock import clock_from_env
    from scc_tui.identity import os_user

    clock = clock or clock_from_env()
    try:
        from scc_tui.store.db import Store

        store = Store(url, clock, create=create)
        with store.read() as session:  # reachable now, not at the first refresh
            from sqlalchemy import text

            session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        return fail(f"cannot open the database {_redact(url)}: {_redact(_one_line(exc))}")
    from scc_tui.app.app import SccApp

    app = SccApp(store, clock, os_user(), keymap=keymap)
    try:
        app.run()
    finally:
        lifeline.detach()
        store.dispose()
    code = app.return_code
    return int(code or 0)


def run(command: str, argv: list[str]) -> int:
    if sys.stdin.isatty() and sys.stdout.isatty():
        from scc_tui import lifeline

        lifeline.install()  # first: SIGHUP/SIGTERM/a vanished terminal end start-up too
    parser = ArgParser(prog="scc tui", description="Open the SCC board (the default with no command).")
    add_db_arg(parser)
    args = parser.parse_args(argv)
    if not _terminal():
        return fail("the board needs a terminal (for scripts use `scc status --json`)")
    if refused := _unsupported():
        return fail(refused)
    from scc_tui.cli.common import db_target
    from scc_tui.domain.errors import SccError

    try:
        target = db_target(db_of(args))
    except SccError as exc:
        return fail(_one_line(exc))
    return open_app(target.url, create=target.create)


def open_on_terminal(url: str) -> int:
    """Open the board on ``url`` if there is a terminal (``scc demo``)."""
    if not _terminal():
        return fail("the board needs a terminal (for scripts use `scc status --json`)")
    if refused := _unsupported():
        return fail(refused)
    return open_app(url)


def _terminal() -> bool:
    return sys.stdout.isatty() and sys.stdin.isatty()


def _user_keymap() -> dict[str, str]:
    """The user's rebinding (``~/.config/scc-tui/keymap.toml``; see ``scc_tui.app.keymap``)."""
    import os

    from scc_tui.app.keymap import keymap_path, load_keymap

    def known() -> set[str]:
        from scc_tui.app.screens.help import binding_ids

        return binding_ids()

    return load_keymap(keymap_path(os.environ), known)


def _unsupported() -> str | None:
    """TERM=dumb / vt100: one line naming the supported terminals (issue 12 item 1)."""
    import os

    from scc_tui.app.terminal import unsupported_terminal

    return unsupported_terminal(os.environ)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first[:300]


def _redact(url: str) -> str:
    """Hide a password (user part or ``?password=``) in a URL shown in an error."""
    from scc_tui.store.db import redact_url

    return redact_url(url)
