"""Reading the log for the screen (thread workers call these; no Textual here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from scc_tui.app.log.model import LogFilter, LogRow

#: How far back review times are looked for when the screen loads.
REVIEW_HORIZON = timedelta(days=7)


def _rows(entries, corrected: dict[int, list[int]] | None = None, store=None) -> list[LogRow]:
    """Rows for entries; with ``store``, each review carries the decision it reviews (``log_review``)."""
    from scc_tui.store.log import entry_record, review_links

    corrected = corrected or {}
    entries = list(entries)
    links = review_links(store, [e.seq for e in entries]) if store is not None and entries else {}
    out = []
    for e in entries:
        rec = entry_record(e)
        if e.seq in links:
            rec["reviews_seq"] = links[e.seq]
        out.append(LogRow.from_record(rec, corrected.get(e.seq, ())))
    return out


def fetch_page(store, flt: LogFilter, *, before_seq: int | None, want: int,
               scan_limit: int = 20_000) -> tuple[list[LogRow], int | None, bool]:
    """Up to ``want`` matching rows older than ``before_seq``, newest first.

    Returns (rows, the oldest seq scanned — the next ``before_seq`` —, exhausted)."""
    from scc_tui.store.log import corrections_index, list_entries

    args = flt.store_args()
    batch_size = want if flt.store_complete else 500
    out: list[LogRow] = []
    cursor = before_seq
    scanned = 0
    exhausted = False
    while len(out) < want:
        batch = list_entries(store, before_seq=cursor, limit=batch_size, newest_first=True, **args)
        if not batch:
            exhausted = True
            break
        rows = _rows(batch, store=store)
        out.extend(r for r in rows if flt.matches(r))
        cursor = batch[-1].seq
        scanned += len(batch)
        if len(batch) < batch_size:
            exhausted = True
            break
        if scanned >= scan_limit:
            break
    if out:
        idx = corrections_index(store, [r.seq for r in out])
        out = [replace(r, corrected_by=tuple(idx.get(r.seq, ()))) if r.seq in idx else r for r in out]
    return out, cursor, exhausted


def fetch_new(store, after_seq: int, limit: int) -> list[LogRow]:
    """Entries after ``after_seq``, oldest first (every entry: the screen filters)."""
    from scc_tui.store.log import list_entries

    return _rows(list_entries(store, after_seq=after_seq, limit=limit), store=store)


def fetch_reviews(store, now: datetime) -> tuple[dict[int, LogRow], set[int]]:
    """Recent decisions with a review time, and the decisions already reviewed."""
    from scc_tui.store.log import corrections_index, list_entries

    since = now - REVIEW_HORIZON
    decisions = {r.seq: r for r in _rows(list_entries(store, kinds=["decision"], since=since))
                 if r.review_at is not None}
    if decisions:
        idx = corrections_index(store, list(decisions))
        for seq, by in idx.items():
            for b in by:
                decisions[seq] = decisions[seq].with_correction(b)
    from scc_tui.store.log import review_links

    reviewed = set(review_links(store, since=since).values())
    return decisions, reviewed
