"""Reusable pieces for loading a TOML data file into validated objects.

Every loader in :mod:`scc_tui.datafiles` follows the same three steps, and every failure is a
:class:`~scc_tui.domain.errors.DataFileError` naming the file, the line and the field, so that a
wrong data file is fixed at 3 a.m. from one line of output::

    text, data = read_toml(path)                 # TOML syntax error -> DataFileError with its line
    model = validate(MyFileModel, data, path, text)  # pydantic ValidationError -> DataFileError
    ...semantic checks: raise data_error(path, text, "parameters[2].bands[1].min", "gap ...")

Models derive from :class:`StrictModel`: unknown keys are errors (a typo such as ``max_inclusve``
must not be silently ignored) and types are strict (``true`` is not the number 1, ``"5"`` is not 5).

Field paths use the form ``parameters[2].bands[1].min`` (``find_line`` understands it, including
``[[parameters]]`` arrays of tables and inline arrays). :func:`cached` memoises a loader per
(path, modification time, size), so an edited file is re-read and an unchanged one is not.
"""

from __future__ import annotations

import re
import tomllib
from functools import wraps
from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from scc_tui.domain.errors import DataFileError, find_line

__all__ = [
    "StrictModel",
    "read_toml",
    "parse_toml",
    "validate",
    "data_error",
    "field_path",
    "validation_error",
    "cached",
    "MULTILINE_FIELDS",
    "check_strings",
]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class StrictModel(BaseModel):
    """Base for data-file models: unknown keys are errors; no type coercion; frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


def read_toml(path: str | Path) -> tuple[str, dict[str, Any]]:
    """Read and parse a TOML file. Returns ``(text, data)``.

    Raises :class:`DataFileError` for a missing/unreadable file, bad UTF-8, or a TOML syntax error
    (with the line the parser reports).
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise DataFileError(p, None, "no such file") from None
    except OSError as e:
        raise DataFileError(p, None, f"cannot read: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataFileError(p, None, "not UTF-8 text", line) from None
    return text, parse_toml(text, p)


def parse_toml(text: str, path: str | Path = "<text>") -> dict[str, Any]:
    """Parse TOML source; a syntax error becomes a :class:`DataFileError` with its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = getattr(e, "lineno", None) or (int(m.group(1)) if m else None)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "syntax error"
        if m:
            message += f" (column {m.group(2)})"
        raise DataFileError(path, None, f"not valid TOML: {message}", line) from None


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """``('parameters', 2, 'bands', 1, 'min')`` -> ``parameters[2].bands[1].min``.

    Keys that are not plain identifiers are quoted (``by_area."West Kent"[0]``).
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            s = str(part)
            if not re.fullmatch(r"[A-Za-z0-9_-]+", s):
                s = '"' + s.replace('"', '\\"') + '"'
            out += ("." if out else "") + s
    return out


_FRIENDLY = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field here (check the spelling)",
}


def validation_error(path: str | Path, text: str, err: ValidationError) -> DataFileError:
    """Turn a pydantic ``ValidationError`` into one :class:`DataFileError` (the first problem; the
    message says how many more there are)."""
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    dotted = field_path(loc) or None
    kind = first.get("type", "")
    if kind in _FRIENDLY:
        message = _FRIENDLY[kind]
    else:
        message = first.get("msg", "is not valid")
        # "Value error, x" -> "x": the prefix is pydantic's, not ours.
        message = re.sub(r"^(Value|Assertion) error, ", "", message)
        if "input" in first and kind not in ("model_type", "dict_type") and not isinstance(first["input"], dict):
            message += f" (got {first['input']!r})"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return DataFileError(path, dotted, message, find_line(text, dotted))


#: Fields (by their last key) whose text may hold line breaks: notes, provenance and the like.
#: Every other string in a data file is one line. TAB is allowed everywhere.
MULTILINE_FIELDS = frozenset({
    "notes", "note", "off_note", "category_note", "effective_note", "superseded_note", "provenance", "description",
    "rationale",
    "judgement", "hold_judgement",  # escalation rules and action cards: why a rule reads as it does
})


def check_strings(
    data: Any,
    path: str | Path,
    text: str,
    *,
    multiline: frozenset[str] = MULTILINE_FIELDS,
    line_of: Callable[[str], int | None] | None = None,
) -> None:
    """Refuse every string (value or key) in parsed TOML ``data`` holding a character a terminal would
    act on (:mod:`scc_tui.domain.text`): ESC, BEL, C1, DEL, bidi overrides; LF outside
    :data:`MULTILINE_FIELDS`. Every row and field is checked. The error names file, line and field."""
    from scc_tui.domain import text as dtext

    locate = line_of or (lambda dotted: find_line(text, dotted))

    def walk(value: Any, loc: tuple[Any, ...], key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                message = dtext.problem(k)
                if message is not None:
                    dotted = field_path(loc) or None
                    raise DataFileError(path, dotted, f"a key {message}", locate(dotted) if dotted else None)
                walk(v, loc + (k,), k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,), key)
        elif isinstance(value, str):
            message = dtext.problem(value, multiline=key in multiline)
            if message is not None:
                dotted = field_path(loc)
                raise DataFileError(path, dotted, message, locate(dotted))

    walk(data, (), None)


def validate(model: type[M], data: Any, path: str | Path, text: str) -> M:
    """Validate parsed TOML ``data`` with a pydantic ``model``; errors name file, line and field.

    Every string is first checked for control characters (:func:`check_strings`)."""
    check_strings(data, path, text)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise validation_error(path, text, e) from None


def data_error(path: str | Path, text: str, field: str | None, message: str) -> DataFileError:
    """A :class:`DataFileError` for a semantic check, with the line found from ``field``."""
    return DataFileError(path, field, message, find_line(text, field))


def cached(loader: Callable[[Path], T]) -> Callable[[str | Path], T]:
    """Memoise ``loader(path)`` per (resolved path, mtime, size). ``.cache_clear()`` empties it."""
    cache: dict[tuple[str, int, int], T] = {}

    @wraps(loader)
    def wrapper(path: str | Path) -> T:
        p = Path(path)
        try:
            st = p.stat()
            key = (str(p.resolve()), st.st_mtime_ns, st.st_size)
        except OSError:
            return loader(p)  # let the loader report the missing file
        if key not in cache:
            cache[key] = loader(p)
        return cache[key]

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper
