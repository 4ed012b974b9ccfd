"""The OPEL scoring engine (DOMAIN.md §3). Pure: no file I/O, no wall clock, no SQL, no Textual.

Plans are data (:mod:`scc_tui.domain.plans`, built by :mod:`scc_tui.datafiles.methods` from
``scc_tui/data/methods/*.toml``); this module only evaluates them, from the registry the program
registers at start (:func:`set_registry_provider`) or one passed in. Three kinds of plan:

``points``      each parameter's value falls in a band worth some points; the points are summed
                (``scale = "total"``: the total maps to a level, e.g. acute-2023: 0-44) or normalised
                (``scale = "percent_of_max"``: total / max x 100 maps to a level).
``normalised``  one parameter, ``normalised_score`` (0-100), mapped straight to a level
                (integrated-2024: the providers' own OPEL tools produce the normalised score).
``indicators``  each indicator maps to a level through bands that may differ by area, or be n/a in an
                area; the plan suggests an organisation level (worst indicator by default).

Bands are half-open or closed intervals on [0, inf) with explicit inclusive ends. A value above the
last band's published maximum is scored by the last (nearest) band and flagged ``out_of_range``.
A value that is not a finite, non-negative number is rejected with :class:`ScoringError`.

Methods are named two ways: a plan id (``kcc-asc-2025``) pins that version; a family
(``kcc-asc``) picks the version in force on the assessment date (Europe/London calendar date).
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Mapping, Sequence

from scc_tui.domain.errors import ScoringError
from scc_tui.domain.numtext import NumberTextError, parse_decimal
from scc_tui.domain.plans import (  # noqa: F401 - plan types re-exported: scoring's public names
    LEVEL_WORDS,
    SUGGESTIONS,
    Band,
    Direction,
    MethodRegistry,
    Parameter,
    PlanVersion,
    _as_date,
    _fmt,
    _num,
    canonical_area,
)

__all__ = [
    "ScoringError",
    "Band",
    "Parameter",
    "PlanVersion",
    "MethodRegistry",
    "PartResult",
    "ScoreResult",
    "ParamInfo",
    "MethodInfo",
    "AggregateResult",
    "score",
    "score_plan",
    "method_params",
    "list_methods",
    "resolve",
    "method_family",
    "aggregate",
    "parse_value",
    "canonical_area",
    "set_registry_provider",
    "SUGGESTIONS",
    "LEVEL_WORDS",
]

_UNIT_SPACE = {"%": ""}  # "95%" but "60 min"


# ---------------------------------------------------------------- the registry of plans (see domain.plans)


_provider: Callable[[], MethodRegistry] | None = None


def set_registry_provider(provider: Callable[[], MethodRegistry] | None) -> None:
    """Replace where :func:`score` and friends get plans from (``None``: the packaged loader)."""
    global _provider
    _provider = provider


def _registry(registry: MethodRegistry | None) -> MethodRegistry:
    if registry is not None:
        return registry
    if _provider is None:
        # The domain never loads files: the program registers where plans come from, once, at start
        # (``scc_tui.cli.main``; tests in conftest), or passes a registry in.
        raise RuntimeError("no scoring plans registered: call scoring.set_registry_provider() at start-up")
    return _provider()


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class PartResult:
    key: str
    value: float | None
    points: float | None
    level: int | None
    out_of_range: bool
    band: str
    applicable: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "value": _num(self.value),
            "points": _num(self.points),
            "level": self.level,
            "out_of_range": self.out_of_range,
            "band": self.band,
            "applicable": self.applicable,
        }


@dataclass(frozen=True)
class ScoreResult:
    method: str
    plan_version: str
    area: str | None
    level: int | None
    score: float | None
    max: float | None
    normalised: float | None
    parts: dict[str, PartResult]
    scoring: str = "points"
    suggestion: str | None = None
    warnings: tuple[str, ...] = ()
    effective_from: date | None = None
    # Indicator plans score any subset: ``given`` are the keys scored, ``missing`` the indicators the
    # plan expects in this area (applicable, scored, ``required``) that were not given. Points and
    # normalised plans need every value, so for them ``missing`` is always empty.
    given: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def partial(self) -> bool:
        """True if the level was suggested from only some of the plan's indicators."""
        return bool(self.missing)

    @property
    def level_text(self) -> str:
        """``OPEL 3``, ``OPEL 3 (partial: 2 of 5 indicators)`` or ``no level``."""
        if self.level is None:
            return "no level"
        if not self.partial:
            return f"OPEL {self.level}"
        expected = len([k for k in self.given if self.parts[k].level is not None]) + len(self.missing)
        scored = len([k for k in self.given if self.parts[k].level is not None])
        return f"OPEL {self.level} (partial: {scored} of {expected} indicators)"

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "plan_version": self.plan_version,
            "area": self.area,
            "level": self.level,
            "score": _num(self.score),
            "max": _num(self.max),
            "normalised": _num(self.normalised),
            "suggestion": self.suggestion,
            "partial": self.partial,
            "given": list(self.given),
            "missing": list(self.missing),
            "parts": {k: p.to_json() for k, p in self.parts.items()},
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class ParamInfo:
    key: str
    title: str
    unit: str = ""
    required: bool = True
    direction: Direction = "rising"
    kind: str = "number"
    applicable: bool = True
    scorable: bool = True
    note: str = ""
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class MethodInfo:
    id: str
    family: str
    title: str
    version: str
    effective_from: date
    effective_to: date | None
    scoring: str
    verified: bool
    scorable: bool
    areas: tuple[str, ...]
    params: tuple[ParamInfo, ...]
    suggestion: str | None
    source: str
    note: str
    file: str
    superseded_from: date | None = None
    superseded_by: str | None = None
    superseded_note: str = ""


