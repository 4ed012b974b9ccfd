"""Typing as a person does: key names for text, a burst of keys posted the way the terminal driver's
input thread posts one read, the assessment form's fields typed in order, and the form opened from the board."""

from __future__ import annotations

from sqlmodel import select
from textual import events

from tests.helpers.board import KEYS, highlight, open_board
from tests.pilot import wait_until

NAMES = {"/": "slash", ".": "full_stop", " ": "space", "-": "minus", ",": "comma", "'": "apostrophe", "\t": "tab"}


def keys_for(text: str) -> list[str]:
    return [NAMES.get(c, c) for c in text]


def burst(app, keys: list[str]) -> None:
    """Post every key at once, the way the terminal driver's input thread does for one read."""
    chars = {v: k for k, v in NAMES.items()}
    for key in keys:
        char = key if len(key) == 1 else chars.get(key, "\r" if key == "enter" else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def typed_assessment(values: dict[str, float], sep: str = "tab") -> list[str]:
    keys: list[str] = []
    for value in values.values():
        keys += keys_for(str(value)) + [sep]
    return keys[:-1]


async def saved_assessments(store):
    from scc_tui.store.models import Assessment

    with store.read() as session:
        return session.exec(select(Assessment).order_by(Assessment.id)).all()


async def open_form(pilot, app, key: str, area: str, screen: str):
    view = await open_board(pilot, app)
    await highlight(pilot, view, area)
    await pilot.press(key)
    await wait_until(pilot, lambda: type(app.screen).__name__ == screen)
    await pilot.pause()
    return app.screen


VALUES_TYPED = dict(zip(KEYS, ["45", "70.5", "15", "110", "100", "6", "96", "5", "14"]))
