"""Issue 12 item 7: the demo's log is a believable SCC day (decisions with rationale, call notes from the
10:30 and 15:00 calls, actions, notes, a correction, acknowledged prompts, a handover, the declarations),
the setting-up entries do not fill its first page, its people have roles, and it is deterministic."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from scc_tui.domain.clock import UTC, FixedClock
from scc_tui.store.db import Store, resolve_url
from scc_tui.store.demo import create_demo, foreign_content
from scc_tui.store.log import append_entry, list_entries, verify_chain

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Monday, GMT


@pytest.fixture
def demo_store(db_url):
    url = resolve_url(db_url)
    create_demo(url, FixedClock(NOW), days=7)
    st = Store(url, FixedClock(NOW))
    yield st
    st.dispose()


def test_the_demo_log_is_a_day_of_work(demo_store):
    entries = list_entries(demo_store)
    kinds = Counter(e.kind for e in entries)
    assert kinds["decision"] >= 8 and kinds["call-note"] >= 3 and kinds["action"] >= 4 and kinds["note"] >= 3
    assert kinds["correction"] == 1 and kinds["prompt-ack"] >= 3 and kinds["handover"] >= 1
    assert all(e.rationale for e in entries if e.kind == "decision")
    assert all(e.owner for e in entries if e.kind == "action")
    notes = [e.text for e in entries if e.kind == "call-note"]
    assert any(t.startswith("10:30 system escalation call") for t in notes)
    assert any(t.startswith("15:00 system escalation call") for t in notes)
    (fix,) = [e for e in entries if e.kind == "correction"]
    assert {e.seq: e.kind for e in entries}[fix.corrects_seq] == "call-note"
    assert any(e.late_reason for e in entries)  # a note entered late says why
    from scc_tui.store.log import review_links

    (review,) = [e for e in entries if e.kind == "review"]  # the 11:02 divert, reviewed at 15:00
    assert {e.seq: e.kind for e in entries}[review_links(demo_store)[review.seq]] == "decision"
    # the declarations are in the log, each naming its area and level
    decl = [e for e in entries if e.kind == "declaration"]
    assert len(decl) >= 20 and all(" declared OPEL " in e.text and e.areas_json != "[]" for e in decl)
    assert any("Medway Council declared OPEL" in e.text for e in decl)
    # in time order, nothing after now
    times = [e.recorded_at for e in entries]
    assert times == sorted(times) and times[-1] <= NOW
    assert verify_chain(demo_store).ok


def test_setting_up_does_not_fill_the_first_page_and_people_have_roles(demo_store):
    entries = list_entries(demo_store)
    first = entries[:11]
    assert sum(e.text.startswith("Data file") for e in first) <= 1  # one summarising entry
    assert sum(e.kind == "config" for e in entries) == 3  # mark, areas, one entry for the data files
    assert all(e.role for e in entries if e.author != "demo")  # the demo's own set-up entries (config, risk register) aside
    authors = {e.author for e in entries}
    assert not authors & {"scc.manager", "system.lead"}
    assert {"a.okafor", "s.patel", "d.marsh", "r.nwosu"} <= authors
    # the app's own data-file check finds the demo's summary: it logs nothing more on opening
    from scc_tui.store.config_audit import default_data_files, record_data_files

    assert record_data_files(demo_store, default_data_files(), author="alice") == []


def test_the_demo_is_its_own_and_anything_added_is_foreign(demo_store):
    url = demo_store.url
    assert foreign_content(url) == {}
    append_entry(demo_store, kind="note", text="Typed in by a trainee", author="trainee")
    assert foreign_content(url) == {"log entries": 1}


def test_deterministic_and_nothing_after_an_early_clock(tmp_path):
    heads = []
    for name in ("a.db", "b.db"):
        url = resolve_url(str(tmp_path / name))
        create_demo(url, FixedClock(NOW), days=5)
        st = Store(url, FixedClock(NOW))
        heads.append([(e.seq, e.hash) for e in list_entries(st)])
        st.dispose()
    assert heads[0] == heads[1]
    early = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    url = resolve_url(str(tmp_path / "early.db"))
    create_demo(url, FixedClock(early), days=5)
    st = Store(url, FixedClock(early))
    try:
        entries = list_entries(st)
        assert entries[-1].recorded_at <= early
        assert any(e.kind == "handover" for e in entries)  # yesterday's 18:00 handover
        assert verify_chain(st).ok
    finally:
        st.dispose()


def test_every_demo_area_has_a_short_name_and_medway_council_is_there():
    from scc_tui.datafiles.areas import load_areas, packaged_areas_file

    specs = load_areas(packaged_areas_file("demo"))
    assert all(s.short_name for s in specs), [s.name for s in specs if not s.short_name]
    assert {s.name: s.kind for s in specs}["Medway Council"] == "council"
