"""Access file (TOML) -> validated :class:`~scc_tui.domain.access.Grant` list (issue 14 item 3).

Format (docs/remote.md "Who may do what")::

    [[user]]
    name = "alice"                    # the OS login name (the SSH login), unique (case-insensitive)
    role = "on-call-manager"          # viewer | scc-operator | on-call-manager | trainer | admin
    areas = ["Kent County Council"]   # optional: only these areas and those under them (default: all)

Every problem is a :class:`~scc_tui.domain.errors.DataFileError` naming the file, the line and the
field. Area names are checked against the database when the file is imported (``store.access``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, data_error, read_toml, validate
from scc_tui.domain.access import Grant

__all__ = ["load_access", "parse_access"]


class _UserModel(StrictModel):
    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.@-]*$")
    role: Literal["viewer", "scc-operator", "on-call-manager", "trainer", "admin"]
    areas: list[str] = Field(default_factory=list, max_length=500)


class _FileModel(StrictModel):
    user: list[_UserModel] = Field(min_length=1)


def load_access(path: str | Path) -> list[Grant]:
    text, data = read_toml(path)
    return parse_access(data, path, text)


def parse_access(data: dict, path: str | Path, text: str) -> list[Grant]:
    model = validate(_FileModel, data, path, text)
    seen: dict[str, int] = {}
    out: list[Grant] = []
    for i, u in enumerate(model.user):
        key = u.name.casefold()
        if key in seen:
            raise data_error(path, text, f"user[{i}].name",
                             f"{u.name!r} is named twice (also user[{seen[key]}]); one entry per user")
        seen[key] = i
        for j, a in enumerate(u.areas):
            if not a.strip():
                raise data_error(path, text, f"user[{i}].areas[{j}]", "an area name is empty")
        out.append(Grant(u.name, u.role, tuple(a.strip() for a in u.areas)))
    return out


def area_field(grants: list[Grant], user_index: int, area_index: int) -> str:
    return f"user[{user_index}].areas[{area_index}]"
