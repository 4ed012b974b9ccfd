"""Loaders for packaged and user TOML data files -> validated domain objects.

* :mod:`scc_tui.datafiles.base` — shared helpers (read TOML, pydantic validation, errors with file,
  line and field, a per-file cache). Reuse them for every new file kind.
* :mod:`scc_tui.datafiles.methods` — scoring methods and plan versions (``scc_tui/data/methods``).
* :mod:`scc_tui.datafiles.schedules` — call schedules (``schedules/*.toml``).

Nothing is imported here, so importing one loader does not pull in the others.
"""
