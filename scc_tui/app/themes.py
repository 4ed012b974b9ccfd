"""The board's three themes. Level colours come from $success/$warning/$error, OPEL 4 is reverse
video, and the level number is always printed: the board reads in 16 colours and with NO_COLOR."""

from __future__ import annotations

from textual.theme import Theme

DARK = Theme(
    name="scc-dark",
    primary="#4A90D9",
    secondary="#7FA7D6",
    accent="#5FB3B3",
    foreground="#E6E6E6",
    background="#101418",
    surface="#1B2128",
    panel="#242C35",
    success="#3FA34D",
    warning="#F0A30A",
    error="#D64541",
    dark=True,
)

LIGHT = Theme(
    name="scc-light",
    primary="#005EB8",  # NHS blue
    secondary="#41B6E6",
    accent="#00A499",
    foreground="#1D1D1D",
    background="#F7F7F7",
    surface="#E8EDEE",
    panel="#D8DDE0",
    success="#007F3B",
    warning="#FFB81C",
    error="#C8102E",
    dark=False,
)

HIGH_CONTRAST = Theme(
    name="scc-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#00FFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00C000",
    warning="#FFD700",
    error="#FF2020",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
)

THEMES = [DARK, LIGHT, HIGH_CONTRAST]
THEME_TITLES = {DARK.name: "dark", LIGHT.name: "light", HIGH_CONTRAST.name: "high contrast"}
DEFAULT_THEME = DARK.name
