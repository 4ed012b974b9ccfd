"""The system risk register (pure): scores, versions, review and the order risks are shown in.

The register's shape is the one in the Staffordshire and Stoke-on-Trent ICB System Surge Plan 2024/25
("Risk register"): Risk Title, If (Cause), Then (Event), Resulting in (Effect), Date of Update,
Mitigations and Updates, Target date, and Inherent / Residual / Target Score written as
"25 (5x5)" = likelihood x consequence. The plan reviews risks "daily via system call" (its D2A
Capacity row); KCC ASC OPEL plan v1.8 §7.7 asks managers to "ensure that the Risk Register is updated
and escalate concerns"; KCC ASC Pressures Plan 2021-22 §7 keeps registers "reviewed regularly".

A risk is never edited in place: every change is a new :class:`RiskVersion` (number 1, 2, 3...) with its
author and time; the latest version is the risk as it stands. :func:`version_digest` is the SHA-256 of a
version's canonical form; the store writes it into a log entry of the hash-chained decision log, so
``scc log verify`` notices a version altered after the fact.

No Textual, no SQL, no wall clock, no file I/O.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from scc_tui.domain.clock import london_date
from scc_tui.domain.errors import SccError

__all__ = [
    "RiskError",
    "Score",
    "RiskVersion",
    "parse_score",
    "version_digest",
    "canonical",
    "ranked",
    "due_for_review",
    "heat_map",
    "REVIEW_EVERY_DAYS",
    "STATUSES",
    "FIELD_LABELS",
]

#: "reviewed daily via system call" (SSOT ICB System Surge Plan 2024/25, Risk register, D2A Capacity).
REVIEW_EVERY_DAYS = 1
STATUSES = ("open", "closed")

#: The register's columns as the seed names them (for exports and the show screen).
FIELD_LABELS = {
    "title": "Risk Title",
    "cause": "If (Cause)",
    "event": "Then (Event)",
    "effect": "Resulting in (Effect)",
    "updated": "Date of Update",
    "note": "Mitigations and Updates",
    "target_date": "Target date",
    "inherent": "Inherent Score",
    "residual": "Residual Score",
    "target": "Target Score",
}


class RiskError(SccError):
    """A bad risk value: one line naming the field."""


@dataclass(frozen=True)
class Score:
    """likelihood x consequence, each 1-5 (a 5x5 matrix)."""

    likelihood: int
    consequence: int

    def __post_init__(self) -> None:
        for name in ("likelihood", "consequence"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 5:
                raise RiskError(f"{name}: {v!r} is not a whole number from 1 to 5")

    @property
    def value(self) -> int:
        return self.likelihood * self.consequence

    @property
    def text(self) -> str:
        """As the seed writes it: ``25 (5×5)`` (likelihood × consequence)."""
        return f"{self.value} ({self.likelihood}×{self.consequence})"

    def to_json(self) -> dict[str, Any]:
        return {"likelihood": self.likelihood, "consequence": self.consequence, "score": self.value,
                "text": self.text}

    @classmethod
    def of(cls, likelihood: Any, consequence: Any, what: str = "score") -> "Score":
        try:
            return cls(likelihood, consequence)
        except RiskError as e:
            raise RiskError(f"{what} {e}") from None


_SCORE = re.compile(r"^\s*(\d+)\s*\(\s*(\d)\s*[x×X*]\s*(\d)\s*\)\s*$")


def parse_score(text: str, what: str = "score") -> Score:
    """``"20 (4x5)"`` or ``"20 (4×5)"`` -> Score(4, 5); the total must equal the product."""
    m = _SCORE.match(str(text))
    if not m:
        raise RiskError(f"{what}: {text!r} is not written as 'N (LxC)', e.g. '25 (5×5)'")
    total, lik, con = (int(g) for g in m.groups())
    s = Score.of(lik, con, what)
    if s.value != total:
        raise RiskError(f"{what}: {text!r}: {lik}×{con} is {s.value}, not {total}")
    return s


@dataclass(frozen=True)
class RiskVersion:
    """One version of one risk, as recorded. ``version`` counts from 1."""

    risk_id: int
    version: int
    title: str
    cause: str
    event: str
    effect: str
    inherent: Score
    residual: Score
    target: Score | None
    target_date: date | None
    status: str
    note: str
    areas: tuple[str, ...] = ()
    log_refs: tuple[int, ...] = ()
    firing_refs: tuple[int, ...] = ()
    author: str = ""
    recorded_at: datetime | None = None
    log_seq: int | None = None
    digest: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ref(self) -> str:
        return f"R{self.risk_id}"


def canonical(v: RiskVersion) -> dict[str, Any]:
    """The fields a version's digest covers: everything recorded except its time, the log link and the
    digest itself. The time is the time of the log entry that carries the digest (checked by verify),
    which the log assigns when it appends."""
    return {
        "risk_id": v.risk_id,
        "version": v.version,
        "title": v.title,
        "cause": v.cause,
        "event": v.event,
        "effect": v.effect,
        "inherent": [v.inherent.likelihood, v.inherent.consequence],
        "residual": [v.residual.likelihood, v.residual.consequence],
        "target": None if v.target is None else [v.target.likelihood, v.target.consequence],
        "target_date": None if v.target_date is None else v.target_date.isoformat(),
        "status": v.status,
        "note": v.note,
        "areas": list(v.areas),
        "log_refs": list(v.log_refs),
        "firing_refs": list(v.firing_refs),
        "author": v.author,
    }


def version_digest(v: RiskVersion) -> str:
    """SHA-256 (hex) of the canonical JSON of a version (keys sorted, no whitespace, UTF-8)."""
    data = json.dumps(canonical(v), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def ranked(latest: Iterable[RiskVersion], *, include_closed: bool = False) -> list[RiskVersion]:
    """Open risks, highest residual score first; ties: higher inherent, then oldest id."""
    rows = [v for v in latest if include_closed or v.status == "open"]
    return sorted(rows, key=lambda v: (v.status != "open", -v.residual.value, -v.inherent.value, v.risk_id))


def review_due_on(v: RiskVersion, every_days: int = REVIEW_EVERY_DAYS) -> date | None:
    """The London date on which the risk next falls due for review (its last update + ``every_days``)."""
    if v.recorded_at is None:
        return None
    return london_date(v.recorded_at) + timedelta(days=every_days)


def due_for_review(latest: Iterable[RiskVersion], at: datetime, every_days: int = REVIEW_EVERY_DAYS) -> list[RiskVersion]:
    """Open risks not updated since the review interval ran out (by London date), highest residual first.
    With the seed's daily review, a risk last updated yesterday or earlier is due today."""
    today = london_date(at)
    out = [v for v in latest if v.status == "open" and (review_due_on(v, every_days) or today) <= today]
    return ranked(out)


