"""Gather the upward sitrep (``scc_tui.domain.sitrep``) from the database, and log it when it is sent."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scc_tui.domain.clock import ensure_aware
from scc_tui.domain.errors import SccError
from scc_tui.domain.sitrep import Sitrep, SitrepArea, SitrepDecision

__all__ = ["gather_sitrep", "log_sitrep"]


def gather_sitrep(store, at: datetime | None = None, *, area: str | None = None, cut_by: str) -> Sitrep:
    """Every area (or ``area`` and every area under it) at ``at`` (default: now)."""
    from scc_tui.domain.area_match import area_and_below, match_area
    from scc_tui.domain.groups import group_views
    from scc_tui.domain.hierarchy import bounded_parents
    from scc_tui.domain.status import day_start
    from scc_tui.store.areas import area_refs
    from scc_tui.store.log import list_entries
    from scc_tui.store.queries import area_statuses

    at = ensure_aware(at or store.clock.now()).astimezone(UTC)
    with store.read() as s:
        refs = area_refs(s)
        statuses = list(area_statuses(s, at))
    scope = None
    names: set[str] | None = None
    if area is not None:
        scope = match_area(area, refs).name
        names = set(area_and_below(scope, refs))
    views = group_views(statuses)
    parents = bounded_parents({st.area_id: st.parent_id for st in statuses})

    def depth(aid: int) -> int:
        d, n = 0, parents.get(aid)
        while n is not None and d < 10:
            d, n = d + 1, parents.get(n)
        return d

    rows: list[SitrepArea] = []
    for st in statuses:
        if names is not None and st.name not in names:
            continue
        d = depth(st.area_id)
        g = views.get(st.area_id)
        rows.append(SitrepArea(
            name=st.name, kind=st.kind, depth=d, level=st.level, score=st.score, max_score=st.max_score,
            days_at_level=st.days_at_level, trend=st.trend, stale=st.stale,
            acts_at=g.acts_at if g is not None and g.acts_at is not None and g.acts_at >= 3 else None,
            acts_because=tuple(g.acts_because) if g is not None else ()))
    base = min((r.depth for r in rows), default=0)
    rows = [SitrepArea(**{**r.__dict__, "depth": r.depth - base}) for r in rows]
    in_scope = {r.name for r in rows}

    firings: list[str] = []
    actions_out: list[str] = []
    try:
        from scc_tui.store import escalations

        active, due = escalations.active_and_due(store, at)
        for a in active:
            f = a.firing
            if f.area in in_scope:
                ref = f"#{a.record.id} " if a.record is not None else ""
                state = "acknowledged" if a.ack else ("NOT ACKNOWLEDGED" if f.needs_ack else "open")
                firings.append(f"{ref}{f.message} ({f.why}) — {state}")
        from scc_tui.domain.actions import progress

        seen: set[str] = set()
        for d in due:
            if d.area in in_scope and d.area not in seen:
                open_n = sum(1 for x in due if x.area == d.area and x.open)
                if open_n:
                    seen.add(d.area)
                    actions_out.append(f"{d.area}: {progress(due, d.area)} – {open_n} outstanding")
    except SccError as e:
        firings.append(f"Escalation rules could not be evaluated: {e}")

    from scc_tui.store.risks import latest_at

    risks = []
    from scc_tui.domain.risks import ranked

    for v in ranked(latest_at(store, at))[:5]:
        if names is not None and v.areas and not set(v.areas) & in_scope:
            continue
        risks.append(f"{v.ref} {v.title}: residual {v.residual.text} (inherent {v.inherent.text}"
                     + (f", target {v.target.text}" if v.target else "") + ")")

    entries = list_entries(store, since=day_start(at), until=at, kinds=["decision"],
                           areas=sorted(in_scope) if names is not None else None)
    decisions = [SitrepDecision(e.seq, e.recorded_at, e.author, e.text, e.rationale) for e in entries]
    return Sitrep(at=at, cut_by=cut_by, scope=scope, areas=rows, firings=firings, actions=actions_out, risks=risks,
                  decisions=decisions, exercise=bool(getattr(store.clock, "exercise", False)))


def log_sitrep(store, sitrep: Sitrep, data: bytes, fmt: str, *, author: str, source: str = "cli"):
    """One ``report`` entry in the decision log: what was sent, when it was cut, by whom, and the
    SHA-256 of the exact bytes sent (so the copy that went up can be matched later)."""
    from scc_tui.store.log import append_entry

    digest = hashlib.sha256(data).hexdigest()
    text = (f"Sitrep sent ({fmt}): {sitrep.scope_text}, {sitrep.cut_text}; {len(sitrep.areas)} areas, "
            f"{len(sitrep.firings)} escalations, {len(sitrep.risks)} risks, {len(sitrep.decisions)} decisions. "
            f"sha256:{digest}")
    return append_entry(store, kind="report", text=text, author=author, source=source,
                        areas=[sitrep.scope] if sitrep.scope else ())
