"""Issue 16 item 2: one error path. Every command against a table of bad inputs exits 2 with exactly one line
on stderr and no traceback; dates are range-checked when parsed; a 10,000-deep parent chain is refused on
import and does not break status, areas list, handover or the board; SCC_DEBUG=1 shows the traceback."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scc_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T11:00:00+00:00"
DEEP = 10_000


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("SCC_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for k in ("SCC_DB", "SCC_DEBUG", "SCC_SCHEDULE"):
        monkeypatch.delenv(k, raising=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad and good inputs, made once."""
    d = tmp_path_factory.mktemp("bad")
    mp = pytest.MonkeyPatch()
    mp.setenv("SCC_NOW", NOW)
    mp.setenv("XDG_DATA_HOME", str(d / "xdg"))
    mp.delenv("SCC_DB", raising=False)
    try:
        good = d / "good.db"
        assert main(["demo", "--no-open", "--days", "2", "--db", str(good)]) == 0
    finally:
        mp.undo()
    (d / "notdb.db").write_text("this is not a database\n" * 50)
    corrupt = d / "corrupt.db"
    shutil.copy(good, corrupt)
    with open(corrupt, "r+b") as f:  # keep the 100-byte header, garble the pages after it
        f.seek(100)
        f.write(b"\xde\xad\xbe\xef" * 4096)
    (d / "empty.db").touch()
    (d / "exists.csv").write_text("keep me\n")
    (d / "big.csv").write_text("area,assessed_at,level,reason\nQEQM Hospital,2026-11-23T09:00,3," + "x" * 131_073 + "\n")
    (d / "latin1.csv").write_bytes("area,assessed_at,level\nCaf\xe9,2026-11-23T09:00,3\n".encode("latin-1"))
    lines = []
    for i in range(DEEP + 1):
        lines += ["[[area]]", f'name = "A{i}"', 'kind = "region"' if i == 0 else 'kind = "system"']
        if i:
            lines.append(f'parent = "A{i - 1}"')
        lines.append("")
    (d / "deep.toml").write_text("\n".join(lines))
    (d / "badschedule.toml").write_text('title = "x"\n')
    return d


