from datetime import datetime, timedelta

import pytest

from scc_tui.domain.clock import (
    LONDON,
    UTC,
    FixedClock,
    SimulatedClock,
    london_date,
    parse_instant,
)


def test_fixed_clock_moves_only_when_told():
    c = FixedClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert c.now() == datetime(2026, 11, 23, 9, tzinfo=UTC)
    c.advance(timedelta(minutes=5))
    assert c.now() == datetime(2026, 11, 23, 9, 5, tzinfo=UTC)


def test_fixed_clock_rejects_naive():
    with pytest.raises(ValueError, match="naive"):
        FixedClock(datetime(2026, 11, 23, 9))


def test_simulated_clock_runs_faster_and_pauses():
    t = [100.0]
    c = SimulatedClock(datetime(2026, 1, 5, 8, tzinfo=UTC), speed=60, monotonic=lambda: t[0])
    t[0] += 10  # ten real seconds = ten simulated minutes
    assert c.now() == datetime(2026, 1, 5, 8, 10, tzinfo=UTC)
    c.pause()
    t[0] += 100
    assert c.now() == datetime(2026, 1, 5, 8, 10, tzinfo=UTC)
    c.resume()
    t[0] += 1
    assert c.now() == datetime(2026, 1, 5, 8, 11, tzinfo=UTC)


def test_parse_instant_reads_naive_as_london_wall_time():
    # Summer: 09:00 BST is 08:00 UTC. Winter: 09:00 GMT is 09:00 UTC.
    assert parse_instant("2026-07-01T09:00") == datetime(2026, 7, 1, 8, tzinfo=UTC)
    assert parse_instant("2026-12-01T09:00") == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert parse_instant("2026-07-01") == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert parse_instant("2026-07-01T09:00+00:00") == datetime(2026, 7, 1, 9, tzinfo=UTC)


def test_parse_instant_rejects_the_skipped_spring_hour_and_garbage():
    with pytest.raises(ValueError, match="does not exist"):
        parse_instant("2027-03-28T01:30")
    with pytest.raises(ValueError, match="not an ISO"):
        parse_instant("yesterday")


def test_parse_instant_repeated_autumn_hour_takes_first_reading():
    # 25 Oct 2026 01:30 happens twice; the first is BST (00:30 UTC).
    assert parse_instant("2026-10-25T01:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_london_date_at_midnight_boundary():
    # 23:30 UTC on 30 June is 00:30 BST on 1 July.
    assert london_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)).isoformat() == "2026-07-01"
    assert LONDON.key == "Europe/London"


def test_clock_from_settings():
    from scc_tui.settings import Settings

    assert Settings.from_environ({"SCC_NOW": "2026-11-23T10:00"}).clock().now() == datetime(2026, 11, 23, 10, tzinfo=UTC)
    assert Settings.from_environ({}).clock().now().tzinfo is not None
