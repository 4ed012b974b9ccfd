"""CI smoke test for an installed wheel: open the board headless on a demo database and check that it
shows the areas and the schedule's agenda. Run with the fresh venv's python, from outside the checkout:

    VENV/bin/python .ci/wheel_board.py DEMO.db

It refuses to run on an editable install or a checkout (the point is the installed package)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def main(db: str) -> int:
    import scc_tui
    from scc_tui.cli import _register_plans
    from scc_tui.datafiles.schedules import default_schedule_path
    from scc_tui.settings import Settings, installed

    pkg = Path(scc_tui.__file__).resolve().parent
    if "site-packages" not in pkg.parts:
        print(f"wheel smoke: scc_tui imported from {pkg}, not an installed wheel", file=sys.stderr)
        return 1
    # The start-up the CLI does: the environment read once (scc_tui.settings), the plans registered.
    with installed(Settings.from_process()) as settings:
        _register_plans()
        return await _board(db, settings, default_schedule_path())


async def _board(db: str, settings, schedule) -> int:
    from scc_tui.app.app import SccApp
    from scc_tui.app.db_seam import DbSeam
    from scc_tui.store.db import Store, resolve_url

    print(f"wheel smoke: schedule {schedule}")
    clock = settings.clock()
    store = Store(resolve_url(db), clock, create=False)
    app = SccApp(DbSeam(store), clock, "ci", refresh=True, environ={}, settings=settings)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(1000):
                if getattr(app, "loaded", False):
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            text = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
            if not app.loaded or "QEQM Hospital" not in text or "OPEL" not in text:
                print("wheel smoke: the board did not show the demo areas:\n" + text, file=sys.stderr)
                return 1
            if app.prompts is None:
                print("wheel smoke: the board has no schedule prompts", file=sys.stderr)
                return 1
            await pilot.press("q")
    finally:
        store.dispose()
    print("wheel smoke: board ok")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
