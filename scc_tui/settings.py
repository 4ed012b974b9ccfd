"""One settings object (issue 11 item 7): every environment variable scc reads, read once.

``scc_tui.cli.main`` reads the environment with :meth:`Settings.from_environ` and installs the result
for the length of the command (:func:`installed`); it passes it down where it is easy (the database
URL, the clock, the app's theme) and the data-file loaders ask :func:`current` for their paths. No
other module reads ``os.environ`` (``tests/test_layering.py`` checks). Without a CLI (tests, embedding)
:func:`current` is the defaults: nothing comes from the environment unless someone installs it.

==================  =====================================================================
``SCC_DB``          the database when ``--db`` is not given
``SCC_NOW``         a fixed clock (ISO instant): demos, snapshots, exercises, tests
``SCC_THEME``       the board's theme
``SCC_DEBUG``       tracebacks instead of one-line errors (1, yes, true)
``SCC_METHODS_PATH``, ``SCC_RULES_PATH``, ``SCC_ACTIONS_PATH``, ``SCC_SCENARIOS_PATH``
                    more directories of plan, rule, action-card and exercise-scenario files (``os.pathsep``)
``SCC_SCHEDULE``    the call schedule file
``SCC_SUBMISSIONS`` a submissions file replacing the packaged one
``SCC_EXPORT_DIR``  where the handover screen saves (default: the current directory)
``SCC_EXPORT_DIR``  (else ``HOME``'s Documents, else ``HOME``)
``XDG_CONFIG_HOME`` where the keymap file is (else ``HOME``/.config)
``PATH``            whether ``scc`` is on it (the empty board's hint)
``SSH_CONNECTION``  set by sshd: animations off
``TERM``, ``COLORTERM``, ``TEXTUAL_COLOR_SYSTEM``, ``NO_COLOR``: the terminal (colour depth, refusal)
==================  =====================================================================
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping


#: What decides how the terminal is drawn (colour depth, refused terminals): app/levelstyle, app/terminal.
TERMINAL = ("TERM", "COLORTERM", "TEXTUAL_COLOR_SYSTEM", "NO_COLOR")


def _paths(value: str | None) -> tuple[Path, ...]:
    return tuple(Path(p) for p in (value or "").split(os.pathsep) if p.strip())


def _path(value: str | None) -> Path | None:
    value = (value or "").strip()
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    now: str | None = None
    theme: str | None = None
    debug: bool = False
    methods_path: tuple[Path, ...] = ()
    rules_path: tuple[Path, ...] = ()
    actions_path: tuple[Path, ...] = ()
    scenarios_path: tuple[Path, ...] = ()
    schedule: Path | None = None
    submissions: Path | None = None
    export_dir: Path | None = None
    home: Path | None = None
    config_home: Path | None = None  # XDG_CONFIG_HOME (the keymap file)
    path: str | None = None  # PATH: how the empty board spells the scc command
    ssh: bool = False
    terminal: Mapping[str, str] = field(default_factory=dict)  # TERM, COLORTERM, ... as given
    sudo_user: str | None = None  # SUDO_USER: the SSH login behind the sudo front door (scc_tui.identity)
    web: bool = False  # TEXTUAL_DRIVER is textual-serve's web driver: a browser tab of `scc serve`

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        return cls(
            db=environ.get("SCC_DB") or None,
            now=environ.get("SCC_NOW") or None,
            theme=environ.get("SCC_THEME") or None,
            debug=environ.get("SCC_DEBUG", "").strip().lower() not in ("", "0", "no", "false"),
            methods_path=_paths(environ.get("SCC_METHODS_PATH")),
            rules_path=_paths(environ.get("SCC_RULES_PATH")),
            actions_path=_paths(environ.get("SCC_ACTIONS_PATH")),
            scenarios_path=_paths(environ.get("SCC_SCENARIOS_PATH")),
            schedule=_path(environ.get("SCC_SCHEDULE")),
            submissions=_path(environ.get("SCC_SUBMISSIONS")),
            export_dir=_path(environ.get("SCC_EXPORT_DIR")),
            home=_path(environ.get("HOME")),
            config_home=_path(environ.get("XDG_CONFIG_HOME")),
            path=environ.get("PATH"),
            ssh=bool(environ.get("SSH_CONNECTION")),
            terminal={k: environ[k] for k in TERMINAL if k in environ},
            sudo_user=(environ.get("SUDO_USER") or "").strip() or None,
            web=environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"),
        )

    @classmethod
    def from_process(cls) -> Settings:
        """The process environment: for the CLI's entry point only."""
        return cls.from_environ(os.environ)

    def clock(self):
        """``SCC_NOW`` fixes the clock; otherwise the system clock."""
        from scc_tui.domain.clock import FixedClock, SystemClock, parse_instant

        return FixedClock(parse_instant(self.now)) if self.now else SystemClock()


def user_data_dir() -> Path:
    """The per-user data folder (the default database, local scenarios), as platformdirs puts it."""
    import platformdirs

    return Path(platformdirs.user_data_dir("scc-tui", appauthor=False))


_current = Settings()


def hand_down(name: str, value: str) -> None:
    """Set an environment variable for the processes this one starts (`scc serve`'s browser tabs)."""
    os.environ[name] = value


def current() -> Settings:
    return _current


@contextmanager
def installed(settings: Settings) -> Iterator[Settings]:
    """Make ``settings`` current for the block (the CLI: one command), then put back what was."""
    global _current
    before, _current = _current, settings
    try:
        yield settings
    finally:
        _current = before
