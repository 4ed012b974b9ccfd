"""Errors as the app shows them: one line, and whether the database is down (retry) or something broke."""

from __future__ import annotations

import re
from datetime import datetime

from scc_tui.domain.clock import LONDON

__all__ = ["is_outage", "one_line_error", "outage_line", "save_error"]


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached or used right now (a driver or
    connection error, a file that cannot be opened): the app retries and keeps what was typed."""
    from sqlalchemy.exc import DBAPIError, TimeoutError as PoolTimeout

    return isinstance(exc, (DBAPIError, PoolTimeout, OSError, TimeoutError))


def one_line_error(exc: BaseException, limit: int = 160) -> str:
    """``Type: first line of the message``, without SQLAlchemy's SQL echo and background link."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    first = re.sub(r"^\([\w.]+\)\s*", "", first)  # "(sqlite3.OperationalError) ..." prefix
    out = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return out if len(out) <= limit else out[: limit - 1] + "…"


def save_error(exc: BaseException) -> str:
    """Why a save failed, in one line; an outage says the input is kept and how to retry."""
    from scc_tui.domain.access import Refused

    if isinstance(exc, Refused):  # the user's role does not allow it: the reason, as the CLI says it
        return str(exc)
    if is_outage(exc):
        return f"database unreachable ({one_line_error(exc, 80)}); what you typed is kept: Ctrl+S to try again"
    return one_line_error(exc)


def outage_line(since: datetime) -> str:
    return f"database unreachable since {since.astimezone(LONDON):%H:%M} — retrying; nothing you enter is lost"
