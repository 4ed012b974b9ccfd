"""integrated-2024: normalised 0-100 score -> level (seed 000 §3.1 Table 1), and the pillar files."""

from __future__ import annotations

from datetime import date

import pytest

from scc_tui.domain.scoring import ScoringError, list_methods, score


@pytest.mark.parametrize(
    ("value", "level", "out"),
    [
        (0, 1, False),
        (14.9, 1, False),
        (15, 1, False),
        (15.000001, 2, False),
        (15.1, 2, False),
        (39.9, 2, False),
        (40, 2, False),
        (40.1, 3, False),
        (69.9, 3, False),
        (70, 3, False),
        (70.1, 4, False),
        (99.9, 4, False),
        (100, 4, False),
        (100.1, 4, True),
        (250, 4, True),
    ],
)
def test_normalised_score_to_level(value, level, out):
    result = score("integrated-2024", {"normalised_score": value})
    assert result.level == level
    assert result.parts["normalised_score"].out_of_range is out
    assert result.parts["normalised_score"].level == level
    assert result.score == value and result.normalised == value and result.max == 100


def test_json_shape():
    data = score("integrated-2024", {"normalised_score": 41}).to_json()
    assert data["method"] == "integrated-2024"
    assert data["plan_version"] == "2024-26"
    assert data["level"] == 3 and data["normalised"] == 41 and data["max"] == 100
    assert data["parts"]["normalised_score"]["points"] is None


def test_family_lookup_and_dates():
    assert score("integrated", {"normalised_score": 1}, at=date(2025, 6, 1)).method == "integrated-2024"
    with pytest.raises(ScoringError, match="no version of integrated was in force on 2024-03-31"):
        score("integrated", {"normalised_score": 1}, at=date(2024, 3, 31))


def test_required_and_validated():
    with pytest.raises(ScoringError, match="missing required value: normalised_score"):
        score("integrated-2024", {})
    with pytest.raises(ScoringError, match="negative"):
        score("integrated-2024", {"normalised_score": -1})


@pytest.mark.parametrize("pillar", ["acute", "community", "mental-health", "nhs111"])
def test_pillar_files_ship_structure_but_refuse_to_score(pillar):
    info = {m.id: m for m in list_methods()}[f"integrated-2024-{pillar}"]
    assert info.verified is False and info.scorable is False
    assert info.params == ()  # no invented parameters
    assert "not verified" in info.note
    with pytest.raises(ScoringError, match=r"cannot score: .*not verified"):
        score(f"integrated-2024-{pillar}", {})
