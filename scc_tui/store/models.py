"""SQLModel tables. Every instant is stored in UTC and comes back timezone-aware.

Changing a table here needs an Alembic migration in ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no tz support) and PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; make it timezone-aware")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _ts(**kw):
    return Field(sa_type=UTCDateTime, **kw)


class Area(SQLModel, table=True):
    """A region, ICS, system, provider or local-authority area (DOMAIN.md §8)."""

    __tablename__ = "area"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # Case-folded name: areas are matched case-insensitively and must be unique that way.
    key: str = Field(max_length=200, unique=True, index=True)
    kind: str = Field(max_length=20)  # region | ics | system | provider | council | la-area (domain.kinds)
    parent_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    method: str | None = Field(default=None, max_length=100)  # scoring method id, e.g. acute-2023
    plan_area: str | None = Field(default=None, max_length=100)  # e.g. "Swale" for kcc-asc bands
    short_name: str | None = Field(default=None, max_length=40)
    sort_order: int = 0
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Assessment(SQLModel, table=True):
    """Parameter values for an area at an instant, with the score and level computed when stored."""

    __tablename__ = "assessment"
    __table_args__ = (sa.Index("ix_assessment_area_time", "area_id", "assessed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id")
    assessed_at: datetime = _ts()  # the time the values describe (event time)
    recorded_at: datetime = _ts()  # when it was written (server clock)
    method: str = Field(max_length=100)
    plan_version: str | None = Field(default=None, max_length=100)  # version of the bands used
    values_json: str = "{}"  # {"key": number, ...}
    score: float | None = None
    max_score: float | None = None
    normalised: float | None = None
    level: int | None = None  # computed OPEL 1-4 (None when nothing applicable was scored)
    author: str = Field(max_length=200)
    source: str = Field(default="tui", max_length=20)  # tui | cli | import | demo
    dedupe_key: str | None = Field(default=None, max_length=64, unique=True)


class Declaration(SQLModel, table=True):
    """A level declared by a person. Kept beside the computed level; a difference needs a reason."""

    __tablename__ = "declaration"
    __table_args__ = (sa.Index("ix_declaration_area_time", "area_id", "declared_at"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id")
    declared_at: datetime = _ts()
    recorded_at: datetime = _ts()
    level: int
    computed_level: int | None = None
    assessment_id: int | None = Field(default=None, foreign_key="assessment.id")
    reason: str | None = None
    author: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=100)
    source: str = Field(default="tui", max_length=20)
    dedupe_key: str | None = Field(default=None, max_length=64, unique=True)


class LogEntry(SQLModel, table=True):
    """One numbered entry of the decision and action log. Append-only and hash-chained."""

    __tablename__ = "log_entry"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    recorded_at: datetime = _ts()
    event_at: datetime = _ts()
    late_reason: str | None = None
    author: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=100)
    kind: str = Field(max_length=40, index=True)
    areas_json: str = "[]"  # area names as they were
    opel_json: str = "{}"  # {"area name": level or null} in force at recording time
    text: str
    rationale: str | None = None
    risk: str | None = None
    risk_measure: str | None = None
    owner: str | None = Field(default=None, max_length=200)
    review_at: datetime | None = _ts(default=None)
    corrects_seq: int | None = Field(default=None, foreign_key="log_entry.seq")
    source: str = Field(default="tui", max_length=20)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class LogReview(SQLModel, table=True):
    """A log entry that reviews a decision (kind ``review``): which decision. Written in the same
    transaction as the entry; the entry's text names the decision too ("Review of decision #n: ...")."""

    __tablename__ = "log_review"

    entry_seq: int = Field(primary_key=True, foreign_key="log_entry.seq", sa_column_kwargs={"autoincrement": False})
    decision_seq: int = Field(foreign_key="log_entry.seq", index=True)


class SccMeta(SQLModel, table=True):
    """Settings of the database itself, e.g. ``clock`` = ``live`` | ``demo`` | ``exercise`` (which
    clock may stamp the log). On PostgreSQL only the owner role may write it."""

    __tablename__ = "scc_meta"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)


class PromptRecord(SQLModel, table=True):
    """What happened to one prompt occurrence. Exactly one row per (item, occurrence, stage)."""

    __tablename__ = "prompt_record"
    __table_args__ = (sa.UniqueConstraint("item_key", "occurrence_at", "stage", name="uq_prompt_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    item_key: str = Field(max_length=200)
    occurrence_at: datetime = _ts()  # the scheduled instant of the call/deadline itself
    stage: str = Field(max_length=20)  # before | start | deadline | review
    due_at: datetime = _ts()  # when this prompt was due to be shown
    first_shown_at: datetime | None = _ts(default=None)
    missed: bool = False  # fell due while no session was open
    acknowledged_at: datetime | None = _ts(default=None)
    acknowledged_by: str | None = Field(default=None, max_length=200)
    snoozed_until: datetime | None = _ts(default=None)
    log_seq: int | None = Field(default=None, foreign_key="log_entry.seq")


class PlanTest(SQLModel, table=True):
    """History of plan tests (seed 000 Appendix 5): exercises and actual invocations."""

    __tablename__ = "plan_test"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date
    kind: str = Field(max_length=20)  # exercise | invocation
    title: str = Field(max_length=500)
    what_happened: str = ""
    duration_minutes: int | None = None
    lessons: str = ""
    author: str = Field(max_length=200)
    recorded_at: datetime = _ts()
    log_seq: int | None = Field(default=None, foreign_key="log_entry.seq")


class RoleAssignment(SQLModel, table=True):
    """A user's role over time (append-only; the latest row is in force)."""

    __tablename__ = "role_assignment"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=200, index=True)
    role: str = Field(max_length=100)
    set_by: str = Field(max_length=200)
    set_at: datetime = _ts()


class EscalationFiring(SQLModel, table=True):
    """One escalation rule firing: exactly one row per (rule key, area, occasion), however many
    sessions or processes evaluate the rules at once. What it said is kept as it was when first
    recorded; acknowledgement is a guarded UPDATE plus a log entry in the same transaction."""

    __tablename__ = "escalation_firing"
    __table_args__ = (sa.UniqueConstraint("rule_key", "area", "occasion", name="uq_escalation_firing"),)

    id: int | None = Field(default=None, primary_key=True)
    rule_key: str = Field(max_length=120)
    rule_id: str = Field(max_length=80)
    ruleset: str = Field(max_length=80)
    ruleset_version: str = Field(max_length=40)  # the version in force when the run began
    area: str = Field(max_length=200)  # area name as it was
    occasion: str = Field(max_length=80)
    title: str
    message: str
    why: str
    include_json: str = "[]"
    optional: bool = False
    needs_ack: bool = False
    day: int | None = None
    level: int | None = None
    since: datetime = _ts()  # active from
    first_seen_at: datetime = _ts()
    acknowledged_at: datetime | None = _ts(default=None)
    acknowledged_by: str | None = Field(default=None, max_length=200)
    ack_note: str | None = None
    log_seq: int | None = Field(default=None, foreign_key="log_entry.seq")


class ActionMark(SQLModel, table=True):
    """An action-card item marked done or not applicable (with a reason) by a named user, for one run
    of its level: one row per (card, area, item, occasion). Logged."""

    __tablename__ = "action_mark"
    __table_args__ = (sa.UniqueConstraint("card", "area", "item_id", "occasion", name="uq_action_mark"),)

    id: int | None = Field(default=None, primary_key=True)
    card: str = Field(max_length=80)
    card_version: str = Field(max_length=40)
    area: str = Field(max_length=200)
    item_id: str = Field(max_length=80)
    level: int
    occasion: str = Field(max_length=80)  # the start of the run at that level (UTC ISO)
    status: str = Field(max_length=10)  # done | na
    reason: str | None = None
    marked_by: str = Field(max_length=200)
    marked_at: datetime = _ts()
    log_seq: int | None = Field(default=None, foreign_key="log_entry.seq")


class AccessGrant(SQLModel, table=True):
    """One user's rights from the imported access file (``scc access import``). No rows: no access file
    has been imported and the single local user may do everything (``scc_tui.domain.access``)."""

    __tablename__ = "access_grant"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)  # case-folded user name
    username: str = Field(max_length=200)
    role: str = Field(max_length=40)
    areas_json: str = "[]"  # area names; empty: every area
    imported_at: datetime = _ts()
    imported_by: str = Field(max_length=200)


class RiskVersion(SQLModel, table=True):
    """One version of one risk of the system risk register (SSOT ICB System Surge Plan 2024/25, Risk
    register). Append-only: a change is a new version (risk_id, version + 1); its log entry (``log_seq``,
    kind ``risk``) carries ``digest``, so the hash-chained log vouches for it (``scc log verify``)."""

    __tablename__ = "risk_version"
    __table_args__ = (sa.UniqueConstraint("risk_id", "version", name="uq_risk_version"),)

    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(index=True)
    version: int
    title: str = Field(max_length=200)
    cause: str
    event: str
    effect: str
    inherent_l: int
    inherent_c: int
    residual_l: int
    residual_c: int
    target_l: int | None = None
    target_c: int | None = None
    target_date: date | None = None
    status: str = Field(default="open", max_length=10)
    note: str = ""
    areas_json: str = "[]"
    log_refs_json: str = "[]"
    firing_refs_json: str = "[]"
    author: str = Field(max_length=200)
    recorded_at: datetime = _ts()
    log_seq: int | None = Field(default=None, foreign_key="log_entry.seq")
    digest: str = Field(max_length=64)
