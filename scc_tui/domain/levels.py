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
