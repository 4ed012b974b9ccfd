"""What the empty board says (issue 12 item 6): how to reach the demo, typed as this person can type it.

After the README's first command ``scc`` is not on ``PATH`` (it lives in ``.venv/bin``): the hint then
names the command as it was started (``.venv/bin/scc demo``), and, when a demo database was made
before, the command that opens it again without remaking it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Mapping

__all__ = ["empty_board_lines", "scc_command"]


def scc_command(environ: Mapping[str, str], argv0: str | None = None) -> str:
    """``scc`` if that finds this program on ``PATH``; else the path it was started by (when that is
    an ``scc`` script), else ``scc``."""
    if shutil.which("scc", path=environ.get("PATH", "")):
        return "scc"
    argv0 = sys.argv[0] if argv0 is None else argv0
    if argv0 and Path(argv0).name == "scc":
        return argv0
    return "scc"


def empty_board_lines(environ: Mapping[str, str], *, argv0: str | None = None,
                      demo_path: Path | None = None) -> list[str]:
    cmd = scc_command(environ, argv0)
    if demo_path is None:
        try:
            from scc_tui.store.demo import default_demo_path

            demo_path = default_demo_path()
        except Exception:  # noqa: BLE001 - no per-user folder: the hint without the path
            demo_path = None
    lines = [
        "No areas yet: this database is empty.",
        f"To try the demo (invented data): press q, then type  {cmd} demo",
    ]
    if demo_path is not None and demo_path.exists():
        lines.append(f"The demo made earlier, as it was:  {cmd} --db {demo_path}")
    lines.append(f"To add your own areas:  {cmd} areas import FILE.toml")
    return lines
