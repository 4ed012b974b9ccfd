"""Import areas from a TOML file (one transaction) and list them.

* Re-importing updates areas in place (matched by name, ignoring case): kind, parent, method,
  plan_area, short name, order, and the spelling of the name.
* Areas in the database but not in the file are **kept** (and reported) unless ``prune=True``. With
  ``prune``, an area with history (any assessment or declaration) is never removed: the whole import
  is refused, naming it. Areas without history are removed.
* A ``config`` entry is appended to the decision log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from scc_tui.datafiles.areas import AreaSpec, load_areas
from scc_tui.domain.area_match import AreaRef
from scc_tui.domain.errors import SccError
from scc_tui.domain.text import check_text
from scc_tui.store import feed
from scc_tui.store.models import Area, Assessment, Declaration

__all__ = ["AreaImportError", "ImportResult", "import_areas", "import_area_specs", "list_areas", "area_refs",
           "load_area_refs"]


class AreaImportError(SccError):
    pass


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # in the database, not in the file, not pruned

    def summary(self) -> str:
        text = (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed")
        if self.kept:
            text += f"; {len(self.kept)} not in the file kept ({', '.join(self.kept[:5])}"
            text += f" +{len(self.kept) - 5}" if len(self.kept) > 5 else ""
            text += "; --prune removes those without history)"
        return text


def import_areas(store, path: str | Path, *, author: str, prune: bool = False, log: bool = True) -> ImportResult:
    specs = load_areas(path)
    return import_area_specs(store, specs, author=author, prune=prune, log=log, source_name=Path(path).name)


def import_area_specs(store, specs: list[AreaSpec], *, author: str, prune: bool = False, log: bool = True,
                      source_name: str = "areas") -> ImportResult:
    for sp in specs:  # the loader checked the file; specs built in code pass the same door
        for name in ("name", "kind", "parent", "short_name", "method", "plan_area"):
            check_text(getattr(sp, name), f"area {sp.sort_order}: {name}", error=AreaImportError)
    now = store.clock.now()
    res = ImportResult()
    with store.write(lock="log" if log else None) as s:
        from scc_tui.store.access import require

        require(s, author, "areas")
        existing = {a.key: a for a in s.exec(select(Area)).all()}
        wanted = {sp.key for sp in specs}
        by_key: dict[str, Area] = {}
        # 1. add or update (parents set in step 2, once every area has an id)
        for sp in specs:
            a = existing.get(sp.key)
            if a is None:
                a = Area(name=sp.name, key=sp.key, kind=sp.kind, method=sp.method, plan_area=sp.plan_area,
                         short_name=sp.short_name, sort_order=sp.sort_order, created_at=now, updated_at=now)
                s.add(a)
                res.added.append(sp.name)
            by_key[sp.key] = a
        s.flush()
        for sp in specs:
            a = by_key[sp.key]
            parent_id = by_key[sp.parent.casefold()].id if sp.parent else None
            new = dict(name=sp.name, kind=sp.kind, parent_id=parent_id, method=sp.method, plan_area=sp.plan_area,
                       short_name=sp.short_name, sort_order=sp.sort_order)
            changed = {k: v for k, v in new.items() if getattr(a, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(a, k, v)
                if sp.name not in res.added:
                    a.updated_at = now
                    res.updated.append(sp.name)
            elif sp.name not in res.added:
                res.unchanged.append(sp.name)
        # 2. areas not in the file
        missing = [a for k, a in existing.items() if k not in wanted]
        if missing and not prune:
            res.kept = sorted(a.name for a in missing)
        elif missing:
            ids = [a.id for a in missing]
            used = set(s.execute(sa.select(Assessment.area_id).where(Assessment.area_id.in_(ids)).distinct()).scalars())
            used |= set(s.execute(sa.select(Declaration.area_id).where(Declaration.area_id.in_(ids)).distinct()).scalars())
            if used:
                names = sorted(a.name for a in missing if a.id in used)
                raise AreaImportError(
                    f"cannot remove {len(names)} area(s) with history: {', '.join(names)} "
                    "(keep them in the file; history is never deleted)"
                )
            # Children first (a removed area may parent another removed area).
            for a in missing:
                a.parent_id = None
            s.flush()
            for a in missing:
                s.delete(a)
                res.removed.append(a.name)
            s.flush()
        if log and (res.added or res.updated or res.removed):
            _log(store, s, source_name, res, author)
        feed.notify(s, "area")
    return res


def _log(store, s: Session, source_name: str, res: ImportResult, author: str) -> None:
    try:
        from scc_tui.store.log import append_entry
    except ImportError:  # pragma: no cover - the log ships with the store
        return
    parts = [f"areas imported from {source_name}: {res.summary()}"]
    for label, names in (("added", res.added), ("updated", res.updated), ("removed", res.removed)):
        if names:
            shown = ", ".join(names[:20]) + (f" +{len(names) - 20}" if len(names) > 20 else "")
            parts.append(f"{label}: {shown}")
    append_entry(store, kind="config", text=". ".join(parts), author=author, source="cli", session=s)


def list_areas(session: Session) -> list[Area]:
    """All areas in hierarchy order."""
    from scc_tui.store.queries import hierarchy_order

    return hierarchy_order(session.exec(select(Area)).all())


def area_refs(session: Session) -> list[AreaRef]:
    """Every area as :class:`~scc_tui.domain.area_match.AreaRef` (names, short names, parents), in
    hierarchy order: what area names typed by a user are matched against."""
    rows = list_areas(session)
    by_id = {a.id: a.name for a in rows}
    return [AreaRef(a.name, a.short_name, by_id.get(a.parent_id), a.plan_area) for a in rows]


def load_area_refs(store) -> list[AreaRef]:
    """:func:`area_refs` in a read transaction of its own."""
    with store.read() as s:
        return area_refs(s)
