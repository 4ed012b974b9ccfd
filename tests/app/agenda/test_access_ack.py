"""Issue 14 item 3 in the agenda: a viewer's acknowledgement is refused, the reason is shown, nothing is
logged or marked."""

from __future__ import annotations

from scc_tui.app.screens.confirm import ConfirmScreen
from scc_tui.app.agenda.panel import AgendaPanel
from scc_tui.store.access_import import import_access
from scc_tui.store.log import list_entries
from tests.helpers.agenda import _app, _ready
from tests.pilot import wait_until


def _viewer_app(day_store, tmp_path):
    """The agenda app as alice, whom the access file makes a viewer (boss is the admin)."""
    store, clock = day_store
    f = tmp_path / "access.toml"
    f.write_text('[[user]]\nname = "boss"\nrole = "admin"\n\n[[user]]\nname = "alice"\nrole = "viewer"\n')
    import_access(store, f, importer="boss")
    return _app(store, clock, docked=False)


async def test_a_viewers_acknowledgement_is_refused(day_store, tmp_path):  # noqa: F811
    app = _viewer_app(day_store, tmp_path)
    store = app.controller.seam.store
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        panel = app.query_one(AgendaPanel)
        before = [e.seq for e in list_entries(store)]
        await pilot.press("home")
        await pilot.pause()
        row = panel.selected
        assert row.actionable, row
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # written in a worker: wait for its answer
        await wait_until(pilot, lambda: any("may not acknowledge" in n.message for n in app._notifications),
                         what="the refusal")
        messages = [n.message for n in app._notifications]
        assert "alice (viewer) may not acknowledge prompts, escalations or action-card items" in messages, messages
        assert [e.seq for e in list_entries(store)] == before
        assert panel.selected.state != "acknowledged"


async def test_a_viewers_snooze_is_refused_and_hides_nothing(day_store, tmp_path):  # noqa: F811
    """Snoozing hides a prompt from every session's agenda: a viewer may no more snooze than acknowledge."""
    from scc_tui.store.prompts import get_record

    app = _viewer_app(day_store, tmp_path)
    store = app.controller.seam.store
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot)
        panel = app.query_one(AgendaPanel)
        await pilot.press("home")
        await pilot.pause()
        row = panel.selected
        assert row.actionable and row.key is not None, row
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("1")
        await wait_until(pilot, lambda: any("may not acknowledge" in n.message for n in app._notifications),
                         what="the refusal")
        messages = [n.message for n in app._notifications]
        assert "alice (viewer) may not acknowledge prompts, escalations or action-card items" in messages, messages
        record = get_record(store, row.key)
        assert record is None or record.snoozed_until is None
        assert panel.selected.state != "snoozed"
