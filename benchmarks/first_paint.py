"""Whole-process first paint of the board, in a real terminal (tmux), against a bare Textual app.

    .venv/bin/python benchmarks/first_paint.py                 # 9 runs per case (about 2 minutes)
    .venv/bin/python benchmarks/first_paint.py --runs 5 --keys # fewer runs; also time the screens keys open
    .venv/bin/python benchmarks/first_paint.py --before /tmp/old-main   # and another checkout, same run

What it measures: from launching the process in a fresh tmux window to the first frame that shows
at least four "OPEL" labels, read by polling ``tmux capture-pane`` (every few ms). Two cases:

* ``scc --db DEMO`` on the demo database (``scc demo``) at 80x24;
* ``scc --db BIG`` on 500 areas x 180 days of history (``scc demo --areas 500 --days 180``) at 160x50;

each against ``benchmarks/bare_board.py N``: a bare Textual app painting the same number of bordered
``Static`` tiles in a scrolling grid with a ``Footer`` (N = the database's areas), in the same size
of window. Runs alternate (bare, scc, bare, scc, ...) after one warm-up of each, so a busy machine
slows both alike; the result is the ratio of the medians, in one run. The databases are made fresh in
a temporary folder each time.

``--keys`` also times, on the demo database at 80x24, each screen a key opens: from sending the key
to the first frame showing that screen's content (a marker text listed in ``KEYS``), a fresh app each
time.

A report, never a gate: timings do not belong in the unit tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCC = [PY, "-m", "scc_tui"]
BARE = [PY, str(ROOT / "benchmarks" / "bare_board.py")]
TIMEOUT = 30.0
# What a user's shell has: bytecode is cached. PYTHONDONTWRITEBYTECODE (set on some build machines,
# this one included) would make every start compile the app's own modules from source (~0.16 s of
# the 80x24 figure); an installed app has its bytecode (pip compiles at install, a checkout writes
# __pycache__ on its first run), so each checkout is compiled first and runs with bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
POLL = 0.004

# (area to move the cursor to first, the key timed, what it opens, text that shows its content has
# arrived). On the demo database at 80x24 (one line per area): William Harvey Hospital is a provider
# scored by a method, so it has an assessment form and a parameter table.
PROVIDER = "William Harvey Hospital"
KEYS = [
    (None, "L", "log screen", " shown of #"),
    (None, "H", "handover", "SCC handover"),
    (None, "c", "agenda", "owing"),
    (None, "e", "escalations", " active · "),
    (PROVIDER, "Enter", "area detail", "Parameter"),
    (PROVIDER, "n", "assessment form", "Mean ambulance"),
    (PROVIDER, "d", "declare form", "very high"),
    (None, "D", "decision form", "Record a decision"),
    (None, "R", "risk register", " open · "),
    (None, "B", "bed gap", "Winter bed gap · "),
    (None, "S", "sitrep", "Sitrep: every area"),
]


def rows_down_to(text: str, name: str) -> int:
    """How many rows down from the first area (the line after the status line) ``name`` is listed."""
    lines = text.splitlines()
    for i, line in enumerate(lines[1:]):
        if name in line:
            return i
    raise SystemExit(f"{name!r} is not on the board:\n{text}")


class Tmux:
    """A private tmux server (own socket); one fresh session per run."""

    def __init__(self) -> None:
        self.socket = f"scc-first-paint-{os.getpid()}"
        self.n = 0
        # The server stays up for the whole run (its start-up is not in any figure).
        self._tmux("new-session", "-d", "-s", "idle", "-x", "80", "-y", "24", "sleep 100000")

    def _tmux(self, *args: str) -> str:
        # The server (and so every process it starts) gets ENV: what a user's shell has.
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True, capture_output=True,
                              text=True, env=ENV).stdout

    def start(self, argv: list[str], size: tuple[int, int], root: Path = ROOT) -> str:
        self.n += 1
        name = f"run{self.n}"
        cmd = " ".join(_quote(a) for a in argv)
        # A detached session of its own, made at its final size (tmux 3.3 crashes on new-window with
        # window-size manual, so no shared session is resized).
        # In root: `python -m` puts the working folder first on sys.path.
        self._tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), "-c", str(root),
                   "-e", "PYTHONPATH=" + str(root), cmd)
        return f"{name}:0"

    def text(self, target: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", target)

    def keys(self, target: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", target, *keys)

    def kill(self, target: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-session", "-t", target.split(":")[0]],
                       capture_output=True, env=ENV)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=ENV)


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


class TimedOut(Exception):
    pass


def wait_for(tmux: Tmux, target: str, ok, t0: float, timeout: float = TIMEOUT) -> float:
    while True:
        if ok(tmux.text(target)):
            return time.perf_counter() - t0
        if time.perf_counter() - t0 > timeout:
            raise TimedOut(f"timed out waiting; the pane shows:\n{tmux.text(target)}")
        time.sleep(POLL)


def four_opel(text: str) -> bool:
    return text.count("OPEL") >= 4


def first_paint(tmux: Tmux, argv: list[str], size: tuple[int, int], root: Path = ROOT) -> float:
    # The clock starts just before tmux is asked to launch the process.
    t0 = time.perf_counter()
    target = tmux.start(argv, size, root)
    try:
        return wait_for(tmux, target, four_opel, t0)
    finally:
        tmux.kill(target)


def compile_checkout(root: Path, python: str) -> None:
    """Bytecode for the checkout's own code, as an install has (see ENV)."""
    subprocess.run([python, "-m", "compileall", "-q", str(root / "scc_tui"), str(root / "benchmarks")],
                   check=True, env=ENV, stdout=subprocess.DEVNULL)


