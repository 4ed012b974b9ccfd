"""The system risk register in the database: add, update (a new version), read, verify.

Nothing is overwritten: ``add_risk`` writes version 1 and ``update_risk`` version n + 1, each with the
OS user and the time, in one transaction with a ``risk`` entry of the decision log that carries the
version's SHA-256 digest (:func:`scc_tui.domain.risks.version_digest`). :func:`verify_risks` recomputes
every version's digest and checks it against the log entry (whose own hash the log chain vouches for),
so an altered version, a removed one or one slipped in without its log entry is found by
``scc log verify``. Triggers refuse UPDATE and DELETE of ``risk_version`` as a first line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterable

import sqlalchemy as sa
from sqlmodel import Session, select

from scc_tui.domain import log as dlog
from scc_tui.domain import risks as drisk
from scc_tui.domain.risks import RiskError, RiskVersion, Score
from scc_tui.store.models import EscalationFiring, LogEntry
from scc_tui.store.models import RiskVersion as Row

__all__ = ["add_risk", "update_risk", "latest", "history", "get_latest", "verify_risks", "RiskVerify",
           "install_guards", "seed_demo_risks", "RiskError"]

LOCK = "log"
_DIGEST_IN_TEXT = re.compile(r"\[risk-version sha256:([0-9a-f]{64})\]")


# ---------------------------------------------------------------------------------------------- rows


def _to_domain(r: Row) -> RiskVersion:
    target = Score(r.target_l, r.target_c) if r.target_l is not None and r.target_c is not None else None
    return RiskVersion(
        risk_id=r.risk_id, version=r.version, title=r.title, cause=r.cause, event=r.event, effect=r.effect,
        inherent=Score(r.inherent_l, r.inherent_c), residual=Score(r.residual_l, r.residual_c), target=target,
        target_date=r.target_date, status=r.status, note=r.note, areas=tuple(json.loads(r.areas_json or "[]")),
        log_refs=tuple(json.loads(r.log_refs_json or "[]")), firing_refs=tuple(json.loads(r.firing_refs_json or "[]")),
        author=r.author, recorded_at=r.recorded_at, log_seq=r.log_seq, digest=r.digest,
    )


def _row(v: RiskVersion) -> Row:
    return Row(
        risk_id=v.risk_id, version=v.version, title=v.title, cause=v.cause, event=v.event, effect=v.effect,
        inherent_l=v.inherent.likelihood, inherent_c=v.inherent.consequence,
        residual_l=v.residual.likelihood, residual_c=v.residual.consequence,
        target_l=v.target.likelihood if v.target else None, target_c=v.target.consequence if v.target else None,
        target_date=v.target_date, status=v.status, note=v.note, areas_json=json.dumps(list(v.areas)),
        log_refs_json=json.dumps(list(v.log_refs)), firing_refs_json=json.dumps(list(v.firing_refs)),
        author=v.author, recorded_at=v.recorded_at, log_seq=v.log_seq, digest=v.digest or "",
    )


# ---------------------------------------------------------------------------------------------- write


def _clean(title, cause, event, effect, note) -> tuple[str, str, str, str, str]:
    try:
        return (
            dlog.clean_line(title, "title", required=True, max_len=200),
            dlog.clean_text(cause, "if", required=True, max_len=4_000),
            dlog.clean_text(event, "then", required=True, max_len=4_000),
            dlog.clean_text(effect, "resulting-in", required=True, max_len=4_000),
            dlog.clean_text(note, "note", required=False, max_len=8_000) or "",
        )
    except dlog.LogInputError as e:
        raise RiskError(str(e)) from None


def _check_refs(s: Session, log_refs: Iterable[int], firing_refs: Iterable[int]) -> None:
    for seq in log_refs:
        if s.get(LogEntry, seq) is None:
            raise RiskError(f"log: there is no log entry #{seq}")
    for fid in firing_refs:
        if s.get(EscalationFiring, fid) is None:
            raise RiskError(f"firing: there is no escalation firing #{fid}")


def _merge(old: tuple, new: Iterable) -> tuple:
    out = list(old)
    for x in new:
        if x not in out:
            out.append(x)
    return tuple(out)


def add_risk(
    store, *, title: str, cause: str, event: str, effect: str, inherent: Score, author: str,
    residual: Score | None = None, target: Score | None = None, target_date: date | None = None,
    note: str | None = None, areas: Iterable[str] = (), log_refs: Iterable[int] = (),
    firing_refs: Iterable[int] = (), source: str = "cli", session: Session | None = None,
) -> RiskVersion:
    """Record a new risk (version 1) and its log entry. Residual defaults to the inherent score."""
    title, cause, event, effect, note = _clean(title, cause, event, effect, note)
    v = RiskVersion(risk_id=0, version=1, title=title, cause=cause, event=event, effect=effect,
                    inherent=inherent, residual=residual or inherent, target=target, target_date=target_date,
                    status="open", note=note, author=author)
    if session is None:
        with store.write(lock=LOCK) as s:
            return _write(store, s, None, v, areas, log_refs, firing_refs, source)
    return _write(store, session, None, v, areas, log_refs, firing_refs, source)


def update_risk(
    store, risk_id: int, *, author: str, residual: Score | None = None, target: Score | None = None,
    inherent: Score | None = None, target_date: date | None = None, status: str | None = None,
    note: str | None = None, areas: Iterable[str] = (), log_refs: Iterable[int] = (),
    firing_refs: Iterable[int] = (), source: str = "cli", session: Session | None = None,
) -> RiskVersion:
    """Record version n + 1 of a risk: the latest version with the given changes (links are added to).
    A version that changes nothing and says nothing is refused."""
    if status is not None and status not in drisk.STATUSES:
        raise RiskError(f"status: {status!r} is not one of: {', '.join(drisk.STATUSES)}")
    try:
        note = dlog.clean_text(note, "note", required=False, max_len=8_000) or ""
    except dlog.LogInputError as e:
        raise RiskError(str(e)) from None

    def go(s: Session) -> RiskVersion:
        _lock(s)
        prev = _latest_row(s, risk_id)
        if prev is None:
            raise RiskError(f"risk: there is no risk R{risk_id}")
        p = _to_domain(prev)
        v = replace(p, version=p.version + 1, residual=residual or p.residual, inherent=inherent or p.inherent,
                    target=target or p.target, target_date=target_date or p.target_date,
                    status=status or p.status, note=note, author=author, log_seq=None, digest=None,
                    recorded_at=None)
        return _write(store, s, p, v, areas, log_refs, firing_refs, source)

    if session is None:
        with store.write(lock=LOCK) as s:
            return go(s)
    return go(session)


def _lock(s: Session) -> None:
    from scc_tui.store.log import _lock as log_lock

    log_lock(s)


def _write(store, s: Session, prev: RiskVersion | None, v: RiskVersion, areas, log_refs, firing_refs,
           source: str) -> RiskVersion:
    from scc_tui.store.log import _resolve_areas, append_entry

    _lock(s)
    try:
        area_names = _resolve_areas(s, [dlog.clean_line(a, "area", required=True) for a in areas])
    except dlog.LogInputError as e:
        raise RiskError(str(e)) from None
    log_refs, firing_refs = list(log_refs), list(firing_refs)
    for x in log_refs + firing_refs:
        if isinstance(x, bool) or not isinstance(x, int) or x < 1:
            raise RiskError(f"link: {x!r} is not an entry or firing number")
    _check_refs(s, log_refs, firing_refs)
    if prev is None:
        top = s.execute(sa.select(sa.func.max(Row.risk_id))).scalar()
        v = replace(v, risk_id=(top or 0) + 1)
    v = replace(v, areas=_merge(v.areas, area_names), log_refs=_merge(v.log_refs, log_refs),
                firing_refs=_merge(v.firing_refs, firing_refs))
    what = drisk.changes(prev, v)
    if prev is not None and not what and not v.note:
        raise RiskError("nothing to record: give a new score, target, status, link or a --note")
    digest = drisk.version_digest(v)
    text = f"Risk {v.ref} v{v.version} ({v.title}): " + "; ".join(what or ["reviewed"])
    if v.note:
        text += f"\nMitigations and updates: {v.note}"
    text += f"\n[risk-version sha256:{digest}]"
    entry = append_entry(store, kind="risk", text=text, author=v.author, areas=v.areas, source=source, session=s)
    v = replace(v, author=entry.author, recorded_at=entry.recorded_at, log_seq=entry.seq, digest=digest)
    s.add(_row(v))
    s.flush()
    return v


# ---------------------------------------------------------------------------------------------- read


def _latest_row(s: Session, risk_id: int) -> Row | None:
    return s.exec(select(Row).where(Row.risk_id == risk_id).order_by(Row.version.desc()).limit(1)).first()


def latest(store) -> list[RiskVersion]:
    """Every risk as it stands (its latest version), by id."""
    with store.read() as s:
        sub = sa.select(Row.risk_id, sa.func.max(Row.version).label("v")).group_by(Row.risk_id).subquery()
        rows = s.exec(select(Row).join(sub, sa.and_(Row.risk_id == sub.c.risk_id, Row.version == sub.c.v))
                      .order_by(Row.risk_id)).all()
        return [_to_domain(r) for r in rows]


def get_latest(store, risk_id: int) -> RiskVersion | None:
    with store.read() as s:
        r = _latest_row(s, risk_id)
        return _to_domain(r) if r is not None else None


def history(store, risk_id: int) -> list[RiskVersion]:
    """Every version of a risk, oldest first."""
    with store.read() as s:
        return [_to_domain(r) for r in s.exec(select(Row).where(Row.risk_id == risk_id).order_by(Row.version)).all()]


# ---------------------------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class RiskVerify:
    ok: bool
    checked: int
    problem: str | None = None

    def message(self) -> str:
        if self.ok:
            return f"ok: {self.checked} risk register versions match their log entries"
        return f"risk register: {self.problem}"


def verify_risks(store) -> RiskVerify:
    """Every risk version: its digest recomputed from the row, the same digest in its log entry (a
    ``risk`` entry), the entry's author and time; versions numbered 1..n per risk; and every ``risk`` log
    entry's version present (so a removed version is found)."""
    checked = 0
    with store.read() as s:
        if not sa.inspect(s.get_bind()).has_table("risk_version"):
            return RiskVerify(True, 0)
        rows = s.exec(select(Row).order_by(Row.risk_id, Row.version)).all()
        entries = {e.seq: e for e in s.exec(select(LogEntry).where(LogEntry.kind == "risk")).all()}
    expect: dict[int, int] = {}
    seen_seqs: set[int] = set()
    for r in rows:
        v = _to_domain(r)
        where = f"R{r.risk_id} v{r.version}"
        if r.version != expect.get(r.risk_id, 0) + 1:
            return RiskVerify(False, checked, f"{where}: version {expect.get(r.risk_id, 0) + 1} is missing")
        expect[r.risk_id] = r.version
        if drisk.version_digest(v) != r.digest:
            return RiskVerify(False, checked, f"{where}: its content does not match its digest (altered after recording)")
        e = entries.get(r.log_seq) if r.log_seq is not None else None
        if e is None:
            return RiskVerify(False, checked, f"{where}: no risk entry in the log vouches for it")
        m = _DIGEST_IN_TEXT.search(e.text or "")
        if m is None or m.group(1) != r.digest:
            return RiskVerify(False, checked, f"{where}: log entry #{e.seq} records a different version")
        if e.author != r.author or e.recorded_at != r.recorded_at:
            return RiskVerify(False, checked, f"{where}: author or time differs from log entry #{e.seq}")
        seen_seqs.add(e.seq)
        checked += 1
    for seq, e in sorted(entries.items()):
        if seq not in seen_seqs and _DIGEST_IN_TEXT.search(e.text or ""):
            return RiskVerify(False, checked, f"log entry #{seq} records a risk version that is not in the register (removed?)")
    return RiskVerify(True, checked)