def heat_map(latest: Iterable[RiskVersion], which: str = "residual") -> list[list[int]]:
    """5×5 counts of open risks: ``grid[likelihood-1][consequence-1]``."""
    grid = [[0] * 5 for _ in range(5)]
    for v in latest:
        if v.status != "open":
            continue
        s: Score | None = getattr(v, which)
        if s is not None:
            grid[s.likelihood - 1][s.consequence - 1] += 1
    return grid


def changes(prev: RiskVersion | None, cur: RiskVersion) -> list[str]:
    """What a version changed, in words (for the log entry and the history)."""
    if prev is None:
        return [f"added: inherent {cur.inherent.text}, residual {cur.residual.text}"
                + (f", target {cur.target.text}" if cur.target else "")]
    out = []
    for name in ("title", "cause", "event", "effect"):
        if getattr(prev, name) != getattr(cur, name):
            out.append(f"{FIELD_LABELS[name]} changed")
    for name in ("inherent", "residual", "target"):
        a, b = getattr(prev, name), getattr(cur, name)
        if a != b:
            out.append(f"{name} {a.text if a else '—'} → {b.text if b else '—'}")
    if prev.target_date != cur.target_date:
        out.append(f"target date {prev.target_date or '—'} → {cur.target_date or '—'}")
    if prev.status != cur.status:
        out.append(f"status {prev.status} → {cur.status}")
    for name, label in (("areas", "area"), ("log_refs", "log entry"), ("firing_refs", "firing")):
        added = [x for x in getattr(cur, name) if x not in getattr(prev, name)]
        if added:
            out.append(f"linked {label} " + ", ".join(f"#{x}" if isinstance(x, int) else str(x) for x in added))
    if cur.note and not out:
        out.append("reviewed")
    return out
