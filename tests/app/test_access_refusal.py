"""Issue 14 item 3 on the board: a viewer's declaration is refused with the reason on the form, and
nothing is written (the same check in the store as the command line's)."""

from __future__ import annotations

from scc_tui.store.access_import import import_access
from scc_tui.store.models import Declaration, LogEntry
from tests.helpers.board import count, highlight, open_board
from tests.helpers.board import USER, make_app
from tests.pilot import screen_text, wait_until


async def test_a_viewers_declaration_is_refused_on_the_form(board_store, board_clock, tmp_path):
    f = tmp_path / "access.toml"
    f.write_text(f'[[user]]\nname = "boss"\nrole = "admin"\n\n[[user]]\nname = "{USER}"\nrole = "viewer"\n')
    import_access(board_store, f, importer="boss")
    rows, entries = count(board_store, Declaration), count(board_store, LogEntry)
    app = make_app(board_store, board_clock, refresh=False)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_board(pilot, app)
        await highlight(pilot, view, "Tunbridge Wells Hospital")
        await pilot.press("d")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
        await pilot.press("2", "ctrl+s")  # the computed level: no reason needed
        await wait_until(pilot, lambda: "Not declared" in screen_text(app))
        text = " ".join(screen_text(app).split())
        assert f"Not declared: {USER} (viewer) may not declare a level" in text, text
        assert type(app.screen).__name__ == "DeclareScreen"  # still open: nothing was saved
    assert count(board_store, Declaration) == rows
    assert count(board_store, LogEntry) == entries
