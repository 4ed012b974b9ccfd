"""Text is inert on the way out (issue 16 item 1, the second wall).

Escape sequences written straight into every text column by SQL (bypassing the door, as an older
version, a hand edit or a restored backup would) never reach the terminal: not through any CLI command's
stdout/stderr, not through any TUI screen. The TUI is checked on what the driver would write: the
compositor's segments (no control character in any text, no hyperlink from markup) and the full-frame
terminal sequence rendered from them (after removing the SGR/cursor sequences Textual itself emits,
nothing that a terminal would act on is left).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.board import BOARD_NOW, USER, seed
from tests.pilot import screen_text, screen_update

#: What no output may contain: C0 (TAB and LF aside), DEL, C1, bidi controls, line/paragraph separators.
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
#: What Textual/Rich legitimately write around text: SGR, cursor moves and modes, OSC 8 hyperlinks end.
LEGIT = re.compile(r"\x1b\[[0-9;:?]*[A-Za-z]|\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")

SEQUENCES = [
    "\x1b[2J",  # CSI: clear screen
    "\x1b[31m",  # CSI SGR
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: set the clipboard
    "\x1b]0;pwned\x1b\\",  # OSC 0: retitle the terminal (ST-terminated)
    "\x1bP1$r0m\x1b\\",  # DCS
    "\x9b2J",  # C1 CSI
    "\x9d0;title\x9c",  # C1 OSC ... ST
    "\x07",  # BEL
    "\x1b",  # bare ESC
    "\x7f",  # DEL
    "\x08",  # backspace
    "\r",
    "\x85",  # NEL
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2029",
    "[bold red]x[/]",  # markup must stay text
    "[link=https://e.vil]y[/link]",
]

payloads = st.tuples(
    st.sampled_from(SEQUENCES),
    st.lists(st.one_of(st.sampled_from(SEQUENCES), st.text(st.characters(codec="utf-8"), max_size=4)), max_size=4),
).map(lambda t: t[0] + "".join(t[1]))

# (table, columns) every stored text a screen or command shows.
TEXT_COLUMNS = {
    "area": ["name", "short_name"],
    "assessment": ["author", "plan_version"],
    "declaration": ["reason", "author", "role"],
    "log_entry": ["text", "author", "role", "rationale", "risk", "risk_measure", "owner", "late_reason"],
    "prompt_record": ["acknowledged_by"],
    "plan_test": ["title", "what_happened", "lessons", "author"],
    "role_assignment": ["username", "role", "set_by"],
    "risk_version": ["title", "cause", "event", "effect", "note", "author"],
}

_TEMPLATE: dict[str, Path] = {}


def _template(tmp_root: Path) -> Path:
    """A small, real database (areas, assessments, declarations, log, roles, a plan test, an acknowledged
    prompt), made once through the API."""
    if "db" in _TEMPLATE:
        return _TEMPLATE["db"]
    from scc_tui.datafiles.schedules import load_schedule
    from scc_tui.domain.clock import FixedClock
    from scc_tui.domain.schedule import occurrences
    from scc_tui.store import plan_tests, roles
    from scc_tui.store.db import Store
    from scc_tui.store.log import append_entry
    from scc_tui.store.models import PromptRecord

    path = tmp_root / "template.db"
    store = Store(f"sqlite:///{path}", FixedClock(BOARD_NOW))
    seed(store)
    append_entry(store, kind="note", text="a note", author=USER, areas=["QEQM Hospital"])
    append_entry(store, kind="decision", text="open escalation beds", rationale="queue", risk="harm",
                 risk_measure="12 waiting", owner="bed manager", author=USER, areas=["QEQM Hospital"])
    roles.set_role(store, USER, "SCC lead", set_by=USER, source="cli")
    plan_tests.add_plan_test(store, held_on=BOARD_NOW.date(), kind="exercise", title="Exercise Ice",
                             what_happened="ran it", lessons="more phones", author=USER)
    from scc_tui.domain.risks import Score
    from scc_tui.store.risks import add_risk

    add_risk(store, title="Handover delays", cause="if", event="then", effect="resulting in", inherent=Score(4, 5),
             note="agreed", areas=["QEQM Hospital"], author=USER)
    day = BOARD_NOW.replace(hour=0, minute=0)
    occ = [o for o in occurrences(load_schedule(), day, day + timedelta(days=1)) if o.start < BOARD_NOW][0]
    with store.write() as s:
        s.add(PromptRecord(item_key=occ.item_key, occurrence_at=occ.start, stage="start", due_at=occ.start,
                           first_shown_at=occ.start, acknowledged_at=occ.start, acknowledged_by=USER))
    store.dispose()
    _TEMPLATE["db"] = path
    return path


def _poison(template: Path, target: Path, payload: str) -> None:
    """Copy the template and write ``payload`` into every text column, by SQL (no door)."""
    shutil.copy(template, target)
    con = sqlite3.connect(target)
    with con:
        # The log's append-only triggers are lifted for this (as anyone with the file could), then restored.
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        for table, columns in TEXT_COLUMNS.items():
            sets = ", ".join(f"{c} = coalesce({c}, '') || ' ' || :p" for c in columns)
            con.execute(f"UPDATE {table} SET {sets}", {"p": payload})
        con.execute("UPDATE log_entry SET areas_json = :a", {"a": json.dumps([payload])})
        con.execute("UPDATE area SET name = 'QEQM Hospital' || :p WHERE key = 'qeqm hospital'", {"p": payload})
        for _name, sql in triggers:
            con.execute(sql)
    con.close()


def _poison_beds(monkeypatch, payload: str) -> None:
    """The bed-gap screen and the detail's planned-gap line read the bed model (a data file, not the
    database): the model the app loads gets ``payload`` in every site's name and title, and the first
    site is mapped to the poisoned QEQM area, so QEQM's detail shows its planned-gap line too."""
    from dataclasses import replace

    from scc_tui.datafiles import beds

    model = beds.packaged_bed_model()
    sites = tuple(replace(s, name=f"{s.name} {payload}", title=f"{s.title} {payload}",
                          areas=((f"QEQM Hospital{payload}".strip(),) if i == 0 else ()))
                  for i, s in enumerate(model.sites))
    poisoned = replace(model, sites=sites)
    monkeypatch.setattr(beds, "packaged_bed_model", lambda: poisoned)


