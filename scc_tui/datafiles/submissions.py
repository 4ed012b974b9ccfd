"""``data/submissions.toml`` -> :class:`~scc_tui.domain.due.DueRules` (who owes a daily submission, by when).

Format::

    [[due]]
    who = "NHS providers"           # for people
    kinds = ["provider"]            # area kinds (scc_tui.domain.kinds.KINDS)
    methods = ["kcc-asc"]           # optional: scoring-method families (or plan ids) the area is scored by
    by = "10:00"                    # HH:MM, Europe/London, every day
    source = "..."                  # the document and section the time comes from (required)

``$SCC_SUBMISSIONS`` names a file that replaces the packaged one. Every problem is a :class:`~scc_tui.domain.errors.DataFileError` naming the file, line and field.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate
from scc_tui.domain.due import DueRule, DueRules
from scc_tui.domain.kinds import KINDS
from scc_tui.settings import current

__all__ = ["load_due_rules", "default_due_rules", "packaged_due_file", "method_family"]


class _Due(StrictModel):
    who: str = Field(min_length=1, max_length=200)
    kinds: list[str] = Field(min_length=1)
    methods: list[str] = []
    by: str
    source: str = Field(min_length=1)


class _File(StrictModel):
    due: list[_Due] = Field(min_length=1)


def packaged_due_file() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "submissions.toml"


def _hhmm(text: str) -> time | None:
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        return None
    h, m = int(parts[0]), int(parts[1])
    return time(h, m) if h < 24 and m < 60 else None


def _known_families() -> set[str]:
    from scc_tui.datafiles.methods import default_registry

    reg = default_registry()
    return {p.family.casefold() for p in reg.plans.values()} | {p.id.casefold() for p in reg.plans.values()}


@cached
def load_due_rules(path: Path) -> DueRules:
    text, data = read_toml(path)
    model = validate(_File, data, path, text)
    known = _known_families()
    rules = []
    for i, d in enumerate(model.due):
        for j, k in enumerate(d.kinds):
            if k not in KINDS:
                raise data_error(path, text, f"due[{i}].kinds[{j}]", f"unknown kind {k!r} (kinds: {', '.join(KINDS)})")
        for j, m in enumerate(d.methods):
            if m.casefold() not in known:
                raise data_error(path, text, f"due[{i}].methods[{j}]",
                                 f"unknown method {m!r} (see `scc score --list`)")
        by = _hhmm(d.by)
        if by is None:
            raise data_error(path, text, f"due[{i}].by", f"{d.by!r} is not a time HH:MM (Europe/London)")
        rules.append(DueRule(who=d.who, kinds=frozenset(d.kinds), by=by,
                             methods=frozenset(method_family(m) for m in d.methods), source=d.source))
    return DueRules(tuple(rules), file=str(path))


def default_due_rules() -> DueRules:
    """The packaged rules, or the file named by ``$SCC_SUBMISSIONS`` (a whole replacement)."""
    return load_due_rules(current().submissions or packaged_due_file())


def method_family(method: str) -> str:
    """The family of a method id or family name (``kcc-asc-2025`` -> ``kcc-asc``); unknown names as given."""
    from scc_tui.datafiles.methods import default_registry

    name = str(method).strip().casefold()
    plan = default_registry().plans.get(name)
    return plan.family if plan is not None else name
