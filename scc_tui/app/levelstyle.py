"""Level chips as Textual content markup (theme variables, so they follow the theme)."""

from __future__ import annotations

from textual.markup import escape

CHIP = {
    1: "bold black on $success",
    2: "bold black on $warning",
    3: "bold white on $error",
    4: "bold reverse",
}


def chip(level: int | None, text: str | None = None) -> str:
    """' OPEL 3 ' in its colour; the number is always there (colour is never alone)."""
    if level not in CHIP:
        return "[$text-muted] — [/]"
    label = escape(text if text is not None else f" OPEL {level} ")
    return f"[{CHIP[level]}]{label}[/]"
