from sqlmodel import select

from scc_tui.store.config_audit import default_data_files, record_data_files
from scc_tui.store.log import verify_chain
from scc_tui.store.models import LogEntry


def _config_texts(store):
    with store.read() as s:
        return [e.text for e in s.exec(select(LogEntry).where(LogEntry.kind == "config").order_by(LogEntry.seq))]


def test_data_file_logged_once_then_again_only_when_changed(store, tmp_path):
    plan = tmp_path / "local-beds.toml"
    plan.write_text('id = "local-beds"\n')
    files = [("plan local-beds.toml", plan)]

    assert len(record_data_files(store, files, author="alice")) == 1
    assert record_data_files(store, files, author="bob") == []  # unchanged: nothing new
    plan.write_text('id = "local-beds"\nversion = "2"\n')
    assert len(record_data_files(store, files, author="carol")) == 1

    texts = _config_texts(store)
    assert texts[0].startswith("Data file plan local-beds.toml first loaded: sha256 ")
    assert texts[1].startswith("Data file plan local-beds.toml changed (was sha256 ")
    with store.read() as s:
        authors = [e.author for e in s.exec(select(LogEntry).order_by(LogEntry.seq))]
    assert authors == ["alice", "carol"]
    assert verify_chain(store).ok


def test_labels_do_not_match_as_prefixes_of_each_other(store, tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "a.toml.bak"
    a.write_text("x = 1\n")
    b.write_text("x = 2\n")
    record_data_files(store, [("plan a.toml", a)], author="alice")
    # A different file whose label starts with the first one's is still logged as its own.
    assert len(record_data_files(store, [("plan a.toml.bak", b)], author="alice")) == 1
    assert record_data_files(store, [("plan a.toml", a), ("plan a.toml.bak", b)], author="alice") == []


def test_default_files_cover_the_plans_and_the_schedule():
    labels = [label for label, _ in default_data_files()]
    assert "plan acute-2023.toml" in labels
    assert "plan kcc-asc-2025.toml" in labels
    assert "schedule kent-medway-winter.toml" in labels


def test_a_summary_entry_holds_every_file_and_later_checks_read_it(store, tmp_path):
    """Issue 12 item 7: the demo's nine "first loaded" entries become one; the app's own check later
    finds each file's fingerprint in it (nothing logged again), and a changed file is logged alone."""
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text("x = 1\n")
    b.write_text("x = 2\n")
    files = [("plan a.toml", a), ("plan b.toml", b)]
    assert len(record_data_files(store, files, author="demo", summary="Data files in use")) == 1
    (text,) = _config_texts(store)
    assert text.startswith("Data files in use (2 files):\nData file plan a.toml first loaded: sha256 ")
    assert "\nData file plan b.toml first loaded: sha256 " in text
    assert record_data_files(store, files, author="alice") == []
    b.write_text("x = 3\n")
    assert len(record_data_files(store, files, author="alice")) == 1
    assert _config_texts(store)[-1].startswith("Data file plan b.toml changed (was sha256 ")
