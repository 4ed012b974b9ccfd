"""Load scoring methods (plan versions) from TOML into :mod:`scc_tui.domain.scoring` objects.

Packaged files live in ``scc_tui/data/methods/``; a system adds or replaces plans with its own files
in the directories named by ``$SCC_METHODS_PATH`` (``os.pathsep``-separated; a later plan with the
same id replaces an earlier one, and ``scc score --list`` shows which file each came from).

File format (see the packaged files for complete, commented examples)::

    id = "kcc-asc-2025"            # pins this version: scc score kcc-asc-2025
    family = "kcc-asc"             # by date: scc score kcc-asc --at 2025-11-01
    title = "..."
    version = "1.8"
    effective_from = 2025-10-02    # inclusive; effective_to (inclusive) optional
    superseded_from = 2024-12-01   # optional, with superseded_by and superseded_note: still scores
    superseded_by = "integrated-2024"   # after that date (nothing replaces it here) but warns
    verified = true                # false: structure only, refuses to score (provenance says why)
    source = "seed 000_... §4.3"
    provenance = "..."
    scoring = "indicators"         # or "points" (with scale, max_score, levels) or "normalised"
    suggestion = "worst"           # indicators: worst | median | mode
    areas = ["DGS", "East Kent", "Swale", "West Kent"]

    [[parameters]]
    key = "stp_staffing_pct"
    title = "..."
    unit = "%"
    direction = "falling"          # rising: more value = more pressure
    bands = [ { min = 0, max = 30, level = 4 }, ... ]   # [min, max) unless *_inclusive say otherwise
    not_applicable_in = ["Swale"]  # or applies_in = ["West Kent"]
    [parameters.by_area]           # per-area bands replacing `bands` there
    Swale = [ ... ]

Checks beyond types (each a :class:`~scc_tui.domain.errors.DataFileError` naming file, line and
field): bands start at 0 (inclusive), are in ascending order, contiguous and non-overlapping (at
each boundary exactly one side includes it); only the last band may be unbounded; points/levels never
fall as pressure rises (by ``direction``); levels are 1-4; a points plan's ``levels`` cover
0..``max_score`` and ``max_score`` equals the sum of the parameters' maximum points; area names used
are declared; versions of a family do not overlap in time; ids and families do not collide;
``superseded_from``/``superseded_by``/``superseded_note`` come together, the date falls inside the
plan's own span, and the successor is a known plan id in force on that date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate
from scc_tui.domain.errors import DataFileError
from scc_tui.domain.plans import SUGGESTIONS, Band, MethodRegistry, Parameter, PlanVersion
from scc_tui.settings import Settings, current

__all__ = ["METHODS_DIR", "load_method_file", "load_methods", "default_registry", "method_dirs", "clear_cache"]

METHODS_DIR = Path(__file__).resolve().parent.parent / "data" / "methods"
_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_KEY = r"^[a-z][a-z0-9_]*$"


class _Band(StrictModel):
    min: float = Field(ge=0, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    min_inclusive: bool = True
    max_inclusive: bool = False
    points: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    level: int | None = Field(default=None, ge=1, le=4)
    note: str = ""


class _Parameter(StrictModel):
    key: str = Field(pattern=_KEY, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    unit: str = ""
    direction: Literal["rising", "falling"] = "rising"
    kind: Literal["number", "status"] = "number"
    required: bool = True
    bands: list[_Band] | None = None
    by_area: dict[str, list[_Band]] = {}
    not_applicable_in: list[str] = []
    applies_in: list[str] | None = None
    words: dict[str, int] = {}
    unscored_reason: str = ""
    note: str = ""
    source: str = ""


class _Plan(StrictModel):
    id: str = Field(pattern=_ID, max_length=60)
    family: str = Field(pattern=_ID, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=40)
    effective_from: date
    effective_to: date | None = None
    effective_note: str = ""
    superseded_from: date | None = None
    superseded_by: str | None = Field(default=None, pattern=_ID, max_length=60)
    superseded_note: str = ""
    verified: bool
    source: str = Field(min_length=1)
    provenance: str = ""
    scoring: Literal["points", "normalised", "indicators"]
    scale: Literal["total", "percent_of_max"] = "total"
    max_score: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    suggestion: str = "worst"
    areas: list[str] = []
    levels: list[_Band] = []
    parameters: list[_Parameter] = []


def _check_bands(
    bands: list[_Band], field: str, what: Literal["points", "level"], direction: str, err, *, cover_to: float | None = None
) -> tuple[Band, ...]:
    """Validate one band list (see the module docstring) and build domain Bands."""
    if not bands:
        raise err(field, "needs at least one band")
    for i, b in enumerate(bands):
        f = f"{field}[{i}]"
        other = "level" if what == "points" else "points"
        if getattr(b, what) is None:
            raise err(f"{f}.{what}", f"each band needs `{what}` here")
        if getattr(b, other) is not None:
            raise err(f"{f}.{other}", f"`{other}` does not belong in this plan's bands (they give `{what}`)")
        if b.max is not None and (b.max < b.min or (b.max == b.min and not (b.min_inclusive and b.max_inclusive))):
            raise err(f"{f}.max", f"band is empty: max {b.max:g} is not above min {b.min:g}")
        if b.max is None and i != len(bands) - 1:
            raise err(f"{f}.max", "only the last band may be unbounded (no max)")
    first = bands[0]
    if first.min != 0 or not first.min_inclusive:
        raise err(f"{field}[0].min", "the first band must start at 0 inclusive (bands cover [0, inf))")
    for i in range(len(bands) - 1):
        a, b = bands[i], bands[i + 1]
        f = f"{field}[{i + 1}].min"
        assert a.max is not None
        if b.min > a.max:
            raise err(f, f"gap: nothing scores values between {a.max:g} and {b.min:g}")
        if b.min < a.max:
            raise err(f, f"overlap: {b.min:g} is below the previous band's max {a.max:g} (bands must be in ascending order)")
        if a.max_inclusive and b.min_inclusive:
            raise err(f, f"overlap: {b.min:g} is included in both band {i} and band {i + 1}")
        if not a.max_inclusive and not b.min_inclusive:
            raise err(f, f"gap: the boundary {b.min:g} is excluded from both band {i} and band {i + 1}")
        va, vb = getattr(a, what), getattr(b, what)
        if (direction == "rising" and vb < va) or (direction == "falling" and vb > va):
            raise err(
                f"{field}[{i + 1}].{what}",
                f"{what} {vb:g} after {va:g}: a {direction} parameter's {what} must not fall as pressure rises",
            )
    if cover_to is not None:
        last = bands[-1]
        if last.max is None or last.max != cover_to or not last.max_inclusive:
            raise err(f"{field}[{len(bands) - 1}].max", f"must end at {cover_to:g} inclusive (the maximum score)")
    return tuple(
        Band(min=b.min, max=b.max, min_inclusive=b.min_inclusive, max_inclusive=b.max_inclusive, points=b.points, level=b.level)
        for b in bands
    )


def _build(path: Path, text: str, m: _Plan) -> PlanVersion:
    def err(field: str, message: str) -> DataFileError:
        return data_error(path, text, field, message)

    if m.effective_to is not None and m.effective_to < m.effective_from:
        raise err("effective_to", f"{m.effective_to} is before effective_from {m.effective_from}")
    if (m.superseded_from is None) != (m.superseded_by is None):
        given, absent = ("superseded_from", "superseded_by") if m.superseded_by is None else ("superseded_by", "superseded_from")
        raise err(given, f"give {absent} with it (the date a successor replaces this plan, and its id)")
    if m.superseded_from is not None:
        if m.superseded_from <= m.effective_from:
            raise err("superseded_from", f"{m.superseded_from} is not after effective_from {m.effective_from}")
        if m.effective_to is not None and m.superseded_from > m.effective_to:
            raise err("superseded_from", f"{m.superseded_from} is after effective_to {m.effective_to} (the plan has ended by then)")
        if m.superseded_by == m.id:
            raise err("superseded_by", "a plan cannot supersede itself")
        if not m.superseded_note.strip():
            from scc_tui.domain.errors import find_line

            raise DataFileError(path, "superseded_note", "say which document supersedes this plan (title and section)",
                                find_line(text, "superseded_by"))
    if m.id == m.family:
        raise err("family", "must differ from id (the id pins a version; the family picks one by date)")
    if m.verified and not m.parameters:
        raise err("parameters", "a verified plan needs parameters")
    if not m.verified and not m.provenance.strip():
        raise err("provenance", "an unverified plan must say where its figures stand (provenance)")
    if m.suggestion not in SUGGESTIONS:
        raise err("suggestion", f"{m.suggestion!r} is not one of {', '.join(SUGGESTIONS)}")
    area_names: dict[str, str] = {}
    for i, a in enumerate(m.areas):
        k = " ".join(a.replace("-", " ").replace("_", " ").lower().split())
        if not k or k in area_names:
            raise err(f"areas[{i}]", f"area {a!r} is empty or repeated")
        area_names[k] = a

    def area(name: str, field: str) -> str:
        k = " ".join(name.replace("-", " ").replace("_", " ").lower().split())
        if k not in area_names:
            raise err(field, f"area {name!r} is not in this plan's areas ({', '.join(m.areas) or 'none declared'})")
        return area_names[k]

    what: Literal["points", "level"] = "points" if m.scoring == "points" else "level"
    if m.scoring != "points" and (m.levels or m.max_score is not None or m.scale != "total"):
        raise err("levels" if m.levels else "max_score" if m.max_score is not None else "scale", f"only points plans have this ({m.scoring} plan)")
    if m.scoring == "normalised" and m.parameters and len(m.parameters) != 1:
        raise err("parameters", "a normalised plan has exactly one parameter (the normalised score)")

    params: list[Parameter] = []
    seen: set[str] = set()
    for i, p in enumerate(m.parameters):
        f = f"parameters[{i}]"
        if p.key in seen:
            raise err(f"{f}.key", f"duplicate key {p.key!r}")
        seen.add(p.key)
        if p.kind == "status":
            if m.scoring != "indicators":
                raise err(f"{f}.kind", "status parameters belong in indicator plans")
            if p.bands is not None or p.by_area:
                raise err(f"{f}.bands", "a status parameter's value is its level: it has no bands")
            for w, v in p.words.items():
                if not 1 <= v <= 4:
                    raise err(f"{f}.words.{w}", f"{v} is not a level 1-4")
        elif p.words:
            raise err(f"{f}.words", "only status parameters have words")
        cover = 100.0 if m.scoring == "normalised" else None
        bands = _check_bands(p.bands, f"{f}.bands", what, p.direction, err, cover_to=cover) if p.bands is not None else None
        by_area = {}
        for name, blist in p.by_area.items():
            by_area[area(name, f"{f}.by_area.{name}")] = _check_bands(blist, f"{f}.by_area.{name}", what, p.direction, err)
        na = frozenset(area(a, f"{f}.not_applicable_in") for a in p.not_applicable_in)
        only = frozenset(area(a, f"{f}.applies_in") for a in p.applies_in) if p.applies_in is not None else None
        if na and only is not None:
            raise err(f"{f}.applies_in", "give not_applicable_in or applies_in, not both")
        if p.kind == "number" and bands is None and not by_area:
            if not p.unscored_reason.strip():
                raise err(f"{f}.bands", "no bands: give bands, or unscored_reason saying why there are none")
            if p.required:
                raise err(f"{f}.required", "a parameter with no bands cannot be required")
        elif p.kind == "number" and bands is None:
            # Per-area bands only: every area where it applies needs its own.
            for a in m.areas:
                if a not in by_area and a not in na and (only is None or a in only):
                    raise err(f"{f}.by_area", f"no bands for {a} (give `bands` for all areas or by_area.{a!r})")
        if m.scoring == "points" and bands is None and m.verified:
            raise err(f"{f}.bands", "a points parameter needs bands")
        params.append(
            Parameter(
                key=p.key,
                title=p.title,
                unit=p.unit,
                direction=p.direction,
                kind=p.kind,
                required=p.required,
                bands=bands,
                by_area=by_area,
                not_applicable_in=na,
                applies_in=only,
                words=dict(p.words),
                unscored_reason=p.unscored_reason.strip(),
                note=p.note.strip(),
                source=p.source.strip(),
            )
        )

    levels: tuple[Band, ...] = ()
    if m.scoring == "points":
        if m.max_score is None and m.verified:
            raise err("max_score", "a points plan needs max_score")
        if m.verified:
            total = sum(max(b.points or 0 for b in (p.bands or ())) for p in params)
            if total != m.max_score:
                raise err("max_score", f"is {m.max_score:g} but the parameters' maximum points add up to {total:g}")
        cover = 100.0 if m.scale == "percent_of_max" else m.max_score
        levels = _check_bands(m.levels, "levels", "level", "rising", err, cover_to=cover)
        if sorted({b.level for b in levels}) != [1, 2, 3, 4]:
            raise err("levels", "must map to each of OPEL 1, 2, 3 and 4")
    return PlanVersion(
        id=m.id,
        family=m.family,
        title=m.title,
        version=m.version,
        effective_from=m.effective_from,
        effective_to=m.effective_to,
        effective_note=m.effective_note.strip(),
        scoring=m.scoring,
        parameters=tuple(params),
        levels=levels,
        scale=m.scale,
        max_score=m.max_score,
        areas=tuple(m.areas),
        suggestion=m.suggestion,
        verified=m.verified,
        source=m.source.strip(),
        provenance=m.provenance.strip(),
        file=str(path),
        superseded_from=m.superseded_from,
        superseded_by=m.superseded_by,
        superseded_note=" ".join(m.superseded_note.split()),
    )


@cached
def load_method_file(path: Path) -> PlanVersion:
    """Load and validate one method file. Raises :class:`DataFileError` (file, line, field)."""
    text, data = read_toml(path)
    model = validate(_Plan, data, path, text)
    return _build(path, text, model)


def method_dirs(settings: Settings | None = None) -> list[Path]:
    """The packaged directory, then each directory in ``$SCC_METHODS_PATH`` (the settings')."""
    return [METHODS_DIR, *(settings or current()).methods_path]


def load_methods(dirs: list[Path] | None = None) -> MethodRegistry:
    """Every ``*.toml`` in ``dirs`` (default :func:`method_dirs`) as one registry.

    Within one directory ids must be unique; a later directory may replace a plan by id. Versions of
    a family must not overlap in time, and no family may be spelled like a plan id.
    """
    plans: dict[str, PlanVersion] = {}
    for d in method_dirs() if dirs is None else dirs:
        d = Path(d)
        if not d.is_dir():
            raise DataFileError(d, None, "methods directory does not exist")
        here: dict[str, Path] = {}
        for path in sorted(d.glob("*.toml")):
            plan = load_method_file(path)
            if plan.id in here:
                raise DataFileError(path, "id", f"{plan.id!r} is also the id in {here[plan.id].name}", _line_of(path, "id"))
            here[plan.id] = path
            plans[plan.id] = plan
    _check_registry(list(plans.values()))
    return MethodRegistry(plans.values())


def _line_of(path: Path, field: str) -> int | None:
    from scc_tui.domain.errors import find_line

    try:
        return find_line(path.read_text(encoding="utf-8"), field)
    except OSError:
        return None


def _check_registry(plans: list[PlanVersion]) -> None:
    ids = {p.id for p in plans}
    by_family: dict[str, list[PlanVersion]] = {}
    by_id = {p.id: p for p in plans}
    for p in plans:
        if p.family in ids:
            raise DataFileError(p.file, "family", f"{p.family!r} is also a plan id", _line_of(Path(p.file), "family"))
        by_family.setdefault(p.family, []).append(p)
        if p.superseded_by is not None:
            succ = by_id.get(p.superseded_by)
            line = _line_of(Path(p.file), "superseded_by")
            if succ is None:
                raise DataFileError(p.file, "superseded_by", f"{p.superseded_by!r} is not a known plan id", line)
            if p.superseded_from is not None and not succ.in_force(p.superseded_from):
                raise DataFileError(
                    p.file,
                    "superseded_from",
                    f"{p.superseded_by} is not in force on {p.superseded_from} (from {succ.effective_from})",
                    _line_of(Path(p.file), "superseded_from"),
                )
    for versions in by_family.values():
        versions.sort(key=lambda p: p.effective_from)
        for a, b in zip(versions, versions[1:]):
            if a.effective_to is None or a.effective_to >= b.effective_from:
                raise DataFileError(
                    a.file,
                    "effective_to",
                    f"{a.id} overlaps {b.id} (from {b.effective_from}): set effective_to before it",
                    _line_of(Path(a.file), "effective_to") or _line_of(Path(a.file), "effective_from"),
                )


_default: tuple[tuple[str, ...], MethodRegistry] | None = None


def default_registry() -> MethodRegistry:
    """The registry for :func:`method_dirs` (cached; re-read when ``$SCC_METHODS_PATH`` changes or
    a file changes, since each file load is cached per mtime)."""
    global _default
    key = tuple(str(d) for d in method_dirs())
    stamp = key + tuple(_stamps(key))
    if _default is None or _default[0] != stamp:
        _default = (stamp, load_methods([Path(d) for d in key]))
    return _default[1]


def _stamps(dirs: tuple[str, ...]) -> list[str]:
    out = []
    for d in dirs:
        try:
            for p in sorted(Path(d).glob("*.toml")):
                st = p.stat()
                out.append(f"{p}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            out.append(f"{d}:missing")
    return out


def clear_cache() -> None:
    global _default
    _default = None
    load_method_file.cache_clear()  # type: ignore[attr-defined]
