"""The method-file loader: packaged files load; malformed files fail naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from scc_tui.datafiles import methods
from scc_tui.datafiles.base import field_path
from scc_tui.datafiles.methods import METHODS_DIR, load_method_file, load_methods
from scc_tui.domain.errors import DataFileError, find_line
from scc_tui.domain.scoring import score

GOOD = """\
id = "test-2026"
family = "test"
title = "A test plan"
version = "1"
effective_from = 2026-01-01
verified = true
source = "unit test"
scoring = "points"
max_score = 6
levels = [
  { min = 0, max = 2, level = 1 },
  { min = 2, max = 4, level = 2 },
  { min = 4, max = 5, level = 3 },
  { min = 5, max = 6, max_inclusive = true, level = 4 },
]

[[parameters]]
key = "first"
title = "First"
bands = [
  { min = 0, max = 10, points = 0 },
  { min = 10, points = 2 },
]

[[parameters]]
key = "second"
title = "Second"
direction = "rising"
bands = [
  { min = 0, max = 15, points = 0 },
  { min = 15, max = 30, max_inclusive = true, points = 2 },
  { min = 30, min_inclusive = false, points = 4 },
]
"""


def write(tmp_path: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if fragment in line]
    return hits[nth - 1]


def load_error(tmp_path: Path, text: str) -> DataFileError:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        load_method_file(path)
    err = info.value
    assert err.file == str(path)
    assert str(path) in str(err) and "\n" not in str(err)
    return err


def test_good_file_loads_and_scores(tmp_path):
    plan = load_method_file(write(tmp_path, GOOD))
    assert plan.id == "test-2026" and plan.max_score == 6
    from scc_tui.domain.scoring import score_plan

    assert score_plan(plan, {"first": 10, "second": 30}).score == 4


def test_every_packaged_file_loads():
    registry = load_methods([METHODS_DIR])
    assert {"acute-2023", "integrated-2024", "kcc-asc-2024", "kcc-asc-2025"} <= set(registry.plans)
    assert {f"integrated-2024-{p}" for p in ("acute", "community", "mental-health", "nhs111")} <= set(registry.plans)
    for plan in registry.plans.values():
        assert plan.source and plan.effective_from


def test_toml_syntax_error_names_the_line(tmp_path):
    text = GOOD.replace('title = "First"', 'title = "First')
    err = load_error(tmp_path, text)
    assert err.line == line_of(text, 'title = "First')
    assert "not valid TOML" in err.message


def test_gap_between_bands(tmp_path):
    text = GOOD.replace("{ min = 10, points = 2 }", "{ min = 11, points = 2 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[1].min"
    assert err.line == line_of(text, "{ min = 11, points = 2 }")
    assert "gap" in err.message


def test_overlap_both_sides_include_the_boundary(tmp_path):
    text = GOOD.replace("{ min = 30, min_inclusive = false, points = 4 }", "{ min = 30, points = 4 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[2].min"
    assert err.line == line_of(text, "{ min = 30, points = 4 }")
    assert "overlap" in err.message


def test_gap_boundary_excluded_on_both_sides(tmp_path):
    text = GOOD.replace("{ min = 15, max = 30, max_inclusive = true, points = 2 }", "{ min = 15, max = 30, points = 2 }")
    text = text.replace("{ min = 30, min_inclusive = false, points = 4 }", "{ min = 30, min_inclusive = false, points = 4 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[2].min" and "gap" in err.message


def test_overlapping_ranges(tmp_path):
    text = GOOD.replace("{ min = 10, points = 2 }", "{ min = 8, points = 2 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[1].min" and "overlap" in err.message


def test_bands_must_start_at_zero(tmp_path):
    text = GOOD.replace("{ min = 0, max = 10, points = 0 }", "{ min = 1, max = 10, points = 0 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[0].min"
    assert err.line == line_of(text, "{ min = 1, max = 10, points = 0 }")


def test_points_must_not_fall_as_pressure_rises(tmp_path):
    text = GOOD.replace("{ min = 30, min_inclusive = false, points = 4 }", "{ min = 30, min_inclusive = false, points = 1 }")
    text = text.replace("max_score = 6", "max_score = 4")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[2].points" and "must not fall" in err.message
    assert err.line == line_of(text, "points = 1 }")


def test_falling_direction_is_checked_too(tmp_path):
    text = GOOD.replace('direction = "rising"', 'direction = "falling"')
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[1].points"


def test_unbounded_band_must_be_last(tmp_path):
    text = GOOD.replace("{ min = 0, max = 15, points = 0 }", "{ min = 0, points = 0 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[0].max"


def test_misspelt_field(tmp_path):
    text = GOOD.replace("max = 30, max_inclusive = true", "max = 30, max_inclusve = true")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].bands[1].max_inclusve"
    assert err.line == line_of(text, "max_inclusve")
    assert "not a known field" in err.message


def test_wrong_type_is_not_coerced(tmp_path):
    text = GOOD.replace("{ min = 10, points = 2 }", '{ min = 10, points = "2" }')
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[1].points"
    assert err.line == line_of(text, 'points = "2"')


def test_boolean_is_not_a_number(tmp_path):
    text = GOOD.replace("{ min = 10, points = 2 }", "{ min = true, points = 2 }")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[1].min"


def test_missing_required_field(tmp_path):
    text = GOOD.replace('title = "Second"\n', "")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].title" and "required" in err.message
    assert err.line == line_of(text, "[[parameters]]", nth=2)


def test_level_out_of_1_to_4(tmp_path):
    text = GOOD.replace("{ min = 5, max = 6, max_inclusive = true, level = 4 }", "{ min = 5, max = 6, max_inclusive = true, level = 5 }")
    err = load_error(tmp_path, text)
    assert err.field == "levels[3].level"
    assert err.line == line_of(text, "level = 5")


def test_max_score_must_match_the_parameters(tmp_path):
    text = GOOD.replace("max_score = 6", "max_score = 7").replace("{ min = 5, max = 6, max_inclusive", "{ min = 5, max = 7, max_inclusive")
    err = load_error(tmp_path, text)
    assert err.field == "max_score" and "add up to 6" in err.message
    assert err.line == line_of(text, "max_score = 7")


def test_levels_must_cover_the_whole_score(tmp_path):
    text = GOOD.replace("{ min = 5, max = 6, max_inclusive = true, level = 4 }", "{ min = 5, max = 6, level = 4 }")
    err = load_error(tmp_path, text)
    assert err.field == "levels[3].max" and "must end at 6" in err.message


def test_duplicate_parameter_key(tmp_path):
    text = GOOD.replace('key = "second"', 'key = "first"')
    err = load_error(tmp_path, text)
    assert err.field == "parameters[1].key" and "duplicate" in err.message
    assert err.line == line_of(text, 'key = "first"', nth=2)


def test_effective_to_before_effective_from(tmp_path):
    text = GOOD.replace("effective_from = 2026-01-01", "effective_from = 2026-01-01\neffective_to = 2025-12-31")
    err = load_error(tmp_path, text)
    assert err.field == "effective_to" and err.line == line_of(text, "effective_to")


INDICATORS = """\
id = "ind-2026"
family = "ind"
title = "Indicators"
version = "1"
effective_from = 2026-01-01
verified = true
source = "unit test"
scoring = "indicators"
areas = ["North", "South"]

