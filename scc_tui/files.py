"""Writing the files a user asks for (``--output``, the handover save), safely.

* No folder is ever created: a missing folder is usually a typo, and the file would land out of sight.
* A new file is opened exclusively (``O_CREAT | O_EXCL``) and never through a symbolic link
  (``O_NOFOLLOW``): another user cannot plant a link that makes us overwrite one of our files.
* An existing file is replaced only when asked (``force``), and then atomically: the data goes to a new
  file beside it, which is renamed over it (so the old file is intact if the write fails, and a link at
  that name is replaced, not followed).
* A failed write (e.g. a full disk) leaves no partial file behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from scc_tui.domain.errors import SccError

__all__ = ["OutputError", "check_target", "write_file", "save_unique"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MODE = 0o666  # less the umask, like any file the user makes


class OutputError(SccError):
    """An output file cannot be written where asked (one line, exit 2)."""


def _check_folder(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        if folder.exists():
            raise OutputError(f"{path}: {folder} is not a folder")
        raise OutputError(f"{path}: the folder {folder} does not exist (it is not created; check the path)")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` exclusively and write ``data``; on failure remove what was created."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, _MODE)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def check_target(path_text: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Refuse (:class:`OutputError`) an output path :func:`write_file` would refuse, before any work."""
    path = Path(path_text).expanduser()
    _check_folder(path)
    if path.is_symlink():
        if not force:
            raise OutputError(f"{path} is a symbolic link: refusing to write through it (--force replaces the link)")
    elif path.is_dir():
        raise OutputError(f"{path} is a folder, not a file")
    elif path.exists():
        if not path.is_file():
            raise OutputError(f"{path} is not a regular file")
        if not force:
            raise OutputError(f"{path} already exists (use --force to overwrite it)")
    return path


def write_file(path_text: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to a new file (or over an existing regular file when ``force``). Returns the path."""
    path = check_target(path_text, force=force)
    if not force or not (path.exists() or path.is_symlink()):
        try:
            _create(path, data)
        except FileExistsError:
            raise OutputError(f"{path} already exists (use --force to overwrite it)") from None
        return path
    tmp = path.with_name(f".{path.name}.scc-{os.getpid()}.tmp")
    _create(tmp, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def save_unique(folder: str | os.PathLike[str], stem: str, suffix: str, data: bytes) -> Path:
    """Save under ``folder/stem.suffix``, or ``stem-2.suffix``, ``stem-3.suffix``... if taken; never
    overwrites, never follows a link, never creates the folder. Returns the absolute path written."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist (it is not created)")
    folder = folder.resolve()
    for n in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            _create(path, data)
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.filename is None:
                exc.filename = str(path)
            raise
        return path
    raise OutputError(f"{folder}: too many files named {stem}*{suffix}")
