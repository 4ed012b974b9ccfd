"""Fixtures for the agenda screen tests: a day so far kept by an earlier session, and a day nobody opened."""

from __future__ import annotations

import pytest

from scc_tui.domain.clock import FixedClock
from tests.helpers.agenda import T, _schedule, make_controller


@pytest.fixture
def day_store(tmp_path):
    """A day so far, kept by an earlier session: opened 08:40 (the 08:30 SECAmb call missed), the 10:00
    OPEL deadline shown at 09:45 and acknowledged, the 10:30 KCC deadline shown at 10:15 and the
    escalation call's 5-minute prompt at 10:25. The pictured session opens at 10:27."""
    from scc_tui.store.db import Store

    clock = FixedClock(T(8, 40))
    store = Store(f"sqlite:///{tmp_path / 'agenda.db'}", clock)
    c = make_controller(store, clock, _schedule(), "alice")
    c.evaluate()
    for hm in ((9, 45), (9, 50), (10, 15), (10, 25)):
        clock.set(T(*hm))
        c.evaluate()
        if hm == (9, 50):
            opel = next(r for r in c.view.rows if r.item_key == "opel-submission")
            assert c.acknowledge(opel)[0]
    clock.set(T(10, 27))
    yield store, clock
    store.dispose()


@pytest.fixture
def closed_store(tmp_path):
    """Nobody had scc-tui open today until 11:00."""
    from scc_tui.store.db import Store

    clock = FixedClock(T(11, 0))
    store = Store(f"sqlite:///{tmp_path / 'closed.db'}", clock)
    yield store, clock
    store.dispose()
