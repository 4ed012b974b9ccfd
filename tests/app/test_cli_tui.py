"""`scc tui`: one-line errors, exit 2, never a traceback."""

from __future__ import annotations

from scc_tui.cli.tui import open_app, run


def test_unreachable_database_is_one_line_exit_2(capsys):
    assert open_app("sqlite:////proc/no-such-dir/scc.db") == 2
    err = capsys.readouterr().err
    assert err.startswith("scc: error: cannot open the database") and err.count("\n") == 1


def test_password_is_not_echoed(capsys):
    assert open_app("postgresql+psycopg://u:secret@127.0.0.1:1/x") == 2
    assert "secret" not in capsys.readouterr().err


def test_needs_a_terminal(capsys):
    assert run("tui", []) == 2  # pytest's stdin is not a tty
    assert "needs a terminal" in capsys.readouterr().err


def test_dumb_and_vt100_terminals_are_refused_naming_the_supported_ones(capsys, monkeypatch):
    """Issue 12 item 1: no box drawing or arrows on a terminal that cannot draw them."""
    from scc_tui.cli import tui

    from scc_tui.settings import Settings, installed

    monkeypatch.setattr(tui, "_terminal", lambda: True)
    for term in ("dumb", "vt100"):
        with installed(Settings.from_environ({"TERM": term})):  # as scc_tui.cli.main reads it
            assert run("tui", []) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and f"TERM={term}" in err and "xterm-256color" in err, err
            assert tui.open_on_terminal("sqlite:////proc/no-such-dir/scc.db") == 2
            assert f"TERM={term}" in capsys.readouterr().err
