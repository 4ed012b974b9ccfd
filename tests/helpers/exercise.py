"""Exercise-mode helpers: the shipped demo areas file, and checksums of a database folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_AREAS = ROOT / "scc_tui" / "data" / "areas" / "demo.toml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}
