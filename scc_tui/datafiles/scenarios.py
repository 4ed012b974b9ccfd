"""Exercise scenario files (TOML, or a CSV master events list) -> :class:`scc_tui.domain.exercise.Scenario`.

Every problem is a :class:`~scc_tui.domain.errors.DataFileError` naming the file, the line (the CSV row),
the field and, for an inject or an expected response, its id. Format: docs/exercise.md.

Where scenarios are found (``scc exercise list``): the shipped ones (``scc_tui/data/scenarios``), the
folders on ``$SCC_SCENARIOS_PATH`` and the per-user ``scenarios`` folder (next to the per-user database).
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import Field, ValidationError

from scc_tui.datafiles.base import StrictModel, check_strings, field_path, read_toml
from scc_tui.domain import exercise as dx
from scc_tui.domain.clock import LONDON, UTC, check_year
from scc_tui.domain.errors import DataFileError, find_line

__all__ = ["load_scenario", "parse_scenario", "parse_mel", "check_areas", "ScenarioInfo", "list_scenarios",
           "find_scenario", "shipped_dir", "local_dirs"]

_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"


class _Role(StrictModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = ""


class _Objective(StrictModel):
    id: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=500)


class _Inject(StrictModel):
    id: str = Field(min_length=1, max_length=40)
    at: str = Field(min_length=1, max_length=40)
    kind: Literal["declare", "assess", "message"]
    area: str | None = Field(default=None, min_length=1, max_length=200)
    level: int | None = Field(default=None, ge=1, le=4)
    reason: str | None = Field(default=None, max_length=1000)
    values: dict[str, float | int] | None = None
    text: str | None = Field(default=None, min_length=1, max_length=2000)
    to: list[str] = []
    contingency: bool = False
    release_if_missed: str | None = None


class _Expected(StrictModel):
    id: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=500)
    kind: Literal["log", "declaration", "escalation-ack", "prompt-ack", "observed"]
    within: str = "0h30m"
    after: str | None = None
    at: str | None = None
    area: str | None = Field(default=None, min_length=1, max_length=200)
    contains: str | None = Field(default=None, min_length=1, max_length=200)
    rule: str | None = None
    item: str | None = None
    level: int | None = Field(default=None, ge=1, le=4)
    objective: str | None = None
    owner: str | None = Field(default=None, min_length=1, max_length=200)


class _File(StrictModel):
    name: str = Field(pattern=_NAME)
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    start: datetime
    end: str = Field(min_length=1, max_length=40)
    speed: float | int = 60
    lesson_due_days: int = Field(default=dx.DEFAULT_LESSON_DUE_DAYS, ge=0, le=366)
    role: list[_Role] = []
    objective: list[_Objective] = []
    inject: list[_Inject] = Field(min_length=1)
    expected: list[_Expected] = []


Locate = Callable[[str | None], "int | None"]


def _err(path, locate: Locate, dotted: str | None, message: str) -> DataFileError:
    return DataFileError(path, dotted, message, locate(dotted))


def _build(raw: dict[str, Any], path: str | Path, locate: Locate) -> dx.Scenario:
    """Validate parsed data (from TOML or a CSV master events list) into a Scenario."""
    check_strings(raw, path, "", line_of=locate)
    try:
        m = _File.model_validate(raw)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        loc = tuple(first.get("loc", ()))
        dotted = field_path(loc) or None
        message = first.get("msg", "is not valid")
        if first.get("type") == "missing":
            message = "is required but missing"
        elif first.get("type") == "extra_forbidden":
            message = "is not a known field here (check the spelling)"
        elif "input" in first and not isinstance(first["input"], (dict, list)):
            message += f" (got {first['input']!r})"
        who = _who(raw, loc)
        raise _err(path, locate, dotted, who + message) from None
    start = m.start
    if start.tzinfo is None:  # a TOML local date-time is London wall time
        local = start.replace(tzinfo=LONDON)
        if local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != start:
            raise _err(path, locate, "start", f"{start.isoformat()} does not exist in Europe/London")
        start = local
    try:
        check_year(start.year, start.isoformat())
    except ValueError as e:
        raise _err(path, locate, "start", str(e)) from None
    start = start.astimezone(UTC)
    try:
        end = dx.parse_when(m.end, start)
    except ValueError as e:
        raise _err(path, locate, "end", str(e)) from None
    if end <= start:
        raise _err(path, locate, "end", f"ENDEX ({m.end}) must be after STARTEX")
    if isinstance(m.speed, bool) or not dx.MIN_SPEED <= float(m.speed) <= dx.MAX_SPEED:
        raise _err(path, locate, "speed", f"{m.speed!r} is not a speed from {dx.MIN_SPEED:g} to {dx.MAX_SPEED:g}")
    roles = tuple(dx.Role(r.name, r.description) for r in m.role)
    role_names = {r.name.casefold() for r in roles}
    objectives = tuple(dx.Objective(o.id, o.text) for o in m.objective)
    _unique(path, locate, "role", [r.name.casefold() for r in roles], "role")
    _unique(path, locate, "objective", [o.id for o in objectives], "objective")
    _unique(path, locate, "inject", [i.id for i in m.inject], "inject")
    _unique(path, locate, "expected", [e.id for e in m.expected], "expected response")
    expected_ids = {e.id for e in m.expected}
    injects = []
    for n, i in enumerate(m.inject):
        base = f"inject[{n}]"
        who = f"inject {i.id!r}: "
        try:
            at = dx.parse_when(i.at, start)
        except ValueError as e:
            raise _err(path, locate, f"{base}.at", who + str(e)) from None
        if not start <= at <= end:
            raise _err(path, locate, f"{base}.at", who + f"{i.at} is outside the exercise (STARTEX to ENDEX {m.end})")
        need = {"declare": ("area", "level"), "assess": ("area", "values"), "message": ("text",)}[i.kind]
        for f in need:
            if getattr(i, f) in (None, {}):
                raise _err(path, locate, base, who + f"a {i.kind} inject needs {f!r}")
        allowed = set(need) | {"reason"} if i.kind == "declare" else set(need) | ({"area"} if i.kind == "message" else set())
        for f in ("area", "level", "reason", "values", "text"):
            if f not in allowed and getattr(i, f) not in (None, {}):
                raise _err(path, locate, f"{base}.{f}", who + f"{f!r} does not belong on a {i.kind} inject")
        for k, v in (i.values or {}).items():
            if isinstance(v, bool) or not math.isfinite(float(v)) or float(v) < 0:
                raise _err(path, locate, f"{base}.values.{k}", who + f"{k} = {v!r} is not a number 0 or above")
        for r in i.to:
            if r.casefold() not in role_names:
                raise _err(path, locate, f"{base}.to", who + f"{r!r} is not one of the scenario's roles")
        if i.release_if_missed is not None:
            if not i.contingency:
                raise _err(path, locate, f"{base}.release_if_missed",
                           who + "only a contingency inject (contingency = true) is released when a response is missed")
            if i.release_if_missed not in expected_ids:
                raise _err(path, locate, f"{base}.release_if_missed",
                           who + f"{i.release_if_missed!r} is not an expected response of this scenario")
        injects.append(dx.Inject(
            id=i.id, when=i.at, at=at, kind=i.kind, area=i.area, level=i.level, reason=i.reason,
            values={k: float(v) for k, v in (i.values or {}).items()}, text=i.text or "", to=tuple(i.to),
            contingency=i.contingency, release_if_missed=i.release_if_missed, index=n))
    for a, b, why in dx.contradictions(injects):
        raise _err(path, locate, f"inject[{b.index}]",
                   f"injects {a.id!r} and {b.id!r} contradict each other ({a.when}): {why}")
    inject_ids = {i.id for i in injects}
    objective_ids = {o.id for o in objectives}
    expected = []
    for n, e in enumerate(m.expected):
        base = f"expected[{n}]"
        who = f"expected response {e.id!r}: "
        try:
            within = dx.parse_duration(e.within)
        except ValueError as exc:
            raise _err(path, locate, f"{base}.within", who + str(exc)) from None
        if (e.after is None) == (e.at is None):
            raise _err(path, locate, base, who + "give exactly one of 'after' (an inject id) or 'at' (a time)")
        at = None
        if e.after is not None and e.after not in inject_ids:
            raise _err(path, locate, f"{base}.after", who + f"{e.after!r} is not an inject of this scenario")
        if e.at is not None:
            try:
                at = dx.parse_when(e.at, start)
            except ValueError as exc:
                raise _err(path, locate, f"{base}.at", who + str(exc)) from None
        if e.objective is not None and e.objective not in objective_ids:
            raise _err(path, locate, f"{base}.objective", who + f"{e.objective!r} is not an objective of this scenario")
        expected.append(dx.Expected(
            id=e.id, text=e.text, kind=e.kind, within=within, after=e.after, at=at, area=e.area,
            contains=e.contains, rule=e.rule, item=e.item, level=e.level, objective=e.objective, owner=e.owner,
            index=n))
    return dx.Scenario(name=m.name, title=m.title, start=start, end=end, speed=float(m.speed),
                       description=m.description, roles=roles, objectives=objectives, injects=tuple(injects),
                       expected=tuple(expected), lesson_due_days=m.lesson_due_days, source=str(path))


def _who(raw: dict[str, Any], loc: tuple) -> str:
    if len(loc) >= 2 and loc[0] in ("inject", "expected") and isinstance(loc[1], int):
        try:
            ident = raw[loc[0]][loc[1]].get("id")
        except (KeyError, IndexError, AttributeError, TypeError):
            ident = None
        what = "inject" if loc[0] == "inject" else "expected response"
        return f"{what} {ident!r}: " if ident else f"{what} {loc[1] + 1}: "
    return ""


def _unique(path, locate: Locate, table: str, keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for n, k in enumerate(keys):
        if k in seen:
            raise _err(path, locate, f"{table}[{n}]", f"{what} {k!r} appears twice")
        seen.add(k)


def parse_scenario(text: str, path: str | Path = "<scenario>") -> dx.Scenario:
    from scc_tui.datafiles.base import parse_toml

    raw = parse_toml(text, path)
    return _build(raw, path, lambda dotted: find_line(text, dotted))


def load_scenario(path: str | Path) -> dx.Scenario:
    """A scenario file: ``.toml``, or ``.csv`` (a master events list, :func:`parse_mel`)."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise DataFileError(p, None, "no such file") from None
        except (OSError, UnicodeDecodeError) as e:
            raise DataFileError(p, None, f"cannot read: {e}") from None
        return parse_mel(text, p)
    text, raw = read_toml(p)
    return _build(raw, p, lambda dotted: find_line(text, dotted))


