"""Who holds which role (SCC manager, loggist, on-call director...). Append-only: the latest
assignment for a user is in force; setting a role writes a ``config`` entry to the decision log in
the same transaction, so the role history is itself on the record."""

from __future__ import annotations


from sqlmodel import Session, select

from scc_tui.domain.log import LogInputError, clean_line
from scc_tui.store.models import RoleAssignment
from scc_tui.store.queries import role_in_force  # noqa: F401 - re-exported (the log reads it from queries)

MAX_ROLE = 100


def current_roles(store) -> list[RoleAssignment]:
    """The assignment in force for every user who has one, by username."""
    with store.read() as s:
        rows = s.exec(select(RoleAssignment).order_by(RoleAssignment.username, RoleAssignment.set_at, RoleAssignment.id)).all()
    latest: dict[str, RoleAssignment] = {}
    for r in rows:
        latest[r.username] = r
    return [latest[k] for k in sorted(latest)]


def role_history(store, username: str | None = None) -> list[RoleAssignment]:
    with store.read() as s:
        q = select(RoleAssignment)
        if username:
            q = q.where(RoleAssignment.username == username)
        return list(s.exec(q.order_by(RoleAssignment.set_at, RoleAssignment.id)).all())


def set_role(store, username: str, role: str, *, set_by: str, source: str = "app",
             session: Session | None = None) -> tuple[RoleAssignment, int]:
    """Give ``username`` the role ``role``; returns (assignment, log entry seq).

    The assignment and its log entry commit together (``store.write(lock="log")``)."""
    username = clean_line(username, "user", required=True)
    role = clean_line(role, "role", required=True, max_len=MAX_ROLE)
    set_by = clean_line(set_by, "set_by", required=True)
    if session is None:
        with store.write(lock="log") as s:
            return _set_role(store, s, username, role, set_by, source)
    return _set_role(store, session, username, role, set_by, source)


def _set_role(store, s: Session, username: str, role: str, set_by: str, source: str):
    from scc_tui.store.access import require
    from scc_tui.store.log import append_entry  # roles -> log only: the log reads roles from queries

    require(s, set_by, "roles")  # only an admin changes roles (once an access file is in force)
    now = store.clock.now()
    # The author's role as it was before this change (matters when people set their own role).
    author_role = role_in_force(s, set_by, now)
    old = role_in_force(s, username)
    if old == role:
        raise LogInputError(f"role: {username} already has the role {role!r}")
    ra = RoleAssignment(username=username, role=role, set_by=set_by, set_at=now)
    s.add(ra)
    s.flush()
    was = f" (was {old})" if old else " (had no role)"
    entry = append_entry(
        store, kind="config", text=f"Role of {username} set to {role}{was}.", author=set_by,
        source=source, session=s, role=author_role, _lookup_role=False,
    )
    return ra, entry.seq
