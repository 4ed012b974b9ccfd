"""Kinds of area and what each may sit under (pure data; DOMAIN.md §8, §10).

* ``region`` — an NHS England region (South East, Midlands).
* ``ics`` — an integrated care system; it forms an overall view and "acts at OPEL 3/4" when any NHS
  provider within it is at 3 or 4 (Integrated OPEL framework 2024-26, via KCC ASC OPEL plan v1.8
  Appendix 4; OPEL framework 2023/24, via KCC ASC OPEL plan v1.7 Appendix 3).
* ``system`` — a system / Urgent Care Delivery Board area inside an ICS; it reports its own system OPEL
  status (K&M STP Winter Approach grid, 11:30 "Systems update SHREWD with system OPEL status").
* ``provider`` — an NHS provider: acute, community health services, mental health, NHS 111 (and the
  ambulance service). Only these count for "acts at OPEL 3/4" (KCC ASC OPEL plan v1.8 §3.1, App. 4).
* ``council`` — a local authority (e.g. Kent County Council Adult Social Care). Its organisation level
  is declared by its manager "according to available trend data for each indicator" (KCC ASC OPEL plan
  v1.8 §8); the worst of its areas is only a suggestion. It is not an NHS provider.
* ``la-area`` — one of a council's operational areas (KCC's DGS, East Kent, Swale, West Kent), usually
  under its council; it may also sit directly under a system or an ICS. Not an NHS provider.
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "KIND_ORDER",
    "NHS_PROVIDER_KINDS",
    "ACTING_KINDS",
    "ALLOWED_PARENTS",
    "KIND_TITLES",
    "is_nhs_provider",
]

KINDS: tuple[str, ...] = ("region", "ics", "system", "provider", "council", "la-area")

#: Siblings are listed in this order (then by file order, then name).
KIND_ORDER: dict[str, int] = {k: i for i, k in enumerate(KINDS)}

#: Kinds whose level counts for "acts at OPEL 3/4": NHS providers only, never a council or its areas.
NHS_PROVIDER_KINDS: frozenset[str] = frozenset({"provider"})

#: Group kinds that act at OPEL 3/4 when a provider within them is at 3/4 ("ICSs and NHS England
#: regions", and the systems inside an ICS, which the board has always shown the same way).
ACTING_KINDS: frozenset[str] = frozenset({"region", "ics", "system"})

#: What each kind may sit under (``None``: top level). Checked when an areas file is loaded.
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    "region": frozenset({None}),
    "ics": frozenset({None, "region"}),
    "system": frozenset({None, "region", "ics"}),
    "provider": frozenset({None, "region", "ics", "system", "provider"}),
    "council": frozenset({None, "region", "ics", "system"}),
    "la-area": frozenset({"council", "system", "ics"}),
}

KIND_TITLES: dict[str, str] = {
    "region": "region",
    "ics": "ICS",
    "system": "system",
    "provider": "NHS provider",
    "council": "council",
    "la-area": "local-authority area",
}


def is_nhs_provider(kind: str | None) -> bool:
    return kind in NHS_PROVIDER_KINDS