# argv templates: {good} {notdb} {corrupt} {empty} {dir} {exists} {missing} {deep} {big} {latin1} {badschedule}
BAD = [
    # dates out of range or malformed, at parse time
    ["status", "--at", "0001-01-01", "--db", "{good}"],
    ["status", "--at", "9999-12-31", "--db", "{good}"],
    ["status", "--at", "yesterday", "--db", "{good}"],
    ["handover", "--at", "0001-01-01", "--db", "{good}"],
    ["handover", "--at", "9999-12-31T23:59", "--db", "{good}"],
    ["schedule", "--to", "9999-12-31"],
    ["schedule", "--from", "0001-01-01"],
    ["export", "assessments", "--to", "9999-12-31", "--db", "{good}"],
    ["export", "declarations", "--from", "0001-01-01", "--db", "{good}"],
    ["log", "list", "--since", "0001-01-01", "--db", "{good}"],
    ["log", "export", "--format", "csv", "--to", "9999-12-31", "--db", "{good}"],
    ["log", "add", "--kind", "note", "--text", "x", "--event-at", "0001-01-01T00:00", "--db", "{good}"],
    ["log", "add", "--kind", "note", "--text", "x", "--review-at", "9999-12-31", "--db", "{good}"],
    ["score", "acute", "--at", "0001-01-01"],
    ["plan-test", "add", "--date", "0001-01-01", "--kind", "exercise", "--title", "t", "--db", "{good}"],
    ["plan-test", "add", "--date", "9999-12-31", "--kind", "exercise", "--title", "t", "--db", "{good}"],
    ["demo", "--no-open", "--days", "100000000", "--db", "{dir}/d.db"],
    ["demo", "--no-open", "--areas", "0", "--db", "{dir}/d.db"],
    ["log", "show", "99999999999999999999999", "--db", "{good}"],
    ["log", "list", "--limit", "-1", "--db", "{good}"],
    ["log", "add", "--kind", "note", "--text", "x", "--corrects", "99999999999999999999", "--db", "{good}"],
    # databases: not SQLite, corrupt, empty, missing, a folder, a missing driver, unreachable, in-memory
    ["status", "--db", "{notdb}"],
    ["status", "--db", "{corrupt}"],
    ["status", "--db", "{empty}"],
    ["status", "--db", "{dir}"],
    ["status", "--db", "mysql://u@localhost/scc"],
    ["status", "--db", "postgresql://nobody@127.0.0.1:1/x"],
    ["status", "--db", "sqlite://"],
    ["areas", "list", "--db", "{notdb}"],
    ["areas", "list", "--db", "{corrupt}"],
    ["db", "info", "--db", "{notdb}"],
    ["db", "upgrade", "--db", "{notdb}"],
    ["db", "info", "--db", "mysql://u@localhost/scc"],
    ["log", "list", "--db", "{notdb}"],
    ["log", "verify", "--db", "{corrupt}"],
    ["log", "list", "--db", "mysql://u@localhost/scc"],
    ["plan-test", "list", "--db", "{corrupt}"],
    ["export", "assessments", "--db", "{corrupt}"],
    ["tui", "--db", "{missing}"],
    # every way `scc handover` can fail
    ["handover", "--db", "{notdb}"],
    ["handover", "--db", "{corrupt}"],
    ["handover", "--db", "{empty}"],
    ["handover", "--db", "{missing}"],
    ["handover", "--db", "{dir}"],
    ["handover", "--db", "mysql://u@localhost/scc"],
    ["handover", "--db", "postgresql://nobody@127.0.0.1:1/x"],
    ["handover", "--at", "yesterday", "--db", "{good}"],
    ["handover", "--at", "2026-03-29T01:30", "--db", "{good}"],  # does not exist in London
    ["handover", "--format", "pdf", "--db", "{good}"],
    ["handover", "--schedule", "{missing}", "--db", "{good}"],
    ["handover", "--schedule", "{dir}", "--db", "{good}"],
    ["handover", "--schedule", "{notdb}", "--db", "{good}"],
    ["handover", "--schedule", "{badschedule}", "--db", "{good}"],
    # --output: a missing folder, a folder, an existing file
    ["export", "assessments", "--output", "{dir}/no-such-folder/x.csv", "--db", "{good}"],
    ["export", "assessments", "--output", "{dir}", "--db", "{good}"],
    ["export", "declarations", "--output", "{exists}", "--db", "{good}"],
    ["log", "export", "--format", "csv", "--output", "{dir}/no-such-folder/x.csv", "--db", "{good}"],
    ["log", "export", "--format", "md", "--output", "{dir}", "--db", "{good}"],
    ["log", "export", "--format", "json", "--output", "{exists}", "--db", "{good}"],
    # input files
    ["import", "assessments", "{big}", "--db", "{good}"],
    ["import", "assessments", "{latin1}", "--db", "{good}"],
    ["import", "assessments", "{missing}", "--db", "{good}"],
    ["import", "assessments", "{dir}", "--db", "{good}"],
    ["areas", "import", "{deep}", "--db", "{good}"],
    ["areas", "import", "{missing}", "--db", "{good}"],
    ["areas", "import", "{notdb}", "--db", "{good}"],
    ["log", "verify", "--file", "{notdb}"],
    ["log", "verify", "--file", "{missing}"],
    ["log", "add", "--kind", "nonsense", "--text", "x", "--db", "{good}"],
    ["schedule", "--file", "{notdb}"],
    ["schedule", "--file", "{dir}"],
    ["score", "nonsense"],
    # usage
    ["nonsense"],
    ["--nonsense"],
    ["log"],
    ["db", "frobnicate"],
]


def _fill(argv: list[str], d: Path) -> list[str]:
    names = {"good": d / "good.db", "notdb": d / "notdb.db", "corrupt": d / "corrupt.db", "empty": d / "empty.db",
             "dir": d, "exists": d / "exists.csv", "missing": d / "missing.file", "deep": d / "deep.toml",
             "big": d / "big.csv", "latin1": d / "latin1.csv", "badschedule": d / "badschedule.toml"}
    return [a.format(**{k: str(v) for k, v in names.items()}) for a in argv]


def _one_line(err: str) -> bool:
    return len(err.splitlines()) == 1 and err.endswith("\n") and "Traceback" not in err


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_input_is_one_line_and_exit_2(argv, files, capsys, monkeypatch):
    if argv[0] == "tui":
        from scc_tui.cli import tui

        monkeypatch.setattr(tui, "_terminal", lambda: True)
    try:
        code = main(_fill(argv, files))
    except SystemExit as e:  # argparse
        code = e.code
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert _one_line(err), err
    assert (files / "exists.csv").read_text() == "keep me\n"
    assert not (files / "no-such-folder").exists()