# ------------------------------------------------------------------------------------------------
# CSV master events list

MEL_COLUMNS = ("serial", "time", "kind", "area", "level", "values", "message", "to", "contingency",
               "release_if_missed", "expected_response", "within", "owner")


def parse_mel(text: str, path: str | Path = "<mel.csv>") -> dx.Scenario:
    """A master events list as exercise planners keep one: one row per inject, with a ``STARTEX`` row
    (``time`` = the simulated start, ISO, London wall time if no offset; ``message`` = the title) and an
    ``ENDEX`` row (``time`` = an inject time such as ``+1h``). Columns: :data:`MEL_COLUMNS` (``values``
    as ``key=number; key=number``; ``to`` as ``role; role``; ``contingency`` yes/no). An
    ``expected_response`` on a row becomes an expected response after that inject, for the controller
    to judge (``within``, default 0h30m; ``owner`` of the lesson if it is missed). The scenario's name
    is the file's name without ``.csv``."""
    p = Path(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise DataFileError(p, None, "empty master events list (a header row is needed)") from None
    unknown = [h for h in header if h not in MEL_COLUMNS]
    if unknown:
        raise DataFileError(p, f"column {unknown[0]}", f"unknown column (columns: {', '.join(MEL_COLUMNS)})", 1)
    for need in ("serial", "time", "kind"):
        if need not in header:
            raise DataFileError(p, f"column {need}", "is required but missing", 1)
    lines: dict[str, int] = {}
    raw: dict[str, Any] = {"name": _mel_name(p), "inject": [], "expected": [], "role": []}
    roles: dict[str, None] = {}
    for rowno, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise DataFileError(p, f"row {rowno}", f"{len(row)} cells but {len(header)} columns", rowno)
        cell = {h: (row[n].strip() if n < len(row) else "") for n, h in enumerate(header)}
        serial = cell["serial"]
        if serial.upper() == "STARTEX":
            try:
                raw["start"] = datetime.fromisoformat(cell["time"])
            except ValueError:
                raise DataFileError(p, f"row {rowno}, column time",
                                    f"STARTEX time {cell['time']!r} is not an ISO date-time", rowno) from None
            raw["title"] = cell.get("message") or raw["name"]
            lines["start"] = lines["title"] = rowno
            continue
        if serial.upper() == "ENDEX":
            raw["end"] = cell["time"]
            lines["end"] = rowno
            continue
        n = len(raw["inject"])
        inj: dict[str, Any] = {"id": serial, "at": cell["time"], "kind": cell["kind"]}
        lines[f"inject[{n}]"] = rowno
        if cell.get("area"):
            inj["area"] = cell["area"]
        if cell.get("level"):
            try:
                inj["level"] = int(cell["level"])
            except ValueError:
                inj["level"] = cell["level"]  # refused by validation, naming the field
        if cell.get("values"):
            vals: dict[str, Any] = {}
            for part in cell["values"].split(";"):
                if not part.strip():
                    continue
                k, sep, v = part.partition("=")
                if not sep:
                    raise DataFileError(p, f"row {rowno}, column values",
                                        f"inject {serial!r}: {part.strip()!r} is not key=number", rowno)
                from scc_tui.domain.numtext import parse_decimal

                try:
                    vals[k.strip()] = parse_decimal(v.strip())
                except ValueError as e:
                    raise DataFileError(p, f"row {rowno}, column values", f"inject {serial!r}: {k.strip()}: {e}",
                                        rowno) from None
            inj["values"] = vals
        if cell.get("message"):
            if inj["kind"] == "declare":
                inj["reason"] = cell["message"]
            elif inj["kind"] == "message":
                inj["text"] = cell["message"]
            else:
                raise DataFileError(p, f"row {rowno}, column message",
                                    f"inject {serial!r}: a message does not belong on a {inj['kind']} inject", rowno)
        if cell.get("to"):
            inj["to"] = [r.strip() for r in cell["to"].split(";") if r.strip()]
            for r in inj["to"]:
                roles.setdefault(r)
        if cell.get("contingency"):
            c = cell["contingency"].lower()
            if c not in ("yes", "no", "true", "false", "y", "n", ""):
                raise DataFileError(p, f"row {rowno}, column contingency", f"inject {serial!r}: {c!r} is not yes or no",
                                    rowno)
            inj["contingency"] = c in ("yes", "true", "y")
        if cell.get("release_if_missed"):
            inj["release_if_missed"] = cell["release_if_missed"]
        raw["inject"].append(inj)
        if cell.get("expected_response"):
            m = len(raw["expected"])
            exp = {"id": f"{serial}-response", "text": cell["expected_response"], "kind": "observed", "after": serial}
            if cell.get("within"):
                exp["within"] = cell["within"]
            if cell.get("owner"):
                exp["owner"] = cell["owner"]
            raw["expected"].append(exp)
            lines[f"expected[{m}]"] = rowno
    raw["role"] = [{"name": r} for r in roles]
    if "start" not in raw:
        raise DataFileError(p, "serial", "no STARTEX row (its time is the simulated start)", None)
    if "end" not in raw:
        raise DataFileError(p, "serial", "no ENDEX row (its time ends the exercise, e.g. +1h)", None)

    def locate(dotted: str | None) -> int | None:
        while dotted:
            if dotted in lines:
                return lines[dotted]
            cut = max(dotted.rfind("."), dotted.rfind("[") if dotted.endswith("]") and dotted.count("[") > 1 else -1)
            dotted = dotted[:cut] if cut > 0 else None
        return None

    return _build(raw, p, locate)


def _mel_name(p: Path) -> str:
    import re

    name = re.sub(r"[^a-z0-9-]+", "-", p.stem.lower()).strip("-") or "mel"
    return name[:63]


# ------------------------------------------------------------------------------------------------
# Finding scenarios


def shipped_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "data" / "scenarios"


def local_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    """``$SCC_SCENARIOS_PATH`` (the settings', or ``environ``'s when given), then the per-user folder."""
    from scc_tui.settings import Settings, current, user_data_dir

    settings = Settings.from_environ(environ) if environ is not None else current()
    return [p.expanduser() for p in settings.scenarios_path] + [user_data_dir() / "scenarios"]


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    title: str
    path: str
    origin: str  # shipped | local
    start: str = ""
    end: str = ""
    injects: int = 0
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "origin": self.origin, "path": self.path,
                "start": self.start, "end": self.end, "injects": self.injects, "error": self.error}


