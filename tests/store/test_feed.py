"""The change feed sees commits from other connections and other OS processes, and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime

import pytest

from scc_tui.domain.clock import UTC
from scc_tui.store.feed import ChangeFeed, notify
from scc_tui.store.models import Area

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

WRITER = r"""
import sys, time
from datetime import datetime, UTC
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.feed import notify
from scc_tui.store.models import Area
st = Store(resolve_url(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
now = datetime.now(UTC)
with st.write() as s:
    s.add(Area(name=sys.argv[2], key=sys.argv[2].casefold(), kind="provider", created_at=now, updated_at=now))
    notify(s, "area")
print(time.time(), flush=True)
"""


def _area(s, name):
    s.add(Area(name=name, key=name.casefold(), kind="provider", created_at=NOW, updated_at=NOW))


def test_poll_sees_a_commit_once(store):
    feed = ChangeFeed.for_store(store)
    try:
        assert feed.poll() is False
        with store.write() as s:
            _area(s, "A")
            notify(s, "area")
        assert feed.wait(5) is True
        assert feed.poll() is False  # consumed
    finally:
        feed.close()


def test_rolled_back_write_is_not_a_change(store):
    feed = ChangeFeed.for_store(store)
    try:
        with pytest.raises(RuntimeError):
            with store.write() as s:
                _area(s, "B")
                notify(s, "area")
                s.flush()
                raise RuntimeError("boom")
        time.sleep(0.2)
        assert feed.poll() is False
    finally:
        feed.close()


def test_change_from_another_process_is_seen_within_a_second(store, db_url, record_property):
    feed = ChangeFeed.for_store(store)
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    latencies = []
    try:
        for i in range(3):
            p = subprocess.Popen([sys.executable, "-c", WRITER, db_url, f"Area {i}"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
            feed.poll()  # consume the child's own schema check, if any
            p.stdin.write("go\n")
            p.stdin.flush()
            deadline = time.monotonic() + 10
            seen = None
            while time.monotonic() < deadline:
                if feed.poll():
                    seen = time.time()
                    break
                time.sleep(0.005)
            committed = float(p.stdout.readline())
            p.wait(timeout=30)
            assert p.returncode == 0, p.stderr.read()
            assert seen is not None, "change not seen within 10 s"
            latencies.append(max(0.0, seen - committed))
    finally:
        feed.close()
    record_property("feed_latency_s", latencies)
    print(f"feed latency ({store.dialect}): {[round(x * 1000, 1) for x in latencies]} ms")
    assert max(latencies) < 5.0


def test_feed_recovers_after_its_connection_is_lost(store):
    feed = ChangeFeed.for_store(store)
    try:
        feed._conn.close()  # the server restarted, the laptop slept...
        assert feed.poll() is True  # "re-read": something may have been missed
        assert feed.poll() is False
        with store.write() as s:
            _area(s, "C")
            notify(s, "area")
        assert feed.wait(5) is True
    finally:
        feed.close()
