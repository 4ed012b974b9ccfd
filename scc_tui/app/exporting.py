"""Saving a report from a screen (the handover, the sitrep): where it goes, and the one way it is written.

A new file, opened exclusively, never through a link, never over another file (``-2``, ``-3``…), never
in a folder it had to create (``scc_tui.files.save_unique``); under ``scc serve`` the browser downloads
it instead and nothing is written on the server. Either way the person is told in a notice.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

from scc_tui.settings import Settings, current

__all__ = ["export_dir", "save_export", "DOWNLOADED"]

#: what :func:`save_export` returns when the browser downloads the file (``scc serve``)
DOWNLOADED = "downloaded"


def export_dir(settings: Settings | None = None) -> Path:
    """Where ``s`` saves: ``$SCC_EXPORT_DIR``; else the user's Documents folder if there is one; else
    the home folder. Never the working directory (wherever scc happened to be started), and the full
    path is always shown after saving."""
    settings = settings or current()
    if settings.export_dir:
        return settings.export_dir
    home = settings.home or Path.home()
    docs = home / "Documents"
    return docs if docs.is_dir() else home


def save_export(app: App, folder: str | os.PathLike[str], stem: str, suffix: str, data: bytes,
                mime_type: str) -> Path | str | None:
    """Save ``data`` as ``folder/stem+suffix`` (or download it under ``scc serve``) and say so.
    Returns the path written, :data:`DOWNLOADED`, or None when it could not be saved (said in a notice)."""
    if app.is_web:
        import io

        app.deliver_binary(io.BytesIO(data), save_filename=f"{stem}{suffix}", mime_type=mime_type)
        app.notify(f"Downloading {stem}{suffix}", timeout=8, markup=False)
        return DOWNLOADED
    from scc_tui.domain.errors import SccError
    from scc_tui.files import save_unique

    try:
        path = save_unique(folder, stem, suffix, data)
    except (OSError, SccError) as exc:
        app.notify(f"Could not save: {exc}", severity="error", timeout=8, markup=False)
        return None
    app.notify(f"Saved {path}", timeout=8, markup=False)
    return path
