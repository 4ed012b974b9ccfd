"""A store opened on first use, so the board's first frame does not wait for SQLAlchemy (issue 11 item 9).

``DeferredStore(open_store)`` stands in for a :class:`~scc_tui.store.db.Store`: the first attribute
that is not its own (``read``, ``write``, ``url``, ...) opens the real store, once, on whichever thread
asks first (the app's first full read runs in a worker thread, after the first frame is on screen).
Only the CLI uses it, after :mod:`scc_tui.store.first_read` has shown the schema is current.
"""

from __future__ import annotations

import threading
from typing import Any, Callable


class DeferredStore:
    def __init__(self, open_store: Callable[[], Any]) -> None:
        self._open = open_store
        self._store: Any = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> bool:
        return self._store is not None

    def get(self) -> Any:
        store = self._store
        if store is None:
            with self._lock:
                if self._store is None:
                    self._store = self._open()
                store = self._store
        return store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.get(), name)

    def dispose(self) -> None:
        """Dispose of the real store if it was ever opened (never opens it to do so)."""
        if self._store is not None:
            self._store.dispose()
