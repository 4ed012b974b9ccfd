"""OPEL levels (DOMAIN.md §2). Colour is never the only carrier: the number is always shown."""

from __future__ import annotations

from enum import IntEnum


class Opel(IntEnum):
    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4

    @property
    def label(self) -> str:
        return f"OPEL {int(self)}"

    @property
    def risk(self) -> str:
        return {1: "low", 2: "medium", 3: "high", 4: "very high"}[int(self)]

    @property
    def colour(self) -> str:
        """The seed convention's colour name (green, amber, red, black)."""
        return {1: "green", 2: "amber", 3: "red", 4: "black"}[int(self)]

    @classmethod
    def parse(cls, value: object) -> "Opel":
        """Accept 1-4, "3", "OPEL 3", "opel3", or a RAG word (green/amber/red/black)."""
        if isinstance(value, Opel):
            return value
        if isinstance(value, bool):
            raise ValueError(f"not an OPEL level: {value!r}")
        if isinstance(value, int):
            if 1 <= value <= 4:
                return cls(value)
            raise ValueError(f"OPEL level must be 1-4, got {value}")
        text = str(value).strip().lower().replace("opel", "").strip()
        words = {"green": 1, "amber": 2, "red": 3, "black": 4}
        if text in words:
            return cls(words[text])
        if text.isdigit() and 1 <= int(text) <= 4:
            return cls(int(text))
        raise ValueError(f"not an OPEL level: {value!r} (use 1-4)")


def declaration_needs_reason(level: int, computed: int | None, in_force: int | None) -> str | None:
    """The one rule for a declared level's reason (the declare form, ``scc``'s imports and the store).

    A reason is needed when the declared ``level`` differs from the ``computed`` level (the latest
    assessment's). Where there is no computed level (a region, an ICS, a system, a council, a
    declare-only provider) the level **in force** stands in for it: declaring a different level needs
    a reason; confirming it does not, nor does a first declaration (nothing in force to differ from).
    Returns what is missing (one line, without the area's name), or None when no reason is needed."""
    if computed is not None:
        if level != computed:
            return f"declaring OPEL {level} when the computed level is OPEL {computed} needs a reason"
        return None
    if in_force is not None and level != in_force:
        return (f"declaring OPEL {level} with no computed level, changing the level in force (OPEL {in_force}), "
                "needs a reason")
    return None