def _assert_inert(where: str, text: str) -> None:
    m = BAD.search(text)
    assert m is None, f"{where}: raw {m.group()!r} at {m.start()} in …{text[max(0, m.start() - 40):m.start() + 20]!r}"


# ---------------------------------------------------------------- CLI

CLI = [
    ["status"], ["status", "--json"], ["areas", "list"], ["areas", "list", "--json"],
    ["handover"], ["handover", "--format", "txt"], ["handover", "--format", "json"],
    ["export", "assessments"], ["export", "declarations"], ["export", "declarations", "--format", "json"],
    ["log", "list"], ["log", "list", "--json"], ["log", "show", "2"], ["log", "export", "--format", "md"],
    ["log", "export", "--format", "csv"], ["log", "export", "--format", "json"], ["log", "verify"],
    ["log", "role", "show"], ["log", "role", "show", USER, "--history"], ["plan-test", "list"],
    ["schedule"], ["declare-nonexistent-command"],
    ["escalations"], ["escalations", "--json"], ["actions"], ["actions", "--json"], ["rules", "list"],
    ["risks", "list"], ["risks", "list", "--json"], ["risks", "show", "1"], ["risks", "show", "1", "--json"],
    ["risks", "export"], ["risks", "export", "--format", "json"], ["risks", "verify"],
    ["report", "sitrep"], ["report", "sitrep", "--format", "csv"], ["report", "sitrep", "--format", "json"],
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=payloads)
def test_every_cli_command_prints_no_control_character(tmp_path_factory, monkeypatch, payload):
    from scc_tui.cli import main

    monkeypatch.setenv("SCC_NOW", BOARD_NOW.isoformat())
    monkeypatch.setenv("USER", USER)
    root = tmp_path_factory.getbasetemp()
    db = root / "cli.db"
    _poison(_template(root), db, payload)
    for argv in CLI:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([*argv, "--db", str(db)])
            except SystemExit as e:  # argparse
                code = e.code
        assert code in (0, 1, 2), argv
        _assert_inert(f"scc {' '.join(argv)} stdout", out.getvalue())
        _assert_inert(f"scc {' '.join(argv)} stderr", err.getvalue())
        if argv[:2] in (["status"], ["areas", "list"]) and len(argv) <= 2:
            assert "QEQM Hospital" in out.getvalue(), argv  # the area is there, shown inertly


# ---------------------------------------------------------------- TUI


def _frame(app) -> str:
    """Check the current screen as the driver would get it; return its plain text."""
    screen = app.screen
    update = screen_update(app)
    for line in update.strips:  # a line of the screen: the strips (chops) that make it up
        for strip in line:
            for seg in strip:
                _assert_inert(type(screen).__name__, seg.text)
                assert seg.style is None or not seg.style.link, f"{type(screen).__name__}: link {seg.style.link!r}"
    written = update.render_segments(app.console)
    _assert_inert(f"{type(screen).__name__} (terminal)", LEGIT.sub("", written))
    return screen_text(app)


async def _esc_to(app, pilot, wait_until, name: str) -> None:
    """Esc back to ``name``. On a screen that is not a form, a due prompt's line takes the first Esc
    (by design: it hides the line); a second Esc is the screen's own Back."""
    if app.prompt_notice is not None and type(app.screen).__name__ not in ("DeclareScreen", "AssessmentScreen"):
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.prompt_notice is None)
    await pilot.press("escape")
    await wait_until(pilot, lambda: type(app.screen).__name__ == name)


