"""`scc score` end to end, in subprocesses: exit codes, JSON shape, one-line errors, no traceback,
and a start-up that never imports Textual, SQLAlchemy, SQLModel or APScheduler."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ACUTE = {
    "ambulance_handover_mins": "32",
    "ed_4hr_pct": "72.5",
    "ed_attendances_vs_expected_pct": "12",
    "majors_resus_occupancy_pct": "105",
    "time_to_treatment_mins": "90",
    "over_12hr_in_ed_pct": "6",
    "ga_bed_occupancy_pct": "96",
    "escalation_beds_pct": "3",
    "nctr_pct": "14",
}
# points: 4 + 2 + 2 + 4 + 1 + 2 + 4 + 1 + 4 = 24 -> OPEL 3


def sets(values: dict[str, str]) -> list[str]:
    out = []
    for k, v in values.items():
        out += ["--set", f"{k}={v}"]
    return out


def scc(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("SCC_NOW", "SCC_METHODS_PATH")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "scc_tui", "score", *args], capture_output=True, text=True, timeout=60, env=full_env
    )


def test_acute_json():
    r = scc("acute-2023", *sets(ACUTE), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"method", "plan_version", "area", "level", "score", "max", "normalised", "parts"} <= set(data)
    assert data["method"] == "acute-2023" and data["plan_version"] == "2023/24"
    assert (data["level"], data["score"], data["max"], data["normalised"], data["area"]) == (3, 24, 44, None, None)
    assert list(data["parts"]) == list(ACUTE)
    handover = data["parts"]["ambulance_handover_mins"]
    assert handover == handover | {"value": 32, "points": 4, "level": None, "out_of_range": False}
    assert data["parts"]["time_to_treatment_mins"]["points"] == 1  # 90 minutes scores 1


def test_acute_human_table():
    r = scc("acute-2023", *sets(ACUTE))
    assert r.returncode == 0, r.stderr
    assert "total 24 of 44 -> OPEL 3" in r.stdout
    row = next(line for line in r.stdout.splitlines() if "ambulance_handover_mins" in line)
    assert row.split()[1:3] == ["32", "4"] and ">30-60 min" in row


def test_indicators_swale_json():
    values = {"stp_staffing_pct": "65", "health_caseload": "81", "social_caseload": "39.5", "referrals": "12", "keah_capacity": "4"}
    r = scc("kcc-asc-2025", "--area", "swale", "--at", "2025-11-01", *sets(values), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["method"] == "kcc-asc-2025" and data["area"] == "Swale" and data["plan_version"] == "1.8"
    assert data["parts"]["health_caseload"] | {"band": None} == {
        "value": 81, "points": None, "level": 4, "out_of_range": True, "band": None, "applicable": True
    }
    assert data["parts"]["referrals"]["level"] is None  # n/a in Swale, never OPEL 1
    assert data["parts"]["social_caseload"]["level"] == 1
    assert data["level"] == 4 and data["score"] is None and data["max"] is None and data["normalised"] is None


def test_indicators_human_output_shows_na_and_out_of_range():
    values = {"stp_staffing_pct": "65", "health_caseload": "81", "social_caseload": "3", "referrals": "12", "keah_capacity": "4"}
    r = scc("kcc-asc", "--area", "Swale", "--at", "2025-11-01", *sets(values))
    assert r.returncode == 0, r.stderr
    assert "outside published range" in r.stdout
    assert next(line for line in r.stdout.splitlines() if "referrals" in line).split()[2] == "n/a"
    assert "suggested level (worst indicator): OPEL 4" in r.stdout


def test_family_and_date_pick_the_2024_version():
    r = scc("kcc-asc", "--area", "DGS", "--at", "2024-10-01", "--set", "stp_staffing_pct=32", "--set", "keah_capacity_status=amber", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["method"] == "kcc-asc-2024" and data["plan_version"] == "1.7"
    assert data["parts"]["stp_staffing_pct"]["level"] == 4  # Black below 35 % in 2024
    assert data["parts"]["keah_capacity_status"]["level"] == 2


def test_default_date_comes_from_scc_now():
    args = ["kcc-asc", "--area", "DGS", "--set", "stp_staffing_pct=32", "--set", "keah_capacity_status=1", "--json"]
    r = scc(*args, env={"SCC_NOW": "2024-10-01T09:00"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["method"] == "kcc-asc-2024"


def test_pinned_version_warns_when_not_in_force():
    values = {"stp_staffing_pct": "90", "health_caseload": "1", "social_caseload": "1", "referrals": "1", "keah_capacity": "6"}
    r = scc("kcc-asc-2025", "--area", "DGS", "--at", "2024-10-01", *sets(values), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["method"] == "kcc-asc-2025" and "not in force on 2024-10-01" in data["warnings"][0]


def test_integrated_and_db_is_accepted():
    r = scc("integrated-2024", "--set", "normalised_score=15.1", "--json", "--db", "sqlite:////nonexistent/x.db")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["level"], data["score"], data["max"], data["normalised"]) == (2, 15.1, 100, 15.1)


def test_list():
    r = scc("--list")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "kcc-asc-2024  version 1.7  in force 2024-08-01 to 2025-10-01" in out
    assert "kcc-asc-2025  version 1.8  in force 2025-10-02 to ..." in out
    assert "areas: DGS, East Kent, Swale, West Kent" in out
    assert "- ambulance_handover_mins [min]" in out
    assert "integrated-2024-acute" in out and "cannot score" in out


def test_list_json():
    r = scc("--list", "--json")
    assert r.returncode == 0, r.stderr
    data = {m["id"]: m for m in json.loads(r.stdout)}
    assert data["kcc-asc-2025"]["effective_from"] == "2025-10-02"
    assert data["kcc-asc-2024"]["effective_to"] == "2025-10-01"
    assert data["kcc-asc-2025"]["areas"] == ["DGS", "East Kent", "Swale", "West Kent"]
    assert len(data["acute-2023"]["keys"]) == 9
    assert data["integrated-2024-nhs111"]["scorable"] is False


ACUTE_ARGS = sets(ACUTE)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["acute-2022", *ACUTE_ARGS], "unknown method 'acute-2022'"),
        (["kcc-asc-2025", "--area", "Medway", "--set", "stp_staffing_pct=1"], "unknown area 'Medway'"),
        (["acute-2023", *ACUTE_ARGS, "--set", "handover=3"], "unknown key 'handover'"),
        (["acute-2023", *ACUTE_ARGS[:-2]], "missing required value: nctr_pct"),
        (["acute-2023", *ACUTE_ARGS[:-2], "--set", "nctr_pct=abc"], "nctr_pct: 'abc' is not a number"),
        (["acute-2023", *ACUTE_ARGS[:-2], "--set", "nctr_pct=-3"], "negative"),
        (["acute-2023", *ACUTE_ARGS[:-2], "--set", "nctr_pct=nan"], "not a finite number"),
        (["acute-2023", *ACUTE_ARGS[:-2], "--set", "nctr_pct=inf"], "not a finite number"),
        (["acute-2023", *ACUTE_ARGS[:-2], "--set", "nctr_pct=1e999"], "is not a number"),
        (["acute-2023", *ACUTE_ARGS, "--set", "nctr_pct=15"], "nctr_pct given twice"),
        (["acute-2023", "--set", "nctr_pct"], "use KEY=VALUE"),
        (["acute-2023", "--set", "nctr_pct="], "no value"),
        (["acute-2023", *ACUTE_ARGS, "--at", "yesterday"], "--at"),
        (["kcc-asc", "--area", "DGS", "--at", "2024-07-31"], "no version of kcc-asc was in force on 2024-07-31"),
        (["integrated-2024-acute"], "cannot score"),
        (["kcc-asc-2025", "--at", "2025-11-01", "--set", "stp_staffing_pct=50"], "needs an area"),
        ([], "give a METHOD"),
        (["acute-2023", "--bogus"], "unrecognized arguments"),
    ],
)
def test_errors_exit_2_with_one_line(args, needle):
    r = scc(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert needle in lines[0]


def test_list_names_local_files(tmp_path):
    src = (Path(__file__).parents[2] / "scc_tui/data/methods/integrated-2024.toml").read_text(encoding="utf-8")
    (tmp_path / "local.toml").write_text(src.replace('id = "integrated-2024"', 'id = "integrated-2024-local"').replace('family = "integrated"', 'family = "integrated-local"'), encoding="utf-8")
    r = scc("--list", env={"SCC_METHODS_PATH": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert f"from local file {tmp_path / 'local.toml'}" in r.stdout
    assert "from local file" not in scc("--list").stdout


def test_bad_scc_now_is_a_one_line_error():
    r = scc("acute-2023", *ACUTE_ARGS, env={"SCC_NOW": "not a date"})
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_broken_local_method_file_is_a_one_line_error(tmp_path):
    (tmp_path / "bad.toml").write_text('id = "x-1"\nfamily = \n', encoding="utf-8")
    r = scc("acute-2023", *ACUTE_ARGS, env={"SCC_METHODS_PATH": str(tmp_path)})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{tmp_path / 'bad.toml'}:2:" in r.stderr


HEAVY = ("textual", "sqlalchemy", "sqlmodel", "apscheduler", "alembic")


def test_scoring_path_does_not_import_heavy_packages():
    code = (
        "import sys\n"
        "import scc_tui.domain.scoring, scc_tui.datafiles.methods, scc_tui.cli.score\n"
        "from scc_tui.cli import main\n"
        "rc = main(['score', 'integrated-2024', '--set', 'normalised_score=3', '--json'])\n"
        "assert rc == 0, rc\n"
        "main(['score', '--list'])\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('HEAVY', heavy)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "HEAVY []" in r.stdout, r.stdout[-500:]


def test_the_heavy_import_check_can_fail():
    """The check above really sees a heavy import when one happens."""
    code = f"import sys, sqlalchemy\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})[:1])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "sqlalchemy" in r.stdout


# ---------------------------------------------------------------- issue 9 items 7 and 8


def test_indicator_subset_scores_and_says_what_is_missing():
    r = scc("kcc-asc-2025", "--area", "DGS", "--set", "referrals=15", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["level"], data["partial"], data["given"]) == (3, True, ["referrals"])
    assert data["missing"] == ["stp_staffing_pct", "health_caseload", "social_caseload", "keah_capacity"]
    text = scc("kcc-asc-2025", "--area", "DGS", "--set", "referrals=15")
    assert text.returncode == 0, text.stderr
    assert "missing (not given): stp_staffing_pct, health_caseload, social_caseload, keah_capacity" in text.stdout
    assert "OPEL 3 (partial: 1 of 5 indicators)" in text.stdout


def test_acute_subset_stays_strict():
    r = scc("acute-2023", "--set", "ed_4hr_pct=50")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "missing required values: ambulance_handover_mins" in r.stderr
    assert "sums all 9 parameters" in r.stderr


def test_superseded_acute_warns_on_stderr_and_in_json():
    r = scc("acute", *sets(ACUTE), "--at", "2026-12-01", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["method"] == "acute-2023" and len(data["warnings"]) == 1
    assert "superseded by integrated-2024 from 2024-12-01" in data["warnings"][0]
    assert r.stderr.startswith("scc: warning: acute-2023 is superseded") and r.stderr.count("\n") == 1
    text = scc("acute", *sets(ACUTE), "--at", "2026-12-01")
    assert "superseded" in text.stderr and "superseded" not in text.stdout
    before = scc("acute", *sets(ACUTE), "--at", "2024-11-30", "--json")
    assert json.loads(before.stdout)["warnings"] == [] and before.stderr == ""


def test_list_shows_superseded_and_dates():
    r = scc("--list", "--json")
    plans = {m["id"]: m for m in json.loads(r.stdout)}
    assert plans["acute-2023"]["superseded_by"] == "integrated-2024"
    assert plans["acute-2023"]["superseded_from"] == "2024-12-01"
    assert plans["integrated-2024"]["effective_from"] == "2024-12-01"
    assert all(not k["required"] for k in plans["kcc-asc-2025"]["keys"])


def test_decimal_comma_is_a_decimal_and_ambiguity_is_refused_naming_the_field():
    """Issue 9 item 4: the same parser as the form and CSV import; never a silent change of magnitude."""
    r = scc("acute-2023", *sets({**ACUTE, "ed_4hr_pct": "72,5"}), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["parts"]["ed_4hr_pct"]["value"] == 72.5
    for bad, says in (("1,234.5", "mixes"), ("1.234,5", "mixes"), ("1,234", "ambiguous")):
        r = scc("acute-2023", *sets({**ACUTE, "ga_bed_occupancy_pct": bad}))
        assert r.returncode == 2 and r.stdout == ""
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "ga_bed_occupancy_pct" in lines[0] and says in lines[0], r.stderr
