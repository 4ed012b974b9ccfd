"""Issue 12 item 6: plain ``scc`` on an empty database. The empty board says how to reach the demo, as
this person can type it: ``.venv/bin/scc demo`` when ``scc`` is not on PATH (after the README's first
command), and the command that opens a demo made earlier."""

from __future__ import annotations

import sys

from scc_tui.app.demo_hint import empty_board_lines, scc_command
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until


async def test_the_empty_board_names_the_demo_command_and_database(store, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", [".venv/bin/scc"])
    demo = tmp_path / "xdg" / "scc-tui" / "demo.db"
    demo.parent.mkdir(parents=True)
    demo.write_bytes(b"")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    app = make_app(store, clock, refresh=False, environ={"PATH": str(tmp_path / "empty-bin")})
    async with app.run_test(size=(200, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.pause()
        text = screen_text(app)
    assert "No areas yet: this database is empty." in text
    assert "press q, then type  .venv/bin/scc demo" in text
    assert f".venv/bin/scc --db {demo}" in text
    assert ".venv/bin/scc areas import FILE.toml" in text


def test_scc_on_path_is_just_scc(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "scc"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    assert scc_command({"PATH": str(bin_dir)}, ".venv/bin/scc") == "scc"
    assert scc_command({"PATH": ""}, "/home/a/scc-tui/.venv/bin/scc") == "/home/a/scc-tui/.venv/bin/scc"
    assert scc_command({"PATH": ""}, "/usr/bin/python3") == "scc"
    lines = empty_board_lines({"PATH": ""}, argv0="x", demo_path=tmp_path / "none.db")
    assert not any("--db" in line for line in lines)  # no demo made yet: no path to offer
