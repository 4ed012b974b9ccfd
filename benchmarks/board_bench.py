"""Board benchmarks: prints medians and ratios against a bare Textual app. A report, never a gate.

    .venv/bin/python benchmarks/board_bench.py            # idle CPU over 60 s
    .venv/bin/python benchmarks/board_bench.py --quick    # idle CPU over 10 s, fewer repeats

How it measures (all headless, ``App.run_test()``, 160x50, same process, same run):

* **first paint with data**: from constructing the app to the first frame that shows the areas
  (``app.loaded`` and one ``pilot.pause()``, i.e. the screen has been refreshed). The board reads
  its statuses through its store seam (``scc_tui.app.seam.StoreSeam``), here an in-memory list so the
  figure is the app's own cost (the SQL query is the store's benchmark). The baseline is a bare App
  that mounts the same number of ``Static`` tiles (one per area) in a ``VerticalScroll``.
* **idle CPU**: process CPU time / wall time while the app sits idle with its refresh loop running
  (change feed polled every 0.5 s; the feed here is a no-op, the real one is a ``PRAGMA``).
* **apply one change at 500 areas**: an updated status list for one area is posted to the app; we
  time the App handler (diff, rebuild model, update the changed tile and its groups) and, separately,
  until the next frame is rendered. Baseline: ``Static.update`` of one tile in the bare app.
* **RSS flat**: resident set size after 100 and after 10,000 one-area updates applied through the
  App handler, a frame rendered every 50 (gc'd before reading).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Static  # noqa: E402

from scc_tui.app.app import SccApp  # noqa: E402
from scc_tui.app.board.model import build_board  # noqa: E402
from scc_tui.app.messages import StatusesLoaded  # noqa: E402
from scc_tui.domain.clock import FixedClock  # noqa: E402
from scc_tui.domain.status import AreaStatus  # noqa: E402
from tests.helpers.statuses import NOW, area_status  # noqa: E402

SIZE = (160, 50)


def statuses(n: int) -> list[AreaStatus]:
    """n areas: ICSs of systems of 10 providers (about 1 in 12 areas is a group)."""
    out: list[AreaStatus] = []
    next_id = 1
    ics = None
    system = None
    providers = 0
    while len(out) < n:
        if ics is None or (system is not None and providers % 60 == 0 and providers):
            ics = next_id
            out.append(area_status(next_id, f"ICS {next_id}", "ics", None, None))
            next_id += 1
            system = None
        if system is None or providers % 10 == 0:
            system = next_id
            out.append(area_status(next_id, f"System {next_id}", "system", ics, None))
            next_id += 1
        level = (next_id % 4) + 1
        out.append(
            area_status(next_id, f"Provider {next_id:04d}", "provider", system, "acute-2023", level, level, None,
                       level * 9, 44, NOW, 1, None, "none", NOW, next_id % 9 == 0, "bench")
        )
        next_id += 1
        providers += 1
    return out[:n]


class NoFeed:
    def poll(self) -> bool:
        return False

    def close(self) -> None:
        pass


class BenchSeam:
    """The part of the app's store seam the board uses, in memory (``install`` sets the rows)."""

    rows: list[AreaStatus] = []

    def board_statuses(self, at) -> list[AreaStatus]:
        return list(self.rows)

    def open_change_feed(self) -> NoFeed:
        return NoFeed()

    def record_data_files(self, author: str) -> None:
        pass


class BareApp(App):
    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for s in statuses(self.n):
                yield Static(f"{s.name}  OPEL {s.level}  {s.score}/44", classes="tile")


def install(rows: list[AreaStatus]) -> None:
    BenchSeam.rows = rows


async def first_paint_board(n: int) -> float:
    install(statuses(n))
    start = time.perf_counter()
    app = SccApp(BenchSeam(), FixedClock(NOW), "bench", refresh=False)
    async with app.run_test(size=SIZE) as pilot:
        while not app.loaded:
            await pilot.pause(0.001)
        await pilot.pause()
        return time.perf_counter() - start