def _files(environ=None) -> list[tuple[Path, str]]:
    out = [(p, "shipped") for p in sorted(shipped_dir().glob("*.toml"))]
    for d in local_dirs(environ):
        if d.is_dir():
            out += [(p, "local") for p in sorted(d.iterdir()) if p.suffix.lower() in (".toml", ".csv") and p.is_file()]
    return out


def list_scenarios(environ: dict[str, str] | None = None) -> list[ScenarioInfo]:
    """Shipped then local scenarios; a local file that does not load is listed with its error."""
    out = []
    for p, origin in _files(environ):
        try:
            s = load_scenario(p)
        except DataFileError as e:
            out.append(ScenarioInfo(p.stem, "", str(p), origin, error=str(e)))
            continue
        out.append(ScenarioInfo(s.name, s.title, str(p), origin, s.start.isoformat(), s.end.isoformat(),
                                len(s.injects)))
    return out


def find_scenario(ref: str, environ: dict[str, str] | None = None) -> dx.Scenario:
    """A scenario by file path (``.toml``/``.csv``) or by name (shipped first, then local)."""
    from scc_tui.domain.errors import SccError

    p = Path(ref).expanduser()
    if p.suffix.lower() in (".toml", ".csv") or os.sep in ref:
        return load_scenario(p)
    for path, _origin in _files(environ):
        if path.stem == ref:
            s = load_scenario(path)
            if s.name == ref:
                return s
    for path, _origin in _files(environ):
        try:
            s = load_scenario(path)
        except DataFileError:
            continue
        if s.name == ref:
            return s
    raise SccError(f"no scenario named {ref!r} (see `scc exercise list`)")


def check_areas(scenario: dx.Scenario, known: list[str]) -> None:
    """Every area the scenario names must be in the area configuration (case-insensitively)."""
    keys = {k.casefold() for k in known}
    text = ""
    if scenario.source and scenario.source.endswith(".toml"):
        try:
            text = Path(scenario.source).read_text(encoding="utf-8")
        except OSError:
            text = ""
    for i in scenario.injects:
        if i.area and i.area.casefold() not in keys:
            dotted = f"inject[{i.index}].area"
            raise DataFileError(scenario.source or "<scenario>", dotted,
                                f"inject {i.id!r}: unknown area {i.area!r} (not in the live database's areas)",
                                find_line(text, dotted) if text else None)
    for e in scenario.expected:
        if e.area and e.area.casefold() not in keys:
            dotted = f"expected[{e.index}].area"
            raise DataFileError(scenario.source or "<scenario>", dotted,
                                f"expected response {e.id!r}: unknown area {e.area!r}",
                                find_line(text, dotted) if text else None)
