"""Importing the access file (``scc access import``): replaces the grants and logs every role change.
Apart from :mod:`scc_tui.store.access` because it writes the log, and the log checks rights there."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import select

from scc_tui.domain import access as dacc
from scc_tui.domain.access import Grant, Refused
from scc_tui.domain.errors import DataFileError
from scc_tui.store.access import grants
from scc_tui.store.models import AccessGrant, Area

__all__ = ["import_access", "ImportOutcome"]


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