async def first_paint_bare(n: int) -> float:
    start = time.perf_counter()
    app = BareApp(n)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def idle_cpu(make_app, seconds: float) -> float:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        c0, w0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(seconds)
        return (time.process_time() - c0) / (time.perf_counter() - w0)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def apply_change(n: int, updates: int, rss_at: tuple[int, ...] = (), frames: bool = True) -> dict:
    rows = statuses(n)
    install(rows)
    app = SccApp(BenchSeam(), FixedClock(NOW), "bench", refresh=False)
    handler_ms: list[float] = []
    frame_ms: list[float] = []
    rss: dict[int, int] = {}
    leaf_ids = [s.area_id for s in rows if s.kind == "provider"]
    async with app.run_test(size=SIZE) as pilot:
        while not app.loaded:
            await pilot.pause(0.001)
        await pilot.pause()
        current = rows
        for k in range(1, updates + 1):
            target = leaf_ids[k % 20]  # areas near the top, on screen
            new_level = (k % 4) + 1
            current = [replace(s, level=new_level, score=new_level * 9.0 + (k % 3)) if s.area_id == target else s
                       for s in current]
            if frames:
                t0 = time.perf_counter()
                app.post_message(StatusesLoaded(current, build_board(current), NOW, "feed", True))
                await pilot.pause()
                frame_ms.append((time.perf_counter() - t0) * 1000)
            else:  # the handler directly; a frame every 50 updates
                app.on_statuses_loaded(StatusesLoaded(current, build_board(current), NOW, "feed", True))
                if k % 50 == 0:
                    await pilot.pause()
            handler_ms.append(app.last_apply_ms or 0.0)
            if k in rss_at:
                gc.collect()
                rss[k] = rss_kib()
    return {"handler": handler_ms, "frame": frame_ms, "rss": rss}


async def bare_change(n: int, updates: int) -> list[float]:
    app = BareApp(n)
    out = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tiles = list(app.query(Static).results(Static))
        for k in range(updates):
            t0 = time.perf_counter()
            tiles[k % 20].update(f"changed {k} OPEL {(k % 4) + 1}")
            await pilot.pause()
            out.append((time.perf_counter() - t0) * 1000)
    return out


def med(xs) -> float:
    return statistics.median(xs)


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="idle CPU over 10 s and fewer repeats")
    parser.add_argument("--idle", type=float, default=None, help="idle seconds (default 60, --quick 10)")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args(argv)
    idle = args.idle or (10.0 if args.quick else 60.0)
    repeats = args.repeats or (3 if args.quick else 7)

    print(f"board benchmarks (textual headless, {SIZE[0]}x{SIZE[1]}, repeats={repeats})")
    for n in (20, 500):
        board = [await first_paint_board(n) for _ in range(repeats)]
        bare = [await first_paint_bare(n) for _ in range(repeats)]
        print(f"first paint, {n:>3} areas: board {med(board) * 1000:7.1f} ms   bare Statics {med(bare) * 1000:7.1f} ms"
              f"   ratio {med(board) / med(bare):.2f}x (goal <= 1.5x)")

    install(statuses(500))
    board_cpu = await idle_cpu(lambda: SccApp(BenchSeam(), FixedClock(NOW), "bench", prompts=False), idle)
    bare_cpu = await idle_cpu(lambda: BareApp(500), idle)
    print(f"idle CPU over {idle:.0f} s, 500 areas: board {board_cpu * 100:.2f}%   bare {bare_cpu * 100:.2f}%")

    result = await apply_change(500, 200)
    bare = await bare_change(500, 200)
    print(f"apply one change, 500 areas: handler median {med(result['handler']):.2f} ms "
          f"(p95 {sorted(result['handler'])[int(0.95 * len(result['handler']))]:.2f} ms, goal <= 16 ms); "
          f"to next frame {med(result['frame']):.2f} ms   bare Static.update to next frame {med(bare):.2f} ms")

    result = await apply_change(500, 10_000, rss_at=(100, 10_000), frames=False)
    r100, r10k = result["rss"][100], result["rss"][10_000]
    print(f"RSS after 100 updates {r100 / 1024:.1f} MiB, after 10,000 {r10k / 1024:.1f} MiB: "
          f"{(r10k - r100) / r100 * 100:+.1f}% (goal within 5%)")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
