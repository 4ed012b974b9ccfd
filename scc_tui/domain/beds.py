"""The winter bed-gap model (pure): monthly gap per site, mitigations by month, the balance after them.

Source: SSOT ICB System Surge Plan 2024/25, "Inpatient Capacity Modelling" and "Indicative Medical Bed
Count". The plan gives each month's gap as a figure, not the formula behind it, so the gap is an input
(negative = beds short). Its mitigations are already acute beds or acute bed equivalents: community
schemes were converted by the plan's ratios (D2A 2.4:1, acute virtual ward 2.5:1, sub-acute virtual ward
15:1) and are never converted again. What is computed here, each with its formula:

* ``mitigated = Σ mitigations in place that month``
* ``balance = gap + mitigated`` (the plan's "Balance" row; negative = still short)
* the community capacity a scheme's equivalents stand for: ``equivalents × ratio``
* a what-if change to a scheme in its own units (D2A beds, virtual-ward places): ``change ÷ ratio``
  acute bed equivalents, added in each month the scheme is in place.

No Textual, no SQL, no wall clock, no file I/O (``scc_tui.datafiles.beds`` loads the model).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from scc_tui.domain.clock import london_date
from scc_tui.domain.errors import SccError

__all__ = ["BedError", "Assumption", "Ratio", "Mitigation", "Site", "BedModel", "MonthResult", "WhatIf",
           "months_of", "peak", "apply_what_if", "native_capacity", "planned_for_area", "PlannedGap", "london_month", "KINDS",
           "COMMUNITY_KINDS"]

#: Mitigation kinds. Community kinds carry a ratio (community capacity per acute bed).
KINDS = ("acute", "scheme", "d2a", "vw-acute", "vw-subacute")
COMMUNITY_KINDS = ("d2a", "vw-acute", "vw-subacute")


class BedError(SccError):
    pass


@dataclass(frozen=True)
class Assumption:
    key: str
    text: str
    source: str
    value: float | None = None
    unit: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Ratio:
    kind: str
    title: str
    per_acute: float  # community capacity per acute bed equivalent (2.4 for "D2A 2.4:1")
    source: str


@dataclass(frozen=True)
class Mitigation:
    name: str
    lead: str
    kind: str
    beds: tuple[float, ...]  # acute beds or acute bed equivalents per month (0: not in place)


@dataclass(frozen=True)
class Site:
    name: str
    title: str
    source: str
    months: tuple[str, ...]
    gap: tuple[float, ...]
    mitigations: tuple[Mitigation, ...] = ()
    ipc_included: tuple[float, ...] | None = None
    stated_balance: tuple[float, ...] | None = None
    stated_residual: float | None = None
    approximate: bool = False
    notes: str = ""
    areas: tuple[str, ...] = ()  # board areas (names, any case) whose figures these are


@dataclass(frozen=True)
class BedModel:
    id: str
    title: str
    source: str
    unit: str
    assumptions: tuple[Assumption, ...]
    ratios: dict[str, Ratio]
    sites: tuple[Site, ...]

    def site(self, name: str) -> Site:
        for s in self.sites:
            if s.name.casefold() == name.strip().casefold():
                return s
        raise BedError(f"site: no site {name!r} in {self.id} (sites: {', '.join(s.name for s in self.sites)})")

    def site_of_area(self, area: str) -> Site | None:
        """The site whose ``areas`` name this board area (case-insensitive), or None."""
        key = area.strip().casefold()
        return next((s for s in self.sites if key in (a.casefold() for a in s.areas)), None)


def _n(x: float) -> str:
    """A figure as the plan writes it: whole numbers without a decimal point, signs where they matter."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _signed(x: float) -> str:
    return ("+" if x > 0 else "") + _n(x)


@dataclass(frozen=True)
class MonthResult:
    month: str
    gap: float
    mitigations: dict[str, float]  # in place that month (non-zero), in the file's order
    ipc_included: float | None = None

    @property
    def mitigated(self) -> float:
        return sum(self.mitigations.values())

    @property
    def balance(self) -> float:
        return self.gap + self.mitigated

    @property
    def formula(self) -> str:
        parts = " + ".join(_n(v) for v in self.mitigations.values()) or "0"
        return f"balance = gap + Σ mitigations = {_n(self.gap)} + ({parts}) = {_n(self.gap)} + {_n(self.mitigated)} = {_signed(self.balance)}"

    def to_json(self) -> dict[str, Any]:
        return {"month": self.month, "gap": _num(self.gap), "mitigations": {k: _num(v) for k, v in self.mitigations.items()},
                "mitigated": _num(self.mitigated), "balance": _num(self.balance), "formula": self.formula}


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 2)