@dataclass(frozen=True)
class AggregateResult:
    """A system's view of its areas' levels (None = n/a or no data: ignored, never OPEL 1)."""

    worst: int | None
    counts: dict[int, int]
    acts_at: int | None  # 3 or 4 if any provider is at 3 or 4, whatever the aggregate
    because: tuple[str, ...]  # the providers at ``acts_at``
    ignored: tuple[str, ...]  # entries with no level
    not_providers: tuple[str, ...] = ()  # entries that are not NHS providers (never make it act at 3/4)

    def to_json(self) -> dict[str, Any]:
        return {
            "worst": self.worst,
            "counts": {str(k): v for k, v in self.counts.items()},
            "acts_at": self.acts_at,
            "because": list(self.because),
            "ignored": list(self.ignored),
            "not_providers": list(self.not_providers),
        }


# ---------------------------------------------------------------- values


def parse_value(key: str, raw: Any, param: Parameter | None = None) -> float:
    """A finite, non-negative number from ``raw`` (a number or its text), or :class:`ScoringError`.

    For a ``status`` parameter a level word (green/amber/red/black, or the plan's own words) or 1-4.
    """
    if param is not None and param.kind == "status":
        return float(_status_level(key, raw, param))
    if isinstance(raw, bool) or not isinstance(raw, (numbers.Real, str)):
        raise ScoringError(f"{key}: {raw!r} is not a number")
    if isinstance(raw, str):
        try:
            x = parse_decimal(raw)  # a decimal comma is a decimal; nothing ambiguous is guessed at
        except NumberTextError as e:
            raise ScoringError(f"{key}: {e}") from None
    else:
        try:
            x = float(raw)
        except (OverflowError, ValueError):
            raise ScoringError(f"{key}: {raw!r} is not a finite number") from None
    if not math.isfinite(x):
        raise ScoringError(f"{key}: {raw!r} is not a finite number")
    if x < 0:
        raise ScoringError(f"{key}: {raw!r} is negative (values are never negative)")
    return x + 0.0  # -0.0 -> 0.0