def test_bad_inputs_in_a_real_process(files):
    """The same guarantees when run as a program (no traceback reaches the terminal)."""
    for argv in (["status", "--at", "0001-01-01", "--db", "{good}"], ["handover", "--db", "{corrupt}"],
                 ["status", "--db", "mysql://u@localhost/scc"], ["import", "assessments", "{big}", "--db", "{good}"]):
        r = subprocess.run([sys.executable, "-m", "scc_tui", *_fill(argv, files)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**os.environ, "SCC_NOW": NOW})
        assert r.returncode == 2 and _one_line(r.stderr), (argv, r.stderr)


def test_scc_debug_shows_the_traceback(files):
    r = subprocess.run([sys.executable, "-m", "scc_tui", *_fill(["status", "--db", "{corrupt}"], files)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, "SCC_DEBUG": "1"})
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_a_full_device_is_one_line_and_leaves_no_file(files, tmp_path, capsys, monkeypatch):
    import scc_tui.files as sf

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(sf.os, "write", full)
    target = tmp_path / "out.csv"
    assert main(["export", "assessments", "--output", str(target), "--db", str(files / "good.db")]) == 2
    err = capsys.readouterr().err
    assert _one_line(err) and "no space left" in err and not target.exists()


def test_out_of_memory_is_one_line(files, capsys, monkeypatch):
    import scc_tui.store.queries as q

    def boom(*a, **k):
        raise MemoryError()

    monkeypatch.setattr(q, "area_statuses", boom)
    assert main(["status", "--db", str(files / "good.db")]) == 2
    err = capsys.readouterr().err
    assert _one_line(err) and "out of memory" in err


def test_an_unforeseen_error_is_one_line_too(files, capsys, monkeypatch):
    import scc_tui.store.queries as q

    monkeypatch.setattr(q, "area_statuses", lambda *a, **k: 1 / 0)
    assert main(["status", "--db", str(files / "good.db")]) == 2
    err = capsys.readouterr().err
    assert _one_line(err) and "ZeroDivisionError" in err and "SCC_DEBUG=1" in err


# ---------------------------------------------------------------- a 10,000-deep chain already in a database


@pytest.fixture(scope="module")
def deep_db(tmp_path_factory):
    """A database holding a 10,000-deep chain (as a hand edit or an older version could leave it)."""
    from datetime import datetime

    from scc_tui.domain.clock import UTC
    from scc_tui.store.db import Store, resolve_url
    from scc_tui.store.models import Area

    path = tmp_path_factory.mktemp("deep") / "deep.db"
    st = Store(resolve_url(str(path)))
    t = datetime(2026, 11, 1, tzinfo=UTC)
    with st.write() as s:
        prev = None
        for i in range(DEEP):
            a = Area(name=f"A{i}", key=f"a{i}", kind="region" if i == 0 else "system", parent_id=prev,
                     created_at=t, updated_at=t)
            s.add(a)
            s.flush()
            prev = a.id
    st.dispose()
    return path


@pytest.mark.parametrize("argv", [["status"], ["status", "--json"], ["areas", "list"], ["handover"],
                                  ["handover", "--format", "json"]])
def test_deep_chain_does_not_break_the_commands(argv, deep_db, capsys):
    assert main([*argv, "--db", str(deep_db)]) == 0
    out = capsys.readouterr().out
    assert f"A{DEEP - 1}" in out or argv[0] == "handover"
    assert max(len(line) for line in out.splitlines()) < 400  # indentation is bounded too


def test_deep_chain_on_the_board():
    from types import SimpleNamespace

    from scc_tui.app.board.model import build_board
    from scc_tui.domain.hierarchy import MAX_DEPTH

    statuses = [SimpleNamespace(area_id=i, parent_id=i - 1 if i else None, name=f"A{i}", level=None, stale=False,
                                kind="system") for i in range(DEEP)]
    board = build_board(statuses)
    assert len(board.items) == DEEP and max(i.depth for i in board.items) == MAX_DEPTH - 1


def test_bounded_parents_cuts_cycles_and_keeps_every_area():
    from scc_tui.domain.hierarchy import bounded_parents, depths

    parents = {1: None, 2: 1, 3: 2, 4: 5, 5: 4, 6: 99}  # 4<->5 a cycle, 6's parent missing
    b = bounded_parents(parents, max_depth=2)
    assert b[1] is None and b[2] == 1 and b[3] is None  # 3 would be at depth 2: lifted
    assert b[6] is None and sorted(b) == [1, 2, 3, 4, 5, 6]
    assert (b[4] is None) != (b[5] is None)  # the cycle is cut once
    assert max(depths(b).values()) <= 1
