"""Areas file (TOML) -> validated list of :class:`AreaSpec`.

Format (README "Data and the store")::

    [[area]]
    name = "Kent and Medway ICS"      # required, unique (case-insensitive)
    kind = "ics"                      # region | ics | system | provider | council | la-area
    parent = "South East"             # another area in this file (omit for a top-level area)
    short_name = "K&M"                # optional, up to 40 characters (narrow terminals)
    method = "acute-2023"             # optional scoring method id or family (see `scc score --list`)
    plan_area = "Swale"               # optional: the plan's area for per-area bands (e.g. kcc-asc)

Kinds (``scc_tui.domain.kinds``): ``provider`` is an NHS provider (acute, community, mental health,
111, ambulance): only providers make an ICS or system "act at OPEL 3/4". A local authority is a
``council``, with its ``la-area``s under it; an ``la-area`` may also sit directly under a system or an
ICS. Each kind may only sit under certain kinds (``ALLOWED_PARENTS``).

Areas are shown in file order among siblings of the same kind. Every problem is a
:class:`~scc_tui.domain.errors.DataFileError` naming the file, the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, data_error, read_toml, validate
from scc_tui.domain.kinds import ALLOWED_PARENTS, KIND_TITLES, KINDS

__all__ = ["AreaSpec", "KINDS", "load_areas", "parse_areas", "packaged_areas_file"]


class _AreaModel(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["region", "ics", "system", "provider", "council", "la-area"]
    parent: str | None = Field(default=None, min_length=1, max_length=200)
    short_name: str | None = Field(default=None, min_length=1, max_length=40)
    method: str | None = Field(default=None, min_length=1, max_length=100)
    plan_area: str | None = Field(default=None, min_length=1, max_length=100)


class _FileModel(StrictModel):
    area: list[_AreaModel] = Field(min_length=1)


@dataclass(frozen=True)
class AreaSpec:
    name: str
    kind: str
    parent: str | None
    short_name: str | None
    method: str | None
    plan_area: str | None
    sort_order: int

    @property
    def key(self) -> str:
        return self.name.casefold()


def _a(kind: str | None) -> str:
    """"an ICS (ics)", "a council (council)", "the top level (no parent)"."""
    if kind is None:
        return "the top level (no parent)"
    title = KIND_TITLES[kind]
    return ("an " if title[0] in "aeiou" or title.startswith(("ICS", "NHS")) else "a ") + f"{title} ({kind})"


def _kind_rank(kind: str | None) -> int:
    return -1 if kind is None else KINDS.index(kind)


def packaged_areas_file(name: str = "demo") -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "areas" / f"{name}.toml"


def load_areas(path: str | Path, *, check_methods: bool = True) -> list[AreaSpec]:
    text, data = read_toml(path)
    return parse_areas(text, data, path, check_methods=check_methods)


def _known_methods() -> dict[str, set[str]] | None:
    """{method id or family (casefolded): plan areas (casefolded)} or None if scoring is unavailable."""
    try:
        from scc_tui.datafiles.methods import default_registry
        from scc_tui.domain.scoring import list_methods

        methods = list_methods(default_registry())
    except ImportError:  # pragma: no cover - scoring ships with the app
        return None
    out: dict[str, set[str]] = {}
    for m in methods:
        areas = {a.casefold() for a in (m.areas or ())}
        for name in (m.id, m.family):
            out.setdefault(name.casefold(), set()).update(areas)
    return out


def parse_areas(text: str, data: dict, path: str | Path = "<areas>", *, check_methods: bool = True) -> list[AreaSpec]:
    model = validate(_FileModel, data, path, text)
    specs: list[AreaSpec] = []
    first_at: dict[str, int] = {}
    for i, a in enumerate(model.area):
        key = a.name.casefold()
        if key in first_at:
            raise data_error(path, text, f"area[{i}].name",
                             f"duplicate area {a.name!r} (names are compared ignoring case; first at area[{first_at[key]}])")
        first_at[key] = i
        specs.append(AreaSpec(a.name, a.kind, a.parent, a.short_name, a.method, a.plan_area, i))
    for i, s in enumerate(specs):
        if s.parent is not None and s.parent.casefold() not in first_at:
            raise data_error(path, text, f"area[{i}].parent", f"unknown parent {s.parent!r} (it must be an area in this file)")
        if s.parent is not None and s.parent.casefold() == s.key:
            raise data_error(path, text, f"area[{i}].parent", f"{s.name!r} cannot be its own parent")
    # Cycles and depth: follow parents from each area, at most MAX_DEPTH steps (so O(areas)).
    from scc_tui.domain.hierarchy import MAX_DEPTH

    parent_of = {s.key: (s.parent.casefold() if s.parent else None) for s in specs}
    for i, s in enumerate(specs):
        seen = {s.key}
        p = parent_of[s.key]
        while p is not None:
            if p in seen:
                raise data_error(path, text, f"area[{i}].parent", f"parent cycle through {s.name!r}")
            if len(seen) >= MAX_DEPTH:
                raise data_error(path, text, f"area[{i}].parent",
                                 f"{s.name!r} is nested more than {MAX_DEPTH} levels deep (region > ICS > system > "
                                 "provider > ... needs five)")
            seen.add(p)
            p = parent_of[p]
    # Kinds: what may sit under what (a council's areas under the council, a system, or an ICS).
    kind_of = {s.key: s.kind for s in specs}
    for i, s in enumerate(specs):
        allowed = ALLOWED_PARENTS[s.kind]
        parent_kind = kind_of[s.parent.casefold()] if s.parent is not None else None
        if parent_kind in allowed:
            continue
        under = " or ".join(_a(k) for k in sorted(allowed, key=_kind_rank))
        if parent_kind is None:
            raise data_error(path, text, f"area[{i}].parent", f"{_a(s.kind)} needs a parent: {under}")
        hint = ""
        if s.kind == "la-area" and parent_kind == "provider":
            hint = f" (a local authority is not an NHS provider: set kind = \"council\" for {s.parent!r})"
        raise data_error(path, text, f"area[{i}].parent",
                         f"{_a(s.kind)} cannot sit under {s.parent!r}, {_a(parent_kind)}; it may sit under {under}{hint}")
    if check_methods:
        known = _known_methods()
        if known is not None:
            for i, s in enumerate(specs):
                if s.method is None:
                    if s.plan_area is not None:
                        raise data_error(path, text, f"area[{i}].plan_area", "plan_area needs a method")
                    continue
                if s.method.casefold() not in known:
                    names = ", ".join(sorted(known))
                    raise data_error(path, text, f"area[{i}].method", f"unknown method {s.method!r} (known: {names})")
                areas = known[s.method.casefold()]
                if s.plan_area is not None and areas and s.plan_area.casefold() not in areas:
                    raise data_error(path, text, f"area[{i}].plan_area",
                                     f"{s.plan_area!r} is not an area of {s.method} (its areas: {', '.join(sorted(areas))})")
    return specs