[[parameters]]
key = "caseload"
title = "Caseload"
bands = [
  { min = 0, max = 40, level = 1 },
  { min = 40, max = 60, level = 2 },
]
not_applicable_in = ["South"]
[parameters.by_area]
"North" = [
  { min = 0, max = 40, level = 1 },
  { min = 41, max = 60, level = 2 },
]
"""


def test_gap_in_per_area_bands(tmp_path):
    err = load_error(tmp_path, INDICATORS)
    assert err.field == "parameters[0].by_area.North[1].min"
    assert err.line == line_of(INDICATORS, "{ min = 41, max = 60, level = 2 }")


def test_unknown_area_in_plan(tmp_path):
    text = INDICATORS.replace('not_applicable_in = ["South"]', 'not_applicable_in = ["East"]').replace("min = 41", "min = 40")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].not_applicable_in" and "'East'" in err.message


def test_points_in_an_indicator_plan(tmp_path):
    text = INDICATORS.replace("{ min = 40, max = 60, level = 2 }", "{ min = 40, max = 60, points = 2 }", 1).replace("min = 41", "min = 40")
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands[1].level"


def test_parameter_without_bands_must_say_why(tmp_path):
    text = GOOD.split("[[parameters]]")[0].replace('scoring = "points"', 'scoring = "indicators"')
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("max_score", "levels", "  {", "]")))
    text += '\n[[parameters]]\nkey = "beds"\ntitle = "Beds"\nrequired = false\n'
    err = load_error(tmp_path, text)
    assert err.field == "parameters[0].bands" and "unscored_reason" in err.message


def test_unverified_plan_needs_provenance(tmp_path):
    text = GOOD.replace("verified = true", "verified = false")
    err = load_error(tmp_path, text)
    assert err.field == "provenance"


def test_overlapping_versions_of_a_family(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD.replace('id = "test-2026"', 'id = "test-2026b"').replace("2026-01-01", "2026-06-01"), "b.toml")
    with pytest.raises(DataFileError) as info:
        load_methods([tmp_path])
    assert info.value.field == "effective_to" and "overlaps test-2026b" in info.value.message


def test_duplicate_ids_in_one_directory(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(DataFileError) as info:
        load_methods([tmp_path])
    assert info.value.field == "id" and info.value.line == 1


def test_local_directory_adds_plans(tmp_path, monkeypatch):
    write(tmp_path, GOOD)
    from scc_tui.settings import Settings, installed

    methods.clear_cache()
    with installed(Settings.from_environ({"SCC_METHODS_PATH": str(tmp_path)})):
        assert score("test", {"first": 12, "second": 31}).level == 4
        assert score("acute-2023", {k: 0 for k in (
            "ambulance_handover_mins", "ed_4hr_pct", "ed_attendances_vs_expected_pct", "majors_resus_occupancy_pct",
            "time_to_treatment_mins", "over_12hr_in_ed_pct", "ga_bed_occupancy_pct", "escalation_beds_pct", "nctr_pct")}).score == 4
    methods.clear_cache()


def test_file_cache_rereads_an_edited_file(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_method_file(path).title == "A test plan"
    path.write_text(GOOD.replace("A test plan", "An edited plan, longer"), encoding="utf-8")
    assert load_method_file(path).title == "An edited plan, longer"


# ---------------------------------------------------------------- helpers other loaders reuse


def test_field_path():
    assert field_path(("parameters", 2, "bands", 1, "min")) == "parameters[2].bands[1].min"
    assert field_path(("by_area", "West Kent", 0)) == 'by_area."West Kent"[0]'


def test_find_line_arrays_of_tables_and_inline_arrays():
    text = GOOD
    assert find_line(text, "parameters[1].key") == line_of(text, 'key = "second"')
    assert find_line(text, "parameters[1].bands[2].min_inclusive") == line_of(text, "min_inclusive = false")
    assert find_line(text, "levels[2]") == line_of(text, "{ min = 4, max = 5, level = 3 }")
    assert find_line(text, "max_score") == line_of(text, "max_score")
    assert find_line(text, "nowhere") is None
    assert find_line(text, None) is None


# ---------------------------------------------------------------- superseded plans (issue 9 item 8)

SUPERSEDED = """
superseded_from = 2026-07-01
superseded_by = "test-2026b"
superseded_note = "replaced by the July plan (Test plan §1)"
"""


def with_superseded(text: str, extra: str = SUPERSEDED) -> str:
    return text.replace('effective_from = 2026-01-01\n', "effective_from = 2026-01-01\n" + extra.lstrip("\n"), 1)


def test_superseded_plan_loads_and_warns_after_the_date(tmp_path):
    write(tmp_path, with_superseded(GOOD), "a.toml")
    write(tmp_path, GOOD.replace('id = "test-2026"', 'id = "test-2026b"').replace('family = "test"', 'family = "other"')
          .replace("2026-01-01", "2026-06-01"), "b.toml")
    reg = load_methods([tmp_path])
    plan = reg.plans["test-2026"]
    assert (plan.superseded_from.isoformat(), plan.superseded_by) == ("2026-07-01", "test-2026b")
    from datetime import date

    assert reg.resolve("test", date(2026, 6, 30))[1] == []
    (warning,) = reg.resolve("test", date(2026, 7, 1))[1]
    assert "test-2026 is superseded by test-2026b from 2026-07-01" in warning and "Test plan §1" in warning
    assert reg.resolve("test-2026", date(2026, 7, 1))[1] == [warning]  # pinned: same warning


@pytest.mark.parametrize(
    ("extra", "field", "says"),
    [
        ('superseded_from = 2026-07-01\nsuperseded_note = "x"\n', "superseded_from", "give superseded_by"),
        ('superseded_by = "test-2026b"\nsuperseded_note = "x"\n', "superseded_by", "give superseded_from"),
        ('superseded_from = 2026-07-01\nsuperseded_by = "test-2026b"\n', "superseded_note", "which document"),
        ('superseded_from = 2025-12-01\nsuperseded_by = "test-2026b"\nsuperseded_note = "x"\n', "superseded_from",
         "not after effective_from"),
        ('superseded_from = 2026-07-01\nsuperseded_by = "test-2026"\nsuperseded_note = "x"\n', "superseded_by",
         "cannot supersede itself"),
        ('superseded_from = 2026-07-01\nsuperseded_by = "Not An Id"\nsuperseded_note = "x"\n', "superseded_by",
         "should match pattern"),
    ],
)
def test_superseded_fields_are_checked(tmp_path, extra, field, says):
    err = load_error(tmp_path, with_superseded(GOOD, extra))
    assert err.field == field and says in err.message, err
    assert err.line is not None


def test_superseded_by_must_be_a_known_plan_in_force_then(tmp_path):
    write(tmp_path, with_superseded(GOOD), "a.toml")
    with pytest.raises(DataFileError) as info:
        load_methods([tmp_path])
    assert info.value.field == "superseded_by" and "not a known plan id" in info.value.message
    write(tmp_path, GOOD.replace('id = "test-2026"', 'id = "test-2026b"').replace('family = "test"', 'family = "other"')
          .replace("2026-01-01", "2026-08-01"), "b.toml")
    with pytest.raises(DataFileError) as info:
        load_methods([tmp_path])
    assert info.value.field == "superseded_from" and "test-2026b is not in force on 2026-07-01" in info.value.message
