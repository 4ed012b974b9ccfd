"""``scc log list | head -1``: when the reader closes the pipe early, ``scc`` exits 0 and prints
nothing on stderr (Python docs, module ``signal``, "Note on SIGPIPE")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scc_tui.domain.clock import FixedClock
from scc_tui.store.db import Store
from tests.helpers.bulk_log import START, bulk_log

ROOT = Path(__file__).resolve().parents[2]


def test_reader_closing_the_pipe_early_is_not_an_error(tmp_path):
    db = f"sqlite:///{tmp_path / 'scc.db'}"
    st = Store(db, FixedClock(START))
    bulk_log(st, 3000)  # ~150 kB listed: far more than a pipe holds, so the writer meets the closed end
    st.dispose()
    env = dict(os.environ, SCC_NOW="2026-12-01T09:00:00+00:00")
    env.pop("SCC_DB", None)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "scc_tui", "--db", db, "log", "list"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = proc.stdout.readline()
        proc.stdout.close()  # as `head -1` does
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=120) == 0, err
        assert first.startswith(b"#1  ") and err == b""
