"""Who is at the keyboard: the OS user of this process, never a typed name."""

from __future__ import annotations

import os


def os_user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # pragma: no cover - non-POSIX fallback
        import getpass

        return getpass.getuser()
