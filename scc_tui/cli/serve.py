"""``scc serve``: the board in a web browser (textual-serve), for those who cannot SSH (issue 14 item 2).

One app process per browser tab, each running ``scc tui`` with Textual's web driver. textual-serve has
no authentication: the server binds to loopback by default and warns when bound anywhere else; put an
authenticating reverse proxy in front and give it ``--public-url`` (docs/remote.md "Browser").
Everyone who reaches the page acts as the account that runs ``scc serve`` (its access-file role).
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, db_target, int_in, warn

LOOPBACK_NAMES = {"localhost", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: str) -> bool:
    h = host.strip().strip("[]").lower()
    if h in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    if is_loopback(host):
        return None
    return (f"serving on {host}: textual-serve has no authentication, so anyone who can reach this port "
            "uses the board as this account; bind to 127.0.0.1 behind an authenticating reverse proxy "
            "(docs/remote.md)")


def child_command(environ: dict[str, str] | None = None) -> str:
    """The command textual-serve starts for each browser tab (the database comes in ``SCC_DB``, never on
    a command line other users can read)."""
    return f"{shlex.quote(sys.executable)} -m scc_tui tui"


def run(command: str, argv: list[str]) -> int:
    p = ArgParser(prog="scc serve", description="Serve the board to web browsers (textual-serve; no authentication).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int_in(1, 65535), default=8000, help="port (default 8000)")
    p.add_argument("--public-url", metavar="URL", help="the URL browsers use, when behind a reverse proxy "
                   "(e.g. https://scc.example.nhs.uk); default http://HOST:PORT")
    add_db_arg(p)
    a = p.parse_args(argv)
    target = db_target(db_of(a))
    try:
        from textual_serve.server import Server
    except ImportError:  # pragma: no cover - a core dependency
        from scc_tui.cli.common import fail

        return fail("textual-serve is not installed (pip install textual-serve)")
    if (w := exposure_warning(a.host)) is not None:
        warn(w)
    from scc_tui.settings import hand_down

    hand_down("SCC_DB", target.url)  # inherited by each tab's process
    server = Server(child_command(), host=a.host, port=a.port, title="SCC board", public_url=a.public_url)
    server.serve()
    return 0