# ---------------------------------------------------------------------------------------------- guards

_SQLITE_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS risk_version_no_update BEFORE UPDATE ON risk_version "
    "BEGIN SELECT RAISE(ABORT, 'risk_version is append-only: UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS risk_version_no_delete BEFORE DELETE ON risk_version "
    "BEGIN SELECT RAISE(ABORT, 'risk_version is append-only: DELETE refused'); END",
)
_PG_GUARDS = (
    "CREATE OR REPLACE FUNCTION scc_risk_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'risk_version is append-only: % refused', TG_OP; END $$",
    "CREATE TRIGGER risk_version_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON risk_version "
    "FOR EACH STATEMENT EXECUTE FUNCTION scc_risk_version_append_only()",
)


def install_guards(conn) -> None:
    """The append-only triggers (called by migration 0006)."""
    for ddl in (_PG_GUARDS if conn.dialect.name == "postgresql" else _SQLITE_GUARDS):
        conn.execute(sa.text(ddl))


# ---------------------------------------------------------------------------------------------- demo

#: The example rows of the SSOT ICB System Surge Plan 2024/25, "Risk register" (title, if, then,
#: resulting in, date of update, mitigations and updates, target date, inherent, residual, target).
SEED_ROWS: tuple[tuple[str, ...], ...] = (
    ("UEC Workforce/Staffing",
     "If we fail to improve on the current vacancy rates, or experience increased staff sickness",
     "Then there may be an acute impact upon the system",
     "Resulting in workforce constraints dictating that the system is forced to prioritise urgent services - with a "
     "negative impact upon patient flow/patient experience/safety and experience and may lead to negative publicity "
     "and increased scrutiny.",
     "12/08/2024",
     "Target date extended by 1 month due to delay in review. System Workforce plan in development, in line with "
     "System Surge plan development. Full update & refresh due for September deadline",
     "31/03/2025", "25 (5x5)", "15 (5x3)", "10 (5x2)"),
    ("System Surge Capacity",
     "The system is unable to mobilise sufficient additional surge/winter capacity to offset forecast increased "
     "levels of winter UEC activity",
     "The UEC system risks becoming overwhelmed by additional activity and unable to effectively cope with "
     "increased demand",
     "Impacts upon patient outcomes, patient safety, patient quality of care, system performance, system "
     "resilience and increased regulatory scrutiny",
     "06/09/2024",
     "System Surge MDT will hold responsibility for design, implementation and management of System Surge plan. "
     "The system capacity model (the system bed model) has been fully refreshed in order to forecast expected "
     "levels of excess demand across all system sites. Allowing planning to focus on required capacity, schemes "
     "and initiatives to mitigate expected surge. Development of system surge proposals is well underway and a "
     "full governance road map has been agreed with presentation to relevant committees and boards anticipated "
     "to commence at the end of September. The NHSE winter letter has been delayed and (at the time of writing) "
     "is not yet received. The system surge plan will take into account NHSE direction and priorities when "
     "received.",
     "30/04/2025", "25 (5x5)", "20 (5x4)", "9 (3x3)"),
    ("D2A Capacity",
     "If the on-going challenges with flow from D2A capacity persist due to in pathway process delays, capacity "
     "issues and delays in patients moving onto long term placement both CHC and LA placements..",
     "Then there will be reduced D2A capacity.",
     "Resulting in reduced ability to support flow out of the acute hospital settings and will also impact on "
     "winter capacity plan.",
     "12/08/2024",
     "12/08/2024 - Review completed, risk remains the same. Current unmet demand is 41 with 17 patients over 4 "
     "days. Existing measures remains in place with daily monitoring via system call to ensure plans for timely "
     "moves.",
     "31/03/2025", "15 (3x5)", "15 (3x5)", "3 (3x1)"),
    ("Ambulance Handover Delays",
     "If Continued delays to ambulance handovers are incurred, and sustained or levels increased",
     "Then there will be significant pressures placed onto ED, ambulance crews and the wider UEC system",
     "Resulting in increased instances of patient harm, increased system capacity issues, 'lost' ambulance time & "
     "associative issues including financial costs, whereby WMAS are requesting an addition £1.591m from SSOT.",
     "09/08/2024",
     "Risk reviewed and remains static. Although there have been some improvements, there are still harms to "
     "patients occurring as a delayed responses from Ambulance service and the risk score aligns with the "
     "Ambulance Service internal risk register. Improvement plans and trajectory developed by the ICS, with the "
     "subsequence actions to support achievement are being monitor through UEC governance..",
     "31/03/2025", "20 (4x5)", "20 (4x5)", "4 (4x1)"),
)

