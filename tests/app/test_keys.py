"""Keys from one source (issue 11 item 5) and the footer rule (issue 12 items 4, 5).

The screens declare their bindings, each with an id; the help screen and the README's key table are
generated from them; a user's keymap file rebinds by id (Textual's keymap). Every screen's footer at
80 columns shows its main actions, then help, and fits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from textual.widgets import Footer

from scc_tui.app.keymap import KeymapError, keymap_path, load_keymap
from scc_tui.app.screens import help as keyhelp
from tests.helpers.board import make_app
from tests.pilot import screen_text, wait_until

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_table_is_generated_from_the_bindings():
    text = README.read_text(encoding="utf-8")
    assert keyhelp.README_BEGIN in text and keyhelp.README_END in text
    assert keyhelp.readme_with_table(text) == text, "run: python -m scc_tui.app.screens.help README.md"


def test_every_binding_has_an_id_and_no_id_is_used_twice():
    bindings = list(keyhelp.all_bindings())
    assert len(bindings) > 60
    missing = [(spec, b.key, b.action) for spec, b in bindings if not b.id]
    assert missing == []
    twice = [i for i, n in Counter(b.id for _, b in bindings).items() if n > 1]
    assert twice == []


def test_every_class_that_binds_keys_is_in_the_help():
    """A screen or widget that another issue adds with keys (e, R, exercise controls) is listed too."""
    listed = {name for _title, names in keyhelp.SECTIONS for name in names}
    found = set(keyhelp.app_classes())
    assert {"BoardScreen", "LogScreen", "AgendaPanel", "SccApp"} <= found  # the walk sees the package
    assert found <= listed, found - listed


def _section(title: str) -> list[keyhelp.KeyRow]:
    return dict(keyhelp.sections())[title]


def test_help_text_is_right_for_each_screen():
    """The log and handover sections do not describe board keys; `a` on the board is a quick note."""
    for title in ("Decision log", "Handover", "Escalations", "Agenda (calls and deadlines)"):
        for row in _section(title):
            assert "board" not in row.text or row.text == "back to the board", (title, row)
    board = {r.id: r.text for r in _section("Board")}
    assert "quick" in board["board.note"] and board["board.note"] != "Log"
    log = {r.id: r.text for r in _section("Decision log")}
    assert log["log.filter"].startswith("filter the log") and log["log.reload"] == "re-read the log now"


# --------------------------------------------------------------------------------------------------
# The footer rule, screen by screen, at 80x24 (the app's ? Help is a binding like any other: last).


def _settled(app) -> bool:
    """The current screen has its data (the screens that load it say so with ``loaded``/``loading``)."""
    return getattr(app.screen, "loaded", True) and not getattr(app.screen, "loading", False)


async def _press_each(pilot, keys) -> None:
    """Press ``keys`` one by one, each on a settled screen (e.g. Enter on the log's rows once they are there)."""
    for key in keys:
        await pilot.press(key)
        await wait_until(pilot, lambda: _settled(pilot.app), what=f"the screen after {key!r}")


async def _footer(pilot) -> tuple[str, list[str]]:
    app = pilot.app
    await wait_until(pilot, lambda: "Help" in screen_text(app).splitlines()[-1], what="the footer drawn")
    footer = app.screen.query_one(Footer)
    assert footer.virtual_size.width <= 80 and footer.max_scroll_x == 0, type(app.screen).__name__
    line = screen_text(app).splitlines()[-1]
    keys = [k.strip() for k in line.split("▏")[0].split("  ") if k.strip()]
    return line, keys


SCREENS = [
    # (keys pressed from the board, the screen, its main actions in the footer before help)
    ([], "BoardScreen", ["⏎ Detail", "n Assess", "d Declare", "/ Filter", "L Log", "c Agenda"]),
    (["down", "down", "down", "enter"], "DetailScreen", ["esc Back", "n Assess", "d Declare", "e Escalations", "p 30/90 days"]),
    (["down", "down", "down", "n"], "AssessmentScreen", ["^s Save", "esc Cancel"]),
    (["down", "down", "down", "d"], "DeclareScreen", ["^s Declare", "esc Cancel"]),
    (["L"], "LogScreen", ["a Add", "D Decision", "/ Filter", "c Correct", "v Review", "esc Back"]),
    (["L", "enter"], "EntryDetail", ["esc Close", "c Correct"]),
    (["L", "D"], "DecisionForm", ["^s Save", "esc Cancel"]),
    (["c"], "AgendaScreen", ["⏎ Ack…", "z Snooze", "esc Back"]),
    (["H"], "HandoverScreen", ["s Save .md", "L Log it…", "r Reload", "esc Back"]),
    (["e"], "EscalationsScreen", ["A Acknowledge", "r Reload", "esc Back"]),
]


@pytest.mark.parametrize("keys, screen, actions", SCREENS, ids=[s[1] for s in SCREENS])
async def test_footer_shows_main_actions_then_help_within_80_columns(board_store, board_clock, keys, screen, actions):
    app = make_app(board_store, board_clock, prompts=True)
    app.prompts.on_notice = lambda notice: None  # the prompt line is tested elsewhere; here, the footer
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await _press_each(pilot, keys)
        await wait_until(pilot, lambda: type(app.screen).__name__ == screen)
        line, shown = await _footer(pilot)
    assert shown[:-1] == actions, line
    assert shown[-1] in ("? Help", "f1 Help"), line  # f1 where ? is typed into a field


# --------------------------------------------------------------------------------------------------
# Rebinding through the user's keymap file


async def test_a_keymap_rebinds_by_id(board_store, board_clock):
    app = make_app(board_store, board_clock, keymap={"board.agenda": "f2"})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await pilot.press("c")  # a bound key's screen is pushed while the key is handled
        assert type(app.screen).__name__ == "BoardScreen"
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AgendaScreen")


def test_keymap_file_location_and_checks(tmp_path):
    assert keymap_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/scc-tui/keymap.toml")
    assert keymap_path({"HOME": "/home/a"}) == Path("/home/a/.config/scc-tui/keymap.toml")
    path = tmp_path / "keymap.toml"
    assert load_keymap(path, keyhelp.binding_ids) == {}  # no file: no rebinding
    path.write_text('[keys]\n"board.declare" = "x"\n"board.agenda" = "c, f2"\n')
    assert load_keymap(path, keyhelp.binding_ids) == {"board.declare": "x", "board.agenda": "c,f2"}
    path.write_text('[keys]\n"board.declare" = "x"\n"board.nope" = "y"\n')
    with pytest.raises(KeymapError, match=r"keymap.toml, line 3, 'board.nope': no such key binding"):
        load_keymap(path, keyhelp.binding_ids)
    path.write_text('[keys]\n"board.declare" = ""\n')
    with pytest.raises(KeymapError, match=r"line 2, 'board.declare': the value must be keys"):
        load_keymap(path, keyhelp.binding_ids)


def test_a_bad_keymap_stops_scc_with_one_line(tmp_path, monkeypatch, capsys):
    from scc_tui.cli.tui import open_app

    (tmp_path / "scc-tui").mkdir()
    (tmp_path / "scc-tui" / "keymap.toml").write_text('[keys]\n"board.nope" = "y"\n')
    from scc_tui.settings import Settings, installed

    with installed(Settings.from_environ({"XDG_CONFIG_HOME": str(tmp_path)})):  # as scc_tui.cli.main reads it
        assert open_app("sqlite:////proc/no-such-dir/scc.db") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'board.nope': no such key binding" in err, err


@pytest.mark.parametrize("keys, first", [([], "Board"), (["L"], "Decision log"), (["H"], "Handover")])
async def test_help_opens_at_the_current_screens_keys(board_store, board_clock, keys, first):
    app = make_app(board_store, board_clock, prompts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.loaded)
        await _press_each(pilot, keys)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        await wait_until(pilot, lambda: f"│ {first}" in screen_text(app), what=f"help scrolled to {first}")
        visible = screen_text(app)
    assert f"│ {first}" in visible, visible
    if first != "Board":
        assert "filter the board" not in visible  # the board's keys are not what this screen's help shows
