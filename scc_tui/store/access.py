"""The access file in the database, and the one permission check every write goes through.

:func:`require` is called by each store write function (declarations, assessments, CSV imports, the
log, acknowledgements, action marks, plan tests, roles, areas, the access file itself) inside its own
write transaction, with the user the write is made for, so the board and the command line share one
rule (``scc_tui.domain.access``) and a refused action writes nothing. The grants are read in that same
transaction: an access file imported a moment ago by another host is the one in force.

Records a session makes by itself (a prompt first shown, an escalation firing seen, a data file's
fingerprint) are observations, not a user's decision: they are not checked, so a viewer's board still
keeps the shared record of what fell due.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from sqlmodel import Session, select

from scc_tui.domain import access as dacc
from scc_tui.domain.access import Grant, Refused
from scc_tui.domain.errors import DataFileError
from scc_tui.store.models import AccessGrant, Area

__all__ = ["require", "grants", "import_access", "list_access", "Refused", "ImportOutcome"]


def grants(session: Session) -> dict[str, Grant] | None:
    """The access file in force: case-folded user name -> grant; None if none has been imported."""
    rows = session.exec(select(AccessGrant)).all()
    if not rows:
        return None
    return {r.key: Grant(r.username, r.role, tuple(json.loads(r.areas_json))) for r in rows}


def _parents(session: Session) -> dict[str, str | None]:
    rows = session.exec(select(Area.id, Area.key, Area.parent_id)).all()
    key_of = {i: k for i, k, _p in rows}
    return {k: key_of.get(p) for _i, k, p in rows}


def require(session: Session, user: str, action: str, areas: Iterable[str] = ()) -> None:
    """Raise :class:`Refused` (one line: who, their role, what they may not do) unless ``user`` may do
    ``action`` for every one of ``areas``. Call it inside the write transaction, before writing."""
    g = grants(session)
    if g is None:
        dacc.decide(None, user, action)  # still refuses an unknown action id
        return
    areas = list(areas)
    dacc.check(g, user, action, areas, _parents(session) if areas else None)


def may(store, user: str, action: str, areas: Iterable[str] = ()) -> str | None:
    """For a screen deciding what to offer: None if allowed, else the reason (a read, no writes)."""
    with store.read() as s:
        g = grants(s)
        if g is None:
            return None
        areas = list(areas)
        return dacc.decide(g, user, action, areas, _parents(s) if areas else None)


def list_access(store) -> list[Grant] | None:
    with store.read() as s:
        g = grants(s)
    if g is None:
        return None
    return sorted(g.values(), key=lambda x: x.name.casefold())


@dataclass
class ImportOutcome:
    users: int
    changes: list[str]
    warning: str | None
    log_seq: int | None


def import_access(store, path, *, importer: str, source: str = "cli") -> ImportOutcome:
    """Replace the access file in force by ``path`` (all or nothing), logging every role change.

    Refused (:class:`Refused`) when an access file is in force and ``importer`` is not its admin, or
    when the new file names no admin while leaving ``importer`` without admin rights; a file that names
    another admin proceeds with a warning (``ImportOutcome.warning``). An area the database does not
    know is a :class:`DataFileError` naming the file, line and field."""
    from scc_tui.datafiles.access import load_access
    from scc_tui.datafiles.base import read_toml
    from scc_tui.domain.errors import find_line
    from scc_tui.store import feed
    from scc_tui.store.log import LOCK, append_entry

    new = load_access(path)
    text, _ = read_toml(path)
    with store.write(lock=LOCK) as s:
        current = grants(s)
        refusal, warning = dacc.import_problem(current, {g.name.casefold(): g for g in new}, importer)
        if refusal is not None:
            raise Refused(refusal)
        known = set(s.exec(select(Area.key)).all())
        for i, g in enumerate(new):
            for j, a in enumerate(g.areas):
                if a.casefold() not in known:
                    field = f"user[{i}].areas[{j}]"
                    raise DataFileError(path, field, f"no area named {a!r} in this database (scc areas list)",
                                        find_line(text, field))
        changes = _changes(current or {}, new)
        now = store.clock.now()
        for row in s.exec(select(AccessGrant)).all():
            s.delete(row)
        s.flush()
        for g in new:
            s.add(AccessGrant(key=g.name.casefold(), username=g.name, role=g.role,
                              areas_json=json.dumps(list(g.areas)), imported_at=now, imported_by=importer))
        s.flush()
        seq = None
        if changes or current is None:
            body = "; ".join(changes) if changes else "no change"
            entry = append_entry(store, kind="config", author=importer, source=source,
                                 text=f"Access file imported ({len(new)} users): {body}.", session=s)
            seq = entry.seq
        feed.notify(s, "access_grant")
    return ImportOutcome(len(new), changes, warning, seq)


def _describe(g: Grant) -> str:
    return g.role + (f" for {', '.join(g.areas)}" if g.areas else "")


def _changes(old: dict[str, Grant], new: list[Grant]) -> list[str]:
    out = []
    new_keys = {g.name.casefold() for g in new}
    for g in new:
        was = old.get(g.name.casefold())
        if was is None:
            out.append(f"{g.name} {_describe(g)} (was {'viewer' if old else 'unrestricted'})")
        elif (was.role, was.areas) != (g.role, g.areas):
            out.append(f"{g.name} {_describe(g)} (was {_describe(was)})")
    for k, was in sorted(old.items()):
        if k not in new_keys:
            out.append(f"{was.name} viewer (was {_describe(was)})")
    return out
