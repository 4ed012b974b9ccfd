"""The log screen is live through the App's one change feed (no poller of its own): an entry written
by another session shows without a key press, and one written straight after the screen loaded is not
missed. These run the real SccApp, so replacing the feed's ``poll`` with ``False`` makes them fail."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from scc_tui.app.app import SccApp
from scc_tui.app.db_seam import DbSeam
from scc_tui.app.log.screen import LogScreen, show_log

from tests.helpers.log import T0, USER, append_at
from tests.pilot import wait_until

ROOT = Path(__file__).resolve().parents[3]


def live_app(store, clock) -> SccApp:
    return SccApp(DbSeam(store), clock, USER, poll_interval=0.05, environ={}, prompts=False)


def texts(screen: LogScreen) -> list[str]:
    return [r.text for _, r in sorted(screen.rows.items(), reverse=True)]


async def open_log(pilot) -> LogScreen:
    await wait_until(pilot, lambda: pilot.app.loaded)
    screen = show_log(pilot.app)
    await wait_until(pilot, lambda: screen.loaded and not screen.loading)
    await pilot.pause()  # and drawn
    return screen


async def test_entry_from_another_process_appears_without_a_key_press(seeded, clock):
    snippet = (
        "import sys\n"
        "from scc_tui.domain.clock import FixedClock, parse_instant\n"
        "from scc_tui.store.db import Store\n"
        "from scc_tui.store.log import append_entry\n"
        "s = Store(sys.argv[1], FixedClock(parse_instant('2026-11-23T09:01:00Z')))\n"
        "e = append_entry(s, kind='note', text='Written by another session', author='akhan')\n"
        "print(e.seq)\n"
    )
    app = live_app(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_log(pilot)
        proc = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", snippet, seeded.url], cwd=ROOT, capture_output=True, text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        seq = int(proc.stdout.strip())
        await wait_until(pilot, lambda: seq in screen.rows, timeout=10)
        assert "Written by another session" in screen.table.get_row(str(seq))[6].plain
        assert max(screen.rows) == seq  # newest first: on the top row


async def test_entry_written_straight_after_loading_is_not_missed(seeded, clock):
    app = live_app(seeded, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_log(pilot)
        append_at(seeded, T0, kind="note", text="straight after loading", author="akhan")
        await wait_until(pilot, lambda: "straight after loading" in texts(screen))
