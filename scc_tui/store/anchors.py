"""The last log head this user's scc saw, per database, kept outside the database.

``scc log verify`` and ``scc log anchor`` remember the head (seq and hash) of each database they
check, in ``log-anchors.json`` in the per-user data directory (0600). The next ``verify`` checks
that entry again as an anchor, so a log that was emptied, cut short or rewritten since is reported
even when nobody typed ``--anchor``. It is a second copy held by another account (the user's, not
the database's), not a substitute for anchors written into handovers and e-mails: whoever can
write this user's files can change it too.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["Anchor", "anchor_file", "database_key", "remembered", "remember"]


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    seen_at: str  # ISO instant, for the message


def anchor_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("scc-tui", appauthor=False)) / "log-anchors.json"


def database_key(store) -> str:
    """Which database: the SQLite file's real path, or PostgreSQL host:port/database (not the user)."""
    url = store.engine.url
    if store.dialect == "sqlite":
        return "sqlite:" + str(Path(url.database).resolve())
    return f"{store.dialect}://{url.host or ''}:{url.port or ''}/{url.database or ''}"


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(store) -> Anchor | None:
    rec = _load(anchor_file()).get(database_key(store))
    try:
        return Anchor(int(rec["seq"]), str(rec["hash"]), str(rec.get("seen_at", "")))
    except (TypeError, KeyError, ValueError):
        return None


def remember(store, seq: int, digest: str, seen_at: datetime) -> bool:
    """Keep (seq, hash) as the head seen for this database, unless a later head is already kept.
    Returns False when the file cannot be written (the check itself still stands)."""
    path = anchor_file()
    key = database_key(store)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = _load(path)
        old = data.get(key)
        if isinstance(old, dict) and isinstance(old.get("seq"), int) and old["seq"] > seq:
            return True
        data[key] = {"seq": seq, "hash": digest, "seen_at": seen_at.isoformat()}
        fd, tmp = tempfile.mkstemp(prefix=".log-anchors.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
    except OSError:
        return False
