"""Who owes a daily OPEL submission, and by when (pure; the rules are data: ``data/submissions.toml``).

Staleness belongs only to areas that owe a submission: NHS providers by 10:00, areas scored by a KCC
plan (and their council) by 10:30, systems by 11:30; regions and ICSs never. Each rule cites its
source document; :mod:`scc_tui.datafiles.submissions` loads and checks the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["DueRule", "DueRules", "due_times"]


@dataclass(frozen=True)
class DueRule:
    who: str
    kinds: frozenset[str]
    by: time  # Europe/London wall time, every day
    methods: frozenset[str] = frozenset()  # scoring-method families; empty: any (or none)
    source: str = ""

    def matches(self, kind: str, families: Iterable[str]) -> bool:
        if kind not in self.kinds:
            return False
        return not self.methods or bool(self.methods & set(families))


@dataclass(frozen=True)
class DueRules:
    rules: tuple[DueRule, ...]
    file: str = ""

    def rule_for(self, kind: str, families: Iterable[str] = ()) -> DueRule | None:
        """The first rule that matches, or None (the area owes no daily submission)."""
        fams = tuple(families)
        for rule in self.rules:
            if rule.matches(kind, fams):
                return rule
        return None


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name)


def due_times(areas: Sequence[Any], rules: DueRules, family_of) -> dict[int, time | None]:
    """``{area id: time it owes its daily submission by, or None}``.

    ``areas`` have ``id``, ``kind``, ``parent_id`` and ``method``; ``family_of(method) -> family``. A
    council without a method of its own takes the families of the local-authority areas under it.
    """
    by_id = {_get(a, "id"): a for a in areas}
    memo: dict[str, str] = {}  # a few distinct methods among many areas: look each up once
    families: dict[int, set[str]] = {}
    for a in areas:
        m = _get(a, "method")
        if m and m not in memo:
            memo[m] = family_of(m)
        families[_get(a, "id")] = {memo[m]} if m else set()
    for a in areas:
        if _get(a, "kind") == "la-area" and _get(a, "parent_id") in families:
            parent = by_id[_get(a, "parent_id")]
            if _get(parent, "kind") == "council" and not _get(parent, "method"):
                families[_get(parent, "id")] |= families[_get(a, "id")]
    out: dict[int, time | None] = {}
    for a in areas:
        rule = rules.rule_for(_get(a, "kind"), families[_get(a, "id")])
        out[_get(a, "id")] = rule.by if rule else None
    return out
