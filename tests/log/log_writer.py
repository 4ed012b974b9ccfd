"""A log writer process for the concurrency and crash tests (not a test module).

    python tests/log/log_writer.py DB_URL SECONDS TAG

Appends entries for SECONDS; prints each seq on its own line, flushed, only after its commit.
"""

import sys
import time

sys.path.insert(0, __file__.rsplit("/tests/", 1)[0])

from scc_tui.store.db import Store, resolve_url  # noqa: E402
from scc_tui.store.log import append_entry  # noqa: E402


def main() -> int:
    url, seconds, tag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    store = Store(resolve_url(url))
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        e = append_entry(store, kind="note", text=f"{tag} entry {i}", author=tag, source="test")
        print(e.seq, flush=True)
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