async def _visit(app, pilot, wait_until, target: str = "QEQM Hospital") -> list[str]:
    from scc_tui.app.board.view import BoardView

    texts = []
    await wait_until(pilot, lambda: app.loaded)
    await pilot.pause()
    texts.append(_frame(app))  # board, compact (one line per area)
    await pilot.resize_terminal(150, 40)
    await pilot.pause()
    texts.append(_frame(app))  # board, wide (tiles and group lines)
    view = app.screen.query_one(BoardView)
    await pilot.press("home")
    for _ in range(len(view.items)):
        if view.current.name.startswith(target):
            break
        await pilot.press("right")  # next item (down moves by rows of tiles)
    else:
        raise AssertionError(f"{target!r} not on the board")
    await pilot.press("enter")
    await wait_until(pilot, lambda: getattr(app.screen, "loaded", False))
    texts.append(_frame(app))  # detail
    await pilot.press("d")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DeclareScreen")
    texts.append(_frame(app))  # declare
    await pilot.press("escape")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen")
    await pilot.press("n")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "AssessmentScreen")
    texts.append(_frame(app))  # new assessment
    await pilot.press("escape")
    await wait_until(pilot, lambda: type(app.screen).__name__ == "DetailScreen")
    await _esc_to(app, pilot, wait_until, "BoardScreen")
    for key, name in (("c", "AgendaScreen"), ("L", "LogScreen"), ("H", "HandoverScreen"), ("R", "RisksScreen"),
                      ("B", "BedsScreen"), ("S", "SitrepScreen")):
        if name == "AgendaScreen" and app.prompts is None:
            continue
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == name)
        await pilot.pause(0.3)
        if name == "RisksScreen":  # the register, then the highlighted risk's history (a second worker)
            await wait_until(pilot, lambda: "History (" in str(app.screen.query_one("#risk-detail").render()))
        if name == "SitrepScreen":  # cut in a worker: the areas, risks and decisions as sent upwards
            await wait_until(pilot, lambda: app.screen.sitrep is not None)
        texts.append(_frame(app))
        if name == "BedsScreen":  # every site: the plot's title and the figures
            for _ in range(2):
                await pilot.press("right_square_bracket")
                await pilot.pause(0.1)
                texts.append(_frame(app))
        await _esc_to(app, pilot, wait_until, "BoardScreen")
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*target[:4].lower())
    await pilot.pause(0.5)
    texts.append(_frame(app))  # command palette hits
    return texts


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=payloads)
def test_every_screen_draws_no_control_character(tmp_path_factory, monkeypatch, payload):
    from scc_tui.domain.clock import FixedClock
    from scc_tui.store.db import Store
    from tests.helpers.board import make_app
    from tests.pilot import wait_until

    root = tmp_path_factory.getbasetemp()
    db = root / "tui.db"
    _poison(_template(root), db, payload)
    _poison_beds(monkeypatch, payload)
    store = Store(f"sqlite:///{db}", FixedClock(BOARD_NOW))

    async def run() -> list[str]:
        app = make_app(store, FixedClock(BOARD_NOW), refresh=True)
        async with app.run_test(size=(100, 40)) as pilot:
            return await _visit(app, pilot, wait_until)

    try:
        texts = asyncio.run(run())
    finally:
        store.dispose()
    assert any("QEQM Hospital" in t for t in texts)
    assert any("Risk register" in t and "Handover delays" in t for t in texts)  # the register was drawn
    assert sum("Winter bed gap" in t for t in texts) == 3  # every site of the bed model
    assert any("Winter bed plan RSUH" in t for t in texts)  # QEQM's detail: the planned-gap line
    assert any("Sitrep: every area" in t for t in texts)  # the sitrep was drawn


@pytest.mark.parametrize("name", ["[bold red]Evil[/]", "[link=https://e.vil]Evil[/link]", "Evil \x1b]0;t\x07"])
async def test_a_stored_name_is_shown_as_typed_never_as_markup(tmp_path, name):
    from scc_tui.domain.clock import FixedClock
    from scc_tui.store.db import Store
    from tests.helpers.board import make_app
    from tests.pilot import wait_until

    db = tmp_path / "m.db"
    _poison(_template(tmp_path), db, "")
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE area SET name = ? WHERE key = 'qeqm hospital'", (name,))
    con.close()
    store = Store(f"sqlite:///{db}", FixedClock(BOARD_NOW))
    shown = name.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    try:
        app = make_app(store, FixedClock(BOARD_NOW), refresh=False)
        async with app.run_test(size=(150, 40)) as pilot:
            texts = await _visit(app, pilot, wait_until, target=name)
    finally:
        store.dispose()
    board, wide, detail, declare = texts[:4]
    assert shown in detail and shown in declare and shown[:20] in wide