def areas_in(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT count(*) FROM area").fetchone()[0]


def make_db(path: Path, *extra: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCC_DB", None)
    subprocess.run([*SCC, "demo", "--db", str(path), "--no-open", *extra], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def scc_for(root: Path) -> list[str]:
    """How to run scc from ``root``: this interpreter for this checkout; for another checkout its own
    ``.venv`` (an editable install of this checkout is found before PYTHONPATH, so this interpreter
    would run this checkout's code whatever PYTHONPATH says). Checked: the code imported is root's."""
    if root == ROOT:
        return SCC
    py = root / ".venv" / "bin" / "python"
    if not py.exists():
        raise SystemExit(f"--before {root}: needs its own venv ({py}: python3.11 -m venv .venv && "
                         ".venv/bin/pip install -e .)")
    out = subprocess.run([str(py), "-c", "import scc_tui; print(scc_tui.__file__)"], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(root)}, cwd=root).stdout.strip()
    if not Path(out).resolve().is_relative_to(root.resolve()):
        raise SystemExit(f"--before {root}: its python imports scc_tui from {out}, not from the checkout")
    return [str(py), "-m", "scc_tui"]


def case(tmux: Tmux, label: str, db: Path, size: tuple[int, int], runs: int, before: Path | None) -> dict:
    n = areas_in(db)
    scc = [*SCC, "--db", str(db)]
    who = [("bare", [*BARE, str(n)], ROOT), ("scc", scc, ROOT)]
    if before:
        who.append(("before", [*scc_for(before), "--db", str(db)], before))
    for _name, argv, root in who:  # warm-up: imports in the OS cache, the database's first open
        first_paint(tmux, argv, size, root)
    times: dict[str, list[float]] = {name: [] for name, _, _ in who}
    for _ in range(runs):
        for name, argv, root in who:
            times[name].append(first_paint(tmux, argv, size, root))
    med = {name: statistics.median(t) for name, t in times.items()}
    return {"case": label, "areas": n, "size": f"{size[0]}x{size[1]}", "median": med, "all": times}


def key_screens(tmux: Tmux, db: Path, size: tuple[int, int], runs: int,
                root: Path = ROOT) -> list[tuple[str, str, float, float]]:
    """For each key: median and worst seconds from the key to its screen's content, each run in a fresh
    app (the first open of a screen is the one that imports and reads the most)."""
    out = []
    for setup, key, what, marker in KEYS:
        times = []
        for _ in range(runs):
            target = tmux.start([*scc_for(root), "--db", str(db)], size, root)
            try:
                # Settled: the full read is on screen (the demo's escalation badges), then a moment
                # for the prompts and the audit.
                wait_for(tmux, target, lambda t: four_opel(t) and "⚑" in t, time.perf_counter())
                time.sleep(1.5)
                if setup:
                    tmux.keys(target, *(["j"] * rows_down_to(tmux.text(target), setup)))
                    time.sleep(0.5)
                t0 = time.perf_counter()
                tmux.keys(target, key)
                try:
                    times.append(wait_for(tmux, target, lambda t: marker in t, t0, timeout=10.0))
                except TimedOut:  # e.g. an older checkout (--before) without that screen
                    break
            finally:
                tmux.kill(target)
        out.append((key, what, statistics.median(times) if times else None, max(times) if times else None))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--keys", action="store_true", help="also time each screen a key opens")
    p.add_argument("--before", type=Path, metavar="CHECKOUT",
                   help="also run scc from another checkout (e.g. a worktree of an older main), in the same run")
    p.add_argument("--only", choices=["demo", "big", "keys"], help="one case only (keys: the screens only)")
    a = p.parse_args(argv)
    if not shutil.which("tmux"):
        print("first_paint: needs tmux", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="scc-first-paint-") as tmp:
        demo, big = Path(tmp) / "demo.db", Path(tmp) / "big.db"
        t = time.perf_counter()
        make_db(demo)
        if a.only not in ("demo", "keys"):
            make_db(big, "--areas", "500", "--days", "180")
        print(f"databases made in {time.perf_counter() - t:.1f} s; {a.runs} runs per case, medians in seconds")
        compile_checkout(ROOT, PY)
        if a.before:
            compile_checkout(a.before, scc_for(a.before)[0])
        tmux = Tmux()
        try:
            results = []
            if a.only not in ("big", "keys"):
                results.append(case(tmux, "demo", demo, (80, 24), a.runs, a.before))
            if a.only not in ("demo", "keys"):
                results.append(case(tmux, "500 areas x 180 days", big, (160, 50), a.runs, a.before))
            head = f"{'case':<22} {'areas':>5} {'size':>7} {'bare app':>9} {'scc':>7} {'ratio':>6}"
            print(head + (f" {'before':>7} {'ratio':>6}" if a.before else ""))
            for r in results:
                m = r["median"]
                line = (f"{r['case']:<22} {r['areas']:>5} {r['size']:>7} {m['bare']:>9.3f} {m['scc']:>7.3f} "
                        f"{m['scc'] / m['bare']:>5.2f}x")
                if a.before:
                    line += f" {m['before']:>7.3f} {m['before'] / m['bare']:>5.2f}x"
                print(line)
            for r in results:
                print(f"  {r['case']}: " + "; ".join(f"{k} {[round(x, 3) for x in v]}" for k, v in r["all"].items()))
            if a.keys or a.only == "keys":
                print("\nscreens a key opens (demo database, 80x24): key to content on screen, fresh app each run")
                runs = max(3, a.runs // 3)
                mine = key_screens(tmux, demo, (80, 24), runs)
                theirs = key_screens(tmux, demo, (80, 24), runs, a.before) if a.before else None
                def fig(med, worst):
                    return "median   —      worst   —   " if med is None else f"median {med:.3f} s  worst {worst:.3f} s"

                for i, (key, what, med, worst) in enumerate(mine):
                    line = f"  {key:<6} {what:<16} {fig(med, worst)}"
                    if theirs:
                        line += f"   before: {fig(theirs[i][2], theirs[i][3])}"
                    print(line)
        finally:
            tmux.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
