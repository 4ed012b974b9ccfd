"""Stored prompt records: one row per (item_key, occurrence_at, stage) — never missed, never doubled.

* :func:`mark_shown` is insert-if-absent (``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and
  PostgreSQL): any number of sessions showing the same prompt, even at the same instant, yield
  exactly one row; the first writer's ``first_shown_at`` and ``missed`` stand.
* :func:`acknowledge` is true for the first acknowledger only. It marks every stored stage of the
  occurrence acknowledged (acknowledging stops all of the occurrence's prompts; stages not yet shown
  are suppressed by ``scc_tui.domain.prompts.due_prompts``) and appends one ``prompt-ack`` entry to
  the decision log in the same transaction; the record keeps the entry's ``log_seq``.
* :func:`snooze` hides an unacknowledged prompt until an instant.

What to show is decided by the pure ``scc_tui.domain.prompts.due_prompts`` over
:func:`records_between`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from scc_tui.domain.clock import LONDON, UTC, ensure_aware
from scc_tui.domain.errors import SccError
from scc_tui.domain.prompts import STAGES, PromptKey
from scc_tui.store.models import PromptRecord

__all__ = [
    "PromptNotFound",
    "mark_shown",
    "mark_prompt_shown",
    "acknowledge",
    "snooze",
    "get_record",
    "records_between",
]

RecordRef = int | PromptKey | tuple[str, datetime, str]


class PromptNotFound(SccError):
    """No stored prompt record with that id or key (show it first: ``mark_shown``)."""


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - only the two supported backends
        raise RuntimeError(f"unsupported database dialect {dialect!r}")
    return insert


def _where(ref: RecordRef):
    if isinstance(ref, bool):
        raise TypeError("a prompt record is referred to by id or (item_key, occurrence_at, stage)")
    if isinstance(ref, int):
        return PromptRecord.id == ref
    item_key, occurrence_at, stage = ref
    return sa.and_(
        PromptRecord.item_key == item_key,
        PromptRecord.occurrence_at == ensure_aware(occurrence_at).astimezone(UTC),
        PromptRecord.stage == stage,
    )


def _get(s: Session, ref: RecordRef) -> PromptRecord | None:
    return s.exec(select(PromptRecord).where(_where(ref))).first()


def mark_shown(
    store,
    item_key: str,
    occurrence_at: datetime,
    stage: str,
    due_at: datetime,
    missed: bool = False,
) -> PromptRecord:
    """Record that a prompt was shown (insert-if-absent) and return the one stored record.

    ``first_shown_at`` is ``store.clock.now()``. If a record already exists (another session showed
    it first) it is returned unchanged.
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
    occurrence_at = ensure_aware(occurrence_at).astimezone(UTC)
    due_at = ensure_aware(due_at).astimezone(UTC)
    now = store.clock.now()
    with store.write() as s:
        insert = _insert(store.dialect)
        stmt = (
            insert(PromptRecord.__table__)
            .values(
                item_key=item_key,
                occurrence_at=occurrence_at,
                stage=stage,
                due_at=due_at,
                first_shown_at=now,
                missed=bool(missed),
            )
            .on_conflict_do_nothing(index_elements=["item_key", "occurrence_at", "stage"])
        )
        s.execute(stmt)
        rec = _get(s, (item_key, occurrence_at, stage))
        assert rec is not None  # inserted by us or committed by the other writer we waited for
        return rec


def mark_prompt_shown(store, prompt) -> PromptRecord:
    """:func:`mark_shown` for a ``scc_tui.domain.prompts.Prompt`` (missed if its state is "missed")."""
    return mark_shown(store, prompt.item_key, prompt.occurrence_at, prompt.stage, prompt.due_at,
                      missed=prompt.state == "missed")


def acknowledge(
    store,
    record_key: RecordRef,
    user: str,
    *,
    title: str | None = None,
    role: str | None = None,
) -> bool:
    """Acknowledge a shown prompt. True only for the first acknowledger of its occurrence.

    Marks every stored, unacknowledged stage of the same occurrence (same item_key and occurrence_at)
    acknowledged by ``user`` at ``store.clock.now()``, and appends one log entry of kind
    ``prompt-ack`` in the same transaction (its seq is kept in the record's ``log_seq``).
    ``title`` (e.g. the occurrence's title) makes the log entry readable; default: the item key.
    Raises :class:`PromptNotFound` if there is no such record.
    """
    from scc_tui.store import log as store_log

    now = store.clock.now()
    # lock="log": the log append needs it; it also serialises concurrent acknowledgements on
    # PostgreSQL (SQLite write transactions are serialised by BEGIN IMMEDIATE).
    with store.write(lock=store_log.LOCK) as s:
        rec = _get(s, record_key)
        if rec is None:
            raise PromptNotFound(f"no prompt record {record_key!r}")
        from scc_tui.store.access import require

        require(s, user, "acknowledge")
        same_occurrence = sa.and_(
            PromptRecord.item_key == rec.item_key, PromptRecord.occurrence_at == rec.occurrence_at
        )
        already = s.execute(
            sa.select(sa.func.count()).select_from(PromptRecord).where(
                same_occurrence, PromptRecord.acknowledged_at.is_not(None)
            )
        ).scalar()
        if already:
            return False
        result = s.execute(
            sa.update(PromptRecord)
            .where(same_occurrence, PromptRecord.acknowledged_at.is_(None))
            .values(acknowledged_at=now, acknowledged_by=user)
        )
        if result.rowcount == 0:  # pragma: no cover - guarded by the check above under the lock
            return False
        local = rec.occurrence_at.astimezone(LONDON)
        text = (
            f"Acknowledged {rec.stage} prompt: {title or rec.item_key} "
            f"({local:%a %d %b %Y %H:%M %Z}; item {rec.item_key})"
        )
        entry = store_log.append_entry(
            store, kind="prompt-ack", text=text, author=user, role=role, event_at=now, session=s
        )
        s.execute(sa.update(PromptRecord).where(PromptRecord.id == rec.id).values(log_seq=entry.seq))
        return True


def snooze(store, key: RecordRef, until: datetime, user: str | None = None) -> bool:
    """Hide an unacknowledged prompt until ``until``. False if it is already acknowledged.
    Raises :class:`PromptNotFound` if there is no such record."""
    until = ensure_aware(until).astimezone(UTC)
    with store.write() as s:
        rec = _get(s, key)
        if rec is None:
            raise PromptNotFound(f"no prompt record {key!r}")
        if user is not None:
            from scc_tui.store.access import require

            require(s, user, "acknowledge")
        result = s.execute(
            sa.update(PromptRecord)
            .where(PromptRecord.id == rec.id, PromptRecord.acknowledged_at.is_(None))
            .values(snoozed_until=until)
        )
        return result.rowcount == 1


def get_record(store, key: RecordRef) -> PromptRecord | None:
    with store.read() as s:
        return _get(s, key)


def records_between(store, start: datetime, end: datetime) -> list[PromptRecord]:
    """Records whose occurrence_at is in [start, end), in (occurrence_at, item_key, stage) order."""
    start = ensure_aware(start).astimezone(UTC)
    end = ensure_aware(end).astimezone(UTC)
    with store.read() as s:
        return list(
            s.exec(
                select(PromptRecord)
                .where(PromptRecord.occurrence_at >= start, PromptRecord.occurrence_at < end)
                .order_by(PromptRecord.occurrence_at, PromptRecord.item_key, PromptRecord.stage)
            ).all()
        )
