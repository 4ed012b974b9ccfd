"""scc-tui: a terminal app for NHS System Coordination Centres.

The package is layered (arrows point inward):

* ``scc_tui.domain`` – pure rules (scoring, plans, escalation, schedules, clock). No Textual, no SQL,
  no wall clock, no file I/O beyond reading packaged data.
* ``scc_tui.store`` – the only place that knows SQL (SQLModel tables, migrations, change feed).
* ``scc_tui.app`` – the only place that knows Textual.
* ``scc_tui.cli`` – thin commands over domain and store.
"""

__version__ = "0.1.0"
