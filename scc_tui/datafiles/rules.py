"""Load escalation rule sets (``scc_tui/data/rules/*.toml``) into :class:`~scc_tui.domain.escalation.RuleSet`.

Every problem is a :class:`~scc_tui.domain.errors.DataFileError` naming the file, the line and the
field (``rules/km.toml:57: field 'rule[2].include[1].from': '25:00' is not a time``). The format is
described in docs/escalation.md. Extra directories: ``$SCC_RULES_PATH`` (``os.pathsep``-separated).
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate
from scc_tui.domain.errors import DataFileError
from scc_tui.domain.escalation import Inclusion, Rule, RuleSet
from scc_tui.settings import Settings, current

__all__ = ["load_rule_file", "load_rulesets", "rule_dirs", "PACKAGED_RULES"]

PACKAGED_RULES = Path(__file__).resolve().parent.parent / "data" / "rules"
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(-([01]\d|2[0-3]):([0-5]\d))?$")
KINDS = ("region", "ics", "system", "provider", "la-area", "council")


def _time(v: str) -> str:
    if not _TIME.match(v):
        raise ValueError(f"{v!r} is not a time (HH:MM, 00:00-23:59)")
    return v


def _t(v: str) -> time:
    h, m = v.split(":")
    return time(int(h), int(m))


class _Include(StrictModel):
    role: str = Field(min_length=1)
    optional: bool = False
    days: Literal["any", "weekday", "weekend"] = "any"
    from_: str = Field(default="00:00", alias="from")
    note: str = ""

    _v_from = field_validator("from_")(lambda cls, v: _time(v))


class _Rule(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=1)
    message: str = Field(min_length=1)
    seed: str = Field(min_length=1)  # the source, by title and section
    quote: str = Field(min_length=1)  # the seed's own words
    judgement: str = ""  # where the seed is silent or ambiguous: what we decided and why
    kinds: list[Literal["region", "ics", "system", "provider", "la-area", "council"]] = []
    within: Literal["region", "ics", "system", "provider", "la-area", "council"] | None = None
    level_at_least: int | None = Field(default=None, ge=1, le=4)
    level_below: int | None = Field(default=None, ge=2, le=5)
    day_min: int | None = Field(default=None, ge=1)
    day_max: int | None = Field(default=None, ge=1)
    days: Literal["any", "weekday", "weekend"] = "any"
    from_: str = Field(default="00:00", alias="from")
    occasion: Literal["day", "run", "event"] = "day"
    event: str | None = None
    stop_event: str | None = None
    after_hours: float | None = Field(default=None, gt=0)
    repeat_hours: float | None = Field(default=None, gt=0)
    include: list[_Include] = []
    calls: list[str] = []
    deadlines: list[str] = []
    needs_ack: bool = False

    _v_from = field_validator("from_")(lambda cls, v: _time(v))

    @field_validator("deadlines")
    @classmethod
    def _deadlines(cls, v: list[str]) -> list[str]:
        for d in v:
            if not _RANGE.match(d):
                raise ValueError(f"{d!r} is not a time or range (HH:MM or HH:MM-HH:MM)")
        return v

    @model_validator(mode="after")
    def _shape(self) -> "_Rule":
        if self.occasion == "event":
            if not self.event or self.after_hours is None:
                raise ValueError("an event rule needs 'event' and 'after_hours'")
        elif self.level_at_least is None:
            raise ValueError("a day or run rule needs 'level_at_least'")
        if self.level_below is not None and self.level_at_least is not None and self.level_below <= self.level_at_least:
            raise ValueError("'level_below' must be above 'level_at_least'")
        if self.day_min is not None and self.day_max is not None and self.day_max < self.day_min:
            raise ValueError("'day_max' is before 'day_min'")
        if (self.day_min or self.day_max) and self.occasion != "day":
            raise ValueError("day_min/day_max count days: occasion must be 'day'")
        return self


class _File(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    scope: str = Field(min_length=1)  # the ICS served, named as in the areas file
    hold_hours: float = Field(default=24, ge=0)
    hold_judgement: str = ""
    rule: list[_Rule] = Field(min_length=1)


def _build(path: Path, text: str, m: _File) -> RuleSet:
    seen: set[str] = set()
    rules = []
    for i, r in enumerate(m.rule):
        if r.id in seen:
            raise data_error(path, text, f"rule[{i}].id", f"duplicate rule id {r.id!r}")
        seen.add(r.id)
        rules.append(Rule(
            id=r.id, title=r.title, message=r.message, seed=r.seed, quote=r.quote, judgement=r.judgement,
            kinds=tuple(r.kinds), within=r.within, level_at_least=r.level_at_least, level_below=r.level_below,
            day_min=r.day_min, day_max=r.day_max, days=r.days, from_=_t(r.from_), occasion=r.occasion,
            event=r.event, stop_event=r.stop_event,
            after=timedelta(hours=r.after_hours) if r.after_hours is not None else None,
            repeat=timedelta(hours=r.repeat_hours) if r.repeat_hours is not None else None,
            include=tuple(Inclusion(i.role, i.optional, i.days, _t(i.from_), i.note) for i in r.include),
            calls=tuple(r.calls), deadlines=tuple(r.deadlines), needs_ack=r.needs_ack,
        ))
    if m.effective_to is not None and m.effective_to < m.effective_from:
        raise data_error(path, text, "effective_to", "is before effective_from")
    return RuleSet(
        id=m.id, version=m.version, effective_from=m.effective_from, effective_to=m.effective_to, scope=m.scope,
        rules=tuple(rules), hold=timedelta(hours=m.hold_hours), title=m.title, source=str(path),
    )


@cached
def load_rule_file(path: Path) -> RuleSet:
    """One rule-set version from a TOML file (validated; errors name file, line, field)."""
    text, data = read_toml(path)
    return _build(Path(path), text, validate(_File, data, path, text))


def rule_dirs(settings: Settings | None = None) -> list[Path]:
    """The packaged directory, then each directory in ``$SCC_RULES_PATH`` (the settings')."""
    return [PACKAGED_RULES, *(settings or current()).rules_path]


def load_rulesets(dirs: list[Path] | None = None) -> list[RuleSet]:
    """Every rule-set version in the directories (sorted by id, then effective_from). Two files with
    the same id and version are refused."""
    out: list[RuleSet] = []
    seen: dict[tuple[str, str], str] = {}
    for d in dirs if dirs is not None else rule_dirs():
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.toml")):
            rs = load_rule_file(f)
            k = (rs.id, rs.version)
            if k in seen and Path(seen[k]).resolve() != f.resolve():
                raise DataFileError(f, "version", f"rule set {rs.id} {rs.version} is also in {seen[k]}")
            seen[k] = str(f)
            out.append(rs)
    out.sort(key=lambda r: (r.id, r.effective_from))
    return out
