"""A separate process evaluating the escalation rules and recording what fires (for the concurrency test).

usage: firing_worker.py DB_URL AT_ISO ROUNDS  -> prints "id rule_key|area|occasion" per firing per round
"""

from __future__ import annotations

import sys
from datetime import datetime

from scc_tui.domain.clock import FixedClock
from scc_tui.store import escalations
from scc_tui.store.db import Store, resolve_url


def main() -> None:
    url, at, rounds = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
    st = Store(resolve_url(url), FixedClock(at))
    for _ in range(rounds):
        for a in escalations.active(st):
            print(a.record.id, "|".join(a.firing.key), flush=True)
    st.dispose()


if __name__ == "__main__":
    main()
