"""Scoring plans as data: bands, parameters, plan versions and the registry that finds the version in
force (DOMAIN.md §3). Pure. Built by :mod:`scc_tui.datafiles.methods` from TOML; evaluated by
:mod:`scc_tui.domain.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable, Literal, Mapping

from scc_tui.domain.errors import ScoringError

Direction = Literal["rising", "falling"]
SUGGESTIONS = ("worst", "median", "mode")
LEVEL_WORDS = {"green": 1, "amber": 2, "red": 3, "black": 4}


# ---------------------------------------------------------------- plan data


def _fmt(x: float | int | None) -> str:
    if x is None:
        return ""
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _num(x: float | int | None) -> float | int | None:
    """Integral floats as int (17.0 -> 17) for output; others unchanged."""
    if x is None:
        return None
    f = float(x)
    return int(f) if f.is_integer() else f


@dataclass(frozen=True)
class Band:
    """An interval of values and what it scores: ``points`` (points plans) or ``level`` (1-4).

    ``max=None`` means unbounded above. Defaults make ``[min, max)``.
    """

    min: float
    max: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = False
    points: float | None = None
    level: int | None = None

    def contains(self, x: float) -> bool:
        above_min = x >= self.min if self.min_inclusive else x > self.min
        if self.max is None:
            return above_min
        below_max = x <= self.max if self.max_inclusive else x < self.max
        return above_min and below_max

    def beyond(self, x: float) -> bool:
        """True if ``x`` lies above this band's maximum."""
        if self.max is None:
            return False
        return x > self.max if self.max_inclusive else x >= self.max

    @property
    def label(self) -> str:
        """Exact text of the interval: ``<15``, ``15-30``, ``>30-60``, ``>=70``, ``50 to <70``."""
        lo, hi = _fmt(self.min), _fmt(self.max)
        if self.max is None:
            return (">=" if self.min_inclusive else ">") + lo
        if self.min == 0 and self.min_inclusive:
            if self.max == 0:
                return "0"
            return ("0-" + hi) if self.max_inclusive else ("<" + hi)
        if self.max_inclusive:
            return (lo if self.min_inclusive else ">" + lo) + "-" + hi
        return (lo if self.min_inclusive else ">" + lo) + " to <" + hi


@dataclass(frozen=True)
class Parameter:
    """One scored parameter or indicator of a plan.

    Bands: ``bands`` for every area, overridden per area by ``by_area`` (canonical area name ->
    bands). ``not_applicable_in``/``applies_in`` make it n/a in some areas (never OPEL 1). With no
    bands at all it is recorded but not scored (``unscored_reason`` says why).
    ``kind="status"``: the value is a level given as a word (``words``) or 1-4, not a measurement.
    """

    key: str
    title: str
    unit: str = ""
    direction: Direction = "rising"
    kind: Literal["number", "status"] = "number"
    required: bool = True
    bands: tuple[Band, ...] | None = None
    by_area: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    not_applicable_in: frozenset[str] = frozenset()
    applies_in: frozenset[str] | None = None
    words: Mapping[str, int] = field(default_factory=dict)
    unscored_reason: str = ""
    note: str = ""
    source: str = ""

    @property
    def area_dependent(self) -> bool:
        return bool(self.by_area or self.not_applicable_in or self.applies_in is not None)

    def applicable(self, area: str | None) -> bool:
        if area is None:
            return True
        if area in self.not_applicable_in:
            return False
        return self.applies_in is None or area in self.applies_in

    def bands_for(self, area: str | None) -> tuple[Band, ...] | None:
        if area is not None and area in self.by_area:
            return self.by_area[area]
        return self.bands

    @property
    def scorable(self) -> bool:
        return self.kind == "status" or self.bands is not None or bool(self.by_area)


