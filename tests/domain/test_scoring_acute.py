"""acute-2023: the 9 parameters of the OPEL framework 2023/24 (seed 001 Appendix 1, §3.1 Table 1)."""

from __future__ import annotations

import math

import pytest

from scc_tui.domain.scoring import ScoringError, score

KEYS = [
    "ambulance_handover_mins",
    "ed_4hr_pct",
    "ed_attendances_vs_expected_pct",
    "majors_resus_occupancy_pct",
    "time_to_treatment_mins",
    "over_12hr_in_ed_pct",
    "ga_bed_occupancy_pct",
    "escalation_beds_pct",
    "nctr_pct",
]

# Every parameter at its lowest-pressure (0 points) value.
CALM = {k: 0.0 for k in KEYS} | {"ed_4hr_pct": 100.0}


def points(key: str, value: float) -> tuple[float, bool]:
    part = score("acute-2023", CALM | {key: value}).parts[key]
    return part.points, part.out_of_range


# (key, value, points, out_of_range) at every band edge, as printed in seed 001 Appendix 1.
EDGES = [
    # <15 -> 0; 15-30 -> 2; >30-60 -> 4; >60 -> 6
    ("ambulance_handover_mins", 0, 0, False),
    ("ambulance_handover_mins", 14.9, 0, False),
    ("ambulance_handover_mins", 14.999, 0, False),
    ("ambulance_handover_mins", 15, 2, False),
    ("ambulance_handover_mins", 30, 2, False),
    ("ambulance_handover_mins", 30.1, 4, False),
    ("ambulance_handover_mins", 60, 4, False),
    ("ambulance_handover_mins", 60.1, 6, False),
    ("ambulance_handover_mins", 600, 6, False),
    # >95 -> 0; >76-95 -> 1; >60-76 -> 2; <=60 -> 4 (falling); a share of a whole: >100 out of range
    ("ed_4hr_pct", 100, 0, False),
    ("ed_4hr_pct", 95.1, 0, False),
    ("ed_4hr_pct", 95, 1, False),
    ("ed_4hr_pct", 76.1, 1, False),
    ("ed_4hr_pct", 76, 2, False),
    ("ed_4hr_pct", 60.1, 2, False),
    ("ed_4hr_pct", 60, 4, False),
    ("ed_4hr_pct", 0, 4, False),
    ("ed_4hr_pct", 100.5, 0, True),
    # <=2 -> 0; >2-10 -> 1; >10-20 -> 2; >20 -> 4
    ("ed_attendances_vs_expected_pct", 2, 0, False),
    ("ed_attendances_vs_expected_pct", 2.1, 1, False),
    ("ed_attendances_vs_expected_pct", 10, 1, False),
    ("ed_attendances_vs_expected_pct", 10.1, 2, False),
    ("ed_attendances_vs_expected_pct", 20, 2, False),
    ("ed_attendances_vs_expected_pct", 20.1, 4, False),
    ("ed_attendances_vs_expected_pct", 250, 4, False),
    # <=80 -> 0; >80-100 -> 2; >100-120 -> 4; >120 -> 6 (over 100 % is legal)
    ("majors_resus_occupancy_pct", 80, 0, False),
    ("majors_resus_occupancy_pct", 80.1, 2, False),
    ("majors_resus_occupancy_pct", 100, 2, False),
    ("majors_resus_occupancy_pct", 100.1, 4, False),
    ("majors_resus_occupancy_pct", 120, 4, False),
    ("majors_resus_occupancy_pct", 120.1, 6, False),
    ("majors_resus_occupancy_pct", 180, 6, False),
    # <=60 -> 0; >60-90 -> 1; "90-120" read >90-120 -> 2; >120 -> 4
    ("time_to_treatment_mins", 60, 0, False),
    ("time_to_treatment_mins", 60.1, 1, False),
    ("time_to_treatment_mins", 90, 1, False),
    ("time_to_treatment_mins", 90.1, 2, False),
    ("time_to_treatment_mins", 120, 2, False),
    ("time_to_treatment_mins", 120.1, 4, False),
    # <=2 -> 0; >2-5 -> 1; >5-10 -> 2; >10 -> 4
    ("over_12hr_in_ed_pct", 2, 0, False),
    ("over_12hr_in_ed_pct", 2.1, 1, False),
    ("over_12hr_in_ed_pct", 5, 1, False),
    ("over_12hr_in_ed_pct", 5.1, 2, False),
    ("over_12hr_in_ed_pct", 10, 2, False),
    ("over_12hr_in_ed_pct", 10.1, 4, False),
    ("over_12hr_in_ed_pct", 100, 4, False),
    ("over_12hr_in_ed_pct", 101, 4, True),
    # <=92 -> 0; >92-95 -> 2; >95-98 -> 4; >98 -> 6
    ("ga_bed_occupancy_pct", 92, 0, False),
    ("ga_bed_occupancy_pct", 92.4, 2, False),
    ("ga_bed_occupancy_pct", 95, 2, False),
    ("ga_bed_occupancy_pct", 95.1, 4, False),
    ("ga_bed_occupancy_pct", 98, 4, False),
    ("ga_bed_occupancy_pct", 98.1, 6, False),
    ("ga_bed_occupancy_pct", 103, 6, False),
    # <=2 -> 0; >2-4 -> 1; >4-6 -> 2; >6 -> 4
    ("escalation_beds_pct", 2, 0, False),
    ("escalation_beds_pct", 2.1, 1, False),
    ("escalation_beds_pct", 4, 1, False),
    ("escalation_beds_pct", 4.1, 2, False),
    ("escalation_beds_pct", 6, 2, False),
    ("escalation_beds_pct", 6.1, 4, False),
    ("escalation_beds_pct", 100.1, 4, True),
    # <=10 -> 0; >10-13 -> 2; >13-15 -> 4; >15 -> 6
    ("nctr_pct", 10, 0, False),
    ("nctr_pct", 10.1, 2, False),
    ("nctr_pct", 13, 2, False),
    ("nctr_pct", 13.1, 4, False),
    ("nctr_pct", 15, 4, False),
    ("nctr_pct", 15.1, 6, False),
    ("nctr_pct", 120, 6, True),
]


