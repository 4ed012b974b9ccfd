"""The detail screen's history plot: the level in force and the assessment score at the end of each London
day over the last 30 or 90 days (``textual-plotext``), so a manager sees the trend rather than reads it.

:func:`build_series` is pure (no Textual, no store): the days of the window come from the injected
clock's ``now`` (London calendar days, today last) and each day's value from what the store gave for it;
a day with nothing in force is a gap, never a zero. :class:`HistoryPlot` draws a series in one box with
two bands, so neither line hides the other (score and level rise together): the level on the top four
rows (left axis 1–4, ``o``), the score on the rows below (right axis, 0 to the method's maximum, ``x``).
Markers tell the two apart without colour; the colours are ANSI palette colours (cyan, blue) that stay apart from each
other and from the four level colours on a 16-colour terminal, in the dark and the light theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence

from textual_plotext import PlotextPlot

from scc_tui.domain.clock import london_date

__all__ = ["SPANS", "HistorySeries", "build_series", "runs", "HistoryPlot"]

#: The spans the detail screen toggles between (days), the first shown first.
SPANS = (30, 90)
LEVEL_MARKER, SCORE_MARKER = "o", "x"
#: plotext colour names for ANSI palette colours 6 (cyan) and 4 (blue), as the bed-gap screen uses palette
#: colours. Not yellow: through Textual's dark ANSI theme a 16-colour terminal shows it bright red, the
#: OPEL 3 colour.
LEVEL_COLOUR, SCORE_COLOUR = "cyan", "blue"


@dataclass(frozen=True)
class HistorySeries:
    """One value per London day of the window, oldest first; None where nothing was in force."""

    days: tuple[date, ...]
    levels: tuple[int | None, ...]
    scores: tuple[float | None, ...]
    max_score: float | None  # the right axis' top: the largest maximum score in the window

    @property
    def span(self) -> int:
        return len(self.days)

    @property
    def has_level(self) -> bool:
        return any(v is not None for v in self.levels)

    @property
    def has_score(self) -> bool:
        return any(v is not None for v in self.scores)

    @property
    def empty(self) -> bool:
        return not (self.has_level or self.has_score)

    def level_runs(self) -> list[list[tuple[int, float]]]:
        return runs(self.levels)

    def score_runs(self) -> list[list[tuple[int, float]]]:
        return runs(self.scores)

    def ticks(self, n: int = 3) -> list[tuple[int, str]]:
        """``n`` x-axis ticks (x from 1) spread from the first day to today, labelled ``23 Nov``."""
        if not self.days:
            return []
        last = len(self.days)
        xs = sorted({1 + round(i * (last - 1) / max(n - 1, 1)) for i in range(n)}) if last > 1 else [1]
        return [(x, f"{self.days[x - 1].day} {self.days[x - 1]:%b}") for x in xs]

    def score_ticks(self) -> list[int]:
        top = self.max_score or 0
        return sorted({0, round(top / 2), round(top)}) if top > 0 else [0]


def runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The unbroken stretches of ``values`` as (x, y) points, x from 1: a None ends a stretch (a gap)."""
    out: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for x, v in enumerate(values, 1):
        if v is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append((x, v))
    if current:
        out.append(current)
    return out


def build_series(levels: Iterable[tuple[date, int | None]],
                 scores: Iterable[tuple[date, float | None, float | None]],
                 *, now: datetime, days: int) -> HistorySeries:
    """The last ``days`` London days up to today (``now``'s London date) with each day's level and score.

    ``levels`` is ``(day, level in force at the end of it)`` and ``scores`` ``(day, score, max score)`` of
    the assessment in force then (the store's ``area_history`` and ``area_score_history``); they may
    cover more days than shown (the detail reads 90 once and toggles). A day they do not cover is a gap.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    today = london_date(now)
    window = tuple(today - timedelta(days=days - 1 - n) for n in range(days))
    level_by_day = {d: lvl for d, lvl in levels}
    score_by_day = {d: (s, m) for d, s, m in scores}
    shown_scores = tuple(score_by_day.get(d, (None, None))[0] for d in window)
    maxima = [m for d in window for s, m in [score_by_day.get(d, (None, None))] if s is not None and m]
    top = max(maxima) if maxima else max((s for s in shown_scores if s is not None), default=None)
    return HistorySeries(window, tuple(level_by_day.get(d) for d in window), shown_scores, top)


class HistoryPlot(PlotextPlot):
    """Level (left axis) and score (right axis) by day; gaps where nothing was in force."""

    DEFAULT_CSS = """
    HistoryPlot { height: 15; width: 1fr; margin-bottom: 1; }
    HistoryPlot.-level-only { height: 9; }
    HistoryPlot.-empty { display: none; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, classes=classes)
        self.series: HistorySeries | None = None

    def show(self, series: HistorySeries) -> None:
        self.series = series
        self.set_class(series.empty, "-empty")
        self.set_class(not series.has_score, "-level-only")
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        s = self.series
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if s is None or s.empty:
            self.refresh()
            return
        for run in s.level_runs():
            plt.plot([x for x, _ in run], [y for _, y in run], marker=LEVEL_MARKER, color=LEVEL_COLOUR)
        legend = f"{LEVEL_MARKER} OPEL level"
        inner = max(self.size.height - 4, 7)  # rows inside the box (title, two borders, dates outside)
        if s.has_score:
            # Two bands in one box, so the lines never hide each other (score and level rise together):
            # the level on the top four rows (left axis), the score on the rows below a blank one (right).
            band = inner - 5
            plt.ylim(4 - inner + 0.5, 4.5, yside="left")
            ticks = s.score_ticks()
            top = max(ticks[-1], 1)
            per_row = top / max(band - 1, 1)
            plt.ylim(-0.5 * per_row, (inner - 0.5) * per_row, yside="right")
            for run in s.score_runs():
                plt.plot([x for x, _ in run], [y for _, y in run], marker=SCORE_MARKER, color=SCORE_COLOUR,
                         yside="right")
            plt.yticks(ticks, [str(t) for t in ticks], yside="right")
            legend += f" (top)   {SCORE_MARKER} score (below, right axis)"
        else:
            plt.ylim(0.5, 4.5, yside="left")
        plt.yticks([1, 2, 3, 4], ["1", "2", "3", "4"], yside="left")
        plt.xlim(0.5, s.span + 0.5)
        ticks = s.ticks(5 if self.size.width >= 100 else 3)
        plt.xticks([x for x, _ in ticks], [label for _, label in ticks])
        plt.title(legend)
        self.refresh()
