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
from typing import Iterable

from sqlmodel import Session, select

from scc_tui.domain import access as dacc
from scc_tui.domain.access import Grant, Refused
from scc_tui.store.models import AccessGrant, Area

__all__ = ["require", "grants", "may", "list_access", "Refused"]  # importing: store.access_import


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