_SEED_AREA = "Staffordshire and Stoke-on-Trent ICS"


def _dmy(text: str) -> date:
    d, m, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def seed_demo_risks(store, *, author: str, area: str | None = _SEED_AREA) -> list[RiskVersion]:
    """The seed's four example risks as version 1 each (scores parsed from the seed's "25 (5x5)"
    text), linked to the Staffordshire and Stoke-on-Trent ICS when the database has it. The seed's
    date of update is kept in the note. Target dates are the seed's (2025)."""
    from scc_tui.store.areas import area_refs
    from scc_tui.domain.area_match import AreaMatchError, match_area

    areas: list[str] = []
    if area:
        with store.read() as s:
            try:
                areas = [match_area(area, area_refs(s)).name]
            except AreaMatchError:
                areas = []
    out = []
    for title, cause, event, effect, updated, note, target_date, inh, res, tgt in SEED_ROWS:
        out.append(add_risk(
            store, title=title, cause=cause, event=event, effect=effect,
            inherent=drisk.parse_score(inh, "inherent"), residual=drisk.parse_score(res, "residual"),
            target=drisk.parse_score(tgt, "target"), target_date=_dmy(target_date),
            note=f"{updated} (date of update in the SSOT ICB System Surge Plan 2024/25 register): {note}",
            areas=areas, author=author, source="demo"))
    return out


def latest_at(store, at) -> list[RiskVersion]:
    """Every risk as it stood at ``at`` (versions recorded later left out), by id."""
    with store.read() as s:
        if not sa.inspect(s.get_bind()).has_table("risk_version"):
            return []
        rows = s.exec(select(Row).where(Row.recorded_at <= at).order_by(Row.risk_id, Row.version)).all()
    standing: dict[int, RiskVersion] = {}
    for r in rows:
        standing[r.risk_id] = _to_domain(r)
    return list(standing.values())


def top_risk_lines(store, at=None, n: int = 5) -> list[str]:
    """The handover's "Top risks": open risks by residual score, as they stood at ``at`` (versions
    recorded later are left out), one line each, with "review due" when not updated today."""
    from scc_tui.domain.risks import due_for_review, ranked

    at = at or store.clock.now()
    top = ranked(latest_at(store, at))[:n]
    due = {v.risk_id for v in due_for_review(top, at)}
    return [f"{v.ref} {v.title}: residual {v.residual.text} (inherent {v.inherent.text}"
            + (f", target {v.target.text}" if v.target else "") + ")"
            + (" — review due" if v.risk_id in due else "") for v in top]
