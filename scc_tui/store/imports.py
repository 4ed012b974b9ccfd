"""CSV import and export of assessments and declarations.

Import (``scc import assessments FILE.csv``), all-or-nothing per file:

* ``area,assessed_at,method,<parameter keys...>``: one assessment per row, scored on import by the
  method (blank: the area's method) and the area's plan area, by the plan in force on that date. A
  blank cell is a value not given. Columns an export adds for reading (``level``, ``score``,
  ``max_score``, ``normalised``, ``plan_version``, ``author``, ``source``, ``recorded_at``) are ignored.
* ``area,assessed_at,level[,reason]`` (``declared_at`` also accepted): one declared level per row.

Times: ISO 8601; with an offset, or naive = Europe/London wall time (a time in the skipped spring
hour is an error). Every bad row is reported (row number as a spreadsheet shows it, the header being
row 1; column; reason) and nothing is written. Re-importing adds nothing twice: each row has a
``dedupe_key`` (sha256 of the normalised row: kind, area, instant in UTC, method or level and reason,
values as numbers) and rows already present are counted, not added.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

import sqlalchemy as sa
from sqlmodel import select

from scc_tui.domain import text as dtext
from scc_tui.domain.clock import LONDON, parse_instant
from scc_tui.domain.errors import SccError
from scc_tui.domain.levels import Opel
from scc_tui.domain.text import inert_line
from scc_tui.store import feed
from scc_tui.store.assessments import RecordError, dedupe_key, insert_assessment, insert_declaration
from scc_tui.store.models import Area, Assessment, Declaration

__all__ = ["CsvImportError", "RowError", "ImportReport", "import_csv", "export_rows", "export_csv", "export_json"]

#: Columns whose cells may hold line breaks (free text); every other cell is one line.
MULTILINE_COLUMNS = frozenset({"reason"})
EXPORT_ONLY = {"level", "score", "max_score", "normalised", "plan_version", "author", "source", "recorded_at", "computed_level"}
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = header
    column: str | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row}" + (f", column {self.column}" if self.column else "") + f": {self.message}"


class CsvImportError(SccError):
    def __init__(self, file: str, errors: list[RowError]):
        self.file = file
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{file}: {first}{more}; nothing imported")


@dataclass
class ImportReport:
    kind: str  # assessments | declarations
    new: int = 0
    present: int = 0
    ids: list[int] = field(default_factory=list)
    partial_rows: list[int] = field(default_factory=list)  # new rows scored from some indicators only
    warnings: list[str] = field(default_factory=list)  # plan warnings (e.g. a superseded plan), once each

    def summary(self) -> str:
        text = f"{self.new} new, {self.present} already present"
        if self.partial_rows:
            rows = ", ".join(map(str, self.partial_rows))
            text += (f"; {len(self.partial_rows)} with a partial suggested level (some indicators not given:"
                     f" row{'s' if len(self.partial_rows) > 1 else ''} {rows})")
        return text


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise CsvImportError(name, [RowError(1, None, "empty file (expected a header row)")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        raise CsvImportError(name, [RowError(row, None, f"not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8 CSV")]) from None


def _norm_header(cells: list[str]) -> list[str]:
    return [c.strip().lower() for c in cells]


def import_csv(store, data: bytes, name: str, *, author: str) -> ImportReport:
    """Validate and import one CSV file (bytes). Raises :class:`CsvImportError` listing every bad row."""
    text = _decode(data, name)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = _norm_header(rows[0]) if rows else []
    errors: list[RowError] = []
    if not header or not any(header):
        raise CsvImportError(name, [RowError(1, None, "empty header")])
    seen: set[str] = set()
    for c in header:
        if (message := dtext.problem(c)) is not None:
            errors.append(RowError(1, inert_line(c), f"column name {message}"))
            continue
        if not c:
            errors.append(RowError(1, None, "a column has no name"))
        elif c in seen:
            errors.append(RowError(1, c, "duplicate column"))
        seen.add(c)
    time_col = "assessed_at" if "assessed_at" in header else "declared_at" if "declared_at" in header else None
    if "area" not in header:
        errors.append(RowError(1, "area", "missing column (header must start: area,assessed_at,method,<keys...> or area,assessed_at,level)"))
    if time_col is None:
        errors.append(RowError(1, "assessed_at", "missing column"))
    if "method" in header:
        mode = "assessments"
    elif "level" in header:
        mode = "declarations"
        extra = [c for c in header if c and c not in ("area", "assessed_at", "declared_at", "level", "reason")
                 and c not in EXPORT_ONLY]
        for c in extra:
            errors.append(RowError(1, c, "unknown column in a declarations file (area, assessed_at, level, reason)"))
    else:
        mode = "assessments"
        errors.append(RowError(1, None, "need a `method` column (assessments) or a `level` column (declarations)"))
    if errors:
        raise CsvImportError(name, errors)
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(cell.strip() for cell in r) and not _is_head_row(r)]
    if not body:
        raise CsvImportError(name, [RowError(2, None, "no data rows")])

    now = store.clock.now()
    report = ImportReport(mode)
    lock = "import"
    with store.write(lock=lock) as s:
        areas = {a.key: a for a in s.exec(select(Area)).all()}
        parsed: list[tuple[int, str, dict[str, Any]]] = []  # (row, key, fields)
        keys_in_file: dict[str, int] = {}
        for rownum, cells in body:
            if len(cells) != len(header):
                errors.append(RowError(rownum, None, f"{len(cells)} cells, header has {len(header)}"))
                continue
            rec = dict(zip(header, (c.strip() for c in cells)))
            row_errors: list[RowError] = []
            # Text is inert at the door: no cell may hold ESC, BEL, C1, DEL or a bidi override (LF only
            # in a reason); every cell of every row is checked, named by row and column.
            for col, cell in rec.items():
                message = dtext.problem(cell, multiline=col in MULTILINE_COLUMNS)
                if message is not None:
                    row_errors.append(RowError(rownum, col, message))
            if row_errors:
                errors.extend(row_errors)
                continue
            area = areas.get(rec["area"].casefold())
            if not rec["area"]:
                row_errors.append(RowError(rownum, "area", "missing"))
            elif area is None:
                row_errors.append(RowError(rownum, "area", f"unknown area {rec['area']!r} (see `scc areas list`)"))
            when = None
            try:
                when = parse_instant(rec[time_col])
                if when > now + FUTURE_SLACK:
                    row_errors.append(RowError(rownum, time_col, f"{rec[time_col]} is in the future"))
                    when = None
            except ValueError as e:
                row_errors.append(RowError(rownum, time_col, str(e)))
            fields: dict[str, Any] | None = None
            if mode == "assessments" and area is not None and when is not None:
                fields = _assessment_fields(rownum, rec, header, area, when, row_errors)
            elif mode == "declarations" and area is not None and when is not None:
                fields = _declaration_fields(rownum, rec, area, when, row_errors)
            if row_errors or fields is None:
                errors.extend(row_errors)
                continue
            key = fields["key"]
            if key in keys_in_file:
                errors.append(RowError(rownum, None, f"duplicate of row {keys_in_file[key]}"))
                continue
            keys_in_file[key] = rownum
            parsed.append((rownum, key, fields))
        if errors:
            raise CsvImportError(name, sorted(errors, key=lambda e: e.row))
        table = Assessment if mode == "assessments" else Declaration
        present = set()
        all_keys = [k for _, k, _ in parsed]
        for i in range(0, len(all_keys), 500):
            chunk = all_keys[i : i + 500]
            present |= set(s.execute(sa.select(table.dedupe_key).where(table.dedupe_key.in_(chunk))).scalars())
        todo = [(r, k, f) for r, k, f in parsed if k not in present and not _same_row_exists(s, mode, f)]
        report.present = len(parsed) - len(todo)
        rows_out = []
        # Declarations are checked against assessments in time order, so insert in time order.
        for rownum, key, f in sorted(todo, key=lambda t: t[2]["at"]):
            try:
                if mode == "assessments":
                    row = insert_assessment(s, f["area"], f["result"], f["values"], f["at"], author, "import", now,
                                            f["method"], key)
                else:
                    row = insert_declaration(s, f["area"], f["level"], f["at"], author, f["reason"], "import", now,
                                             key=key)
                s.flush()
                rows_out.append(row)
            except RecordError as e:
                errors.append(RowError(rownum, "reason" if mode == "declarations" else None, str(e)))
        if errors:
            raise CsvImportError(name, sorted(errors, key=lambda e: e.row))
        report.new = len(rows_out)
        report.ids = [r.id for r in rows_out]
        if mode == "assessments":
            for rownum, _key, f in sorted(todo, key=lambda t: t[0]):
                if getattr(f["result"], "partial", False):
                    report.partial_rows.append(rownum)
                for w in getattr(f["result"], "warnings", ()):
                    if w not in report.warnings:
                        report.warnings.append(w)
        if rows_out:
            feed.notify(s, table.__tablename__)
    return report


def _same_row_exists(s, mode: str, f: dict[str, Any]) -> bool:
    """A row with the same content written some other way (the app, the demo; no dedupe_key)."""
    if mode == "assessments":
        rows = s.execute(sa.select(Assessment.method, Assessment.values_json).where(
            Assessment.area_id == f["area"].id, Assessment.assessed_at == f["at"])).all()
        want = {k: (v if isinstance(v, str) else float(v)) for k, v in f["values"].items()}
        for method, values_json in rows:
            got = {k: (v if isinstance(v, str) else float(v)) for k, v in json.loads(values_json or "{}").items()}
            if method.casefold() == f["method"].casefold() and got == want:
                return True
        return False
    return s.execute(sa.select(Declaration.id).where(
        Declaration.area_id == f["area"].id, Declaration.declared_at == f["at"], Declaration.level == f["level"],
    ).limit(1)).first() is not None


def _assessment_fields(rownum: int, rec: dict[str, str], header: list[str], area: Area, when: datetime,
                       errs: list[RowError]) -> dict[str, Any] | None:
    from scc_tui.domain.scoring import ScoringError, parse_value, resolve, score

    method = rec.get("method") or area.method
    if not method:
        errs.append(RowError(rownum, "method", f"{area.name} has no method: give one, or import a declaration"))
        return None
    try:
        plan = resolve(method, at=when)
    except ScoringError as e:
        errs.append(RowError(rownum, "method", str(e)))
        return None
    params = {p.key: p for p in plan.parameters}
    values: dict[str, Any] = {}
    for col in header:
        if col in ("area", "assessed_at", "declared_at", "method") or col in EXPORT_ONLY:
            continue
        raw = rec.get(col, "")
        if raw == "":
            continue
        if col not in params:
            errs.append(RowError(rownum, col, f"unknown key for {plan.id} (a value given; leave it blank)"))
            continue
        try:
            x = parse_value(col, raw, params[col])
        except ScoringError as e:
            errs.append(RowError(rownum, col, str(e).split(": ", 1)[-1]))
            continue
        values[col] = raw if params[col].kind == "status" else x
    if errs:
        return None
    try:
        result = score(method, values, area=area.plan_area, at=when)
    except ScoringError as e:
        errs.append(RowError(rownum, None, str(e)))
        return None
    norm_values = {k: (v if isinstance(v, str) else float(v)) for k, v in sorted(values.items())}
    key = dedupe_key("assessment", area.key, when.isoformat(), method.casefold(), norm_values)
    return {"area": area, "at": when, "method": method, "values": values, "result": result, "key": key}


def _declaration_fields(rownum: int, rec: dict[str, str], area: Area, when: datetime, errs: list[RowError]):
    try:
        level = int(Opel.parse(rec.get("level", "")))
    except ValueError as e:
        errs.append(RowError(rownum, "level", str(e)))
        return None
    reason = rec.get("reason") or None
    key = dedupe_key("declaration", area.key, when.isoformat(), level, reason or "")
    return {"area": area, "at": when, "level": level, "reason": reason, "key": key}


# ---------------------------------------------------------------- export


def export_rows(session, *, since: datetime | None = None, until: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """{"assessments": [...], "declarations": [...]} in time order, times ISO 8601 with offsets (London)."""
    names = {a.id: a.name for a in session.exec(select(Area)).all()}

    def iso(t: datetime | None) -> str | None:
        return t.astimezone(LONDON).isoformat() if t is not None else None

    qa = select(Assessment)
    qd = select(Declaration)
    if since is not None:
        qa, qd = qa.where(Assessment.assessed_at >= since), qd.where(Declaration.declared_at >= since)
    if until is not None:
        qa, qd = qa.where(Assessment.assessed_at < until), qd.where(Declaration.declared_at < until)
    out_a = []
    for a in session.exec(qa.order_by(Assessment.assessed_at, Assessment.id)).all():
        out_a.append({
            "id": a.id, "area": names.get(a.area_id), "assessed_at": iso(a.assessed_at), "method": a.method,
            "plan_version": a.plan_version, "values": json.loads(a.values_json or "{}"), "score": a.score,
            "max_score": a.max_score, "normalised": a.normalised, "level": a.level, "author": a.author,
            "source": a.source, "recorded_at": iso(a.recorded_at),
        })
    out_d = []
    for d in session.exec(qd.order_by(Declaration.declared_at, Declaration.id)).all():
        out_d.append({
            "id": d.id, "area": names.get(d.area_id), "declared_at": iso(d.declared_at), "level": d.level,
            "computed_level": d.computed_level, "reason": d.reason, "author": d.author, "role": d.role,
            "source": d.source, "recorded_at": iso(d.recorded_at),
        })
    from scc_tui.store.models import LogEntry

    last = session.execute(sa.select(LogEntry.seq, LogEntry.hash).order_by(LogEntry.seq.desc()).limit(1)).first()
    head = {"seq": last[0], "hash": last[1]} if last else None
    return {"assessments": out_a, "declarations": out_d, "log_head": head}


def export_json(rows: dict[str, list[dict[str, Any]]]) -> str:
    """JSON with every control character escaped (``\\u001b``): exact data, nothing a terminal acts on."""
    return dtext.inert_json(rows, indent=2) + "\n"


def export_csv(rows: dict[str, list[dict[str, Any]]], what: str = "assessments") -> str:
    """CSV in the import format (so an export re-imports as "0 new"), plus read-only columns."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if what == "assessments":
        keys: list[str] = []
        for r in rows["assessments"]:
            for k in r["values"]:
                if k not in keys:
                    keys.append(k)
        w.writerow(["area", "assessed_at", "method", *map(_cell, keys), "level", "score", "max_score", "plan_version", "author",
                    "source", "recorded_at"])
        for r in rows["assessments"]:
            w.writerow([_cell(r["area"]), r["assessed_at"], _cell(r["method"]), *(_cell(r["values"].get(k)) for k in keys),
                        _cell(r["level"]), _cell(r["score"]), _cell(r["max_score"]), _cell(r["plan_version"]),
                        _cell(r["author"]), _cell(r["source"]), r["recorded_at"]])
    else:
        w.writerow(["area", "declared_at", "level", "reason", "computed_level", "author", "source", "recorded_at"])
        for r in rows["declarations"]:
            w.writerow([_cell(r["area"]), r["declared_at"], r["level"], _cell(r["reason"]), _cell(r["computed_level"]),
                        _cell(r["author"]), _cell(r["source"]), r["recorded_at"]])
    head = rows.get("log_head")
    w.writerow(_head_row((head["seq"], head["hash"]) if head else None))
    return buf.getvalue()


HEAD_CELL = "log head"


def _head_row(log_head: tuple[int, str] | None) -> list[str]:
    """The last row of a CSV export: the decision log's head when it was made (for
    ``scc log verify --anchor``). The importer skips it."""
    if log_head is None:
        return [HEAD_CELL, "(the log is empty)"]
    return [HEAD_CELL, f"{log_head[0]}:{log_head[1]}", f"scc log verify --anchor {log_head[0]}:{log_head[1]}"]


def _is_head_row(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower() == HEAD_CELL


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return dtext.inert(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
