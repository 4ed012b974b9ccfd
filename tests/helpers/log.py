"""Helpers for the log screen tests: a seeded log written through ``store.log.append_entry``, a harness App."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import App
from textual.signal import Signal

from scc_tui.domain.clock import UTC

USER = "jsmith"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 09:00 London (GMT)


def add_areas(store, names=("Swale", "Medway", "Dartford, Gravesham and Swanley")) -> None:
    from scc_tui.store.models import Area

    with store.write() as s:
        for i, n in enumerate(names):
            s.add(Area(name=n, key=n.casefold(), kind="system", sort_order=i, created_at=T0 - timedelta(days=30),
                       updated_at=T0 - timedelta(days=30)))


def add_level(store, area: str, level: int, at: datetime) -> None:
    from sqlmodel import select

    from scc_tui.store.models import Area, Assessment

    with store.write() as s:
        a = s.exec(select(Area).where(Area.key == area.casefold())).one()
        s.add(Assessment(area_id=a.id, assessed_at=at, recorded_at=at, method="acute-2023", level=level,
                         author="seed", values_json="{}"))


def append_at(store, at: datetime, **kw):
    from scc_tui.store.log import append_entry

    clock = store.clock
    saved = clock.now()
    clock.set(at)
    try:
        return append_entry(store, **kw)
    finally:
        clock.set(saved)


def seed_log(store) -> None:
    """Nine entries over four days, three authors, corrections, a late entry, a review due."""
    add_areas(store)
    add_level(store, "Swale", 3, T0 - timedelta(days=5))
    add_level(store, "Medway", 2, T0 - timedelta(days=5))
    d = timedelta
    append_at(store, T0 - d(days=3, hours=1), kind="call-note", text="System call 08:00: all sites OPEL 2.",
              author="akhan", role="SCC manager", areas=["Medway"])
    append_at(store, T0 - d(days=2, hours=2), kind="action", text="Chase Medway discharge lounge opening.",
              author="akhan", role="SCC manager", areas=["Medway"])
    append_at(store, T0 - d(days=1, hours=3), kind="note", text="Swale ambulance handovers over 60 min x4.",
              author="bwilliams", role="Loggist", areas=["Swale"])
    append_at(store, T0 - d(hours=2), kind="decision", text="Open 6 escalation beds at Swale community hospital.",
              author=USER, role="On-call director", areas=["Swale"],
              rationale="Handover delays rising; OPEL 3 for two days.", risk="12h breaches in ED",
              risk_measure="ED 12h count at 08:00 sitrep", owner="Swale site lead",
              review_at=T0 - d(minutes=30))
    append_at(store, T0 - d(hours=1, minutes=30), kind="note", text="Medway reports 3 stranded patients.",
              author=USER, role="On-call director", areas=["Medway"])
    append_at(store, T0 - d(hours=1, minutes=20), kind="correction", text="Medway reports 5 stranded patients.",
              author=USER, role="On-call director", areas=["Medway"], corrects_seq=5)
    append_at(store, T0 - d(hours=1), kind="action", text="Ask 111 to divert low-acuity calls.",
              author="bwilliams", role="Loggist", event_at=T0 - d(hours=2), late_reason="Call ran over.")
    append_at(store, T0 - d(minutes=30), kind="decision", text="Stand down divert at 12:00.",
              author=USER, role="On-call director", areas=["Swale", "Medway"],
              rationale="111 volumes back to plan.", review_at=T0 + d(hours=3))
    append_at(store, T0 - d(minutes=5), kind="escalation-ack", text="Acknowledged Day 2 at OPEL 3 for Swale.",
              author=USER, role="On-call director", areas=["Swale"])


class Host(App):
    """What the log screen needs of its App: ``seam``/``clock``/``user`` and ``store_events`` (the
    real App publishes there after its change feed fires; these tests publish by hand, or use the real
    App where the live path is what is tested: ``test_log_live.py``)."""

    refresh_enabled = True

    def __init__(self, store, clock, user=USER) -> None:
        from scc_tui.app.db_seam import DbSeam

        super().__init__()
        self.store = store  # the tests' own reads and writes
        self.seam = DbSeam(store)  # the screen's
        self.clock = clock
        self.user = user
        self.store_events = Signal(self, "store-events")


class Harness(Host):
    """Pushes a LogScreen on a given store/clock/user."""

    def __init__(self, store, clock, user=USER, **screen_kw) -> None:
        super().__init__(store, clock, user)
        self.screen_kw = screen_kw
        self.log_screen = None
        #: every notification's message, in order. ``App._notifications`` drops a notice once its
        #: timeout has passed in real time, so a slow start under load could lose one a test looks for.
        self.notified: list[str] = []

    def notify(self, message, *args, **kwargs):
        self.notified.append(str(message))
        return super().notify(message, *args, **kwargs)

    def on_mount(self) -> None:
        from scc_tui.app.log.screen import LogScreen

        self.log_screen = LogScreen(self.seam, self.clock, self.user, **self.screen_kw)
        self.push_screen(self.log_screen)

