"""Fixtures for exercise mode: a live database holding the shipped demo areas (and nothing an exercise
should ever change). Its checksum helpers are in ``tests/helpers/exercise.py``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scc_tui.cli import main
from tests.helpers.exercise import DEMO_AREAS


@pytest.fixture(scope="session")
def live_template(tmp_path_factory):
    d = tmp_path_factory.mktemp("live")
    db = d / "live.db"
    mp = pytest.MonkeyPatch()
    mp.delenv("SCC_NOW", raising=False)
    mp.delenv("SCC_DB", raising=False)
    try:
        assert main(["db", "upgrade", "--create", "--db", str(db)]) == 0
        assert main(["areas", "import", str(DEMO_AREAS), "--db", str(db)]) == 0
        assert main(["log", "add", "--kind", "note", "--text", "a live entry", "--db", str(db)]) == 0
    finally:
        mp.undo()
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{db}{suffix}").exists()
    return db


@pytest.fixture
def live(live_template, tmp_path, monkeypatch) -> Path:
    """A copy of the live database in its own folder (no -wal/-shm beside it)."""
    monkeypatch.delenv("SCC_DB", raising=False)
    monkeypatch.delenv("SCC_NOW", raising=False)
    folder = tmp_path / "live"
    folder.mkdir()
    db = folder / "scc.db"
    shutil.copy(live_template, db)
    return db

