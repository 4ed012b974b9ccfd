"""The board's escalation badges, from the firings active now (pure: the seam reads, this shapes).

Each status gets ``badge`` (⚑ with the count of firings to acknowledge, · for firings needing none),
``escalation_line`` ("include STP & LA": whom the rules say to include), ``escalations`` (its
firings), ``action_progress`` (action-card progress) and ``escalation_error`` (why the rules did not
evaluate, else None).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

__all__ = ["attach_badges", "short_role"]


def short_role(role: str) -> str:
    """'STP (now Kent and Medway ICB)' -> 'STP' (the words before any bracket)."""
    return role.split(" (", 1)[0].strip()


def attach_badges(statuses: Iterable[Any], items: Iterable[Any], progress: Mapping[str, str],
                  error: str | None) -> None:
    """Give each status its escalation badge and line, firings and action-card progress, from the
    active firings ``items`` (``ActiveFiring``) and ``progress`` by area name. A rule file that does
    not load: no badges, and ``error`` on every status (never a traceback)."""
    by_area: dict[str, list] = {}
    for i in items:
        by_area.setdefault(i.firing.area, []).append(i)
    for s in statuses:
        mine = by_area.get(s.name, [])
        open_ = [i for i in mine if i.firing.needs_ack and not i.ack]
        inclusions = [i for i in mine if i.firing.include and i.firing.calls]
        s.badge = ("⚑" + (str(len(open_)) if len(open_) > 1 else "")) if open_ else ("·" if mine else "")
        line = ""
        if inclusions:
            roles = list(dict.fromkeys(short_role(r) for i in inclusions for r in i.firing.include))
            line = "include " + " & ".join(roles)
        s.escalation_line = line
        s.escalations = mine
        s.action_progress = progress.get(s.name, "")
        s.escalation_error = error
