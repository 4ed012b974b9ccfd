"""Level colours, in one place: content-markup chips and the board's Rich styles both read them.

Each level's label has its own style, published as a theme variable (``$opel-1`` … ``$opel-4``) so
that it follows the theme. In true colour and 256 colours the levels use the theme's
``$success``/``$warning``/``$error`` and OPEL 4 is reverse video. At 16 colours those theme colours
collapse (OPEL 1 grey, OPEL 2 and 3 both bright red, OPEL 4 a pale reverse), so each level gets a
colour of the 16-colour palette instead: 1 green, 2 yellow, 3 red, 4 bright magenta (the brightest
background of the four: OPEL 4 stands out most). The level number is always printed, so the board
also reads with ``NO_COLOR``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter
from textual.markup import escape

LEVELS = (1, 2, 3, 4)

#: The level styles at 16 colours: (text, background) as the palette's own RGB (Rich's standard
#: palette), so that a terminal's downgrade lands exactly on these colours.
ANSI16 = {
    1: ("#000000", "#00aa00"),  # black on green (palette 2)
    2: ("#000000", "#ffff55"),  # black on bright yellow (palette 11)
    3: ("#ffffff", "#aa0000"),  # bright white on red (palette 1)
    4: ("#000000", "#ff55ff"),  # black on bright magenta (palette 13)
}
#: The palette number each level's label background lands on at 16 colours (tests check it).
ANSI16_NUMBER = {1: 2, 2: 11, 3: 1, 4: 13}


def variable(level: int) -> str:
    return f"opel-{level}"


def level_variables(theme: Mapping[str, str], *, sixteen: bool = False) -> dict[str, str]:
    """``opel-1`` … ``opel-4`` style strings for a theme's resolved variables."""
    if sixteen:
        return {variable(n): f"bold {fg} on {bg}" for n, (fg, bg) in ANSI16.items()}
    return {
        variable(1): f"bold #000000 on {theme.get('success', '#008000')}",
        variable(2): f"bold #000000 on {theme.get('warning', '#ffa500')}",
        variable(3): f"bold #ffffff on {theme.get('error', '#ff0000')}",
        variable(4): "bold reverse",
    }


def rich_style(level: int, variables: Mapping[str, str]) -> Style:
    """The Rich style of a level's label from the resolved variables (the board draws with these)."""
    value = variables.get(variable(level))
    if value is None:
        value = level_variables(variables)[variable(level)]
    return Style.parse(value)


def chip(level: int | None, text: str | None = None) -> str:
    """' OPEL 3 ' in its colour; the number is always there (colour is never alone)."""
    if level not in LEVELS:
        return "[$text-muted] — [/]"
    label = escape(text if text is not None else f" OPEL {level} ")
    return f"[${variable(level)}]{label}[/]"


# --------------------------------------------------------------------------------------------------
# Colour depth


def colour_depth(env: Mapping[str, str]) -> int:
    """16, 256 or 16_777_216, as Rich decides it for a terminal with this environment
    (``TEXTUAL_COLOR_SYSTEM`` first, then ``COLORTERM``, then the ``TERM`` suffix)."""
    forced = (env.get("TEXTUAL_COLOR_SYSTEM") or "").strip().lower()
    if forced in ("standard", "windows"):
        return 16
    if forced == "256":
        return 256
    if forced == "truecolor":
        return 16_777_216
    if (env.get("COLORTERM") or "").strip().lower() in ("truecolor", "24bit"):
        return 16_777_216
    term = (env.get("TERM") or "").strip().lower()
    if not term:
        return 16_777_216  # no terminal named (tests, a headless run): Textual's own default
    suffix = term.rpartition("-")[2]
    if suffix in ("256color", "kitty") or term == "kitty":
        return 256
    return 16


class Sixteen(LineFilter):
    """What a 16-colour terminal shows: every colour replaced by the palette colour the terminal
    would pick (Rich's downgrade), so that screenshots show the real picture."""

    def apply(self, segments: list[Segment], background) -> list[Segment]:  # noqa: ANN001 - textual Color
        return [Segment(text, _sixteen(style), control) if style else Segment(text, style, control)
                for text, style, control in segments]


def _down(color: RichColor | None) -> RichColor | None:
    if color is None or color.is_default:
        return color
    number = color.downgrade(ColorSystem.STANDARD).number
    if number is None:
        return color
    from rich._palettes import STANDARD_PALETTE

    return RichColor.from_triplet(STANDARD_PALETTE[number])


_CACHE: dict[Style, Style] = {}


def _sixteen(style: Style) -> Style:
    out = _CACHE.get(style)
    if out is None:
        out = style + Style.from_color(_down(style.color), _down(style.bgcolor))
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[style] = out
    return out
