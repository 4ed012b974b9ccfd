"""Winter bed-gap model files (``scc_tui/data/beds/*.toml``, or ``--file``): assumptions with their
source, the plan's ratios, and per site the monthly gap and mitigations (acute beds or acute bed
equivalents, as the SSOT ICB System Surge Plan 2024/25 "Indicative Medical Bed Count" gives them).
Errors name file, line and field. A site's ``stated_balance`` (the plan's own "Balance" row) is checked
against gap + mitigations on load, so a mistyped figure is found at once."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate
from scc_tui.domain.beds import COMMUNITY_KINDS, KINDS, Assumption, BedModel, Mitigation, Ratio, Site, months_of

__all__ = ["load_bed_model", "packaged_bed_model", "PACKAGED_BEDS"]

PACKAGED_BEDS = Path(__file__).resolve().parent.parent / "data" / "beds"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Num = float | int


class _Assumption(StrictModel):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=1)
    source: str = Field(min_length=1)
    value: float | None = None
    unit: str | None = None
    notes: str = ""


class _Ratio(StrictModel):
    kind: str
    title: str = Field(min_length=1)
    per_acute: float = Field(gt=0)
    source: str = Field(min_length=1)


class _Mitigation(StrictModel):
    name: str = Field(min_length=1, max_length=80)
    lead: str = ""
    kind: str
    beds: list[Num]


class _Site(StrictModel):
    name: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    months: list[str]
    gap: list[Num]
    ipc_included: list[Num] | None = None
    stated_balance: list[Num] | None = None
    stated_residual: Num | None = None
    approximate: bool = False
    notes: str = ""
    mitigation: list[_Mitigation] = []


class _File(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    assumption: list[_Assumption] = []
    ratio: list[_Ratio] = []
    site: list[_Site] = Field(min_length=1)


@cached
def load_bed_model(path: Path) -> BedModel:
    text, data = read_toml(path)
    m = validate(_File, data, path, text)

    def err(field: str, message: str):
        return data_error(path, text, field, message)

    ratios: dict[str, Ratio] = {}
    for i, r in enumerate(m.ratio):
        if r.kind not in COMMUNITY_KINDS:
            raise err(f"ratio[{i}].kind", f"{r.kind!r} is not a community kind ({', '.join(COMMUNITY_KINDS)})")
        if r.kind in ratios:
            raise err(f"ratio[{i}].kind", f"{r.kind!r} appears twice")
        ratios[r.kind] = Ratio(r.kind, r.title, r.per_acute, r.source)
    keys: set[str] = set()
    for i, a in enumerate(m.assumption):
        if a.key in keys:
            raise err(f"assumption[{i}].key", f"{a.key!r} appears twice")
        keys.add(a.key)
    sites: list[Site] = []
    names: set[str] = set()
    for si, s in enumerate(m.site):
        where = f"site[{si}]"
        if s.name.casefold() in names:
            raise err(f"{where}.name", f"{s.name!r} appears twice")
        names.add(s.name.casefold())
        for mi, month in enumerate(s.months):
            if not _MONTH.match(month):
                raise err(f"{where}.months[{mi}]", f"{month!r} is not a month written YYYY-MM")
            if mi and month <= s.months[mi - 1]:
                raise err(f"{where}.months[{mi}]", f"{month} does not follow {s.months[mi - 1]} (months in order, once each)")
        n = len(s.months)
        for name, values in (("gap", s.gap), ("ipc_included", s.ipc_included), ("stated_balance", s.stated_balance)):
            if values is not None and len(values) != n:
                raise err(f"{where}.{name}", f"has {len(values)} figures for {n} months")
        for gi, g in enumerate(s.gap):
            if g > 0:
                raise err(f"{where}.gap[{gi}]", f"{g} is a surplus: a gap is written as beds short, 0 or negative (e.g. -208)")
        mits: list[Mitigation] = []
        seen: set[str] = set()
        for mi, mt in enumerate(s.mitigation):
            mw = f"{where}.mitigation[{mi}]"
            if mt.kind not in KINDS:
                raise err(f"{mw}.kind", f"{mt.kind!r} is not one of: {', '.join(KINDS)}")
            if mt.kind in COMMUNITY_KINDS and mt.kind not in ratios:
                raise err(f"{mw}.kind", f"{mt.kind!r} needs a [[ratio]] for it (community capacity per acute bed)")
            if mt.name.casefold() in seen:
                raise err(f"{mw}.name", f"{mt.name!r} appears twice at {s.name}")
            seen.add(mt.name.casefold())
            if len(mt.beds) != n:
                raise err(f"{mw}.beds", f"has {len(mt.beds)} figures for {n} months (0 where the scheme is not in place)")
            for bi, b in enumerate(mt.beds):
                if b < 0:
                    raise err(f"{mw}.beds[{bi}]", f"{b} is negative: a mitigation adds beds or equivalents")
            mits.append(Mitigation(mt.name, mt.lead, mt.kind, tuple(float(b) for b in mt.beds)))
        site = Site(
            name=s.name, title=s.title, source=s.source, months=tuple(s.months), gap=tuple(float(g) for g in s.gap),
            mitigations=tuple(mits),
            ipc_included=tuple(float(x) for x in s.ipc_included) if s.ipc_included is not None else None,
            stated_balance=tuple(float(x) for x in s.stated_balance) if s.stated_balance is not None else None,
            stated_residual=float(s.stated_residual) if s.stated_residual is not None else None,
            approximate=s.approximate, notes=s.notes,
        )
        if site.stated_balance is not None:
            for i, row in enumerate(months_of(site)):
                if row.balance != site.stated_balance[i]:
                    raise err(f"{where}.stated_balance[{i}]",
                              f"{row.month}: the figures give {row.formula}, but the stated balance is "
                              f"{site.stated_balance[i]:g}")
        sites.append(site)
    assumptions = tuple(Assumption(a.key, a.text, a.source, a.value, a.unit, a.notes) for a in m.assumption)
    return BedModel(m.id, m.title, m.source, m.unit, assumptions, ratios, tuple(sites))


def packaged_bed_model() -> BedModel:
    return load_bed_model(PACKAGED_BEDS / "ssot-2024-25.toml")
