"""Key helpers (a leaf: nothing here imports a screen) and the user's keymap file.

The keys themselves are declared where they act, as ``BINDINGS`` on each screen and widget, each with
an id (``board.declare``); the help screen and the README's key table are generated from them
(``scc_tui.app.screens.help``).

**Rebinding.** A user's keymap file maps binding ids to keys, through Textual's keymap support
(``App.set_keymap``)::

    # ~/.config/scc-tui/keymap.toml  (or $XDG_CONFIG_HOME/scc-tui/keymap.toml)
    [keys]
    "board.declare" = "D"
    "board.agenda" = "c,f2"

Every id is listed in the README's key table. An unknown id, or a value that is not a
string of keys, is refused on start-up with the file, line and id named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from textual.binding import Binding

from scc_tui.domain.errors import SccError

__all__ = ["KeymapError", "form_focus_bindings", "keymap_path", "load_keymap"]

KEYMAP_FILE = "keymap.toml"


class KeymapError(SccError):
    """The user's keymap file is not valid (names the file, the line and the id)."""


def form_focus_bindings(prefix: str, *, enter: bool = False) -> list[Binding]:
    """Tab / Shift+Tab (and, for one-line fields, Enter) as *priority* bindings of a form screen.

    Textual delivers a non-priority Tab to the focused field and moves focus only when the key has
    bubbled back up to the app, several message hops later; keys typed in the same burst ("1 Tab 2"
    from a fast typist, a paste, or a slow SSH link delivering keys in one read) have by then already
    been forwarded to the old field, so "2" lands in the first field. A priority binding is handled
    by the app as it reads the key, before the next key is forwarded. Enter moves on only from a
    one-line ``Input`` (the screen's ``check_action`` for ``next_field`` says when).
    """
    out = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True, id=f"{prefix}.next_field",
                tooltip="next field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True,
                id=f"{prefix}.previous_field", tooltip="previous field"),
    ]
    if enter:
        out.append(Binding("enter", "next_field", "Next field", show=False, priority=True, id=f"{prefix}.enter_next",
                           tooltip="next field (from a one-line field)"))
    return out


def form_bindings(prefix: str, save: str, save_tooltip: str, *, enter: bool = False,
                  f1_help: bool = False) -> list[Binding]:
    """A form screen's keys: Ctrl+S (``save``, shown), Esc Cancel, the focus keys
    (:func:`form_focus_bindings`) and, for a modal form whose fields take "?", F1 for the help."""
    out = [
        Binding("ctrl+s", "save", save, id=f"{prefix}.save", tooltip=save_tooltip),
        Binding("escape", "cancel", "Cancel", id=f"{prefix}.cancel", tooltip="cancel (asks first if anything was typed)"),
        *form_focus_bindings(prefix, enter=enter),
    ]
    if f1_help:
        out.append(Binding("f1", "app.help_f1", "Help", id=f"{prefix}.help", tooltip="every key (this help)"))
    return out


def keymap_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the user's keymap file lives: ``$XDG_CONFIG_HOME/scc-tui/keymap.toml``, by default
    ``~/.config/scc-tui/keymap.toml``."""
    if env is None:  # the settings the CLI read (scc_tui.settings)
        from scc_tui.settings import current

        s = current()
        env = {k: str(v) for k, v in (("XDG_CONFIG_HOME", s.config_home), ("HOME", s.home)) if v}
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "scc-tui" / KEYMAP_FILE


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 0


def load_keymap(path: Path, known_ids: Callable[[], Iterable[str]]) -> dict[str, str]:
    """The ``[keys]`` table of a keymap file, checked against the binding ids that exist (asked only
    when there is a file: they import every screen); {} when the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise KeymapError(f"{path}: cannot read the keymap file ({exc.strerror or exc})") from None
    import tomllib  # only when there is a file (not on every start)

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{path}: not valid TOML ({exc})") from None
    keys = doc.get("keys", {})
    if not isinstance(keys, dict) or set(doc) - {"keys"}:
        raise KeymapError(f"{path}, line {_line_of(text, '[') or 1}: only a [keys] table is allowed "
                          "(binding id = \"key,key\")")
    known = set(known_ids())
    out: dict[str, str] = {}
    for binding_id, value in keys.items():
        line = _line_of(text, binding_id)
        if binding_id not in known:
            raise KeymapError(f"{path}, line {line}, {binding_id!r}: no such key binding "
                              "(the ids are listed by ? in the app and in the README)")
        if not isinstance(value, str) or not value.strip() or any(not k.strip() for k in value.split(",")):
            raise KeymapError(f"{path}, line {line}, {binding_id!r}: the value must be keys, e.g. \"D\" or \"c,f2\"")
        out[binding_id] = value.replace(" ", "")
    return out
