"""The board's first read: every area's status from a SQLite file through the standard library's
``sqlite3``, before SQLAlchemy, SQLModel, pydantic and Alembic are imported (issue 11 item 9: they
cost more than Textual itself to import).

Same statuses as :func:`scc_tui.store.queries.area_statuses` except staleness (see ``_statuses``): the
same rows (the same two reads, written here as SQL text), the same windows and rules
(:mod:`scc_tui.store.history`). Used only when
it is safe to skip the normal open: a SQLite file whose schema revision is the newest migration's
(read from the migration files, without Alembic). Anything else, or any error, returns ``None`` and
the caller opens the store the normal way (which migrates, refuses or reports, as always).

The read is one transaction on a read-only connection: it never writes, never creates a file.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterable, NamedTuple

from scc_tui.domain.status import AreaStatus, StatusRecord

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REV = re.compile(r"^(down_revision|revision)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|None)", re.M)
BUSY_TIMEOUT_S = 2.0


class AreaRow(NamedTuple):
    id: int
    name: str
    kind: str
    parent_id: int | None
    method: str | None
    sort_order: int | None
    short_name: str | None
    plan_area: str | None


def head_revision() -> str | None:
    """The newest migration's revision id, read from the files (None: not exactly one head)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for f in VERSIONS.glob("*.py"):
        found = {m.group(1): (m.group(2) or m.group(3)) for m in _REV.finditer(f.read_text(encoding="utf-8"))}
        if found.get("revision"):
            revisions.add(found["revision"])
            if found.get("down_revision"):
                downs.add(found["down_revision"])
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (None for anything else)."""
    if not url.startswith("sqlite:///"):
        return None
    rest = url[len("sqlite:///"):].split("?", 1)[0]
    return Path(rest) if rest and rest != ":memory:" else None


def _text(at: datetime) -> str:
    # How SQLAlchemy stores a DateTime on SQLite (naive UTC, microseconds): compared as text.
    return at.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def board_statuses(url: str, at: datetime) -> list[AreaStatus] | None:
    """Every area's status at ``at`` in hierarchy order, or None when this quick read does not apply."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                              isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")  # one snapshot for every read below
        try:
            (revision,) = con.execute("SELECT version_num FROM alembic_version").fetchone() or (None,)
        except sqlite3.Error:
            return None
        if revision is None or revision != head_revision():
            return None
        return _statuses(con, at)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def _statuses(con: sqlite3.Connection, at: datetime) -> list[AreaStatus]:
    from scc_tui.store.history import hierarchy_order, load_history, status_of

    areas = [AreaRow(*r) for r in con.execute("SELECT id, name, kind, parent_id, method, sort_order, short_name, plan_area FROM area")]

    def records(ids: Iterable[int] | None, since: datetime | None, before: datetime,
                inclusive: bool) -> dict[int, list[StatusRecord]]:
        out: dict[int, list[StatusRecord]] = defaultdict(list)
        ids = list(ids) if ids is not None else None
        if ids is not None and not ids:
            return out
        for table, tcol, kind, score in (("assessment", "assessed_at", "assessment", "score, max_score"),
                                         ("declaration", "declared_at", "declaration", "NULL, NULL")):
            sql = f"SELECT id, area_id, {tcol}, level, author, {score} FROM {table} WHERE {tcol} {'<=' if inclusive else '<'} ?"
            args: list = [_text(before)]
            if since is not None:
                sql += f" AND {tcol} >= ?"
                args.append(_text(since))
            if ids is not None:
                sql += f" AND area_id IN ({','.join('?' * len(ids))})"
                args += ids
            for rid, area_id, t, level, author, s, m in con.execute(sql, args):
                out[area_id].append(StatusRecord(at=_instant(t), kind=kind, level=level, id=rid, author=author,
                                                 score=s, max_score=m))
        return out

    def first_times(ids: Iterable[int] | None) -> dict[int, datetime]:
        out: dict[int, datetime] = {}
        ids = list(ids) if ids is not None else None
        for table, tcol in (("assessment", "assessed_at"), ("declaration", "declared_at")):
            sql = f"SELECT area_id, min({tcol}) FROM {table}"
            args: list = []
            if ids is not None:
                sql += f" WHERE area_id IN ({','.join('?' * len(ids))})"
                args = ids
            for area_id, first in con.execute(sql + " GROUP BY area_id", args):
                if first is not None:
                    t = _instant(first)
                    if area_id not in out or t < out[area_id]:
                        out[area_id] = t
        return out

    recs = load_history(records, first_times, None, at)
    # No submission times (``due_by=None``, so nothing is STALE yet): they come from data files whose
    # validation imports pydantic and loads every plan, which would double the wait for this frame.
    # The full read right after it marks what is stale.
    return [status_of(a, recs.get(a.id, []), at, None) for a in hierarchy_order(areas)]
