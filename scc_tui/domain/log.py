"""The decision and action log, as pure rules (no SQL, no clock, no I/O).

* Entry kinds (stable ids) and what each requires.
* Validation of free text: length limits and the control-character policy (rejected, see below).
* The canonical serialisation of an entry and its SHA-256 hash over content + previous hash.
* Verification of a chain given as plain records (rows from the database or a JSON export).
* The lateness rule (JESIP practice: an entry made well after the event says why).
* :func:`inert` for display and export: belt and braces against terminal injection.

See ``docs/log.md`` for the hash format, a worked verification and the policies.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Iterable, Mapping

from scc_tui.domain import text as _text
from scc_tui.domain.errors import SccError

__all__ = [
    "KINDS",
    "DECISION_KINDS",
    "QUICK_KINDS",
    "GENESIS_HASH",
    "HASH_VERSION",
    "HASHED_FIELDS",
    "LATE_AFTER",
    "FUTURE_TOLERANCE",
    "MAX_TEXT",
    "MAX_SHORT",
    "LogInputError",
    "VerifyResult",
    "clean_text",
    "clean_line",
    "check_kind",
    "check_instant",
    "is_late",
    "check_times",
    "fmt_instant",
    "canonical_bytes",
    "compute_hash",
    "verify_records",
    "inert",
    "inert_json",
]

#: Entry kinds: stable id -> label. Ids are stored and exported; never rename one.
KINDS: dict[str, str] = {
    "decision": "Decision",
    "action": "Action",
    "call-note": "Call note",
    "escalation-ack": "Escalation acknowledgement",
    "prompt-ack": "Prompt acknowledgement",
    "handover": "Handover",
    "note": "Note",
    "config": "Configuration change",
    "declaration": "Level declaration",
    "plan-test": "Plan test",
    "risk": "Risk register",
    "report": "Upward report",
    "correction": "Correction",
    "review": "Review of a decision",
}

#: The kinds the quick-entry bar cycles through with Tab (a decision needs its form: rationale).
QUICK_KINDS: tuple[str, ...] = ("note", "action", "call-note", "handover", "escalation-ack")

#: Kinds whose entries must give a rationale (a decision always with its rationale).
DECISION_KINDS = frozenset({"decision"})

GENESIS_HASH = "0" * 64
HASH_VERSION = 1

#: The fields that are hashed, besides ``v`` (format version) and ``prev_hash``.
HASHED_FIELDS = (
    "seq",
    "recorded_at",
    "event_at",
    "author",
    "role",
    "kind",
    "areas",
    "opel",
    "text",
    "rationale",
    "risk",
    "risk_measure",
    "owner",
    "review_at",
    "corrects_seq",
    "late_reason",
    "source",
)
_TIME_FIELDS = ("recorded_at", "event_at", "review_at")

#: An entry recorded more than this long after its event must say why it is late.
LATE_AFTER = timedelta(minutes=15)
#: An event time may be at most this far ahead of the recording time (clock skew between hosts).
FUTURE_TOLERANCE = timedelta(minutes=2)

MAX_TEXT = 10_000  # characters, for text, rationale, risk, risk measure, late reason
MAX_SHORT = 200  # characters, for one-line fields: author, role, owner, area names, source


class LogInputError(SccError, ValueError):
    """An entry that cannot be recorded as given. The message is one line and names the field."""


# --------------------------------------------------------------------------------------------------
# Text policy
#
# Control characters are REJECTED, not stored escaped: the log is evidence, and what is stored must be
# exactly what the person typed and saw. The policy is the app's one text policy
# (:mod:`scc_tui.domain.text`): printable characters and TAB everywhere, LF in multi-line fields ("\r\n"
# and lone "\r" are normalised to "\n" first: pasted text from Windows/Outlook); refused: other C0
# controls (ESC, NUL, BEL), DEL, C1 controls (U+0080-U+009F, includes the 8-bit CSI U+009B), the Unicode
# bidirectional overrides/isolates (U+202A-U+202E, U+2066-U+2069) and U+2028/U+2029 separators.
# --------------------------------------------------------------------------------------------------


def _check_chars(value: str, field: str, multiline: bool) -> None:
    _text.check_text(value, field, multiline=multiline, error=LogInputError)


def clean_text(value: Any, field: str = "text", *, required: bool = True, max_len: int = MAX_TEXT) -> str | None:
    """Validate multi-line free text. Returns the text with line endings normalised and outer
    whitespace stripped, or None when optional and blank."""
    if value is None:
        if required:
            raise LogInputError(f"{field}: is required")
        return None
    if not isinstance(value, str):
        raise LogInputError(f"{field}: must be text, not {type(value).__name__}")
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        if required:
            raise LogInputError(f"{field}: is empty")
        return None
    if len(value) > max_len:
        raise LogInputError(f"{field}: is {len(value):,} characters long; the limit is {max_len:,}")
    _check_chars(value, field, True)
    return value


def clean_line(value: Any, field: str, *, required: bool = False, max_len: int = MAX_SHORT) -> str | None:
    """Validate a one-line field (author, role, owner, area name): no newlines or controls."""
    if value is None:
        if required:
            raise LogInputError(f"{field}: is required")
        return None
    if not isinstance(value, str):
        raise LogInputError(f"{field}: must be text, not {type(value).__name__}")
    value = value.strip()
    if not value:
        if required:
            raise LogInputError(f"{field}: is empty")
        return None
    if len(value) > max_len:
        raise LogInputError(f"{field}: is {len(value):,} characters long; the limit is {max_len:,}")
    _check_chars(value, field, False)
    return value


def check_kind(kind: Any) -> str:
    if kind not in KINDS:
        raise LogInputError(f"kind: unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    return kind


def check_instant(value: Any, field: str) -> datetime | None:
    """Aware datetimes only (naive ones are ambiguous around clock changes). Returns UTC."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise LogInputError(f"{field}: must be a date-time, not {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise LogInputError(f"{field}: naive date-time {value.isoformat()} has no timezone; give an offset")
    return value.astimezone(UTC)


# --------------------------------------------------------------------------------------------------
# Lateness
# --------------------------------------------------------------------------------------------------


def is_late(event_at: datetime, recorded_at: datetime, late_after: timedelta = LATE_AFTER) -> bool:
    """True when the entry was recorded more than ``late_after`` after the event (strictly more)."""
    return recorded_at - event_at > late_after


def check_times(
    event_at: datetime, recorded_at: datetime, late_reason: str | None, late_after: timedelta = LATE_AFTER
) -> None:
    """An event may not be in the future; a late entry needs a reason."""
    if event_at - recorded_at > FUTURE_TOLERANCE:
        raise LogInputError(
            f"event_at: {fmt_instant(event_at)} is after the time of recording ({fmt_instant(recorded_at)}); "
            "a log records what has happened"
        )
    if is_late(event_at, recorded_at, late_after) and not late_reason:
        mins = int((recorded_at - event_at).total_seconds() // 60)
        raise LogInputError(
            f"late_reason: this entry is recorded {mins} minutes after the event "
            f"(more than {int(late_after.total_seconds() // 60)}); say why it is late"
        )


# --------------------------------------------------------------------------------------------------
# Canonical form and hash
# --------------------------------------------------------------------------------------------------


def fmt_instant(value: datetime | None) -> str | None:
    """The canonical instant: UTC, microseconds, ``Z`` (e.g. ``2026-11-23T09:00:00.000000Z``)."""
    if value is None:
        return None
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise LogInputError(f"naive date-time {value.isoformat()} cannot be hashed")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canon_instant(value: Any) -> str | None:
    if value is None or isinstance(value, datetime):
        return fmt_instant(value)
    if isinstance(value, str):  # e.g. from a JSON export, any offset
        return fmt_instant(datetime.fromisoformat(value.replace("Z", "+00:00")))
    raise LogInputError(f"not an instant: {value!r}")


def canonical_object(record: Mapping[str, Any], prev_hash: str) -> dict[str, Any]:
    obj: dict[str, Any] = {"v": HASH_VERSION, "prev_hash": prev_hash}
    for f in HASHED_FIELDS:
        value = record.get(f)
        if f in _TIME_FIELDS:
            value = _canon_instant(value)
        elif f == "areas":
            value = list(value or [])
        elif f == "opel":
            value = dict(value or {})
        obj[f] = value
    return obj


def canonical_bytes(record: Mapping[str, Any], prev_hash: str) -> bytes:
    """UTF-8 JSON, keys sorted, no whitespace, non-ASCII kept as is."""
    return json.dumps(
        canonical_object(record, prev_hash), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def compute_hash(record: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical_bytes(record, prev_hash)).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # entries whose hash was checked and found good
    first_bad_seq: int | None = None
    reason: str | None = None
    head_seq: int | None = None  # the last good entry
    head_hash: str | None = None

    def message(self) -> str:
        if self.ok:
            if not self.checked:
                return "ok: the log is empty"
            return f"ok: {self.checked} entries verified; head #{self.head_seq} {self.head_hash}"
        return self.reason or f"entry #{self.first_bad_seq}: bad"


def verify_records(
    records: Iterable[Mapping[str, Any]], *, anchors: Mapping[int, str] | None = None, partial: bool = False
) -> VerifyResult:
    """Walk records in order; name the first whose seq, prev_hash or hash does not match.

    Each record holds the :data:`HASHED_FIELDS` plus ``prev_hash`` and ``hash``. ``anchors`` maps
    seq -> hash recorded elsewhere (e.g. printed by a previous ``scc log verify``): a missing or
    different anchored entry fails, which catches truncation of the tail. ``partial`` accepts a
    slice of the log (an export with --from): the chain is checked from its first record on.
    """
    anchors = dict(anchors or {})
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    last_when: str | None = None  # canonical UTC text: sorts as time does
    for rec in records:
        if partial and checked == 0 and isinstance(rec.get("seq"), int):
            expected_seq = rec["seq"]
            prev = rec.get("prev_hash")
        seq = rec.get("seq")
        if seq != expected_seq:
            if isinstance(seq, int) and seq > expected_seq:
                missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}-#{seq - 1}"
                return VerifyResult(
                    False, checked, expected_seq,
                    f"entry #{expected_seq}: missing ({missing} absent before #{seq}; entry deleted?)",
                    expected_seq - 1 or None, prev if checked else None,
                )
            return VerifyResult(
                False, checked, seq if isinstance(seq, int) else expected_seq,
                f"entry #{seq}: out of sequence (expected #{expected_seq}; duplicated or reordered?)",
                expected_seq - 1 or None, prev if checked else None,
            )
        if rec.get("prev_hash") != prev:
            return VerifyResult(
                False, checked, seq,
                f"entry #{seq}: previous-hash link broken (entry #{seq - 1} altered or removed?)"
                if seq > 1 else f"entry #{seq}: previous-hash is not the genesis value (altered?)",
                seq - 1 or None, prev if checked else None,
            )
        try:
            actual = compute_hash(rec, prev)
        except (LogInputError, ValueError, TypeError) as exc:
            return VerifyResult(False, checked, seq, f"entry #{seq}: unreadable content ({exc})",
                                seq - 1 or None, prev if checked else None)
        if rec.get("hash") != actual:
            return VerifyResult(False, checked, seq, f"entry #{seq}: hash mismatch (content altered?)",
                                seq - 1 or None, prev if checked else None)
        if seq in anchors and anchors.pop(seq) != actual:
            return VerifyResult(False, checked, seq, f"entry #{seq}: differs from the anchored hash (chain rewritten?)",
                                seq - 1 or None, prev if checked else None)
        when = _canon_instant(rec.get("recorded_at"))
        if last_when is not None and when is not None and when < last_when:
            return VerifyResult(False, checked, seq,
                                f"entry #{seq}: recorded at {when}, before #{seq - 1} ({last_when}): backdated?",
                                seq - 1 or None, prev if checked else None)
        last_when = when
        corrects = rec.get("corrects_seq")
        if corrects is not None and not (isinstance(corrects, int) and 1 <= corrects < seq):
            return VerifyResult(False, checked, seq, f"entry #{seq}: corrects #{corrects}, which is not an earlier entry",
                                seq - 1 or None, prev if checked else None)
        prev = actual
        checked += 1
        expected_seq += 1
    if anchors:
        first = min(anchors)
        return VerifyResult(False, checked, first,
                            f"entry #{first}: anchored but absent (log truncated after #{expected_seq - 1}?)",
                            expected_seq - 1 or None, prev if checked else None)
    return VerifyResult(True, checked, None, None, expected_seq - 1 or None, prev if checked else None)


# --------------------------------------------------------------------------------------------------
# Display
# --------------------------------------------------------------------------------------------------

# ``inert`` and ``inert_json`` live in :mod:`scc_tui.domain.text` (the one output policy); they are
# re-exported here for the log's callers.
inert = _text.inert
inert_json = _text.inert_json
