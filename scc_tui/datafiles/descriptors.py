"""What each level means in a plan's own words (``scc_tui/data/descriptors/*.toml``), shown beside the
level choice when declaring (KCC ASC OPEL plan v1.8 §4, Table 2). Errors name file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from scc_tui.datafiles.base import StrictModel, cached, data_error, read_toml, validate

__all__ = ["LevelDescriptors", "load_descriptor_file", "load_descriptors", "descriptors_for", "PACKAGED_DESCRIPTORS"]

PACKAGED_DESCRIPTORS = Path(__file__).resolve().parent.parent / "data" / "descriptors"


class _Level(StrictModel):
    level: int = Field(ge=1, le=4)
    quotes: list[str] = Field(min_length=1)
    total: int = Field(ge=1)


class _File(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    seed: str = Field(min_length=1)
    methods: list[str] = []
    names: list[str] = []
    level: list[_Level] = Field(min_length=1)


@dataclass(frozen=True)
class LevelDescriptors:
    id: str
    title: str
    seed: str
    methods: tuple[str, ...]
    names: tuple[str, ...]
    levels: dict[int, tuple[tuple[str, ...], int]]  # level -> (quotes, total indicators in the table)

    def applies(self, name: str, method: str | None) -> bool:
        if name.casefold() in {n.casefold() for n in self.names}:
            return True
        return bool(method) and any(method == m or method.startswith(m + "-") for m in self.methods)

    def text(self, level: int) -> str:
        quotes, total = self.levels.get(level, ((), 0))
        if not quotes:
            return ""
        more = total - len(quotes)
        lines = [f"{self.title} (OPEL {level}), {self.seed}:"] + [f"• {q}" for q in quotes]
        if more > 0:
            lines.append(f"… and {more} more indicators in the table")
        return "\n".join(lines)


@cached
def load_descriptor_file(path: Path) -> LevelDescriptors:
    text, data = read_toml(path)
    m = validate(_File, data, path, text)
    levels: dict[int, tuple[tuple[str, ...], int]] = {}
    for i, lv in enumerate(m.level):
        if lv.level in levels:
            raise data_error(path, text, f"level[{i}].level", f"level {lv.level} appears twice")
        if lv.total < len(lv.quotes):
            raise data_error(path, text, f"level[{i}].total", "is less than the number of quotes")
        levels[lv.level] = (tuple(lv.quotes), lv.total)
    return LevelDescriptors(m.id, m.title, m.seed, tuple(m.methods), tuple(m.names), levels)


def load_descriptors(directory: Path | None = None) -> list[LevelDescriptors]:
    d = directory or PACKAGED_DESCRIPTORS
    return [load_descriptor_file(f) for f in sorted(d.glob("*.toml"))] if d.is_dir() else []


def descriptors_for(name: str, method: str | None) -> LevelDescriptors | None:
    return next((d for d in load_descriptors() if d.applies(name, method)), None)
