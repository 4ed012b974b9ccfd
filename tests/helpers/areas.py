"""Store test data: a small areas file (an ICS, a provider, a local-authority area) and the acute
method's keys with OPEL 4 and OPEL 2 values."""

from __future__ import annotations

AREAS = """
[[area]]
name = "Kent and Medway ICS"
kind = "ics"

[[area]]
name = "QEQM Hospital"
kind = "provider"
parent = "Kent and Medway ICS"
method = "acute"

[[area]]
name = "KCC Swale"
kind = "la-area"
parent = "Kent and Medway ICS"
method = "kcc-asc"
plan_area = "Swale"
"""

KEYS = "ambulance_handover_mins,ed_4hr_pct,ed_attendances_vs_expected_pct,majors_resus_occupancy_pct,time_to_treatment_mins,over_12hr_in_ed_pct,ga_bed_occupancy_pct,escalation_beds_pct,nctr_pct"
L4 = "70,55,25,125,130,11,99,7,16"
L2 = "20,80,5,90,70,3,93,3,11"


def write_areas(tmp_path, text, name="areas.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p
