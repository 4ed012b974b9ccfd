"""`scc schedule` as a subprocess: JSON shape, UTC offsets, one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def scc(*args: str, now: str | None = "2026-11-23T09:00", **env_extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SCC_NOW", "SCC_SCHEDULE", "SCC_DB")}
    if now:
        env["SCC_NOW"] = now
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "scc_tui", "schedule", *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )


def test_json_shape_and_offsets():
    r = scc("--from", "2027-03-27", "--to", "2027-03-29", "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert items and all({"key", "kind", "title", "start", "end", "category", "notes"} <= set(i) for i in items)
    secamb = [i["start"] for i in items if i["key"] == "secamb-call"]
    assert secamb == ["2027-03-27T08:30:00+00:00", "2027-03-28T08:30:00+01:00", "2027-03-29T08:30:00+01:00"]
    # Easter Monday 29 Mar 2027: no escalation calls
    assert not [i for i in items if i["key"] == "escalation-am" and i["start"].startswith("2027-03-29")]
    assert {i["kind"] for i in items} == {"call", "deadline"}
    assert {i["category"] for i in items} <= {"km-escalation", "km-planned", "regional-national"}


def test_kind_filter_and_default_window():
    r = scc("--json", "--kind", "deadline")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert {i["kind"] for i in items} == {"deadline"}
    days = sorted({i["start"][:10] for i in items})
    assert days[0] == "2026-11-23" and days[-1] == "2026-11-29" and len(days) == 7


def test_human_output_grouped_by_day_in_london_time():
    r = scc("--from", "2026-11-26", "--to", "2026-11-26", "--kind", "call")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Thu 26 Nov 2026 (GMT)" in out
    assert "10:30-11:30 call System weekend look-ahead calls" in out
    assert "East Kent, Medway and DVH" in out


def test_titles_are_whole_when_piped_and_cut_in_a_terminal():
    r = scc("--from", "2026-11-23", "--to", "2026-11-23", "--kind", "deadline")  # stdout is a pipe
    assert r.returncode == 0, r.stderr
    assert "Systems update SHREWD with system OPEL status, call notes and actions  km-escalation" in r.stdout
    assert "..." not in r.stdout
    # the same in a terminal (a pseudo-terminal): cut to keep within 80 columns
    import pty

    env = {k: v for k, v in os.environ.items() if k not in ("SCC_SCHEDULE", "SCC_DB")}
    env["SCC_NOW"] = "2026-11-23T09:00"
    main_fd, sub_fd = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "scc_tui", "schedule", "--from", "2026-11-23", "--to",
                               "2026-11-23", "--kind", "deadline"], stdout=sub_fd, stderr=subprocess.PIPE, env=env,
                              cwd=REPO, timeout=60)
        os.close(sub_fd)
        chunks = []
        while True:
            try:
                data = os.read(main_fd, 65536)
            except OSError:  # EIO: the other end is closed and drained
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(main_fd)
    out = b"".join(chunks).decode().replace("\r\n", "\n")
    assert proc.returncode == 0, proc.stderr
    assert "Systems update SHREWD with system OPE..." in out
    assert max(len(line) for line in out.splitlines()[2:]) <= 80


def test_clock_change_day_header():
    r = scc("--from", "2026-10-25", "--to", "2026-10-25", "--ignore-validity")
    assert r.returncode == 0, r.stderr
    assert "Sun 25 Oct 2026 (clocks change: BST -> GMT)" in r.stdout
    assert "08:30-09:00 call NHSE/I SECAmb call" in r.stdout


def test_outside_validity_is_empty_unless_asked():
    r = scc("--from", "2026-10-25", "--to", "2026-10-25", "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == []
    r = scc("--from", "2026-10-25", "--to", "2026-10-25", "--json", "--ignore-validity")
    assert json.loads(r.stdout)[0]["start"] == "2026-10-25T08:30:00+00:00"


@pytest.mark.parametrize(
    "args, words",
    [
        (("--from", "2026-13-01"), "not an ISO date"),
        (("--from", "2026-12-02", "--to", "2026-12-01"), "is after"),
        (("--to", "2027-03-28T01:30"), "does not exist"),
        (("--kind", "meeting"), "invalid choice"),
        (("--file", "/nonexistent/schedule.toml"), "no such schedule file"),
    ],
)
def test_errors_one_line_exit_2(args, words):
    r = scc(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in r.stderr


def test_bad_schedule_file_error_names_item_and_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[schedule]\nid = "x"\ntitle = "x"\nversion = "1"\neffective_from = 2026-11-02\nserves = "Test ICS"\n\n'
        '[[items]]\nkey = "a"\ntitle = "A"\ndays = "daily"\ntime = "25:00"\ncategory = "km-planned"\n'
    )
    r = scc("--file", str(bad))
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"scc: error: {bad}:12: field 'items[0].time' item 'a': '25:00' is not a time (HH:MM, 00:00-23:59)"
    )
    r = scc(SCC_SCHEDULE=str(bad))
    assert r.returncode == 2 and "items[0].time" in r.stderr


def test_christmas_day_runs_as_a_saturday_and_deadlines_say_whom_they_chase():
    """Issue 9 items 11 and 13, as a user sees them."""
    r = scc("--from", "2026-12-25", "--to", "2026-12-25", "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    calls = {(i["key"], i["start"][11:16]) for i in items if i["kind"] == "call"}
    assert ("national-winter-weekend", "13:30") in calls
    assert not {k for k, _ in calls} & {"escalation-am", "escalation-pm", "km-exec-call", "national-winter-weekday"}
    chases = {i["key"]: i["chases"] for i in items if i["kind"] == "deadline"}
    assert chases["opel-submission"] == {"serves": "Kent and Medway ICS", "area_kinds": ["provider"], "methods": []}
    assert chases["kcc-update-am"] == {"serves": "Kent and Medway ICS", "area_kinds": ["la-area"], "methods": ["kcc-asc"]}
    text = scc("--from", "2026-12-25", "--to", "2026-12-25")
    assert "Fri 25 Dec 2026 (GMT) - bank holiday (Christmas Day), runs as a Saturday" in text.stdout
    assert "Serves Kent and Medway ICS" in text.stdout
