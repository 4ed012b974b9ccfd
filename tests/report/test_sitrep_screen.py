"""Issue 15 item 3, the screen: `S` on the board cuts the upward sitrep for the demo, shows the same
80-column Markdown as ``scc report sitrep``, saves Markdown or an Excel-safe CSV, and records in the log
that it was sent (asks first; the digest of the exact bytes saved; refused for a viewer)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from scc_tui.domain.clock import FixedClock, parse_instant
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until

NOW = parse_instant("2026-11-23T10:30:00+00:00")
USER = "test.user"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    from scc_tui.store.demo import create_demo

    d = tmp_path_factory.mktemp("sitrep-screen")
    create_demo(f"sqlite:///{d / 'demo.db'}", FixedClock(NOW))
    return d / "demo.db"


@pytest.fixture
def demo_store(demo_template, tmp_path):
    from scc_tui.store.db import Store

    db = tmp_path / "demo.db"
    shutil.copy(demo_template, db)
    store = Store(f"sqlite:///{db}", FixedClock(NOW), migrate=False)
    yield store
    store.dispose()


def _app(store, tmp_path, **kw):
    (tmp_path / "out").mkdir(exist_ok=True)
    return make_app(store, store.clock, refresh=False, prompts=False,
                    environ={"SCC_EXPORT_DIR": str(tmp_path / "out")}, **kw)


async def _open(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.loaded)
    await pilot.press("S")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "SitrepScreen")
    await wait_until(pilot, lambda: "Sitrep · every area" in screen_text(app)
                     and "Sitrep: every area" in screen_text(app), timeout=20)


def _reports(store):
    from scc_tui.store.log import list_entries

    return list_entries(store, kinds=["report"])


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_sitrep_screen_snapshot(demo_store, tmp_path, snap_compare, size):
    assert snap_compare(_app(demo_store, tmp_path), terminal_size=size, run_before=_open)


async def test_s_cuts_the_same_sitrep_as_the_cli_headed_with_time_and_who(demo_store, tmp_path):
    from scc_tui.domain.sitrep import render_markdown
    from scc_tui.store.sitrep import gather_sitrep

    app = _app(demo_store, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        rep = app.screen.sitrep
        assert rep.cut_by == USER and rep.at == NOW
        assert render_markdown(rep) == render_markdown(gather_sitrep(demo_store, NOW, cut_by=USER))
        text = screen_text(app)
        assert f"cut Mon 23 Nov 2026 10:30 (GMT) by {USER}" in " ".join(text.split())
        assert _reports(demo_store) == []  # looking is not sending: nothing logged


async def test_v_saves_an_excel_safe_csv_and_log_as_sent_digests_those_bytes(demo_store, tmp_path):
    app = _app(demo_store, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: app.screen.saved_to is not None)
        path = app.screen.saved_to
        assert path.parent == tmp_path / "out" and path.name == "sitrep-20261123-1030.csv"
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
        assert data[3:].decode("utf-8").startswith("Section,Area,Kind,Level")
        await pilot.press("L")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: _reports(demo_store))
        (entry,) = _reports(demo_store)
        assert entry.author == USER and entry.source == "tui"
        assert f"sha256:{hashlib.sha256(data).hexdigest()}" in entry.text and "Sitrep sent (csv)" in entry.text
        # once per cut: a second L says so and writes nothing
        await wait_until(pilot, lambda: app.screen.logged_seq == entry.seq)
        await pilot.press("L")
        await pilot.pause()
        assert type(app.screen).__name__ == "SitrepScreen" and len(_reports(demo_store)) == 1


async def test_s_saves_markdown_and_no_answer_logs_nothing(demo_store, tmp_path):
    from scc_tui.domain.sitrep import render_markdown

    app = _app(demo_store, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.screen.saved_to is not None)
        assert app.screen.saved_to.read_text(encoding="utf-8") == render_markdown(app.screen.sitrep)
        await pilot.press("L")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("n")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "SitrepScreen")
        await pilot.pause(0.2)
        assert _reports(demo_store) == []


async def test_a_viewer_is_refused_in_one_line_and_nothing_is_logged(demo_store, tmp_path):
    from scc_tui.store.access_import import import_access

    f = tmp_path / "access.toml"
    f.write_text(f'[[user]]\nname = "boss"\nrole = "admin"\n\n[[user]]\nname = "{USER}"\nrole = "viewer"\n')
    import_access(demo_store, f, importer="boss")
    app = _app(demo_store, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_until(pilot, lambda: any("Not logged" in n.message for n in app._notifications))
        note = next(n.message for n in app._notifications if "Not logged" in n.message)
        assert f"{USER} (viewer) may not write to the decision log" in note
        assert _reports(demo_store) == [] and app.screen.logged_seq is None


async def test_a_steps_the_scope_through_each_region_and_ics_like_the_cli_area(demo_store, tmp_path):
    from scc_tui.domain.sitrep import render_markdown
    from scc_tui.store.sitrep import gather_sitrep

    app = _app(demo_store, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot)
        screen = app.screen
        everything = len(screen.sitrep.areas)
        assert screen.scopes[0] is None and "Kent and Medway ICS" in screen.scopes
        assert {app.find_area(n).kind for n in screen.scopes[1:]} == {"region", "ics"}
        seen = []
        for _ in screen.scopes[1:]:
            before = screen.sitrep
            await pilot.press("a")
            await wait_until(pilot, lambda: screen.sitrep is not before and screen.sitrep.scope == screen.scope)
            seen.append(screen.scope)
            assert render_markdown(screen.sitrep) == render_markdown(
                gather_sitrep(demo_store, NOW, area=screen.scope, cut_by=USER))
            assert f"Sitrep · {screen.scope}" in screen_text(app)
            assert len(screen.sitrep.areas) < everything
        assert seen == screen.scopes[1:]
        await pilot.press("a")  # and round again to every area
        await wait_until(pilot, lambda: screen.sitrep.scope is None)
        assert len(screen.sitrep.areas) == everything
