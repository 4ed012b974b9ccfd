"""Property tests: more pressure on any one parameter never lowers its points, the total or the level.

"Towards more pressure" follows each parameter's direction in the plan file: up for rising
parameters (handover time, caseload), down for falling ones (4-hour performance, staffing, capacity).
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from scc_tui.domain.scoring import resolve, score, suggest_level

ACUTE = resolve("acute-2023")
VALUE = st.floats(min_value=0, max_value=400, allow_nan=False, allow_infinity=False)
STEP = st.floats(min_value=0, max_value=200, allow_nan=False, allow_infinity=False)


def towards_pressure(value: float, step: float, direction: str) -> float:
    return value + step if direction == "rising" else max(0.0, value - step)


@settings(max_examples=400, deadline=None)
@given(values=st.fixed_dictionaries({p.key: VALUE for p in ACUTE.parameters}), which=st.sampled_from(ACUTE.parameters), step=STEP)
def test_acute_more_pressure_never_scores_lower(values, which, step):
    before = score("acute-2023", values)
    moved = dict(values, **{which.key: towards_pressure(values[which.key], step, which.direction)})
    after = score("acute-2023", moved)
    assert after.parts[which.key].points >= before.parts[which.key].points
    assert after.score >= before.score
    assert after.level >= before.level
    for key in values:  # nothing else moved
        if key != which.key:
            assert after.parts[key].points == before.parts[key].points


@settings(max_examples=200, deadline=None)
@given(total=st.integers(min_value=0, max_value=43))
def test_acute_levels_monotone_in_total(total):
    levels = ACUTE.levels
    lvl = lambda t: next(b.level for b in levels if b.contains(t))  # noqa: E731
    assert lvl(total) <= lvl(total + 1)


PLANS = [("kcc-asc-2025", date(2025, 11, 1)), ("kcc-asc-2024", date(2024, 10, 1))]
AREAS = ["DGS", "East Kent", "Swale", "West Kent"]


@st.composite
def indicator_case(draw):
    method, at = draw(st.sampled_from(PLANS))
    plan = resolve(method, at=at)
    area = draw(st.sampled_from(AREAS))
    numeric = [p for p in plan.parameters if p.kind == "number" and p.applicable(area) and p.bands_for(area) is not None]
    values = {p.key: draw(st.floats(min_value=0, max_value=600, allow_nan=False)) for p in numeric}
    for p in plan.parameters:
        if p.kind == "status":
            values[p.key] = draw(st.integers(min_value=1, max_value=4))
    which = draw(st.sampled_from([p for p in plan.parameters if p.key in values]))
    step = draw(STEP if which.kind == "number" else st.integers(min_value=0, max_value=3))
    return method, at, area, values, which, step


@settings(max_examples=500, deadline=None)
@given(case=indicator_case())
def test_indicators_more_pressure_never_lowers_a_level(case):
    method, at, area, values, which, step = case
    before = score(method, values, area=area, at=at)
    if which.kind == "status":
        new = min(4, values[which.key] + step)
    else:
        new = towards_pressure(values[which.key], step, which.direction)
    after = score(method, dict(values, **{which.key: new}), area=area, at=at)
    assert after.parts[which.key].level >= before.parts[which.key].level
    assert after.level >= before.level  # the suggestion (worst indicator)
    levels_before = [p.level for p in before.parts.values() if p.level is not None]
    levels_after = [p.level for p in after.parts.values() if p.level is not None]
    assert suggest_level(levels_after, "median") >= suggest_level(levels_before, "median")


@settings(max_examples=200, deadline=None)
@given(x=st.floats(min_value=0, max_value=150, allow_nan=False), step=STEP)
def test_integrated_more_pressure_never_lowers_the_level(x, step):
    assert score("integrated-2024", {"normalised_score": x + step}).level >= score("integrated-2024", {"normalised_score": x}).level


@settings(max_examples=300, deadline=None)
@given(case=indicator_case())
def test_every_non_negative_value_is_scored_never_an_error(case):
    method, at, area, values, _, _ = case
    result = score(method, values, area=area, at=at)
    for key, part in result.parts.items():
        assert part.level in (1, 2, 3, 4)
