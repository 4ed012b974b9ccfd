"""kcc-asc-2025 / kcc-asc-2024 indicator trigger bands (seed 000 §4.3, seed 001 §4.3), plan
selection by date, area handling, the suggested level, and the ICS aggregate."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from scc_tui.domain.scoring import (
    Band,
    MethodRegistry,
    Parameter,
    PlanVersion,
    ScoringError,
    aggregate,
    method_params,
    score,
    suggest_level,
)

AREAS = ["DGS", "East Kent", "Swale", "West Kent"]
AT_2025 = date(2025, 11, 1)
AT_2024 = date(2024, 10, 1)

# A calm set of values for each area (every required indicator present, all OPEL 1).
CALM_2025 = {
    "stp_staffing_pct": 90,
    "health_caseload": 10,
    "social_caseload": 10,
    "referrals": 1,
    "keah_capacity": 6,
}


def calm_2025(area: str) -> dict:
    values = dict(CALM_2025)
    if area == "Swale":
        del values["referrals"]
    if area == "West Kent":
        values["d2a_p1_availability"] = 40
    return values


def part(key, value, area, method="kcc-asc-2025", at=AT_2025):
    base = calm_2025(area) if method == "kcc-asc-2025" else calm_2024(area)
    result = score(method, base | {key: value}, area=area, at=at)
    p = result.parts[key]
    return p.level, p.out_of_range


def calm_2024(area: str) -> dict:
    values = {"stp_staffing_pct": 90, "keah_capacity_status": "green"}
    if area == "West Kent":
        values |= {"d2a_p1_discharged_yesterday": 6, "d2a_p1_availability": 40}
    return values


STAFFING_2025 = [
    (100, 1, False), (70, 1, False), (69.9, 2, False), (50, 2, False), (49.9, 3, False),
    (30, 3, False), (29.9, 4, False), (0, 4, False), (100.1, 1, True),
]


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(("value", "level", "out"), STAFFING_2025)
def test_staffing_2025(area, value, level, out):
    assert part("stp_staffing_pct", value, area) == (level, out)


@pytest.mark.parametrize(
    ("value", "level"),
    [(100, 1), (70, 1), (69.9, 2), (50, 2), (49.9, 3), (35, 3), (34.9, 4), (30, 4), (0, 4)],
)
def test_staffing_2024_black_below_35(value, level):
    assert part("stp_staffing_pct", value, "DGS", method="kcc-asc-2024", at=AT_2024) == (level, False)


HEALTH_DEFAULT = [
    (0, 1, False), (39, 1, False), (39.5, 1, False), (40, 2, False), (59, 2, False), (59.9, 2, False),
    (60, 3, False), (99, 3, False), (99.9, 3, False), (100, 4, False), (200, 4, False),
    (200.5, 4, True), (250, 4, True),
]


@pytest.mark.parametrize("area", ["DGS", "East Kent", "West Kent"])
@pytest.mark.parametrize(("value", "level", "out"), HEALTH_DEFAULT)
def test_health_caseload(area, value, level, out):
    assert part("health_caseload", value, area) == (level, out)


@pytest.mark.parametrize(
    ("value", "level", "out"),
    [
        (0, 1, False), (39, 1, False), (40, 2, False), (49, 2, False), (49.5, 2, False), (50, 3, False),
        (69, 3, False), (70, 4, False), (80, 4, False), (80.5, 4, True), (81, 4, True), (150, 4, True),
    ],
)
def test_health_caseload_swale(value, level, out):
    assert part("health_caseload", value, "Swale") == (level, out)


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(
    ("value", "level", "out"),
    [(0, 1, False), (39, 1, False), (40, 2, False), (59, 2, False), (60, 3, False), (99, 3, False),
     (100, 4, False), (500, 4, False), (501, 4, True)],
)
def test_social_caseload(area, value, level, out):
    assert part("social_caseload", value, area) == (level, out)


@pytest.mark.parametrize(
    ("value", "level", "out"),
    [(0, 1, False), (9, 1, False), (10, 2, False), (14, 2, False), (15, 3, False), (19, 3, False),
     (20, 4, False), (29, 4, False), (30, 4, True), (100, 4, True)],
)
def test_referrals_dgs(value, level, out):
    assert part("referrals", value, "DGS") == (level, out)


@pytest.mark.parametrize("area", ["East Kent", "West Kent"])
@pytest.mark.parametrize(
    ("value", "level", "out"),
    [(9, 1, False), (10, 2, False), (14, 2, False), (15, 3, False), (19, 3, False), (20, 4, False),
     (29, 4, False), (30, 4, False), (100, 4, False), (101, 4, True)],
)
def test_referrals_east_west_kent(area, value, level, out):
    assert part("referrals", value, area) == (level, out)


@pytest.mark.parametrize("value", [0, 5, 25, 500])
def test_referrals_swale_is_not_applicable(value):
    result = score("kcc-asc-2025", calm_2025("Swale") | {"referrals": value}, area="Swale", at=AT_2025)
    p = result.parts["referrals"]
    assert p.level is None and p.applicable is False and "n/a" in p.band
    assert result.to_json()["parts"]["referrals"]["level"] is None
    assert result.level == 1  # the other indicators; n/a never lowers or raises it


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize(
    ("value", "level", "out"),
    [(6, 1, False), (5, 1, False), (4.9, 2, False), (4, 2, False), (3, 2, False), (2.9, 3, False),
     (2, 3, False), (1, 3, False), (0.9, 4, False), (0, 4, False), (7, 1, True), (9, 1, True)],
)
def test_keah_capacity(area, value, level, out):
    assert part("keah_capacity", value, area) == (level, out)


D2A_AVAILABILITY = [
    (42, 1, False), (35, 1, False), (34.9, 2, False), (34, 2, False), (15, 2, False), (14.9, 3, False),
    (14, 3, False), (6, 3, False), (5.9, 4, False), (5, 4, False), (0, 4, False), (43, 1, True),
]


@pytest.mark.parametrize(("value", "level", "out"), D2A_AVAILABILITY)
@pytest.mark.parametrize(("method", "at"), [("kcc-asc-2025", AT_2025), ("kcc-asc-2024", AT_2024)])
def test_d2a_availability_west_kent(method, at, value, level, out):
    assert part("d2a_p1_availability", value, "West Kent", method=method, at=at) == (level, out)


@pytest.mark.parametrize("area", ["DGS", "East Kent", "Swale"])
def test_d2a_availability_only_west_kent(area):
    level, out = part("d2a_p1_availability", 0, area)
    assert level is None and out is False
    info = {p.key: p for p in method_params("kcc-asc-2025", area=area, at=AT_2025)}
    assert info["d2a_p1_availability"].applicable is False
    assert info["d2a_p1_availability"].required is False


@pytest.mark.parametrize(
    ("value", "level", "out"),
    [(6, 1, False), (5, 1, False), (4, 2, False), (3, 2, False), (2, 3, False), (1, 3, False),
     (0, 4, False), (7, 1, True)],
)
def test_d2a_discharged_yesterday_2024(value, level, out):
    assert part("d2a_p1_discharged_yesterday", value, "West Kent", method="kcc-asc-2024", at=AT_2024) == (level, out)


@pytest.mark.parametrize(
    ("word", "level"),
    [("green", 1), ("Good capacity", 1), ("AMBER", 2), ("limited capacity", 2), ("red", 3),
     ("very limited capacity", 3), ("black", 4), ("no capacity", 4), (4, 4), ("2", 2)],
)
def test_keah_status_words_2024(word, level):
    assert part("keah_capacity_status", word, "DGS", method="kcc-asc-2024", at=AT_2024) == (level, False)


@pytest.mark.parametrize("bad", ["purple", 0, 5, 2.5, "", True, -1])
def test_keah_status_rejects_non_levels(bad):
    with pytest.raises(ScoringError, match="keah_capacity_status"):
        score("kcc-asc-2024", calm_2024("DGS") | {"keah_capacity_status": bad}, area="DGS", at=AT_2024)


@pytest.mark.parametrize("key", ["health_caseload", "social_caseload", "referrals"])
def test_2024_caseload_and_referrals_are_recorded_not_scored(key):
    result = score("kcc-asc-2024", calm_2024("DGS") | {key: 250}, area="DGS", at=AT_2024)
    p = result.parts[key]
    assert p.level is None and "under development" in p.band
    assert result.level == 1


@pytest.mark.parametrize("method,at", [("kcc-asc-2025", AT_2025), ("kcc-asc-2024", AT_2024)])
def test_assessment_beds_have_no_published_bands(method, at):
    base = calm_2025("DGS") if method.endswith("2025") else calm_2024("DGS")
    result = score(method, base | {"assessment_beds_available": 0}, area="DGS", at=at)
    p = result.parts["assessment_beds_available"]
    assert p.level is None and "not scored" in p.band and "in line with" in p.band
    assert result.level == 1  # 0 beds is not scored at all, never as OPEL 1 or 4
    info = {i.key: i for i in method_params(method, area="DGS", at=at)}
    assert info["assessment_beds_available"].required is False
    assert info["assessment_beds_available"].scorable is False


# ---------------------------------------------------------------- versions by date


@pytest.mark.parametrize(
    ("at", "plan"),
    [
        (date(2024, 8, 1), "kcc-asc-2024"),
        (date(2024, 10, 1), "kcc-asc-2024"),
        (date(2025, 10, 1), "kcc-asc-2024"),
        (date(2025, 10, 2), "kcc-asc-2025"),
        (date(2026, 11, 23), "kcc-asc-2025"),
        # 23:30 UTC on 1 Oct 2025 is 00:30 BST on 2 Oct: the London date decides.
        (datetime(2025, 10, 1, 23, 30, tzinfo=UTC), "kcc-asc-2025"),
        (datetime(2025, 10, 1, 22, 59, tzinfo=UTC), "kcc-asc-2024"),
    ],
)
def test_family_picks_version_in_force(at, plan):
    values = (calm_2024("DGS") if plan == "kcc-asc-2024" else calm_2025("DGS")) | {"stp_staffing_pct": 40}
    result = score("kcc-asc", values, area="DGS", at=at)
    assert result.method == plan
    assert result.warnings == ()
    # 40 % staffing: OPEL 3 under both versions; the version matters at 30-35 %.
    assert result.parts["stp_staffing_pct"].level == 3


def test_staffing_32_differs_by_version():
    v2024 = score("kcc-asc", {"stp_staffing_pct": 32, "keah_capacity_status": 1}, area="DGS", at=AT_2024)
    v2025 = score("kcc-asc", calm_2025("DGS") | {"stp_staffing_pct": 32}, area="DGS", at=AT_2025)
    assert (v2024.method, v2024.level) == ("kcc-asc-2024", 4)
    assert (v2025.method, v2025.level) == ("kcc-asc-2025", 3)


def test_no_version_before_the_first():
    with pytest.raises(ScoringError, match="no version of kcc-asc was in force on 2024-07-31"):
        score("kcc-asc", {}, area="DGS", at=date(2024, 7, 31))


def test_explicit_id_pins_the_version_with_a_warning():
    result = score("kcc-asc-2025", calm_2025("DGS"), area="DGS", at=AT_2024)
    assert result.method == "kcc-asc-2025"
    assert len(result.warnings) == 1 and "not in force on 2024-10-01" in result.warnings[0]
    assert score("kcc-asc-2025", calm_2025("DGS"), area="DGS", at=AT_2025).warnings == ()


# ---------------------------------------------------------------- areas, required, suggestion


@pytest.mark.parametrize("spelling", ["Swale", "swale", "SWALE", " Swale "])
def test_area_case_insensitive(spelling):
    result = score("kcc-asc-2025", calm_2025("Swale") | {"health_caseload": 75}, area=spelling, at=AT_2025)
    assert result.area == "Swale" and result.parts["health_caseload"].level == 4


@pytest.mark.parametrize("spelling", ["west kent", "WEST KENT", "west-kent", "west_kent"])
def test_area_spelling(spelling):
    assert score("kcc-asc-2025", calm_2025("West Kent"), area=spelling, at=AT_2025).area == "West Kent"


def test_unknown_area():
    with pytest.raises(ScoringError, match="unknown area 'Medway'"):
        score("kcc-asc-2025", calm_2025("DGS"), area="Medway", at=AT_2025)


def test_area_needed_when_bands_differ_by_area():
    with pytest.raises(ScoringError, match="needs an area"):
        score("kcc-asc-2025", calm_2025("DGS"), at=AT_2025)


def test_missing_indicator_is_listed_not_refused():
    values = calm_2025("West Kent") | {"keah_capacity": 0}
    del values["d2a_p1_availability"]
    result = score("kcc-asc-2025", values, area="West Kent", at=AT_2025)
    assert result.missing == ("d2a_p1_availability",) and result.partial
    assert result.level == 4 and result.level_text == "OPEL 4 (partial: 5 of 6 indicators)"


def test_any_subset_scores_and_says_it_is_partial():
    # Issue 9 item 7: `scc score kcc-asc-2025 --area DGS --set referrals=15` used to exit 2.
    result = score("kcc-asc-2025", {"referrals": 15}, area="DGS", at=AT_2025)
    assert result.level == 3 and result.given == ("referrals",)
    assert result.missing == ("stp_staffing_pct", "health_caseload", "social_caseload", "keah_capacity")
    data = result.to_json()
    assert data["partial"] is True and data["given"] == ["referrals"]
    assert data["missing"] == ["stp_staffing_pct", "health_caseload", "social_caseload", "keah_capacity"]


def test_missing_skips_na_and_unscored_indicators():
    # Swale: referrals n/a; D2A West Kent only; assessment beds recorded, not scored: none is "missing".
    result = score("kcc-asc-2025", {"stp_staffing_pct": 60}, area="Swale", at=AT_2025)
    assert result.missing == ("health_caseload", "social_caseload", "keah_capacity")
    assert "referrals" not in result.missing and "assessment_beds_available" not in result.missing
    full = score("kcc-asc-2025", calm_2025("Swale"), area="Swale", at=AT_2025)
    assert full.missing == () and not full.partial and full.level_text == "OPEL 1"
    assert full.to_json()["partial"] is False


def test_a_partial_suggestion_uses_only_what_was_given():
    # The worst of those given, never a missing indicator counted as OPEL 1 or 4.
    result = score("kcc-asc-2025", {"stp_staffing_pct": 60, "keah_capacity": 6}, area="DGS", at=AT_2025)
    assert result.level == 2 and result.partial


def test_only_unscored_or_na_values_give_no_level():
    result = score("kcc-asc-2025", {"referrals": 3}, area="Swale", at=AT_2025)
    assert result.level is None and result.partial and result.level_text == "no level"


def test_no_values_at_all_is_refused():
    with pytest.raises(ScoringError, match="no values given in DGS: give at least one of stp_staffing_pct"):
        score("kcc-asc-2025", {}, area="DGS", at=AT_2025)


def test_indicator_params_are_not_individually_required():
    params = method_params("kcc-asc-2025", area="West Kent", at=AT_2025)
    assert params and not any(p.required for p in params)
    acute = method_params("acute-2023")
    assert len(acute) == 9 and all(p.required for p in acute)


def test_worst_indicator_is_the_suggestion():
    result = score("kcc-asc-2025", calm_2025("DGS") | {"referrals": 16, "keah_capacity": 4}, area="DGS", at=AT_2025)
    assert result.level == 3 and result.suggestion == "worst"
    assert result.score is None and result.max is None and result.normalised is None


@pytest.mark.parametrize(
    ("levels", "how", "expected"),
    [
        ([1, 1, 3], "worst", 3),
        ([1, 1, 3], "median", 1),
        ([1, 2, 3, 4], "median", 3),  # even count: the upper median
        ([1, 1, 3], "mode", 1),
        ([1, 3], "mode", 3),  # tie: the higher level
        ([], "worst", None),
    ],
)
def test_suggest_level(levels, how, expected):
    assert suggest_level(levels, how) == expected


def _tiny_plan(suggestion: str) -> PlanVersion:
    bands = (Band(0, 10, level=1), Band(10, 20, level=2), Band(20, 30, level=3), Band(30, None, level=4))
    return PlanVersion(
        id="tiny-2026",
        family="tiny",
        title="t",
        version="1",
        effective_from=date(2026, 1, 1),
        scoring="indicators",
        suggestion=suggestion,
        parameters=tuple(Parameter(key=k, title=k, bands=bands) for k in ("a", "b", "c")),
    )


@pytest.mark.parametrize(("how", "expected"), [("worst", 4), ("median", 1), ("mode", 1)])
def test_suggestion_is_configurable_per_plan(how, expected):
    registry = MethodRegistry([_tiny_plan(how)])
    result = score("tiny", {"a": 1, "b": 2, "c": 35}, registry=registry)
    assert result.level == expected and result.suggestion == how


# ---------------------------------------------------------------- aggregate


def test_aggregate_any_provider_at_3_or_4_sets_acts_at():
    result = aggregate({"A": 1, "B": 3, "C": 1, "D": None})
    assert result.worst == 3 and result.acts_at == 3 and result.because == ("B",)
    assert result.counts == {1: 2, 2: 0, 3: 1, 4: 0}
    assert result.ignored == ("D",)


def test_aggregate_opel_4_wins():
    result = aggregate({"A": 4, "B": 3, "C": 4})
    assert result.acts_at == 4 and result.because == ("A", "C")


def test_aggregate_none_is_not_opel_1():
    result = aggregate({"A": None, "B": None})
    assert result.worst is None and result.acts_at is None and result.counts[1] == 0
    assert aggregate({}).worst is None


def test_aggregate_below_3_does_not_act():
    result = aggregate({"A": 2, "B": 1})
    assert result.worst == 2 and result.acts_at is None and result.because == ()
    assert result.to_json()["counts"] == {"1": 1, "2": 1, "3": 0, "4": 0}


@pytest.mark.parametrize("bad", [0, 5, 2.5, True])
def test_aggregate_rejects_non_levels(bad):
    with pytest.raises(ScoringError):
        aggregate({"A": bad})
