"""Issue 12 item 6, "Must show": a fresh clone — the README's first command, then the command the README
says to type next, opens the demo.

The checkout's tracked files are copied to a new folder (as a clone has them), the README's first two
``sh`` blocks under "Set-up" are taken as written, the first is run with bash, and the second is run on
a pseudo-terminal (80×24) with a fixed clock: the board must come up showing the demo's areas, and
``q`` must end it with exit 0. Nothing is typed that the README does not say.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import subprocess
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def readme_setup_commands(text: str) -> list[str]:
    section = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def test_the_readme_names_the_install_then_the_demo():
    first, second = readme_setup_commands((ROOT / "README.md").read_text(encoding="utf-8"))[:2]
    assert first.startswith("python3 -m venv .venv") and "scc demo" not in first
    assert second == ".venv/bin/scc demo"


def _copy_checkout(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _read_until(master: int, proc: subprocess.Popen, want: list[bytes], timeout: float) -> bytes:
    out = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                out += os.read(master, 65536)
            except OSError:
                break
            if all(w in out for w in want):
                return out
    return out


def test_fresh_clone_first_command_then_the_next_opens_the_demo(tmp_path):
    clone = tmp_path / "scc-tui"
    _copy_checkout(clone)
    first, second = readme_setup_commands((clone / "README.md").read_text(encoding="utf-8"))[:2]
    env = {k: v for k, v in os.environ.items()
           if k not in ("SCC_DB", "VIRTUAL_ENV", "PYTHONPATH", "SCC_SCHEDULE", "SCC_METHODS_PATH")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"), TERM="xterm-256color",
               SCC_NOW="2026-11-23T16:30:00+00:00")
    (tmp_path / "home").mkdir()
    r = subprocess.run(["bash", "-c", first], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (clone / ".venv" / "bin" / "scc").exists()

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24 rows, 80 columns
    proc = subprocess.Popen(["bash", "-c", second], cwd=clone, env=env, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    try:
        out = _read_until(master, proc, [b"QEQM", b"Medway"], timeout=180)
        assert b"QEQM" in out and b"Medway" in out, out[-3000:]
        for _ in range(30):  # q quits; pressed again if the first came before the keys were live
            os.write(master, b"q")
            _read_until(master, proc, [b"\0never"], timeout=2)
            if proc.poll() is not None:
                break
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert (tmp_path / "xdg" / "scc-tui" / "demo.db").is_file()
    assert b"demo database: " in out  # it said where it made the demo
