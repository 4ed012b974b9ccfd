"""A closed terminal ends the board, always, within a bounded time (issue 16 item 9).

Installed first thing when the board starts (before Textual, SQLAlchemy or the store are imported,
and before the app exists), for every stage of start-up and of the session:

* **SIGHUP and SIGTERM** arm a kernel timer first (``setitimer``; ``SIGALRM`` left at its default
  action, so when it fires the kernel ends the process whatever its threads are doing, with no Python
  code needing to run), then ask for a graceful exit: during start-up by raising ``SystemExit`` where
  the main thread is; once the app runs, by asking the app to exit from its event loop.
* **A vanished terminal that sends no signal** (the pty closed while this process is not its session
  leader, or its controlling terminal went away before it became one): a daemon thread polls the
  terminal's file descriptors for hang-up and turns it into the same path.

The grace period is :data:`GRACE_SECONDS`; a second signal never extends it.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
from typing import Any, Callable

__all__ = ["GRACE_SECONDS", "install", "attach", "detach", "arm"]

GRACE_SECONDS = 2.0

_installed = False
_exit_app: Callable[[int], None] | None = None  # asks the running app to exit (thread-safe)


def arm(grace: float | None = None) -> None:
    """Start the kernel timer that ends the process unless it has exited by then (never extended)."""
    if signal.getitimer(signal.ITIMER_REAL)[0] == 0:
        signal.setitimer(signal.ITIMER_REAL, GRACE_SECONDS if grace is None else grace)


def _on_signal(signum: int, _frame: Any) -> None:
    arm()
    code = 128 + signum
    exit_app = _exit_app
    if exit_app is not None:
        try:
            exit_app(code)
            return
        except Exception:  # noqa: BLE001 - the loop is closing or closed: unwind instead
            pass
    raise SystemExit(code)


def _watch(fds: tuple[int, ...], interval_ms: int) -> None:
    poller = select.poll()
    for fd in fds:
        poller.register(fd, 0)  # hang-up, error and an invalid fd are always reported
    bad = select.POLLHUP | select.POLLERR | select.POLLNVAL
    while True:
        try:
            events = poller.poll(interval_ms)
        except InterruptedError:  # pragma: no cover - retried by Python, kept for clarity
            continue
        if any(ev & bad for _fd, ev in events):
            arm()
            os.kill(os.getpid(), signal.SIGHUP)
            return


def install(fds: tuple[int, ...] | None = None, *, interval: float = 0.2) -> None:
    """Install the handlers and the terminal watcher (main thread; idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, _on_signal)
    if fds is None:
        fds = tuple(fd for fd in (0, 1) if _isatty(fd))
    if fds:
        threading.Thread(target=_watch, args=(fds, int(interval * 1000)), name="scc-terminal-watch",
                         daemon=True).start()


def attach(exit_app: Callable[[int], None]) -> None:
    """The app is running: signals ask it to exit (``exit_app(return_code)`` must be thread-safe)."""
    global _exit_app
    _exit_app = exit_app


def detach() -> None:
    """The app has stopped: a signal now unwinds whatever runs (closing the store)."""
    global _exit_app
    _exit_app = None


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


if sys.platform == "win32":  # pragma: no cover - the board targets POSIX terminals
    def install(fds=None, *, interval=0.2) -> None:  # type: ignore[no-redef]  # noqa: F811
        return None
