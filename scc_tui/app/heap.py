"""The garbage collector around start-up (issue 11 item 9).

Python's cyclic collector runs whenever enough objects have been allocated; importing Textual and the
app allocates a great many, so a start pays ~70 ms of collections (a full one among them) before the
board's first frame, and every later full collection walks the ~300,000 long-lived objects of the
imported modules again (~0.15-0.2 s, landing on whatever key was pressed then).

So the board's start-up runs with the collector paused (:func:`pause`, the CLI, before the imports),
and once the board is up and the screens' modules are imported (the app's warm-up), :func:`settle`
collects once, moves everything alive into the permanent generation (``gc.freeze``: never walked
again) and resumes collection. :func:`resume` is the fallback that only resumes (the warm-up did not
run: a database down at start). What the session allocates after that is collected as usual.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """Before the board's imports (the CLI): no collection until :func:`settle` or :func:`resume`."""
    gc.disable()


def settle() -> None:
    """Collect once, freeze what is alive, resume collecting (idempotent: a no-op unless paused)."""
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


def resume() -> None:
    """Resume collecting if still paused (the fallback when :func:`settle` was not reached)."""
    gc.enable()
