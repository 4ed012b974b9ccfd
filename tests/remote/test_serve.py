"""Issue 14 item 2: `scc serve` answers on loopback, serves the app page, and the page's websocket
runs the board (its first screen names a demo area). Loopback by default; a warning when bound
elsewhere; the database URL never appears on a command line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from scc_tui.cli.serve import child_command, exposure_warning, is_loopback

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_loopback_hosts(host):
    assert is_loopback(host) and exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "scc.example.nhs.uk"])
def test_other_hosts_are_warned_about(host):
    w = exposure_warning(host)
    assert w is not None and "no authentication" in w and "reverse proxy" in w


def test_the_child_command_holds_no_database_url():
    assert "--db" not in child_command() and "scc_tui tui" in child_command()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo.db"
    env = {**os.environ, "SCC_NOW": "2026-11-23T11:00:00+00:00"}
    subprocess.run([sys.executable, "-m", "scc_tui", "demo", "--no-open", "--days", "2", "--db", str(db)],
                   check=True, env=env, capture_output=True, timeout=120)
    return db


def test_serve_answers_on_loopback_and_runs_the_board(demo_db, tmp_path):
    import aiohttp

    port = _free_port()
    env = {**os.environ, "SCC_NOW": "2026-11-23T11:00:00+00:00"}
    env.pop("SCC_DB", None)
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "scc_tui", "serve", "--port", str(port), "--db", str(demo_db)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        async def session() -> tuple[str, str]:
            async with aiohttp.ClientSession() as http:
                page = ""
                for _ in range(300):  # bounded: up to 60 s for the server to come up on a busy machine
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/") as r:
                            assert r.status == 200
                            page = await r.text()
                            break
                    except aiohttp.ClientConnectorError:
                        await asyncio.sleep(0.2)
                assert page, "scc serve did not answer"
                seen = ""
                async with http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws:
                    await ws.send_json(["resize", {"width": 100, "height": 30}])
                    deadline = time.monotonic() + 90
                    while "East Kent" not in seen and time.monotonic() < deadline:
                        try:
                            msg = await ws.receive(timeout=5)
                        except asyncio.TimeoutError:
                            continue
                        if msg.type == aiohttp.WSMsgType.BINARY:
                            seen += msg.data.decode("utf-8", "replace")
                        elif msg.type == aiohttp.WSMsgType.TEXT:
                            seen += msg.data
                        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                            break
                return page, seen

        page, seen = asyncio.run(session())
        assert f"ws://127.0.0.1:{port}/ws" in page and "SCC board" in page
        assert "East Kent" in seen, seen[-2000:]
        # nobody else's command line shows the database: the tab's process got it from the environment
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        assert str(demo_db) not in "".join(line for line in ps.splitlines() if "scc_tui tui" in line)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    out = (tmp_path / "serve.log").read_text(errors="replace")
    assert f"http://127.0.0.1:{port}" in out and "warning" not in out.lower()
