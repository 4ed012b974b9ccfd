"""What a group row (an area with areas under it) says about the areas below it (pure).

Used by the board (``scc_tui.app.board.model``), ``scc status`` and anything else that shows a group, so
that every view says the same words.

* **Acts at OPEL 3/4** (regions, ICSs and systems): when any NHS provider below is at OPEL 3 or 4,
  whatever the aggregate — "implement all OPEL 3 or 4 actions if any provider within their region is
  assessed as OPEL 3 or 4, regardless of the aggregated OPEL score" (KCC ASC OPEL plan v1.8 Appendix 4;
  v1.7 Appendix 3). Only kinds in :data:`~scc_tui.domain.kinds.NHS_PROVIDER_KINDS` count: a council
  or a local-authority area at OPEL 4 does not make the ICS act at OPEL 4. The rule itself is
  :func:`scc_tui.domain.scoring.aggregate`.
* **A council's suggestion**: its organisation level is the manager's declaration "according to
  available trend data for each indicator" (KCC ASC OPEL plan v1.8 §8); the worst of its areas is only
  a suggestion, never its level.
* **Own level**: a group's own declared level is its area status (``level``), shown beside these.
* **Stale count**: how many areas below owe a submission and are overdue (a group row is never stale
  because of its children).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from scc_tui.domain.kinds import ACTING_KINDS, is_nhs_provider
from scc_tui.domain.scoring import aggregate, suggest_level

__all__ = ["GroupView", "group_views", "children_of", "short_names"]


@dataclass(frozen=True)
class GroupView:
    area_id: int
    kind: str
    worst: int | None  # worst level below (providers, councils' areas): information, not a rule
    acts_at: int | None  # regions, ICSs, systems: 3 or 4 when an NHS provider below is at 3/4
    acts_because: tuple[str, ...] = ()  # the providers at ``acts_at``
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # areas below at OPEL 1..4 (leaves and providers)
    suggested: int | None = None  # councils: the worst of its areas, a suggestion for the manager
    suggested_from: tuple[str, ...] = ()  # the areas at ``suggested``
    stale: int = 0  # areas below that owe a submission and are overdue

    def text(self) -> str:
        """The words the board and ``scc status`` show for the group."""
        if self.acts_at is not None:
            return f"acts at OPEL {self.acts_at} because {short_names(self.acts_because)}"
        if self.suggested is not None:
            return f"areas suggest OPEL {self.suggested} ({short_names(self.suggested_from)}); the manager declares"
        if self.worst is not None:
            return f"worst OPEL {self.worst}"
        return "no levels yet"

    def to_json(self) -> dict[str, Any]:
        return {
            "acts_at": self.acts_at,
            "acts_because": list(self.acts_because),
            "worst": self.worst,
            "suggested_level": self.suggested,
            "suggested_from": list(self.suggested_from),
            "stale_below": self.stale,
            "summary": self.text(),
        }


def short_names(names: Sequence[str]) -> str:
    """Up to two names, then "+N" for the rest (as the board shows them)."""
    return ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def children_of(statuses: Sequence[Any]) -> dict[int | None, list[Any]]:
    """Parent id -> children, in input order (an unknown parent counts as the top level). Bounded like
    every view of the hierarchy (``domain.hierarchy``): a chain deeper than MAX_DEPTH continues from the
    top level and a cycle is cut, so the work per group stays small."""
    from scc_tui.domain.hierarchy import bounded_parents

    parents = bounded_parents({_get(s, "area_id"): _get(s, "parent_id") for s in statuses})
    out: dict[int | None, list[Any]] = {}
    for s in statuses:
        out.setdefault(parents[_get(s, "area_id")], []).append(s)
    return out


def group_views(statuses: Iterable[Any]) -> dict[int, GroupView]:
    """``{area_id: GroupView}`` for every area that has areas under it.

    ``statuses`` are ``AreaStatus``-shaped (``area_id``, ``name``, ``kind``, ``parent_id``, ``level``,
    ``stale``). Raises whatever :func:`~scc_tui.domain.scoring.aggregate` raises: a view that cannot be
    formed is an error, never a guess.
    """
    rows = list(statuses)
    children = children_of(rows)

    def below(area_id: int) -> list[Any]:
        out: list[Any] = []
        stack = list(reversed(children.get(area_id, ())))
        seen: set[int] = set()
        while stack:
            s = stack.pop()
            aid = _get(s, "area_id")
            if aid in seen:  # defensive: cycles are refused on import
                continue
            seen.add(aid)
            out.append(s)
            stack.extend(reversed(children.get(aid, ())))
        return out

    views: dict[int, GroupView] = {}
    for s in rows:
        aid = _get(s, "area_id")
        if not children.get(aid):
            continue
        desc = below(aid)
        counted = [d for d in desc if not children.get(_get(d, "area_id")) or is_nhs_provider(_get(d, "kind"))]
        levels = {_get(d, "name"): _get(d, "level") for d in counted}
        kinds = {_get(d, "name"): _get(d, "kind") for d in counted}
        result = aggregate(levels, kinds=kinds)
        kind = _get(s, "kind")
        acting = kind in ACTING_KINDS
        suggested = None
        suggested_from: tuple[str, ...] = ()
        if kind == "council":
            area_levels = {_get(d, "name"): _get(d, "level") for d in desc if _get(d, "kind") == "la-area"}
            suggested = suggest_level([lv for lv in area_levels.values() if lv is not None])
            if suggested is not None:
                suggested_from = tuple(n for n, lv in area_levels.items() if lv == suggested)
        views[aid] = GroupView(
            area_id=aid,
            kind=kind,
            worst=result.worst,
            acts_at=result.acts_at if acting else None,
            acts_because=result.because if acting else (),
            counts=tuple(result.counts[n] for n in (1, 2, 3, 4)),  # type: ignore[arg-type]
            suggested=suggested,
            suggested_from=suggested_from,
            stale=sum(1 for d in desc if _get(d, "stale")),
        )
    return views
