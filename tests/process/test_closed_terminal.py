"""Issue 16 item 9: a closed terminal ends the board, always, at every stage of start-up.

``scc --db DEMO`` is spawned on a pseudo-terminal (``os.openpty``, not tmux) and the pty's master is
closed at several points of start-up. Two ways a terminal goes away are covered: as the process's
controlling terminal (the kernel sends SIGHUP, as when a tmux pane or SSH session closes) and as a
plain terminal with no controlling-terminal link (no signal at all: only the hang-up on its file
descriptors says so). No process may be left 5 s after the close. SIGTERM is checked the same way.

``SCC_PTY_REPEATS`` sets the repetitions per point (default 3; the issue's figure is 20).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DELAYS = (0.0, 0.05, 0.15, 0.3, 0.6, 1.5, 3.0, 4.5)  # the first frame lands at ~1-4 s
REPEATS = int(os.environ.get("SCC_PTY_REPEATS", "3"))
GONE_WITHIN = 5.0


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pty") / "demo.db"
    env = {k: v for k, v in os.environ.items() if k not in ("SCC_DB",)}
    r = subprocess.run([sys.executable, "-m", "scc_tui", "demo", "--db", str(path), "--no-open", "--days", "3"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stderr
    return str(path)


def _spawn(db: str, ctty: bool) -> tuple[subprocess.Popen, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 rows, 80 columns

    def child() -> None:
        os.setsid()
        if ctty:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = {k: v for k, v in os.environ.items() if k not in ("SCC_DB", "SCC_NOW")}
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen([sys.executable, "-m", "scc_tui", "--db", db], stdin=slave, stdout=slave,
                            stderr=slave, preexec_fn=child, env=env, cwd=ROOT, close_fds=True)
    os.close(slave)
    return proc, master


def _drain_for(master: int, seconds: float) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return


def _trial(db: str, delay: float, ctty: bool, how: str = "close") -> str | None:
    """None when the process is gone within GONE_WITHIN of the close (or the signal); else a note."""
    proc, master = _spawn(db, ctty)
    try:
        _drain_for(master, delay)
        if how == "sigterm":  # the terminal stays open (and read): only the signal ends it
            proc.send_signal(signal.SIGTERM)
            end = time.monotonic() + GONE_WITHIN
            while proc.poll() is None and time.monotonic() < end:
                _drain_for(master, 0.05)
            if proc.poll() is not None:
                return None
            return f"SIGTERM at {delay}s: still running"
        os.close(master)
        master = -1
        try:
            proc.wait(GONE_WITHIN)
            return None
        except subprocess.TimeoutExpired:
            return f"{how} at {delay}s ({'controlling terminal' if ctty else 'no controlling terminal'}): still running"
    finally:
        if master >= 0:
            os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("ctty", [True, False], ids=["controlling-terminal", "plain-terminal"])
def test_closing_the_terminal_at_any_point_of_start_up_ends_the_process(demo_db, ctty):
    trials = [(d, ctty) for d in DELAYS for _ in range(REPEATS)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        left = [r for r in pool.map(lambda t: _trial(demo_db, *t), trials) if r]
    assert left == [], f"{len(left)}/{len(trials)} left running: {left}"


def test_sigterm_at_any_point_of_start_up_ends_the_process(demo_db):
    trials = [d for d in DELAYS for _ in range(max(1, REPEATS // 2))]
    with ThreadPoolExecutor(max_workers=3) as pool:
        left = [r for r in pool.map(lambda d: _trial(demo_db, d, True, "sigterm"), trials) if r]
    assert left == []
