"""Who owes a daily submission, by when (issue 9 item 12): data, not constants.

NHS providers by 10:00 (Integrated OPEL framework 2024-26 via KCC ASC OPEL plan v1.8 §3.1); areas
scored by a KCC plan, and their council, by 10:30 (KCC ASC OPEL plan v1.8 App. 3); systems by 11:30
(K&M STP Winter Approach grid); regions and ICSs never."""

from __future__ import annotations

from datetime import datetime, time
from types import SimpleNamespace

import pytest

from scc_tui.datafiles.submissions import default_due_rules, load_due_rules, method_family, packaged_due_file
from scc_tui.domain.clock import UTC
from scc_tui.domain.due import due_times
from scc_tui.domain.errors import DataFileError
from scc_tui.domain.status import StatusRecord, compute_status


def area(id, kind, parent_id=None, method=None):
    return SimpleNamespace(id=id, kind=kind, parent_id=parent_id, method=method)


AREAS = [
    area(1, "region"),
    area(2, "ics", 1),
    area(3, "system", 2),
    area(4, "provider", 3, "acute"),
    area(5, "provider", 2),  # declared only (ambulance): still a provider
    area(6, "council", 2),  # Kent County Council ASC: no method of its own
    area(7, "la-area", 6, "kcc-asc"),
    area(8, "la-area", 3, "kcc-asc-2025"),  # an area directly under a system, pinned plan id
    area(9, "council", 2),  # a council with no KCC-scored areas (Staffordshire)
    area(10, "la-area", 9),
]


def test_packaged_rules_by_kind_and_plan():
    due = due_times(AREAS, default_due_rules(), method_family)
    assert due == {
        1: None, 2: None,  # regions and ICSs are never stale
        3: time(11, 30),
        4: time(10, 0), 5: time(10, 0),
        6: time(10, 30), 7: time(10, 30), 8: time(10, 30),
        9: None, 10: None,  # no daily time in the seeds for them
    }
    rules = default_due_rules().rules
    assert all(r.source for r in rules)
    assert any("Appendix 3" in r.source and "10.30" in r.source for r in rules)


def _status(due, records, at):
    recs = [StatusRecord(at=datetime.fromisoformat(t).replace(tzinfo=UTC), kind="declaration", level=2) for t in records]
    return compute_status(area_id=1, name="x", kind="la-area", parent_id=None, method=None, records=recs,
                          at=datetime.fromisoformat(at).replace(tzinfo=UTC), due=due)


def test_stale_from_the_area_s_own_time():
    yesterday = ["2026-11-22T09:00"]
    assert _status(time(10, 30), yesterday, "2026-11-23T10:29").stale is False
    assert _status(time(10, 30), yesterday, "2026-11-23T10:30").stale is True
    assert _status(time(11, 30), yesterday, "2026-11-23T11:29").stale is False
    assert _status(time(11, 30), yesterday, "2026-11-23T11:30").stale is True
    assert _status(time(11, 30), ["2026-11-23T00:05"], "2026-11-23T18:00").stale is False
    # An area that owes nothing is never stale, even with no record at all.
    assert _status(None, [], "2026-11-23T18:00").stale is False
    assert _status(None, yesterday, "2026-11-23T18:00").stale is False
    # One that owes and has never submitted is stale.
    assert _status(time(10, 0), [], "2026-11-23T08:00").stale is True


@pytest.mark.parametrize("change,field,message", [
    (('kinds = ["system"]', 'kinds = ["systems"]'), "due[2].kinds[0]", "unknown kind 'systems'"),
    (('by = "11:30"', 'by = "11.30"'), "due[2].by", "not a time HH:MM"),
    (('methods = ["kcc-asc"]', 'methods = ["kcc"]'), "due[1].methods[0]", "unknown method 'kcc'"),
    (('source = "K&M', 'sauce = "K&M'), "due[2]", ""),
])
def test_rules_file_errors_name_file_line_and_field(tmp_path, change, field, message):
    text = packaged_due_file().read_text().replace(*change)
    p = tmp_path / "submissions.toml"
    p.write_text(text)
    with pytest.raises(DataFileError) as e:
        load_due_rules(p)
    assert e.value.field.startswith(field) and message in e.value.message and e.value.line
    assert str(p) in str(e.value)


def test_scc_submissions_replaces_the_rules(tmp_path, monkeypatch):
    p = tmp_path / "local.toml"
    p.write_text('[[due]]\nwho = "Councils"\nkinds = ["council"]\nby = "12:00"\nsource = "local agreement"\n')
    from scc_tui.settings import Settings, installed

    with installed(Settings.from_environ({"SCC_SUBMISSIONS": str(p)})):
        due = due_times(AREAS, default_due_rules(), method_family)
    assert due[9] == time(12, 0) and due[4] is None
