"""A long log (70,000 entries: more than PostgreSQL's 65,535 bind parameters per statement) is
listed, exported and verified on both backends, read in pages."""

from __future__ import annotations

import json

import pytest

from scc_tui.cli import main as scc_main
from scc_tui.store import log as slog
from tests.helpers.bulk_log import bulk_log

N = 70_000


@pytest.fixture
def long_log(store):
    head = bulk_log(store, N)
    return store, head


def test_list_export_and_verify_past_65535(long_log, capsysbinary, tmp_path):
    store, head = long_log
    url = store.url
    assert scc_main(["log", "list", "--db", url, "--json"]) == 0
    listed = json.loads(capsysbinary.readouterr().out)
    assert len(listed) == N and listed[-1]["hash"] == head
    assert listed[1998]["corrected_by"] == [2000]
    for fmt in ("csv", "json"):
        out = tmp_path / f"log.{fmt}"
        assert scc_main(["log", "export", "--db", url, "--format", fmt, "--output", str(out)]) == 0
        capsysbinary.readouterr()
        text = out.read_text(encoding="utf-8-sig")
        if fmt == "csv":
            assert text.rstrip().endswith(f"log head,{N}:{head},scc log verify --anchor {N}:{head}")
        else:
            assert json.loads(text)["log_head"] == {"seq": N, "hash": head}  # the head, carried by the export
    assert scc_main(["log", "verify", "--db", url, "--file", str(tmp_path / "log.json")]) == 0
    assert scc_main(["log", "verify", "--db", url, "--anchor", f"{N}:{head}"]) == 0


def test_iter_entries_reads_in_pages(long_log):
    store, _ = long_log
    seen = [e.seq for e in slog.iter_entries(store, after_seq=N - 2500, page=1000)]
    assert seen == list(range(N - 2499, N + 1))
    newest = [e.seq for e in slog.iter_entries(store, newest_first=True, limit=2500, page=1000)]
    assert newest == list(range(N, N - 2500, -1))
    assert len(slog.corrections_index(store, range(1, N + 1))) == N // 1000
