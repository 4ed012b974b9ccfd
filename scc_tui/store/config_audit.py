"""Log changes of configuration files: a plan (scoring method) or schedule file loaded for the first
time, or loaded with different content from the last time any session logged it.

Each file is fingerprinted (SHA-256 of its bytes). The check and the append run in one transaction
under the log's lock, so sessions starting together log a change once, not once each.

With ``summary`` (the demo does this) every changed file goes into one entry, one line per file, under
a heading line: a new database's nine "first loaded" lines do not fill the first page of its log. A
later check finds a file's last fingerprint in either form.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterable

import sqlalchemy as sa

from scc_tui.store.models import LogEntry

_PREFIX = "Data file {label} "
_SHA = re.compile(r"sha256 ([0-9a-f]{64})")


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _last_sha(text: str | None, prefix: str) -> str | None:
    for line in (text or "").splitlines():
        if line.startswith(prefix):
            m = _SHA.search(line)
            return m.group(1) if m else None
    return None


def record_data_files(store, files: Iterable[tuple[str, Path]], *, author: str, source: str = "app",
                      summary: str | None = None) -> list[int]:
    """``files``: (label, path) pairs, e.g. ("schedule kent-medway-winter.toml", path).

    Appends one ``config`` entry per file whose fingerprint differs from the last one logged for that
    label (with ``summary``: one entry for all of them, headed by ``summary``). Returns the new
    entries' numbers.
    """
    from scc_tui.store.log import LOCK, append_entry

    current = [(label, path, fingerprint(path)) for label, path in files]
    added: list[int] = []
    lines: list[str] = []
    with store.write(lock=LOCK) as session:
        for label, path, sha in current:
            prefix = _PREFIX.format(label=label)
            last = session.execute(
                sa.select(LogEntry.text)
                .where(LogEntry.kind == "config",
                       sa.or_(LogEntry.text.startswith(prefix, autoescape=True),
                              LogEntry.text.contains("\n" + prefix, autoescape=True)))
                .order_by(LogEntry.seq.desc())
                .limit(1)
            ).scalar()
            previous = _last_sha(last, prefix)
            if previous == sha:
                continue
            what = "first loaded" if previous is None else f"changed (was sha256 {previous})"
            text = f"{prefix}{what}: sha256 {sha}"
            if summary is not None:
                lines.append(text)
                continue
            entry = append_entry(store, kind="config", text=text, author=author, source=source, session=session)
            added.append(entry.seq)
        if lines:
            text = f"{summary} ({len(lines)} file{'s' if len(lines) != 1 else ''}):\n" + "\n".join(lines)
            entry = append_entry(store, kind="config", text=text, author=author, source=source, session=session)
            added.append(entry.seq)
    return added


def default_data_files() -> list[tuple[str, Path]]:
    """The plan files in force (packaged and ``$SCC_METHODS_PATH``) and the schedule file."""
    from scc_tui.datafiles.methods import method_dirs
    from scc_tui.datafiles.schedules import default_schedule_path

    files: list[tuple[str, Path]] = []
    for directory in method_dirs():
        for path in sorted(Path(directory).glob("*.toml")):
            files.append((f"plan {path.name}", path))
    schedule = default_schedule_path()
    if schedule.exists():
        files.append((f"schedule {schedule.name}", schedule))
    return files