@pytest.mark.parametrize(("key", "value", "expected", "out"), EDGES, ids=[f"{k}={v}" for k, v, _, _ in EDGES])
def test_band_edges(key, value, expected, out):
    assert points(key, value) == (expected, out)


def test_every_band_edge_table_covers_all_nine_parameters():
    assert {k for k, *_ in EDGES} == set(KEYS)


# Points available per parameter, in KEYS order (max 6+4+4+6+4+4+6+4+6 = 44).
VALUE_FOR_POINTS = {
    "ambulance_handover_mins": {0: 0, 2: 20, 4: 45, 6: 61},
    "ed_4hr_pct": {0: 99, 1: 90, 2: 70, 4: 50},
    "ed_attendances_vs_expected_pct": {0: 1, 1: 5, 2: 15, 4: 30},
    "majors_resus_occupancy_pct": {0: 50, 2: 90, 4: 110, 6: 130},
    "time_to_treatment_mins": {0: 30, 1: 75, 2: 100, 4: 150},
    "over_12hr_in_ed_pct": {0: 1, 1: 3, 2: 7, 4: 20},
    "ga_bed_occupancy_pct": {0: 90, 2: 93, 4: 97, 6: 99},
    "escalation_beds_pct": {0: 1, 1: 3, 2: 5, 4: 8},
    "nctr_pct": {0: 5, 2: 12, 4: 14, 6: 20},
}


def values_for_total(total: int) -> dict[str, float]:
    remaining, out = total, {}
    for key in KEYS:
        p = max(p for p in VALUE_FOR_POINTS[key] if p <= remaining)
        out[key] = VALUE_FOR_POINTS[key][p]
        remaining -= p
    assert remaining == 0, total
    return out


@pytest.mark.parametrize(
    ("total", "level"),
    [(0, 1), (5, 1), (11, 1), (12, 2), (17, 2), (22, 2), (23, 3), (28, 3), (33, 3), (34, 4), (40, 4), (44, 4)],
)
def test_total_to_level(total, level):
    result = score("acute-2023", values_for_total(total))
    assert result.score == total
    assert sum(p.points for p in result.parts.values()) == total
    assert result.level == level
    assert result.max == 44
    assert result.normalised is None


def test_result_shape_and_json():
    result = score("acute-2023", values_for_total(24))
    data = result.to_json()
    assert data["method"] == "acute-2023"
    assert data["plan_version"] == "2023/24"
    assert data["level"] == 3 and data["score"] == 24 and data["max"] == 44 and data["normalised"] is None
    assert list(data["parts"]) == KEYS
    for part in data["parts"].values():
        assert set(part) >= {"value", "points", "level", "out_of_range"}
        assert part["level"] is None  # a points plan's parts carry points, not levels


def test_family_name_finds_acute_2023():
    assert score("acute", CALM).method == "acute-2023"
    assert score("ACUTE-2023", CALM).method == "acute-2023"


def test_real_numbers_and_numeric_text():
    assert points("ga_bed_occupancy_pct", 92.0000001) == (2, False)
    result = score("acute-2023", CALM | {"nctr_pct": "13.5"})
    assert result.parts["nctr_pct"].points == 4


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "negative"),
        (-0.001, "negative"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        ("nan", "finite"),
        ("inf", "finite"),
        ("12%", "not a number"),
        ("", "not a number"),
        ("twelve", "not a number"),
        (True, "not a number"),
        (None, "not a number"),
        ([1], "not a number"),
    ],
)
def test_bad_values_rejected(value, message):
    with pytest.raises(ScoringError, match=message):
        score("acute-2023", CALM | {"nctr_pct": value})


def test_negative_zero_is_zero():
    assert score("acute-2023", CALM | {"nctr_pct": -0.0}).parts["nctr_pct"].value == 0


def test_all_nine_required():
    for key in KEYS:
        values = dict(CALM)
        del values[key]
        with pytest.raises(ScoringError, match=f"missing required value: {key}"):
            score("acute-2023", values)


def test_unknown_key():
    with pytest.raises(ScoringError, match="unknown key 'handover'"):
        score("acute-2023", CALM | {"handover": 3})


def test_unknown_method():
    with pytest.raises(ScoringError, match="unknown method 'acute-2022'"):
        score("acute-2022", CALM)


def test_error_is_one_line():
    with pytest.raises(ScoringError) as info:
        score("acute-2023", {})
    assert "\n" not in str(info.value)


def test_area_label_is_accepted_for_a_plan_without_areas():
    assert score("acute-2023", CALM, area="Medway Maritime").area == "Medway Maritime"


# ---------------------------------------------------------------- plan dates (issue 9 item 8)

from datetime import date as _date  # noqa: E402


def test_acute_warns_that_it_is_superseded_from_december_2024():
    assert score("acute", CALM, at=_date(2024, 11, 30)).warnings == ()
    result = score("acute", CALM, at=_date(2024, 12, 1))
    assert result.method == "acute-2023"  # still resolves: the 2024-26 acute parameters are not in the seeds
    (warning,) = result.warnings
    assert "acute-2023 is superseded by integrated-2024 from 2024-12-01" in warning
    assert "KCC ASC OPEL plan v1.8 §3.1" in warning and "replaces all previous versions" in warning
    assert score("acute-2023", CALM, at=_date(2026, 12, 1)).warnings == result.warnings
    assert result.to_json()["warnings"] == [warning]


def test_integrated_is_in_force_from_publication_in_december_2024():
    from scc_tui.domain.scoring import resolve

    with pytest.raises(ScoringError, match="no version of integrated was in force on 2024-11-30"):
        resolve("integrated", at=_date(2024, 11, 30))
    plan = resolve("integrated", at=_date(2024, 12, 1))
    assert plan.id == "integrated-2024" and plan.effective_from == _date(2024, 12, 1)
    assert "In December 2024, NHS England published" in plan.effective_note
    for pillar in ("acute", "community", "mental-health", "nhs111"):
        assert resolve(f"integrated-2024-{pillar}").effective_from == _date(2024, 12, 1)


def test_a_partial_acute_set_is_refused_naming_every_missing_key():
    # The 9-parameter total needs all 9: a total from some would read as a lower level.
    values = {k: v for k, v in CALM.items() if k in ("ed_4hr_pct", "nctr_pct")}
    with pytest.raises(ScoringError) as info:
        score("acute-2023", values)
    message = str(info.value)
    assert "missing required values:" in message and "(acute-2023 sums all 9 parameters)" in message
    assert all(k in message for k in CALM if k not in values)
