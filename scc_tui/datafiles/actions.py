"""Load action cards (``scc_tui/data/actions/*.toml``; extra directories on ``$SCC_ACTIONS_PATH``).

Errors are :class:`~scc_tui.domain.errors.DataFileError` with file, line and field. Format:
docs/escalation.md ("Action cards").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate
from scc_tui.domain.actions import ActionCard, ActionItem, CardLevel
from scc_tui.domain.errors import DataFileError
from scc_tui.settings import Settings, current

__all__ = ["load_card_file", "load_cards", "card_dirs", "PACKAGED_CARDS"]

PACKAGED_CARDS = Path(__file__).resolve().parent.parent / "data" / "actions"

_Kind = Literal["region", "ics", "system", "provider", "la-area", "council"]


class _Item(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    text: str = Field(min_length=1)
    role: str = ""
    note: str = ""


class _Level(StrictModel):
    level: int = Field(ge=1, le=4)
    continues: list[int] = []
    item: list[_Item] = Field(min_length=1)


class _File(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    seed: str = Field(min_length=1)
    effective_from: date
    effective_to: date | None = None
    scope: str = Field(min_length=1)
    kinds: list[_Kind] = []
    in_source: bool
    judgement: str = ""
    level: list[_Level] = []

    @model_validator(mode="after")
    def _shape(self) -> "_File":
        if self.in_source and not self.level:
            raise ValueError("a card transcribed from its source (in_source = true) needs its levels")
        if not self.in_source and self.level:
            raise ValueError("a card not in the source (in_source = false) must not carry invented items")
        return self


def _build(path: Path, text: str, m: _File) -> ActionCard:
    levels = []
    seen_levels: set[int] = set()
    for i, lv in enumerate(m.level):
        if lv.level in seen_levels:
            raise data_error(path, text, f"level[{i}].level", f"level {lv.level} appears twice")
        seen_levels.add(lv.level)
        for c in lv.continues:
            if c >= lv.level:
                raise data_error(path, text, f"level[{i}].continues", f"level {lv.level} cannot continue level {c}")
        ids: set[str] = set()
        for j, it in enumerate(lv.item):
            if it.id in ids:
                raise data_error(path, text, f"level[{i}].item[{j}].id", f"duplicate item id {it.id!r}")
            ids.add(it.id)
        levels.append(CardLevel(lv.level, tuple(ActionItem(it.id, it.text, it.role, it.note) for it in lv.item),
                                tuple(lv.continues)))
    if m.effective_to is not None and m.effective_to < m.effective_from:
        raise data_error(path, text, "effective_to", "is before effective_from")
    return ActionCard(
        id=m.id, version=m.version, title=m.title, seed=m.seed, effective_from=m.effective_from, scope=m.scope,
        kinds=tuple(m.kinds), levels=tuple(levels), in_source=m.in_source, effective_to=m.effective_to,
        judgement=m.judgement, source=str(path),
    )


@cached
def load_card_file(path: Path) -> ActionCard:
    text, data = read_toml(path)
    return _build(Path(path), text, validate(_File, data, path, text))


def card_dirs(settings: Settings | None = None) -> list[Path]:
    """The packaged directory, then each directory in ``$SCC_ACTIONS_PATH`` (the settings')."""
    return [PACKAGED_CARDS, *(settings or current()).actions_path]


def load_cards(dirs: list[Path] | None = None) -> list[ActionCard]:
    out: list[ActionCard] = []
    seen: dict[tuple[str, str], str] = {}
    for d in dirs if dirs is not None else card_dirs():
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.toml")):
            c = load_card_file(f)
            k = (c.id, c.version)
            if k in seen and Path(seen[k]).resolve() != f.resolve():
                raise DataFileError(f, "version", f"card {c.id} {c.version} is also in {seen[k]}")
            seen[k] = str(f)
            out.append(c)
    out.sort(key=lambda c: (c.id, c.effective_from))
    return out
