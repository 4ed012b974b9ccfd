"""Staleness in the store's statuses (issue 9 items 12 and 14): each area is stale from the time it
owes its daily submission by; regions and ICSs never; a group row is never stale for its children."""

from __future__ import annotations

from datetime import datetime, time

from sqlmodel import select

from scc_tui.domain.clock import LONDON
from scc_tui.store.models import Area, Assessment, Declaration

TREE = [  # name, kind, parent, method
    ("South East", "region", None, None),
    ("Kent and Medway ICS", "ics", "South East", None),
    ("East Kent", "system", "Kent and Medway ICS", None),
    ("QEQM Hospital", "provider", "East Kent", "acute"),
    ("SECAmb", "provider", "Kent and Medway ICS", None),
    ("Kent County Council ASC", "council", "Kent and Medway ICS", None),
    ("KCC Swale", "la-area", "Kent County Council ASC", "kcc-asc"),
]


def L(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def _seed(store):
    now = L("2026-11-20T08:00")
    ids: dict[str, int] = {}
    with store.write() as s:
        for i, (name, kind, parent, method) in enumerate(TREE):
            a = Area(name=name, key=name.casefold(), kind=kind, parent_id=ids.get(parent), method=method, sort_order=i,
                     created_at=now, updated_at=now)
            s.add(a)
            s.flush()
            ids[name] = a.id
        yesterday = L("2026-11-22T09:00")
        for name in ("QEQM Hospital", "KCC Swale"):
            s.add(Assessment(area_id=ids[name], assessed_at=yesterday, recorded_at=yesterday, method="x", level=2,
                             author="a"))
        for name in ("SECAmb", "Kent County Council ASC", "East Kent"):
            s.add(Declaration(area_id=ids[name], declared_at=yesterday, recorded_at=yesterday, level=2, author="a"))
    return ids


def _stale(store, at: str) -> dict[str, bool]:
    from scc_tui.store.queries import area_statuses

    with store.read() as s:
        return {x.name: x.stale for x in area_statuses(s, L(at))}


def test_each_area_goes_stale_at_its_own_time_and_groups_never_for_children(store):
    _seed(store)
    assert _stale(store, "2026-11-23T09:59") == dict.fromkeys((n for n, *_ in TREE), False)
    at_1015 = _stale(store, "2026-11-23T10:15")
    assert at_1015["QEQM Hospital"] and at_1015["SECAmb"]  # NHS providers by 10:00
    assert not at_1015["KCC Swale"] and not at_1015["Kent County Council ASC"]  # KCC: before 10:30
    assert not at_1015["South East"] and not at_1015["Kent and Medway ICS"] and not at_1015["East Kent"]
    at_1030 = _stale(store, "2026-11-23T10:30")
    assert at_1030["KCC Swale"] and at_1030["Kent County Council ASC"] and not at_1030["East Kent"]
    at_1130 = _stale(store, "2026-11-23T11:30")
    assert at_1130["East Kent"]  # the system's own SHREWD update (11:30)
    assert not at_1130["South East"] and not at_1130["Kent and Medway ICS"]  # never, whatever is below


def test_a_region_with_no_record_at_all_is_not_stale(store):
    from scc_tui.store.queries import area_status

    ids = _seed(store)
    with store.read() as s:
        region = area_status(s, ids["South East"], L("2026-11-23T18:00"))
        council = area_status(s, ids["Kent County Council ASC"], L("2026-11-23T18:00"))
    assert region.last_update is None and region.stale is False and region.due_by is None
    assert council.stale is True and council.due_by == time(10, 30)
