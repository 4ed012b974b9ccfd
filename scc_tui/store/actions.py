"""Action-card items in the store: due items (pure: ``scc_tui.domain.actions``) joined with their marks;
marking an item done or not applicable (reason required) is a named, logged act.

One ``action_mark`` row per (card, area, item, occasion): the first mark stands (insert-if-absent
under the log lock); the log entry is appended in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import select

from scc_tui.domain.actions import DueAction, Mark, due_actions, progress
from scc_tui.domain.clock import ensure_aware
from scc_tui.domain.errors import SccError
from scc_tui.store.models import ActionMark

__all__ = ["ActionError", "due", "mark", "progress_by_area", "handover_lines"]


class ActionError(SccError):
    """No such due item, a missing reason, or an item already marked."""


def _marks(s) -> dict[tuple[str, str, str, str], Mark]:
    out = {}
    for m in s.exec(select(ActionMark)).all():
        out[(m.card, m.area, m.item_id, m.occasion)] = Mark(m.status, m.marked_by, m.marked_at, m.reason)
    return out


def due(store, at: datetime | None = None, *, cards=None, views=None) -> list[DueAction]:
    """Every action-card item due at ``at`` (default now), with its mark if any. ``views``: the areas
    as already read by ``scc_tui.store.escalations.area_views`` (their events are not needed here)."""
    from scc_tui.datafiles.actions import load_cards
    from scc_tui.store.escalations import area_views

    at = ensure_aware(at or store.clock.now())
    cards = load_cards() if cards is None else cards
    with store.read() as s:
        if views is None:
            views = area_views(s, at, [])
        marks = _marks(s)
    return due_actions(cards, views, at, marks=marks)


def mark(store, area: str, item_id: str, status: str, user: str, *, reason: str | None = None,
         role: str | None = None, cards=None) -> DueAction:
    """Mark a due item of ``area`` done (``status="done"``) or not applicable (``"na"``, ``reason``
    required) as ``user``; appends one ``action`` log entry in the same transaction. Raises
    :class:`ActionError` if the item is not due, already marked, or a reason is missing."""
    from scc_tui.store import log as store_log

    if status not in ("done", "na"):
        raise ActionError(f"status must be done or na, not {status!r}")
    if status == "na" and not (reason or "").strip():
        raise ActionError("not applicable needs a reason")
    now = store.clock.now()
    items = [d for d in due(store, now, cards=cards) if d.area.casefold() == area.strip().casefold() and d.item.id == item_id]
    if not items:
        raise ActionError(f"no action {item_id!r} is due for {area!r}")
    d = items[-1]
    with store.write(lock=store_log.LOCK) as s:
        from scc_tui.store.access import require

        require(s, user, "acknowledge", [d.area])
        exists = s.exec(select(ActionMark).where(
            ActionMark.card == d.card, ActionMark.area == d.area, ActionMark.item_id == d.item.id,
            ActionMark.occasion == d.occasion)).first()
        if exists is not None:
            raise ActionError(f"{d.area}: {d.item.id} is already marked {exists.status} by {exists.marked_by}")
        row = ActionMark(card=d.card, card_version=d.card_version, area=d.area, item_id=d.item.id, level=d.level,
                         occasion=d.occasion, status=status, reason=(reason or None), marked_by=user, marked_at=now)
        s.add(row)
        s.flush()
        word = "done" if status == "done" else f"not applicable ({reason})"
        entry = store_log.append_entry(
            store, kind="action", author=user, role=role, areas=[d.area], event_at=now, session=s,
            text=f"Action card {d.card} {d.card_version}, OPEL {d.level}: {d.item.text} – {word}",
        )
        s.execute(sa.update(ActionMark).where(ActionMark.id == row.id).values(log_seq=entry.seq))
    return DueAction(d.card, d.card_version, d.area, d.level, d.item, d.occasion, d.since,
                     Mark(status, user, now, reason or None))


def progress_by_area(items: list[DueAction]) -> dict[str, str]:
    return {a: progress(items, a) for a in dict.fromkeys(d.area for d in items)}


def handover_lines(store, at: datetime) -> list[str]:
    """One line per area with outstanding action-card items: progress, then how many are open."""
    try:
        items = due(store, at)
    except SccError as e:
        return [f"Action cards could not be evaluated: {e}"]
    out = []
    for area, prog in progress_by_area(items).items():
        open_items = [d for d in items if d.area == area and d.open]
        if not open_items:
            continue
        by_level: dict[int, int] = {}
        for d in open_items:
            by_level[d.level] = by_level.get(d.level, 0) + 1
        detail = ", ".join(f"OPEL {lv}: {n}" for lv, n in sorted(by_level.items()))
        out.append(f"{area}: {prog} – {len(open_items)} outstanding ({detail})")
    return out