def _status_level(key: str, raw: Any, param: Parameter) -> int:
    words = {**LEVEL_WORDS, **{k.lower(): v for k, v in param.words.items()}}
    if isinstance(raw, str):
        text = " ".join(raw.strip().lower().split())
        if text in words:
            return words[text]
        try:
            raw = parse_decimal(text)
        except NumberTextError:
            raise ScoringError(f"{key}: {raw!r} is not a status (use {', '.join(sorted(words))} or 1-4)") from None
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real) or not math.isfinite(float(raw)):
        raise ScoringError(f"{key}: {raw!r} is not a status (use {', '.join(sorted(words))} or 1-4)")
    if float(raw) not in (1.0, 2.0, 3.0, 4.0):
        raise ScoringError(f"{key}: {raw!r} is not a status level (use 1-4 or {', '.join(sorted(LEVEL_WORDS))})")
    return int(raw)


def _lookup(bands: Sequence[Band], x: float) -> tuple[Band, bool]:
    """The band holding ``x`` and whether ``x`` is beyond the published range (then: nearest end)."""
    for band in bands:
        if band.contains(x):
            return band, False
    if bands[-1].beyond(x):
        return bands[-1], True
    if x < bands[0].min or (x == bands[0].min and not bands[0].min_inclusive):
        return bands[0], True
    # Unreachable for validated bands (contiguous from 0); refuse rather than guess.
    raise ScoringError(f"value {x:g} falls in no band (the plan's bands have a gap)")


def _band_text(band: Band, unit: str) -> str:
    if not unit:
        return band.label
    return band.label + _UNIT_SPACE.get(unit, " ") + unit


# ---------------------------------------------------------------- scoring


def score_plan(
    plan: PlanVersion,
    values: Mapping[str, Any],
    *,
    area: str | None = None,
    warnings: Sequence[str] = (),
) -> ScoreResult:
    """Score ``values`` with one plan version (no lookup). See :func:`score`."""
    if not plan.scorable:
        raise ScoringError(f"{plan.id} cannot score: {plan.unscorable_reason}")
    area_name = canonical_area(plan, area)
    if plan.areas and area_name is None and any(p.area_dependent for p in plan.parameters):
        raise ScoringError(f"{plan.id} needs an area: bands differ by area ({', '.join(plan.areas)})")
    known = {p.key for p in plan.parameters}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise ScoringError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} for {plan.id} "
            f"(keys: {', '.join(p.key for p in plan.parameters)})"
        )
    parsed = {p.key: parse_value(p.key, values[p.key], p) for p in plan.parameters if p.key in values}
    missing = [p.key for p in plan.parameters if p.required and p.applicable(area_name) and p.key not in values]
    where = f" in {area_name}" if area_name and plan.areas else ""
    if plan.scoring == "indicators":
        # Each indicator is assessed on its own (KCC ASC OPEL plan v1.8 §4.3): any subset scores,
        # and the result says which were not given. Nothing at all is not an assessment.
        if not values:
            expected = [p.key for p in plan.parameters if p.applicable(area_name)]
            raise ScoringError(f"no values given{where}: give at least one of {', '.join(expected)}")
        missing = [k for k in missing if _scored_in(plan.param(k), area_name)]
    elif missing:
        # A points total (acute-2023: 0-44) or a normalised score needs every value: a total from
        # some of the parameters would read as a lower level than the trust is at.
        raise ScoringError(
            f"missing required value{'s' if len(missing) > 1 else ''}{where}: {', '.join(missing)}"
            + (f" ({plan.id} sums all {len(plan.parameters)} parameters)" if plan.scoring == "points" else "")
        )

    parts: dict[str, PartResult] = {}
    for p in plan.parameters:
        if p.key not in values:
            continue
        x = parsed[p.key]
        if not p.applicable(area_name):
            parts[p.key] = PartResult(p.key, x, None, None, False, f"n/a in {area_name}", applicable=False)
            continue
        if p.kind == "status":
            level = int(x)
            word = next((w for w, v in p.words.items() if v == level), "")
            text = next(w for w, v in LEVEL_WORDS.items() if v == level) + (f" ({word})" if word else "")
            parts[p.key] = PartResult(p.key, x, None, level, False, text)
            continue
        bands = p.bands_for(area_name)
        if bands is None:
            parts[p.key] = PartResult(p.key, x, None, None, False, f"not scored: {p.unscored_reason}")
            continue
        band, out = _lookup(bands, x)
        parts[p.key] = PartResult(p.key, x, band.points, band.level, out, _band_text(band, p.unit))

    common = dict(
        method=plan.id,
        plan_version=plan.version,
        area=area_name,
        parts=parts,
        scoring=plan.scoring,
        warnings=tuple(warnings),
        effective_from=plan.effective_from,
        given=tuple(parts),
        missing=tuple(missing) if plan.scoring == "indicators" else (),
    )
    if plan.scoring == "points":
        total = sum(float(part.points or 0) for part in parts.values())
        max_score = float(plan.max_score) if plan.max_score is not None else None
        if plan.scale == "percent_of_max":
            normalised = total / max_score * 100 if max_score else 0.0
            level_band, _ = _lookup(plan.levels, normalised)
        else:
            normalised = None
            level_band, _ = _lookup(plan.levels, total)
        return ScoreResult(level=level_band.level, score=total, max=max_score, normalised=normalised, **common)
    if plan.scoring == "normalised":
        (only,) = parts.values()
        return ScoreResult(level=only.level, score=only.value, max=100.0, normalised=only.value, **common)
    levels = [part.level for part in parts.values() if part.level is not None]
    return ScoreResult(
        level=suggest_level(levels, plan.suggestion), score=None, max=None, normalised=None, suggestion=plan.suggestion, **common
    )


