"""The one set of Pilot helpers for the app tests: a bounded wait on a condition, and the text (or the
styled lines) the current screen shows.

Import from here; never copy these into a test module or a conftest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.pilot import Pilot
from textual.strip import Strip

if TYPE_CHECKING:
    from textual._compositor import LayoutUpdate


async def wait_until(
    pilot: Pilot, predicate: Callable[[], object], *, timeout: float = 10.0, step: float = 0.01, what: str = ""
) -> None:
    """Let the app run until ``predicate()`` holds; fail the test if it has not within ``timeout``
    seconds. Returns as soon as it holds (checked before the first pause): a bound, never a fixed wait."""
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"condition not reached within {timeout}s: {what or predicate}")
        await pilot.pause(step)


# Textual (8.2) has no public API for the rendered lines of a screen: ``App.export_screenshot()`` gives
# SVG (itself built from ``screen._compositor.render_update``), which loses the line structure and the
# segment styles the tests read. So the two functions below are the only uses of the private
# ``_compositor`` in the tests; if Textual renames it, only they change.


def screen_strips(app) -> list[Strip]:
    """The current screen as drawn, one styled ``Strip`` per terminal line."""
    return app.screen._compositor.render_strips()


def screen_update(app) -> LayoutUpdate:
    """The whole current screen as the driver would be sent it (``.strips``: the chops of each line;
    ``.render_segments(console)``: the terminal output)."""
    return app.screen._compositor.render_update(full=True)


def screen_text(app) -> str:
    """The plain text of the current screen, one line per terminal row."""
    return "\n".join(strip.text for strip in screen_strips(app))
