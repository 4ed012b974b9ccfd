"""The board's first frame comes before SQLAlchemy, pydantic, Alembic, APScheduler and holidays are
imported; the store, the full read (escalation badges, staleness), prompts and the data-file audit
follow (issue 11 item 9). Run through the CLI's real start path (``cli.tui.open_app``), headless, in a
fresh interpreter so ``sys.modules`` says what the start path imported. No timings here: those are in
``benchmarks/first_paint.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from scc_tui.domain.clock import FixedClock
from scc_tui.store.demo import create_demo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "apscheduler", "holidays")

SCRIPT = r"""
import functools, json, sys
from datetime import datetime, UTC
from textual.app import App
from scc_tui.app.app import SccApp
from scc_tui.domain.clock import FixedClock

HEAVY = %(heavy)r
seen = {"reasons": []}
handle = SccApp.on_statuses_loaded

def on_statuses_loaded(self, message):
    seen["reasons"].append(message.reason)
    if len(seen["reasons"]) == 1:
        seen["heavy_at_first"] = sorted(m for m in HEAVY if m in sys.modules)
        seen["opened_at_first"] = self.seam.store.opened  # the CLI's DeferredStore, behind DbSeam
        seen["levels_at_first"] = sum(1 for s in message.statuses if s.level)
    handle(self, message)
    if message.reason == "start":
        shown = [item.status for item in self.board.by_id.values()]  # what the board draws
        seen["badges"] = sum(1 for s in shown if s.badge)
        seen["due"] = sum(1 for s in shown if s.due_by is not None)
        self.set_timer(0.5, lambda: self.exit())

def on_unmount(self):
    seen["prompts"] = self.prompts is not None and self.prompts.running
    seen["opened"] = self.seam.store.opened

SccApp.on_statuses_loaded = on_statuses_loaded
SccApp._on_unmount = on_unmount
SccApp.run = functools.partialmethod(App.run, headless=True)
from scc_tui.cli import _register_plans
from scc_tui.cli.tui import open_app
_register_plans()  # as scc_tui.cli.main does
code = open_app(%(url)r, FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
print(json.dumps({"code": code, **seen}))
"""


def test_first_frame_before_the_heavy_imports_then_the_full_read(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    create_demo(url, FixedClock(NOW))
    out = subprocess.run([sys.executable, "-c", SCRIPT % {"heavy": HEAVY, "url": url}], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0
    assert seen["reasons"][:2] == ["first", "start"]
    assert seen["heavy_at_first"] == []  # the first frame's data came without them
    assert seen["opened_at_first"] is False  # the store (and its migration check) opens after it
    assert seen["levels_at_first"] > 4
    assert seen["badges"] > 0 and seen["due"] > 0  # then the full read: badges, submission times
    assert seen["prompts"] is True and seen["opened"] is True


def test_warm_up_names_real_modules():
    """The modules imported in the background once the board is up (``SccApp.WARM_UP``) exist: a
    renamed screen must not leave its first open slow without anyone noticing."""
    import importlib

    from scc_tui.app.app import SccApp

    for name in SccApp.WARM_UP:
        importlib.import_module(name)
