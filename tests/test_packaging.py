"""Issue 9 item 16: the wheel ships the call schedules (``schedules/*.toml`` -> ``scc_tui/schedules/``) and an
installed copy finds them without a checkout. (``.ci/run`` also installs the wheel into a fresh venv and runs
``scc demo``, ``scc schedule`` and the board from there.)"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_the_schedules_and_the_installed_copy_uses_them(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "dist"),
         str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = (tmp_path / "dist").glob("scc_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "schedules").glob("*.toml")}
    assert shipped and {f"scc_tui/schedules/{n}" for n in shipped} <= names
    assert not any(n.startswith("schedules/") for n in names)  # no stray top-level package
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import scc_tui; assert scc_tui.__file__.startswith(sys.argv[1]), scc_tui.__file__;"
        "from scc_tui.datafiles.schedules import default_schedule_path, load_schedule;"
        "print(default_schedule_path()); print(load_schedule().title)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code, str(site)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    path, title = r.stdout.splitlines()
    assert Path(path).is_relative_to(site / "scc_tui" / "schedules") and title


def test_a_checkout_uses_the_top_level_schedules():
    from scc_tui.datafiles.schedules import default_schedule_path

    assert default_schedule_path({}) == ROOT / "schedules" / "kent-medway-winter.toml"


def test_the_wheel_smoke_board_check_runs_against_this_checkout(tmp_path, monkeypatch):
    """``.ci/wheel_board.py`` calls the app directly; it runs only at CI's last step, from a wheel.
    Run its board check here on a demo database so an API change to ``SccApp`` fails a test, not CI."""
    import asyncio
    import importlib.util

    from scc_tui.settings import Settings, installed
    from scc_tui.store.demo import create_demo

    spec = importlib.util.spec_from_file_location("wheel_board", ROOT / ".ci" / "wheel_board.py")
    wheel_board = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wheel_board)
    db = tmp_path / "demo.db"
    settings = Settings.from_environ({"SCC_NOW": "2026-01-13T09:00:00+00:00"})
    create_demo(f"sqlite:///{db}", settings.clock(), days=3)
    from scc_tui.cli import _register_plans
    from scc_tui.datafiles.schedules import default_schedule_path

    with installed(settings):
        _register_plans()
        assert asyncio.run(wheel_board._board(str(db), settings, default_schedule_path())) == 0
