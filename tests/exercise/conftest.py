"""Fixtures for exercise mode: a live database holding the shipped demo areas (and nothing an exercise
should ever change), and helpers to checksum it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from scc_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO_AREAS = ROOT / "scc_tui" / "data" / "areas" / "demo.toml"


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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}
