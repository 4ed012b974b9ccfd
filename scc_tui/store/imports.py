"""CSV import and export of assessments and declarations.

Import (``scc import assessments FILE.csv``), all-or-nothing per file:

* ``area,assessed_at,method,<parameter keys...>``: one assessment per row, scored on import by the
  method (blank: the area's method) and the area's plan area, by the plan in force on that date. A
  blank cell is a value not given. Columns an export adds for reading (``level``, ``score``,
  ``max_score``, ``normalised``, ``plan_version``, ``author``, ``source``, ``recorded_at``) are ignored.
* ``area,assessed_at,level[,reason]`` (``declared_at`` also accepted): one declared level per row.

Times: ISO 8601; with an offset, or naive = Europe/London wall time (a time in the skipped spring
hour is an error). Bad rows are reported (row number as a spreadsheet shows it, the header being
row 1; column; reason: the first ``ERROR_CAP`` and a count) and nothing is written. The file is
streamed: ``BATCH`` rows at a time are validated, checked against the database and written, all in one
transaction, so memory does not grow with the file. Re-importing adds nothing twice: each row has a
``dedupe_key`` (sha256 of the normalised row: kind, area, instant in UTC, method or level and reason,
values as numbers) and rows already present are counted, not added.
"""

from __future__ import annotations

import csv
import io
import json
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlmodel import select

from scc_tui.csvout import unguard
from scc_tui.domain import text as dtext
from scc_tui.domain.clock import LONDON, parse_instant
from scc_tui.domain.errors import SccError
from scc_tui.domain.levels import Opel
from scc_tui.domain.text import inert_line
from scc_tui.store import feed
from scc_tui.store.assessments import RecordError, dedupe_key, insert_declaration
from scc_tui.store.access import Refused, require
from scc_tui.store.models import Area, Assessment, Declaration

__all__ = ["CsvImportError", "RowError", "ImportReport", "import_csv", "import_rows", "ERROR_CAP", "export_rows", "export_csv", "export_json"]

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
    """``errors``: the first :data:`ERROR_CAP` problems, in row order; ``total``: how many there were."""

    def __init__(self, file: str, errors: list[RowError], total: int | None = None):
        self.file = file
        self.errors = errors
        self.total = len(errors) if total is None else total
        first = errors[0]
        more = f" (and {self.total - 1} more)" if self.total > 1 else ""
        super().__init__(f"{file}: {first}{more}; nothing imported")


@dataclass
class ImportReport:
    kind: str  # assessments | declarations
    new: int = 0
    present: int = 0
    partial: int = 0  # new rows scored from some indicators only ...
    partial_rows: list[int] = field(default_factory=list)  # ... the first ERROR_CAP of them
    warnings: list[str] = field(default_factory=list)  # plan warnings (e.g. a superseded plan), once each

    def summary(self) -> str:
        text = f"{self.new} new, {self.present} already present"
        if self.partial:
            rows = ", ".join(map(str, self.partial_rows))
            if self.partial > len(self.partial_rows):
                rows += f" and {self.partial - len(self.partial_rows)} more"
            text += (f"; {self.partial} with a partial suggested level (some indicators not given:"
                     f" row{'s' if self.partial > 1 else ''} {rows})")
        return text


#: At most this many problems are kept and reported (the rest are counted).
ERROR_CAP = 50
#: Rows validated, checked against the database and written together.
BATCH = 2_000


class _Errors:
    def __init__(self, cap: int = ERROR_CAP):
        self.cap = cap
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, e: RowError) -> None:
        self.total += 1
        if len(self.kept) < self.cap:
            self.kept.append(e)

    def __bool__(self) -> bool:
        return self.total > 0


def _norm_header(cells: list[str]) -> list[str]:
    return [c.strip().lower() for c in cells]


def import_csv(store, source, name: str, *, author: str, progress=None) -> ImportReport:
    """Validate and import one CSV file, all or nothing. ``source``: bytes, a path, or a binary file.

    The file is read as a stream and handled :data:`BATCH` rows at a time inside one write
    transaction, so memory does not grow with the file; any bad row rolls the whole file back.
    Raises :class:`CsvImportError` with the first :data:`ERROR_CAP` problems and their total."""
    if isinstance(source, (bytes, bytearray)):
        fh = io.BytesIO(bytes(source))
    elif isinstance(source, (str, Path)):
        fh = open(source, "rb")  # noqa: SIM115 - closed below
    else:
        fh = source
    try:
        start = fh.read(4096)
        if not start.strip():
            raise CsvImportError(name, [RowError(1, None, "empty file (expected a header row)")])
        fh.seek(0)
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            return import_rows(store, _decoded(reader, name), name, author=author, progress=progress)
        finally:
            text.detach()
    finally:
        if fh is not source:
            fh.close()