def months_of(site: Site) -> list[MonthResult]:
    out = []
    for i, month in enumerate(site.months):
        mit = {m.name: m.beds[i] for m in site.mitigations if m.beds[i] != 0}
        ipc = site.ipc_included[i] if site.ipc_included is not None else None
        out.append(MonthResult(month, site.gap[i], mit, ipc))
    return out


@dataclass(frozen=True)
class PlannedGap:
    """A board area's bed-model site and the planned figures for one month (None: the site has none)."""

    site: Site
    month: str  # YYYY-MM
    row: MonthResult | None

    def text(self) -> str:
        """One line for the area's detail, beside its escalation-bed figure."""
        label = f"{self.site.name}, {_month_label(self.month)}"
        if self.row is None:
            if self.site.months:
                covered = f" (the model has {_month_label(self.site.months[0])} to {_month_label(self.site.months[-1])})"
            elif self.site.stated_residual is not None:
                covered = f" (the plan states only a residual bed gap of {_signed(self.site.stated_residual)})"
            else:
                covered = " (the model has no monthly figures for this site)"
            return f"Winter bed plan {label}: no planned gap for this month{covered}"
        r = self.row
        return (f"Winter bed plan {label}: planned gap {_n(r.gap)} beds, {_signed(r.balance)} after mitigations"
                f" ({_n(r.gap)} + {_n(r.mitigated)})" + (" · approximate" if self.site.approximate else ""))


def _month_label(month: str) -> str:
    y, m = month.split("-")
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[int(m) - 1] + " " + y


def london_month(instant: datetime) -> str:
    """``YYYY-MM`` of the Europe/London date of ``instant`` (00:30 BST on 1 June is June)."""
    return f"{london_date(instant):%Y-%m}"


def planned_for_area(model: BedModel, area: str, month: str) -> PlannedGap | None:
    """This month's planned gap for the site the model maps ``area`` to (``month`` as YYYY-MM, the caller's
    London month from its clock); None when no site names the area."""
    site = model.site_of_area(area)
    if site is None:
        return None
    rows = {r.month: r for r in months_of(site)}
    return PlannedGap(site, month, rows.get(month))


def peak(site: Site) -> MonthResult | None:
    """The month with the largest gap (most negative); the earlier month on a tie."""
    rows = months_of(site)
    return min(rows, key=lambda r: (r.gap, r.month)) if rows else None


def native_capacity(m: Mitigation, ratios: dict[str, Ratio], beds: float) -> tuple[float, str] | None:
    """For a community scheme: the community capacity its acute bed equivalents stand for, with the
    formula (``13 × 2.4 = 31.2 Discharge to Assess beds``). None for acute beds and stated impacts."""
    r = ratios.get(m.kind)
    if r is None:
        return None
    cap = beds * r.per_acute
    return cap, f"{_n(beds)} × {_n(r.per_acute) if float(r.per_acute).is_integer() else r.per_acute} = {cap:g} {r.title}"


@dataclass(frozen=True)
class WhatIf:
    scheme: str
    change: float  # in the scheme's own units (community capacity for community kinds, beds otherwise)
    equivalents: float  # acute bed equivalents added each month the scheme is in place
    formula: str


def apply_what_if(model: BedModel, site: Site, scheme: str, change: float) -> tuple[Site, WhatIf]:
    """``site`` with ``scheme`` changed by ``change`` in its own units in every month it is in place.
    A community scheme's change is converted by its ratio (``+30 places ÷ 15 = +2 acute bed
    equivalents``); an acute scheme's change is in beds. A month cannot go below 0 beds."""
    target = next((m for m in site.mitigations if m.name.casefold() == scheme.strip().casefold()), None)
    if target is None:
        raise BedError(f"what-if: no scheme {scheme!r} at {site.name} "
                       f"(schemes: {', '.join(m.name for m in site.mitigations) or 'none'})")
    r = model.ratios.get(target.kind)
    if r is not None:
        eq = change / r.per_acute
        formula = f"{target.name}: {_signed(change)} {r.title} ÷ {r.per_acute:g} = {eq:+.1f} acute bed equivalents a month"
    else:
        eq = change
        formula = f"{target.name}: {_signed(change)} beds a month"
    beds = []
    for b in target.beds:
        if b == 0:
            beds.append(0.0)
        else:
            nb = b + eq
            if nb < 0:
                raise BedError(f"what-if: {target.name} would fall below 0 beds ({_n(b)} {eq:+.1f})")
            beds.append(round(nb, 6))
    mits = tuple(replace(m, beds=tuple(beds)) if m is target else m for m in site.mitigations)
    return replace(site, mitigations=mits, stated_balance=None), WhatIf(target.name, change, eq, formula)