@dataclass(frozen=True)
class PlanVersion:
    """One version of a scoring method, in force from ``effective_from`` to ``effective_to``
    (inclusive; ``None`` = until superseded)."""

    id: str
    family: str
    title: str
    version: str
    effective_from: date
    scoring: Literal["points", "normalised", "indicators"]
    parameters: tuple[Parameter, ...]
    effective_to: date | None = None
    levels: tuple[Band, ...] = ()
    scale: Literal["total", "percent_of_max"] = "total"
    max_score: float | None = None
    areas: tuple[str, ...] = ()
    suggestion: str = "worst"
    verified: bool = True
    source: str = ""
    provenance: str = ""
    effective_note: str = ""
    file: str = ""
    # Superseded (e.g. acute-2023 by the Integrated OPEL framework 2024 to 2026): still resolved and
    # scored on and after ``superseded_from`` (nothing replaces it in the plan data), with a warning.
    superseded_from: date | None = None
    superseded_by: str | None = None
    superseded_note: str = ""

    def param(self, key: str) -> Parameter | None:
        for p in self.parameters:
            if p.key == key:
                return p
        return None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def superseded_on(self, on: date | None) -> bool:
        """True if a successor replaces this plan on ``on`` (``None``: today's question, so any
        ``superseded_from`` counts)."""
        return self.superseded_from is not None and (on is None or on >= self.superseded_from)

    def superseded_warning(self) -> str:
        by = f" by {self.superseded_by}" if self.superseded_by else ""
        note = f": {self.superseded_note}" if self.superseded_note else ""
        return f"{self.id} is superseded{by} from {self.superseded_from.isoformat() if self.superseded_from else '?'}{note}"

    @property
    def scorable(self) -> bool:
        return self.verified and bool(self.parameters)

    @property
    def unscorable_reason(self) -> str:
        if not self.verified:
            return "its figures are not verified (verified = false): " + (self.provenance.strip().splitlines() or [""])[0]
        if not self.parameters:
            return "it has no parameters"
        return ""


def canonical_area(plan: PlanVersion, area: str | None) -> str | None:
    """The plan's own spelling of ``area`` (case, spaces, hyphens and underscores ignored).

    Plans without areas accept any area label unchanged. Raises :class:`ScoringError` for an area
    the plan does not know.
    """
    if area is None or not str(area).strip():
        return None
    if not plan.areas:
        return str(area).strip()
    want = _area_key(area)
    for a in plan.areas:
        if _area_key(a) == want:
            return a
    raise ScoringError(f"unknown area {area!r} for {plan.id} (areas: {', '.join(plan.areas)})")


def _area_key(name: str) -> str:
    return " ".join(str(name).replace("-", " ").replace("_", " ").lower().split())


# ---------------------------------------------------------------- registry


class MethodRegistry:
    """The known plan versions, looked up by id (pinned) or by family + date (version in force)."""

    def __init__(self, plans: Iterable[PlanVersion]):
        self.plans: dict[str, PlanVersion] = {}
        for plan in plans:
            self.plans[plan.id] = plan  # later wins: a local file may replace a packaged one

    def families(self) -> dict[str, list[PlanVersion]]:
        out: dict[str, list[PlanVersion]] = {}
        for plan in sorted(self.plans.values(), key=lambda p: (p.family, p.effective_from)):
            out.setdefault(plan.family, []).append(plan)
        return out

    def resolve(self, method: str, at: date | datetime | None = None) -> tuple[PlanVersion, list[str]]:
        """The plan for ``method`` on ``at`` and any warnings (a pinned version not in force then)."""
        name = str(method).strip().lower()
        on = _as_date(at)
        if name in self.plans:
            plan = self.plans[name]
            warnings = []
            if on is not None and not plan.in_force(on):
                until = f" to {plan.effective_to.isoformat()}" if plan.effective_to else ""
                warnings.append(
                    f"{plan.id} was not in force on {on.isoformat()} "
                    f"(in force from {plan.effective_from.isoformat()}{until}); scored by it because it was named"
                )
            if plan.superseded_on(on):
                warnings.append(plan.superseded_warning())
            return plan, warnings
        versions = self.families().get(name)
        if not versions:
            known = sorted(set(self.plans) | set(self.families()))
            raise ScoringError(f"unknown method {method!r} (known: {', '.join(known)})")
        if on is None:  # no date: the newest version
            plan = versions[-1]
            return plan, [plan.superseded_warning()] if plan.superseded_on(None) else []
        for plan in reversed(versions):
            if plan.in_force(on):
                return plan, [plan.superseded_warning()] if plan.superseded_on(on) else []
        spans = ", ".join(
            f"{p.id} {p.effective_from.isoformat()}..{p.effective_to.isoformat() if p.effective_to else ''}" for p in versions
        )
        raise ScoringError(f"no version of {name} was in force on {on.isoformat()} ({spans}); name a version to use it anyway")


def _as_date(at: date | datetime | None) -> date | None:
    if at is None:
        return None
    if isinstance(at, datetime):
        if at.tzinfo is None:
            return at.date()  # a naive date-time is London wall time
        from scc_tui.domain.clock import london_date

        return london_date(at)
    return at
