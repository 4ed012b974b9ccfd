"""Who is at the keyboard: the OS user of this process, never a typed name.

Behind the SSH front door (docs/remote.md) the app runs as the service account that owns the
database, started by ``sudo -u SERVICE`` from sshd's ``ForceCommand``: the person is then the login
that sudo names in ``SUDO_USER`` (sudo sets it itself; with ``env_reset`` a user cannot pass another
value through). Elsewhere ``SUDO_USER`` could be set by hand, but only in a process running as that
person's own account, which can open only the databases that account could already change directly.
"""

from __future__ import annotations

import os


def _process_user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # pragma: no cover - non-POSIX fallback
        import getpass

        return getpass.getuser()


def os_user(environ: dict[str, str] | None = None) -> str:
    """The login name: ``SUDO_USER`` when this process was switched to another account by sudo (the SSH
    front door), else the process's own user. ``SUDO_USER`` comes from the settings (``scc_tui.settings``)."""
    if environ is None:
        from scc_tui import settings

        via = settings.current().sudo_user or ""
    else:
        via = (environ.get("SUDO_USER") or "").strip()
    me = _process_user()
    if via and via != me and via != "root":
        return via
    return me
