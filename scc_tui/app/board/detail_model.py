"""The area detail's view model (pure: no Textual, no SQL): the stored records re-scored into one row
per parameter, the partial-suggestion text, and the scoring helpers the assessment form shares.

The seam reads an area's records (:class:`scc_tui.domain.records.AreaRecords`); :func:`build_detail`
turns them into what the detail screen draws, in the same thread worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from typing import TYPE_CHECKING

from scc_tui.domain.records import AreaRecords, DeclarationFacts

if TYPE_CHECKING:
    from scc_tui.domain.scoring import ParamInfo

__all__ = ["AreaDetail", "PartRow", "build_detail", "params", "partial_text", "preview"]


@dataclass
class PartRow:
    key: str
    title: str
    value: str
    points: str
    level: str
    band: str
    flag: str = ""


@dataclass
class AreaDetail:
    status: Any
    assessed_at: datetime | None = None
    assessed_by: str | None = None
    assessment_source: str | None = None
    plan_version: str | None = None
    parts: list[PartRow] = field(default_factory=list)
    declared: DeclarationFacts | None = None  # the latest declaration, if any
    history: list[tuple[date, int | None]] = field(default_factory=list)
    scores: list[tuple[date, float | None, float | None]] = field(default_factory=list)  # (day, score, max)
    problems: list[str] = field(default_factory=list)
    escalations: list[Any] = field(default_factory=list)  # ActiveFiring for this area
    actions: list[Any] = field(default_factory=list)  # DueAction for this area
    # Re-scored from the stored values: a partial suggestion (indicator plans) and plan warnings.
    partial: str = ""  # e.g. "partial: 1 of 5 indicators given; missing: x, y"
    warnings: list[str] = field(default_factory=list)


def params(method: str | None, *, area: str | None, at: datetime) -> list[ParamInfo]:
    """The parameters asked for in this area (n/a ones are never asked, never counted as OPEL 1)."""
    if not method:
        return []
    from scc_tui.domain.scoring import method_params

    return [p for p in method_params(method, area=area, at=at) if p.applicable]


def preview(method: str, values: Mapping[str, float], *, area: str | None, at: datetime):
    """A ScoreResult, or raises ScoringError (one line)."""
    from scc_tui.datafiles.methods import default_registry
    from scc_tui.domain.scoring import score

    return score(method, values, area=area, at=at, registry=default_registry())


def partial_text(result) -> str:
    """"1 of 5 indicators given; missing: a, b" for a partial suggestion, else ""."""
    if not result.partial:
        return ""
    scored = [k for k in result.given if result.parts[k].level is not None]
    return f"{len(scored)} of {len(scored) + len(result.missing)} indicators given; missing: {', '.join(result.missing)}"


def build_detail(records: AreaRecords, status: Any) -> AreaDetail:
    """The detail of one area from its records (the assessment re-scored at its own time)."""
    detail = AreaDetail(
        status=status,
        declared=records.declaration,
        history=list(records.history),
        scores=list(records.scores),
        problems=list(records.problems),
        escalations=list(records.escalations),
        actions=list(records.actions),
    )
    a = records.assessment
    if a is not None:
        detail.assessed_at = a.assessed_at
        detail.assessed_by = a.author
        detail.assessment_source = a.source
        detail.plan_version = a.plan_version
        detail.parts = _parts(a.method, dict(a.values), records.plan_area, a.assessed_at, detail)
    return detail


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _parts(method: str, values: dict, plan_area: str | None, at: datetime, detail: AreaDetail) -> list[PartRow]:
    titles: dict[str, str] = {}
    try:
        titles = {p.key: (p.title + (f" ({p.unit})" if p.unit else "")) for p in params(method, area=plan_area, at=at)}
    except Exception as exc:  # noqa: BLE001
        detail.problems.append(f"parameters: {exc}")
    try:
        result = preview(method, values, area=plan_area, at=at)
    except Exception as exc:  # noqa: BLE001 - show the values unscored rather than nothing
        detail.problems.append(f"re-scoring: {exc}")
        return [PartRow(k, titles.get(k, k), _num(v), "", "", "") for k, v in values.items()]
    detail.partial = partial_text(result)
    detail.warnings = list(result.warnings)
    rows = []
    for key, part in result.parts.items():
        rows.append(
            PartRow(
                key=key,
                title=titles.get(key, key),
                value=_num(part.value) if part.value is not None else "n/a",
                points=_num(part.points) if part.points is not None else "",
                level=f"OPEL {part.level}" if part.level is not None else "",
                band=str(part.band or ""),
                flag="outside published range" if part.out_of_range else "",
            )
        )
    return rows
