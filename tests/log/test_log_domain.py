"""Pure rules of the decision log: text policy, lateness, canonical form, hash, chain verification."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from scc_tui.domain import log as dlog
from scc_tui.domain.log import GENESIS_HASH, LogInputError

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _rec(seq: int = 1, **kw) -> dict:
    r = {
        "seq": seq, "recorded_at": T0, "event_at": T0 - timedelta(minutes=10), "author": "alice",
        "role": "SCC Manager", "kind": "decision", "areas": ["East Kent"], "opel": {"East Kent": 3},
        "text": "Open 10 escalation beds at QEQM", "rationale": "ED at 140%", "risk": None, "risk_measure": None,
        "owner": "bob", "review_at": None, "corrects_seq": None, "late_reason": None, "source": "app",
    }
    r.update(kw)
    return r


def _chain(n: int) -> list[dict]:
    out, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        r = _rec(i, text=f"entry {i}", recorded_at=T0 + timedelta(minutes=i), event_at=T0 + timedelta(minutes=i))
        r["prev_hash"] = prev
        r["hash"] = prev = dlog.compute_hash(r, prev)
        out.append(r)
    return out


# ---- hash format ---------------------------------------------------------------------------------


def test_golden_hash_vector():
    """Pinned: changing the canonical form would silently invalidate every stored chain."""
    r = _rec()
    r["event_at"] = datetime(2026, 11, 23, 8, 50, tzinfo=UTC)
    assert dlog.canonical_bytes(r, GENESIS_HASH).decode() == (
        '{"areas":["East Kent"],"author":"alice","corrects_seq":null,"event_at":"2026-11-23T08:50:00.000000Z",'
        '"kind":"decision","late_reason":null,"opel":{"East Kent":3},"owner":"bob",'
        '"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",'
        '"rationale":"ED at 140%","recorded_at":"2026-11-23T09:00:00.000000Z","review_at":null,"risk":null,'
        '"risk_measure":null,"role":"SCC Manager","seq":1,"source":"app","text":"Open 10 escalation beds at QEQM","v":1}'
    )
    assert dlog.compute_hash(r, GENESIS_HASH) == "59753bec9d18f41e14292822c10289e8f749b3c9ee44800fb5c200a41702ebc8"


def test_hash_is_independent_of_timezone_representation_and_recomputable_by_hand():
    r = _rec()
    bst = timezone(timedelta(hours=1))
    r2 = _rec(recorded_at=T0.astimezone(bst), event_at=(T0 - timedelta(minutes=10)).isoformat())
    assert dlog.compute_hash(r, GENESIS_HASH) == dlog.compute_hash(r2, GENESIS_HASH)
    obj = dict(r, v=1, prev_hash=GENESIS_HASH, recorded_at="2026-11-23T09:00:00.000000Z",
               event_at="2026-11-23T08:50:00.000000Z")
    by_hand = hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert by_hand == dlog.compute_hash(r, GENESIS_HASH)


@pytest.mark.parametrize("field,value", [
    ("text", "Open 11 escalation beds at QEQM"), ("author", "mallory"), ("role", None), ("opel", {"East Kent": 2}),
    ("areas", []), ("seq", 2), ("event_at", T0), ("rationale", "x"), ("kind", "action"), ("source", "cli"),
])
def test_every_content_field_is_covered_by_the_hash(field, value):
    assert dlog.compute_hash(_rec(), GENESIS_HASH) != dlog.compute_hash(_rec(**{field: value}), GENESIS_HASH)


def test_prev_hash_is_covered():
    assert dlog.compute_hash(_rec(), GENESIS_HASH) != dlog.compute_hash(_rec(), "1" * 64)


# ---- verification --------------------------------------------------------------------------------


def test_verify_good_chain():
    res = dlog.verify_records(_chain(5))
    assert res.ok and res.checked == 5 and res.head_seq == 5
    assert dlog.verify_records([]).ok


def test_verify_names_altered_entry():
    chain = _chain(5)
    chain[2]["text"] = "something else"
    res = dlog.verify_records(chain)
    assert not res.ok and res.first_bad_seq == 3 and res.checked == 2
    assert res.reason == "entry #3: hash mismatch (content altered?)"


def test_verify_names_gap():
    chain = _chain(5)
    del chain[2]
    res = dlog.verify_records(chain)
    assert (res.ok, res.first_bad_seq) == (False, 3)
    assert "missing" in res.reason and "#3" in res.reason


def test_verify_rehashed_entry_breaks_the_next_link():
    chain = _chain(4)
    chain[1]["text"] = "rewritten"
    chain[1]["hash"] = dlog.compute_hash(chain[1], chain[1]["prev_hash"])  # attacker rehashes one entry
    res = dlog.verify_records(chain)
    assert res.first_bad_seq == 3 and "previous-hash" in res.reason


def test_verify_anchor_detects_truncated_tail():
    chain = _chain(5)
    anchor = {5: chain[4]["hash"]}
    assert dlog.verify_records(chain, anchors=anchor).ok
    res = dlog.verify_records(chain[:3], anchors=anchor)
    assert not res.ok and res.first_bad_seq == 5 and "truncated" in res.reason


def test_verify_partial_slice():
    chain = _chain(6)
    assert dlog.verify_records(chain[2:], partial=True).ok
    assert not dlog.verify_records(chain[2:]).ok


def test_verify_duplicate_or_reordered():
    chain = _chain(3)
    res = dlog.verify_records([chain[0], chain[0], chain[1]])
    assert res.first_bad_seq == 1 and "out of sequence" in res.reason


# ---- text policy -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x1b[2J", "\x1b]0;title\x07", "a\x00b", "x\x9b31m", "x\u202eevil", "\x7f", "a\x08b"])
def test_control_characters_are_rejected(bad):
    with pytest.raises(LogInputError, match="control character"):
        dlog.clean_text("ok " + bad)


def test_text_rules():
    assert dlog.clean_text("  line 1\r\nline 2\tx \r") == "line 1\nline 2\tx"
    assert dlog.clean_text("Café — Medway’s ED 🙂") == "Café — Medway’s ED 🙂"
    with pytest.raises(LogInputError, match="empty"):
        dlog.clean_text(" \n\t ")
    with pytest.raises(LogInputError, match="100,000 characters long; the limit is 10,000"):
        dlog.clean_text("x" * 100_000)
    assert dlog.clean_text("x" * 10_000)
    with pytest.raises(LogInputError, match="newline"):
        dlog.clean_line("a\nb", "owner")
    assert dlog.clean_text(None, required=False) is None


def test_kinds_and_instants():
    for k in ("decision", "action", "call-note", "escalation-ack", "prompt-ack", "handover", "note", "config",
              "declaration", "plan-test"):
        assert dlog.check_kind(k) == k
    with pytest.raises(LogInputError, match="unknown kind"):
        dlog.check_kind("gossip")
    with pytest.raises(LogInputError, match="naive"):
        dlog.check_instant(datetime(2026, 1, 1), "event_at")


def test_lateness_rule():
    assert not dlog.is_late(T0 - timedelta(minutes=15), T0)
    assert dlog.is_late(T0 - timedelta(minutes=15, seconds=1), T0)
    dlog.check_times(T0 - timedelta(minutes=15), T0, None)
    with pytest.raises(LogInputError, match="16 minutes after the event"):
        dlog.check_times(T0 - timedelta(minutes=16), T0, None)
    dlog.check_times(T0 - timedelta(hours=3), T0, "on a call, no laptop")
    with pytest.raises(LogInputError, match="after the time of recording"):
        dlog.check_times(T0 + timedelta(minutes=5), T0, None)


def test_inert_and_inert_json():
    s = "a\x1b[2Jb\x1b]0;t\x07c\x9bd\u202ee\nf"
    out = dlog.inert(s)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert out == "a\\x1b[2Jb\\x1b]0;t\\x07c\\x9bd\\u202ee\nf"
    j = dlog.inert_json({"t": s})
    assert all(c not in j for c in "\x1b\x07\x9b\u202e")
    assert json.loads(j) == {"t": s}  # still the exact data
