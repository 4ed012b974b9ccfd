"""The winter bed-gap screen (`B`): per site, a plot of the gap by month before and after mitigations
(``textual-plotext``), and the figures with the peak month's formula (SSOT ICB System Surge Plan 2024/25,
Indicative Medical Bed Count; ``scc_tui.domain.beds``). ``[`` / ``]`` step between sites. The model is a
data file (no database); it is read when the screen opens.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual_plotext import PlotextPlot

from textual.binding import Binding

from scc_tui.app import safe

__all__ = ["BedsScreen", "summary_lines"]


def _mon(month: str) -> str:
    from datetime import date

    y, m = month.split("-")
    return date(int(y), int(m), 1).strftime("%b-%y")


def _n(x: float, signed: bool = False) -> str:
    s = str(int(x)) if float(x).is_integer() else f"{x:.1f}"
    return ("+" + s) if signed and x > 0 else s


def summary_lines(site: Any) -> list[str]:
    """The figures under the plot: gap, mitigated and balance by month, and the peak's formula."""
    from scc_tui.domain.beds import months_of, peak

    rows = months_of(site)
    if not rows:
        if site.stated_residual is not None:
            return [f"No monthly figures in the model; the plan states a residual bed gap of "
                    f"{_n(site.stated_residual, True)} beds."]
        return ["No monthly figures in the model."]
    out = ["Month     " + "".join(_mon(r.month).rjust(7) for r in rows),
           "Gap       " + "".join(_n(r.gap).rjust(7) for r in rows),
           "Mitigated " + "".join(_n(r.mitigated).rjust(7) for r in rows),
           "Balance   " + "".join(_n(r.balance, True).rjust(7) for r in rows)]
    p = peak(site)
    out.append(f"Peak gap {_n(p.gap)} in {_mon(p.month)}: balance = {_n(p.gap)} + {_n(p.mitigated)} = {_n(p.balance, True)}"
               + (f" (gap includes {_n(p.ipc_included)} IPC pressure)" if p.ipc_included else ""))
    return out


class BedsScreen(Screen):
    DEFAULT_CSS = """
    BedsScreen > #beds-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    BedsScreen > PlotextPlot { height: 1fr; min-height: 8; }
    BedsScreen > #beds-figures { height: auto; padding: 0 1; }
    """
    # Footer: the screen's actions, then the app's ? Help.
    BINDINGS = [
        Binding("right_square_bracket,right", "next_site", "Next site", id="beds.next_site", tooltip="the next site"),
        Binding("left_square_bracket,left", "previous_site", "Prev site", id="beds.previous_site",
                tooltip="the previous site"),
        Binding("escape", "back", "Back", id="beds.back", tooltip="back"),
    ]

    def __init__(self, *, site: str | None = None) -> None:
        super().__init__()
        self.model = None
        self.error: str | None = None
        self.index = 0
        self.start_site = site

    def compose(self) -> ComposeResult:
        yield Static("Winter bed gap", id="beds-status", markup=False)
        yield PlotextPlot(id="beds-plot")
        yield Static("", id="beds-figures", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        try:
            from scc_tui.datafiles.beds import packaged_bed_model

            self.model = packaged_bed_model()
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            self.error = f"{type(exc).__name__}: {exc}"
        if self.model is not None and self.start_site:
            names = [s.name.casefold() for s in self.model.sites]
            if self.start_site.casefold() in names:
                self.index = names.index(self.start_site.casefold())
        self.show()

    def show(self) -> None:
        from scc_tui.domain.beds import months_of

        status = self.query_one("#beds-status", Static)
        if self.model is None:
            status.update(safe.line(f"Winter bed gap · the model did not load: {self.error}"))
            return
        site = self.model.sites[self.index]
        status.update(safe.line(f"Winter bed gap · {site.name} ({self.index + 1}/{len(self.model.sites)}): {site.title}"
                                + (" · approximate" if site.approximate else "")))
        rows = months_of(site)
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if rows:
            xs = list(range(1, len(rows) + 1))
            plt.plot(xs, [r.gap for r in rows], marker="x", color="red")
            plt.plot(xs, [r.balance for r in rows], marker="o", color="green")
            plt.hline(0)
            # Three-letter months: plotext places longer tick labels a column apart from one run to the next.
            plt.xticks(xs, [_mon(r.month)[:3] for r in rows])
            # The title goes through plotext and back in as ANSI: stored text made inert first, as everywhere.
            plt.title(safe.line(f"{site.name} beds by month: x gap before, o balance after mitigations"))
        else:
            plt.title(safe.line(f"{site.name}: no monthly figures"))
        plot.refresh()
        self.query_one("#beds-figures", Static).update("\n".join(safe.line(x) for x in summary_lines(site)))

    def action_next_site(self) -> None:
        if self.model is not None:
            self.index = (self.index + 1) % len(self.model.sites)
            self.show()

    def action_previous_site(self) -> None:
        if self.model is not None:
            self.index = (self.index - 1) % len(self.model.sites)
            self.show()

    def action_back(self) -> None:
        self.app.pop_screen()