def _decoded(reader, name: str) -> Iterator[list[str]]:
    """The reader's rows; a byte that is not UTF-8 is one error naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as e:
            bad = e.object[e.start] if isinstance(e.object, (bytes, bytearray)) else 0
            raise CsvImportError(name, [RowError(reader.line_num + 1, None,
                                                 f"not UTF-8 text (byte 0x{bad:02x}); save the file as UTF-8 CSV")]) from None
        except csv.Error as e:
            raise CsvImportError(name, [RowError(reader.line_num, None, f"not readable as CSV ({e})")]) from None
        yield row


def import_rows(store, rows: Iterable[list[str]], name: str, *, author: str, progress=None) -> ImportReport:
    """Import CSV rows (the first is the header) from any iterable, consumed lazily: at most one
    batch is held at a time. ``progress(rows_done)`` is called after each batch is written."""
    it = iter(rows)
    header = _norm_header(next(it, []))
    errors = _Errors()
    if not header or not any(header):
        raise CsvImportError(name, [RowError(1, None, "empty header")])
    seen: set[str] = set()
    for c in header:
        if (message := dtext.problem(c)) is not None:
            errors.add(RowError(1, inert_line(c), f"column name {message}"))
            continue
        if not c:
            errors.add(RowError(1, None, "a column has no name"))
        elif c in seen:
            errors.add(RowError(1, c, "duplicate column"))
        seen.add(c)
    time_col = "assessed_at" if "assessed_at" in header else "declared_at" if "declared_at" in header else None
    if "area" not in header:
        errors.add(RowError(1, "area", "missing column (header must start: area,assessed_at,method,<keys...> or area,assessed_at,level)"))
    if time_col is None:
        errors.add(RowError(1, "assessed_at", "missing column"))
    if "method" in header:
        mode = "assessments"
    elif "level" in header:
        mode = "declarations"
        extra = [c for c in header if c and c not in ("area", "assessed_at", "declared_at", "level", "reason")
                 and c not in EXPORT_ONLY]
        for c in extra:
            errors.add(RowError(1, c, "unknown column in a declarations file (area, assessed_at, level, reason)"))
    else:
        mode = "assessments"
        errors.add(RowError(1, None, "need a `method` column (assessments) or a `level` column (declarations)"))
    if errors:
        raise CsvImportError(name, errors.kept, errors.total)

    now = store.clock.now()
    report = ImportReport(mode)
    table = Assessment if mode == "assessments" else Declaration
    job = _Job(mode, table, header, time_col, now, author, errors, report)
    with store.write(lock="import") as s:
        require(s, author, "import")
        job.start(s)
        batch: list[tuple[int, list[str]]] = []
        rownum = 1
        for cells in it:
            rownum += 1
            if not any(cell.strip() for cell in cells) or _is_head_row(cells):
                continue
            batch.append((rownum, cells))
            if len(batch) >= BATCH:
                job.run(s, batch)
                batch = []
                if progress is not None:
                    progress(rownum - 1)
        if batch:
            job.run(s, batch)
            if progress is not None:
                progress(rownum - 1)
        if job.data_rows == 0 and not errors:
            errors.add(RowError(2, None, "no data rows"))
        if errors:
            raise CsvImportError(name, errors.kept, errors.total)  # rolls the transaction back
        if report.new:
            feed.notify(s, table.__tablename__)
    return report


class _Job:
    """One import: validates a batch, sorts out rows already present and duplicates, writes the rest."""

    def __init__(self, mode, table, header, time_col, now, author, errors: _Errors, report: ImportReport):
        self.mode, self.table, self.header, self.time_col = mode, table, header, time_col
        self.now, self.author, self.errors, self.report = now, author, errors, report
        self.data_rows = 0
        self.ids = array("q")  # ids this import wrote, ascending ...
        self.rows = array("q")  # ... and the file row each came from (for "duplicate of row N")

    def start(self, s) -> None:
        from scc_tui.datafiles.methods import default_registry

        # The plans, looked up once for the whole file (each lookup otherwise checks every plan file
        # on disk for changes: most of the time of a large import).
        self.registry = default_registry() if self.mode == "assessments" else None
        self.areas = {a.key: a for a in s.exec(select(Area)).all()}
        self.session = s
        self.allowed: set[str] = set()  # areas this importer was checked for (scc_tui.store.access)
        self.id_before = s.execute(sa.select(sa.func.max(self.table.id))).scalar() or 0

    def _row_of(self, row_id: int) -> int | None:
        i = bisect_left(self.ids, row_id)
        return self.rows[i] if i < len(self.ids) and self.ids[i] == row_id else None

    def run(self, s, batch: list[tuple[int, list[str]]]) -> None:
        parsed: list[tuple[int, str, dict[str, Any]]] = []
        in_batch: dict[str, int] = {}
        for rownum, cells in batch:
            self.data_rows += 1
            fields = self._validate(rownum, cells)
            if fields is None:
                continue
            key = fields["key"]
            if key in in_batch:
                self.errors.add(RowError(rownum, None, f"duplicate of row {in_batch[key]}"))
                continue
            in_batch[key] = rownum
            parsed.append((rownum, key, fields))
        if not parsed:
            return
        t = self.table
        found = dict(s.execute(sa.select(t.dedupe_key, t.id).where(t.dedupe_key.in_(list(in_batch)))).all())
        same = self._same_rows(s, [f for _, k, f in parsed if k not in found])
        todo = []
        for rownum, key, f in parsed:
            if key in found:
                earlier = self._row_of(found[key]) if found[key] > self.id_before else None
                if earlier is not None:
                    self.errors.add(RowError(rownum, None, f"duplicate of row {earlier}"))
                else:
                    self.report.present += 1
            elif self._same_key(f) in same:
                self.report.present += 1
            else:
                todo.append((rownum, key, f))
        if todo:
            self._insert(s, todo)

    def _validate(self, rownum: int, cells: list[str]) -> dict[str, Any] | None:
        header, errors = self.header, self.errors
        if len(cells) != len(header):
            errors.add(RowError(rownum, None, f"{len(cells)} cells, header has {len(header)}"))
            return None
        rec = dict(zip(header, (unguard(c.strip()) for c in cells)))  # a guarded export reads back as written
        row_errors: list[RowError] = []
        # Text is inert at the door: no cell may hold ESC, BEL, C1, DEL or a bidi override (LF only
        # in a reason); every cell of every row is checked, named by row and column.
        for col, cell in rec.items():
            message = dtext.problem(cell, multiline=col in MULTILINE_COLUMNS)
            if message is not None:
                row_errors.append(RowError(rownum, col, message))
        if not row_errors:
            area = self.areas.get(rec["area"].casefold())
            if not rec["area"]:
                row_errors.append(RowError(rownum, "area", "missing"))
            elif area is None:
                row_errors.append(RowError(rownum, "area", f"unknown area {rec['area']!r} (see `scc areas list`)"))
            elif area.key not in self.allowed:
                try:
                    require(self.session, self.author, "import", [area.name])
                except Refused as e:
                    raise Refused(f"row {rownum}: {e}") from None
                self.allowed.add(area.key)
            when = None
            tc = self.time_col
            try:
                when = parse_instant(rec[tc])
                if when > self.now + FUTURE_SLACK:
                    row_errors.append(RowError(rownum, tc, f"{rec[tc]} is in the future"))
                    when = None
            except ValueError as e:
                row_errors.append(RowError(rownum, tc, str(e)))
            fields: dict[str, Any] | None = None
            if self.mode == "assessments" and area is not None and when is not None:
                fields = _assessment_fields(rownum, rec, header, area, when, row_errors, self.registry)
            elif self.mode == "declarations" and area is not None and when is not None:
                fields = _declaration_fields(rownum, rec, area, when, row_errors)
            if not row_errors and fields is not None:
                return fields
        for e in row_errors:
            errors.add(e)
        return None

    # Rows with the same content written some other way (the app, the demo: no dedupe_key).
    def _same_key(self, f: dict[str, Any]):
        if self.mode == "assessments":
            values = tuple(sorted((k, v if isinstance(v, str) else float(v)) for k, v in f["values"].items()))
            return (f["area"].id, f["at"], f["method"].casefold(), values)
        return (f["area"].id, f["at"], f["level"])

    def _same_rows(self, s, fields: list[dict[str, Any]]) -> set:
        if not fields:
            return set()
        out = set()
        pairs = list({(f["area"].id, f["at"]) for f in fields})
        for i in range(0, len(pairs), 500):
            chunk = pairs[i : i + 500]
            if self.mode == "assessments":
                q = sa.select(Assessment.area_id, Assessment.assessed_at, Assessment.method, Assessment.values_json).where(
                    sa.tuple_(Assessment.area_id, Assessment.assessed_at).in_(chunk), Assessment.id <= self.id_before)
                for area_id, at, method, values_json in s.execute(q):
                    got = json.loads(values_json or "{}")
                    values = tuple(sorted((k, v if isinstance(v, str) else float(v)) for k, v in got.items()))
                    out.add((area_id, at, method.casefold(), values))
            else:
                q = sa.select(Declaration.area_id, Declaration.declared_at, Declaration.level).where(
                    sa.tuple_(Declaration.area_id, Declaration.declared_at).in_(chunk), Declaration.id <= self.id_before)
                out |= {tuple(r) for r in s.execute(q)}
        return out

    def _insert(self, s, todo: list[tuple[int, str, dict[str, Any]]]) -> None:
        new_ids: list[tuple[int, int]] = []
        if self.mode == "assessments":
            params = []
            for _rownum, key, f in todo:
                r = f["result"]
                params.append({
                    "area_id": f["area"].id, "assessed_at": f["at"], "recorded_at": self.now, "method": f["method"],
                    "plan_version": getattr(r, "plan_version", None),
                    "values_json": json.dumps(dict(f["values"]), sort_keys=True, ensure_ascii=False),
                    "score": getattr(r, "score", None), "max_score": getattr(r, "max", None),
                    "normalised": getattr(r, "normalised", None), "level": getattr(r, "level", None),
                    "author": self.author, "source": "import", "dedupe_key": key,
                })
            ids = s.execute(sa.insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), params).scalars().all()
            new_ids = list(zip(ids, (t[0] for t in todo)))
            report = self.report
            for rownum, _key, f in todo:
                if getattr(f["result"], "partial", False):
                    report.partial += 1
                    if len(report.partial_rows) < ERROR_CAP:
                        report.partial_rows.append(rownum)
                for w in getattr(f["result"], "warnings", ()):
                    if w not in report.warnings and len(report.warnings) < ERROR_CAP:
                        report.warnings.append(w)
        else:
            made = []
            for rownum, key, f in todo:
                try:
                    made.append((rownum, insert_declaration(s, f["area"], f["level"], f["at"], self.author, f["reason"],
                                                            "import", self.now, key=key)))
                except RecordError as e:
                    self.errors.add(RowError(rownum, "reason", str(e)))
            s.flush()
            new_ids = [(d.id, rownum) for rownum, d in made]
            s.expunge_all()  # the session keeps nothing from batch to batch
        for row_id, rownum in sorted(new_ids):
            self.ids.append(row_id)
            self.rows.append(rownum)
        self.report.new += len(new_ids)


def _assessment_fields(rownum: int, rec: dict[str, str], header: list[str], area: Area, when: datetime,
                       errs: list[RowError], registry=None) -> dict[str, Any] | None:
    from scc_tui.domain.scoring import ScoringError, parse_value, resolve, score

    method = rec.get("method") or area.method
    if not method:
        errs.append(RowError(rownum, "method", f"{area.name} has no method: give one, or import a declaration"))
        return None
    try:
        plan = resolve(method, at=when, registry=registry)
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
        result = score(method, values, area=area.plan_area, at=when, registry=registry)
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
    """CSV in the import format (so an export re-imports as "0 new"), plus read-only columns. Written by
    the one CSV writer (``scc_tui.csvout``: inert text, formula guard)."""
    from scc_tui.csvout import csv_text

    if what == "assessments":
        keys: list[str] = []
        for r in rows["assessments"]:
            for k in r["values"]:
                if k not in keys:
                    keys.append(k)
        header = ["area", "assessed_at", "method", *keys, "level", "score", "max_score", "plan_version", "author",
                  "source", "recorded_at"]
        body = [[r["area"], r["assessed_at"], r["method"], *(r["values"].get(k) for k in keys), r["level"],
                 r["score"], r["max_score"], r["plan_version"], r["author"], r["source"], r["recorded_at"]]
                for r in rows["assessments"]]
    else:
        header = ["area", "declared_at", "level", "reason", "computed_level", "author", "source", "recorded_at"]
        body = [[r["area"], r["declared_at"], r["level"], r["reason"], r["computed_level"], r["author"], r["source"],
                 r["recorded_at"]] for r in rows["declarations"]]
    head = rows.get("log_head")
    body.append(_head_row((head["seq"], head["hash"]) if head else None))
    return csv_text(header, body)


HEAD_CELL = "log head"


def _head_row(log_head: tuple[int, str] | None) -> list[str]:
    """The last row of a CSV export: the decision log's head when it was made (for
    ``scc log verify --anchor``). The importer skips it."""
    if log_head is None:
        return [HEAD_CELL, "(the log is empty)"]
    return [HEAD_CELL, f"{log_head[0]}:{log_head[1]}", f"scc log verify --anchor {log_head[0]}:{log_head[1]}"]


def _is_head_row(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower() == HEAD_CELL
