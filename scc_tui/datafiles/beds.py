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
    areas: list[str] = []  # board areas (names) this site's figures belong to
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
    area_site: dict[str, str] = {}
    for si, s in enumerate(m.site):
        where = f"site[{si}]"
        if s.name.casefold() in names:
            raise err(f"{where}.name", f"{s.name!r} appears twice")
        names.add(s.name.casefold())
        for ai, area in enumerate(s.areas):
            key = area.strip().casefold()
            if not key:
                raise err(f"{where}.areas[{ai}]", "is empty: name a board area")
            if key in area_site:
                raise err(f"{where}.areas[{ai}]", f"{area!r} already belongs to site {area_site[key]}")
            area_site[key] = s.name
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
            approximate=s.approximate, notes=s.notes, areas=tuple(a.strip() for a in s.areas),
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


def load_bed_csv(path: str | Path, base: BedModel | None = None, *, unguard=lambda text: text) -> BedModel:
    """A bed model from CSV in the shape ``scc beds --csv`` writes (Site, Month, Gap, one column per
    scheme, then optional Mitigated and Balance, which are checked): a planner's spreadsheet. Schemes
    keep their kind from ``base`` (the packaged model) when named there, else ``scheme`` (an impact in
    beds). Assumptions and ratios come from ``base``. Errors name file, row and column. ``unguard``:
    ``scc_tui.csvout.unguard`` (the CLI passes it: a data-file loader does not import the CSV writer), so
    a cell the writer guarded (``'-208``) reads back as written."""
    import csv
    import io

    from scc_tui.domain.errors import DataFileError
    from scc_tui.domain.numtext import NumberTextError, parse_decimal

    p = Path(path)
    base = base or packaged_bed_model()
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(p, None, "no such file") from None
    except UnicodeDecodeError:
        raise DataFileError(p, None, "not UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [h.strip().casefold() for h in rows[0][:3]] != ["site", "month", "gap"]:
        raise DataFileError(p, "header", "the first row must start Site,Month,Gap", 1)
    header = [unguard(h.strip()) for h in rows[0]]
    checks = {h.casefold(): i for i, h in enumerate(header) if h.casefold() in ("mitigated", "balance")}
    schemes = [(i, h) for i, h in enumerate(header) if i >= 3 and h.casefold() not in checks]
    kinds = {m.name.casefold(): m.kind for s in base.sites for m in s.mitigations}
    sites: dict[str, dict] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def num(i: int, blank_zero: bool = True) -> float:
            cell = unguard(row[i].strip()) if i < len(row) else ""
            if not cell and blank_zero:
                return 0.0
            try:
                return parse_decimal(cell)
            except NumberTextError as e:
                raise DataFileError(p, f"row {n}, column {header[i]}", str(e), n) from None

        name, month = unguard(row[0].strip()), row[1].strip() if len(row) > 1 else ""
        if not name:
            raise DataFileError(p, f"row {n}, column Site", "is empty", n)
        if not _MONTH.match(month):
            raise DataFileError(p, f"row {n}, column Month", f"{month!r} is not a month written YYYY-MM", n)
        s = sites.setdefault(name, {"months": [], "gap": [], "mit": {h: [] for _, h in schemes}})
        if s["months"] and month <= s["months"][-1]:
            raise DataFileError(p, f"row {n}, column Month", f"{month} does not follow {s['months'][-1]}", n)
        gap = num(2, blank_zero=False)
        if gap > 0:
            raise DataFileError(p, f"row {n}, column Gap", f"{gap:g} is a surplus: a gap is 0 or negative", n)
        s["months"].append(month)
        s["gap"].append(gap)
        total = 0.0
        for i, h in schemes:
            b = num(i)
            if b < 0:
                raise DataFileError(p, f"row {n}, column {h}", f"{b:g} is negative", n)
            s["mit"][h].append(b)
            total += b
        for label, want in (("mitigated", total), ("balance", gap + total)):
            if label in checks and (row[checks[label]].strip() if checks[label] < len(row) else ""):
                if num(checks[label]) != want:
                    raise DataFileError(p, f"row {n}, column {header[checks[label]]}",
                                        f"is {num(checks[label]):g}, but the row's figures give {want:g}", n)
    areas_of = {site.name.casefold(): site.areas for site in base.sites}  # a site keeps its board areas
    out = []
    for name, s in sites.items():
        mits = tuple(Mitigation(h, "", kinds.get(h.casefold(), "scheme"), tuple(v)) for h, v in s["mit"].items() if any(v))
        out.append(Site(name=name, title=name, source=f"{p.name} (CSV)", months=tuple(s["months"]),
                        gap=tuple(s["gap"]), mitigations=mits, areas=areas_of.get(name.casefold(), ())))
    if not out:
        raise DataFileError(p, None, "no rows")
    return BedModel(f"csv-{p.stem}", f"{base.title} — figures from {p.name}", f"{p.name} (CSV)", base.unit,
                    base.assumptions, base.ratios, tuple(out))