def _scored_in(p: Parameter | None, area: str | None) -> bool:
    """True if ``p`` gives a level in ``area`` (applicable, and a status or with bands there)."""
    return p is not None and p.applicable(area) and (p.kind == "status" or p.bands_for(area) is not None)


def suggest_level(levels: Sequence[int], how: str = "worst") -> int | None:
    """An organisation level from indicator levels (None ignored by the caller).

    ``worst``: the highest. ``median``: the upper median (an even count rounds towards pressure).
    ``mode``: the most frequent; a tie goes to the higher level.
    """
    if not levels:
        return None
    if how == "worst":
        return max(levels)
    if how == "median":
        ordered = sorted(levels)
        return ordered[len(ordered) // 2]
    if how == "mode":
        counts = Counter(levels)
        return max(counts, key=lambda lvl: (counts[lvl], lvl))
    raise ScoringError(f"unknown suggestion rule {how!r} (use {', '.join(SUGGESTIONS)})")


def method_family(method: str, registry: MethodRegistry | None = None) -> str | None:
    """The family a method name belongs to (a family is its own), or ``None`` if unknown."""
    name = str(method).strip().lower()
    reg = _registry(registry)
    if name in reg.plans:
        return reg.plans[name].family
    return name if name in reg.families() else None


def resolve(method: str, *, at: date | datetime | None = None, registry: MethodRegistry | None = None) -> PlanVersion:
    """The plan version ``method`` names on ``at`` (an id pins a version; a family picks by date)."""
    return _registry(registry).resolve(method, at)[0]


def score(
    method: str,
    values: Mapping[str, Any],
    *,
    area: str | None = None,
    at: date | datetime | None = None,
    registry: MethodRegistry | None = None,
) -> ScoreResult:
    """Score ``values`` (key -> number; a status parameter also takes a word) by ``method``.

    ``method`` is a plan id (pinned; a warning if it was not in force on ``at``) or a family (the
    version in force on ``at``, a date or an instant read as its Europe/London date; with no ``at``,
    the newest version). Raises :class:`ScoringError` with a one-line message.
    """
    plan, warnings = _registry(registry).resolve(method, at)
    return score_plan(plan, values, area=area, warnings=warnings)


def _param_info(p: Parameter, area: str | None, scoring: str = "points") -> ParamInfo:
    """``required``: the value must be given to score at all (points and normalised plans). In an
    indicator plan no single indicator is required: any subset scores (partially)."""
    applicable = p.applicable(area)
    note = p.note
    if not applicable:
        note = f"n/a in {area}"
    elif p.kind != "status" and p.bands_for(area) is None:
        note = f"not scored: {p.unscored_reason}"
    return ParamInfo(
        key=p.key,
        title=p.title,
        unit=p.unit,
        required=p.required and applicable and scoring != "indicators",
        direction=p.direction,
        kind=p.kind,
        applicable=applicable,
        scorable=applicable and (p.kind == "status" or p.bands_for(area) is not None),
        note=note,
        words=tuple(p.words) if p.kind == "status" else (),
    )


def method_params(
    method: str, *, area: str | None = None, at: date | datetime | None = None, registry: MethodRegistry | None = None
) -> list[ParamInfo]:
    """The parameters a method asks for (in an area, on a date), in the plan's order."""
    plan, _ = _registry(registry).resolve(method, at)
    area_name = canonical_area(plan, area)
    return [_param_info(p, area_name, plan.scoring) for p in plan.parameters]


def list_methods(registry: MethodRegistry | None = None) -> list[MethodInfo]:
    """Every plan version, by family then effective date."""
    out = []
    for versions in _registry(registry).families().values():
        for plan in versions:
            out.append(
                MethodInfo(
                    id=plan.id,
                    family=plan.family,
                    title=plan.title,
                    version=plan.version,
                    effective_from=plan.effective_from,
                    effective_to=plan.effective_to,
                    scoring=plan.scoring,
                    verified=plan.verified,
                    scorable=plan.scorable,
                    areas=plan.areas,
                    params=tuple(_param_info(p, None, plan.scoring) for p in plan.parameters),
                    suggestion=plan.suggestion if plan.scoring == "indicators" else None,
                    source=plan.source,
                    note=plan.unscorable_reason,
                    file=plan.file,
                    superseded_from=plan.superseded_from,
                    superseded_by=plan.superseded_by,
                    superseded_note=plan.superseded_note,
                )
            )
    return out


def aggregate(levels: Mapping[str, int | None], *, kinds: Mapping[str, str] | None = None) -> AggregateResult:
    """A system (ICS) view of its providers' levels.

    Reports the worst level and the count at each level. ``acts_at`` is 3 or 4 if any NHS provider is
    at 3 or 4 — ICSs and regions "implement all OPEL 3 or 4 actions if any provider within their region
    is assessed as OPEL 3 or 4, regardless of the aggregated OPEL score" (KCC ASC OPEL plan v1.8
    Appendix 4, quoting the Integrated OPEL framework 2024-26; v1.7 Appendix 3 for 2023/24). ``None``
    (n/a, no data) is ignored: never counted as OPEL 1.

    ``kinds`` (name -> area kind) says which entries are NHS providers: with it, only kinds in
    :data:`scc_tui.domain.kinds.NHS_PROVIDER_KINDS` can make the group act at 3/4 (a council or a
    local-authority area is not a provider for this rule); the others still count in ``worst`` and
    ``counts`` and are listed in ``not_providers``. Without it every entry is taken to be a provider.
    """
    from scc_tui.domain.kinds import is_nhs_provider

    counts = {1: 0, 2: 0, 3: 0, 4: 0}
    present: dict[str, int] = {}
    ignored = []
    for name, level in levels.items():
        if level is None:
            ignored.append(name)
            continue
        if isinstance(level, bool) or int(level) != level or not 1 <= int(level) <= 4:
            raise ScoringError(f"{name}: {level!r} is not an OPEL level (1-4)")
        present[name] = int(level)
        counts[int(level)] += 1
    if kinds is not None:
        unknown = [n for n in levels if n not in kinds]
        if unknown:
            raise ScoringError(f"aggregate: no kind given for {', '.join(map(repr, unknown))}")
    providers = {n: lvl for n, lvl in present.items() if kinds is None or is_nhs_provider(kinds[n])}
    not_providers = tuple(n for n in present if n not in providers)
    worst = max(present.values()) if present else None
    provider_worst = max(providers.values()) if providers else None
    acts_at = provider_worst if provider_worst is not None and provider_worst >= 3 else None
    because = tuple(n for n, lvl in providers.items() if lvl == acts_at) if acts_at else ()
    return AggregateResult(worst=worst, counts=counts, acts_at=acts_at, because=because, ignored=tuple(ignored),
                           not_providers=not_providers)
