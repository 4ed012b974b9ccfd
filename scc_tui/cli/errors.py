"""The one error path of the command line: every failure a user can cause becomes one line on stderr and
exit code 2 (3 for an action the user's role does not allow), never a traceback. ``SCC_DEBUG=1`` lets the exception through with its traceback (for a bug
report).

What counts as "known": our own :class:`~scc_tui.domain.errors.SccError`, bad values (``ValueError``,
``OverflowError``), files (``OSError``), databases (SQLAlchemy and driver errors: unreachable, not a
database, corrupt, a missing driver), CSV limits, undecodable text, exhausted memory and runaway
recursion. Anything else is a bug, and still one line (naming the exception type) with exit 2.

Every message is made printable: passwords in database URLs are redacted and terminal control
characters are shown escaped (``scc_tui.domain.text.inert_line``).
"""

from __future__ import annotations

import errno
import sys

EXIT_BAD_INPUT = 2


def _first_line(text: str) -> str:
    for line in str(text).strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def _oserror(exc: OSError) -> str:
    what = exc.strerror or _first_line(str(exc)) or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        what = "no space left on the device"
    name = exc.filename if exc.filename is not None else None
    return f"{name}: {what}" if name else what


def _database(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    reason = _first_line(str(orig if orig is not None else exc)) or type(exc).__name__
    low = reason.lower()
    if "file is not a database" in low or "database disk image is malformed" in low:
        return f"not an scc database, or the file is damaged: {reason}"
    return f"cannot use the database: {reason}"


def describe(exc: BaseException) -> str:
    """One line for a failure (without the ``scc: error:`` prefix)."""
    import csv

    from scc_tui.domain.errors import SccError

    if isinstance(exc, SccError):
        return _first_line(str(exc)) or type(exc).__name__
    if "sqlalchemy" in sys.modules:  # not loaded: the failure cannot be one of its errors
        import sqlalchemy.exc as sa_exc

        if isinstance(exc, sa_exc.NoSuchModuleError):
            return f"unsupported database URL: {_first_line(str(exc))} (scc uses SQLite paths and postgresql:// URLs)"
        if isinstance(exc, sa_exc.ArgumentError):
            return f"bad database URL: {_first_line(str(exc))}"
        if isinstance(exc, sa_exc.DBAPIError):
            return _database(exc)
        if isinstance(exc, sa_exc.SQLAlchemyError):
            return f"database error: {_first_line(str(exc)) or type(exc).__name__}"
    if type(exc).__module__.startswith(("sqlite3", "psycopg")):
        return _database(exc)
    if isinstance(exc, MemoryError):
        return "out of memory (the input is too large for this machine)"
    if isinstance(exc, RecursionError):
        return "data nested too deeply to process (a parent chain or cycle?)"
    if isinstance(exc, csv.Error):
        return f"CSV: {_first_line(str(exc))}"
    if isinstance(exc, UnicodeError):
        return f"not valid UTF-8 text: {_first_line(str(exc))}"
    if isinstance(exc, OSError):
        return _oserror(exc)
    if isinstance(exc, (ValueError, OverflowError)):
        return _first_line(str(exc)) or type(exc).__name__
    return f"unexpected {type(exc).__name__}: {_first_line(str(exc))} (SCC_DEBUG=1 shows the traceback)"


def printable(message: str) -> str:
    from scc_tui.domain.text import inert_line
    from scc_tui.domain.urls import redact_url

    return inert_line(redact_url(message))


def report(exc: BaseException) -> int:
    """Print the one line for ``exc`` and return the exit code."""
    try:
        line = printable(describe(exc))
    except Exception:  # noqa: BLE001 - the error path must not fail itself
        line = type(exc).__name__
    try:
        print(f"scc: error: {line}", file=sys.stderr)
    except Exception:  # noqa: BLE001 - stderr closed: the exit code still says it
        pass
    return exit_code(exc)


EXIT_REFUSED = 3


def exit_code(exc: BaseException) -> int:
    """2 for bad input; 3 for an action the user may not take (``domain.access.Refused``)."""
    code = getattr(exc, "exit_code", EXIT_BAD_INPUT)
    return code if isinstance(code, int) else EXIT_BAD_INPUT
