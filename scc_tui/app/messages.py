"""Typed messages posted by workers, and the one signal through which store data reaches screens.

Workers post :class:`StatusesLoaded` / :class:`LoadFailed` / :class:`PollDone` to the App; the App's
handlers own the state and publish a :class:`StoreChanged` or :class:`StoreFailed` on
``app.store_events`` (a Textual ``Signal``). Screens subscribe in ``on_mount``; nothing else carries
store data to a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.message import Message


class StatusesLoaded(Message):
    def __init__(self, statuses: list[Any], board: Any, at: datetime, reason: str, written: bool) -> None:
        self.statuses = statuses
        self.board = board  # board.model.Board, built in the worker (the domain's rule, raised there)
        self.at = at
        self.reason = reason
        self.written = written  # the change feed fired (or this session wrote)
        super().__init__()


class LoadFailed(Message):
    def __init__(self, error: str, outage: bool = False) -> None:
        self.error = error  # one line
        self.outage = outage  # the database cannot be reached (retrying), not a bug in a read
        super().__init__()


class FormSaved(Message):
    """A form's save worker finished: the entry's ``seq``, or the one-line ``error`` it was not saved for."""

    def __init__(self, seq: int | None, error: str | None) -> None:
        self.seq = seq
        self.error = error
        super().__init__()


class PollDone(Message):
    """The refresh loop finished one round (re-arm the timer)."""


@dataclass(frozen=True)
class StoreChanged:
    """Published after the App applied fresh statuses.

    ``areas``: the area ids whose status changed (``None``: any may have; a new board). ``written``:
    something was written to the store since the last event (another session, or this one): screens
    that show other tables (the log) re-read what is new.
    """

    at: datetime
    reason: str  # "start" | "reload" | "feed" | "minute"
    areas: frozenset[int] | None
    written: bool


@dataclass(frozen=True)
class StoreFailed:
    """A read failed. ``outage_since``: the database cannot be reached (since then); else ``error``
    says why, once per distinct error."""

    error: str | None
    outage_since: datetime | None


StoreEvent = StoreChanged | StoreFailed
