"""``scc [--db URL] [tui]``: open the board."""

from __future__ import annotations

import sys

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, fail


def open_app(url: str, clock=None, *, create: bool = True) -> int:
    """Open the board on a database URL (also what `scc demo` calls). Returns the exit code.

    On a SQLite file whose schema is current, the first frame is read with the standard library
    (``store.first_read``) and the store itself (SQLAlchemy, the migration check) opens in the app's
    first worker, after that frame is on screen (issue 11 item 9). Otherwise the store opens here,
    first, as before: a database that needs migrating, refusing or is unreachable is dealt with
    before the board starts.
    """
    from scc_tui import lifeline
    from scc_tui.app import heap

    lifeline.install()  # before anything heavy: a closed terminal ends us at every stage from here
    heap.pause()  # no garbage collection until the board is up (app/heap.py)
    try:
        keymap = _user_keymap()
    except Exception as exc:  # noqa: BLE001 - the keymap file's error: one line, exit 2
        return fail(_one_line(exc))
    from scc_tui.settings import current
    from scc_tui.identity import os_user
    from scc_tui.store.first_read import board_statuses

    clock = clock or current().clock()
    first = board_statuses(url, clock.now())
    if first is not None:
        from scc_tui.store.deferred import DeferredStore

        store = DeferredStore(lambda: _open_store(url, clock, create))
    else:
        try:
            store = _open_store(url, clock, create)
            with store.read() as session:  # reachable now, not at the first refresh
                from sqlalchemy import text

                session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback
            return fail(f"cannot open the database {_redact(url)}: {_redact(_one_line(exc))}")
    from scc_tui.app.app import SccApp
    from scc_tui.app.db_seam import DbSeam

    app = SccApp(DbSeam(store), clock, os_user(), keymap=keymap, first_statuses=first)
    try:
        app.run()
    finally:
        lifeline.detach()
        store.dispose()
    code = app.return_code
    return int(code or 0)


def _open_store(url: str, clock, create: bool):
    from scc_tui.store.db import Store

    return Store(url, clock, create=create)


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
    """A terminal, or a browser tab of `scc serve` (textual-serve runs each tab on Textual's web driver)."""
    from scc_tui.settings import current

    if current().web:
        return True
    return sys.stdout.isatty() and sys.stdin.isatty()


def _user_keymap() -> dict[str, str]:
    """The user's rebinding (``~/.config/scc-tui/keymap.toml``; see ``scc_tui.app.keymap``)."""
    from scc_tui.app.keymap import keymap_path, load_keymap

    def known() -> set[str]:
        from scc_tui.app.screens.help import binding_ids

        return binding_ids()

    return load_keymap(keymap_path(), known)


def _unsupported() -> str | None:
    """TERM=dumb / vt100: one line naming the supported terminals (issue 12 item 1)."""
    from scc_tui.app.terminal import unsupported_terminal
    from scc_tui.settings import current

    return unsupported_terminal(current().terminal)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first[:300]


def _redact(url: str) -> str:
    """Hide a password (user part or ``?password=``) in a URL shown in an error."""
    from scc_tui.store.db import redact_url

    return redact_url(url)
