"""Typed messages posted by workers; App handlers own every state change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.message import Message


class StatusesLoaded(Message):
    def __init__(self, statuses: list[Any], at: datetime, reason: str) -> None:
        self.statuses = statuses
        self.at = at
        self.reason = reason
        super().__init__()


class LoadFailed(Message):
    def __init__(self, error: str, outage: bool = False) -> None:
        self.error = error  # one line
        self.outage = outage  # the database cannot be reached (retrying), not a bug in a read
        super().__init__()


class PollDone(Message):
    """The refresh loop finished one round (re-arm the timer)."""


class BoardChanged(Message):
    """Posted by the app to screens after statuses were applied (ids changed, or None: everything)."""

    def __init__(self, changed: set[int] | None) -> None:
        self.changed = changed
        super().__init__()
