"""The risk register screen (`R`): open risks by residual score with a 5×5 heat map, and the highlighted
risk's If / Then / Resulting in and its history (every version, oldest first).

The register is the SSOT ICB System Surge Plan 2024/25 "Risk register"; scores are likelihood ×
consequence (``scc_tui.domain.risks``). Colour is never the only carrier: each heat-map cell shows its
count, and the axes are labelled. Reading happens in a thread worker.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from textual.binding import Binding

from scc_tui.app import safe
from scc_tui.domain.clock import LONDON

__all__ = ["RisksScreen", "heat_map_text", "band"]


def band(score: int) -> str:
    """A 5×5 matrix's usual bands (1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme): the cell's style."""
    if score >= 15:
        return "bold white on red"
    if score >= 8:
        return "black on dark_orange"
    if score >= 4:
        return "black on yellow"
    return "black on green"


def heat_map_text(grid: list[list[int]]) -> Text:
    """Likelihood 5 (top) to 1, consequence 1 to 5 (left to right); each cell its count of open risks
    (· for none) on the colour of its score band."""
    t = Text()
    t.append("Residual (L × C)\n")
    t.append("C →  1  2  3  4  5\n")
    for lik in range(5, 0, -1):
        t.append(f"L {lik} ")
        for con in range(1, 6):
            n = grid[lik - 1][con - 1]
            t.append(f"{n if n else '·':>2}", style=band(lik * con))
            t.append(" ")
        t.append("\n")
    t.append("L: likelihood")
    return t


class RisksScreen(Screen):
    DEFAULT_CSS = """
    RisksScreen > #risk-status { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    RisksScreen > #risk-top { height: 8; }
    RisksScreen #risk-map { width: 21; padding: 0 1; }
    RisksScreen #risk-detail { width: 1fr; padding: 0 1; }
    RisksScreen > OptionList { height: 1fr; }
    """
    # Footer: the screen's actions, then the app's ? Help.
    BINDINGS = [
        Binding("r", "reload", "Reload", id="risks.reload", tooltip="re-read the register"),
        Binding("escape", "back", "Back", id="risks.back", tooltip="back"),
    ]
    AUTO_FOCUS = "OptionList"

    class Loaded(Message):
        def __init__(self, risks: list | None, due: set[int], error: str | None = None) -> None:
            self.risks = risks
            self.due = due
            self.error = error
            super().__init__()

    class History(Message):
        def __init__(self, risk_id: int, versions: list) -> None:
            self.risk_id = risk_id
            self.versions = versions
            super().__init__()

    def __init__(self, seam: Any) -> None:
        super().__init__()
        self.seam = seam  # app/seam.py: StoreSeam
        self.risks: list = []
        self.due: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static("Risk register · loading…", id="risk-status", markup=False)
        with Horizontal(id="risk-top"):
            yield Static("", id="risk-map")
            yield Static("", id="risk-detail", markup=False)
        yield OptionList(id="risk-list")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="risks")
    def load(self) -> None:
        try:
            from scc_tui.domain.risks import due_for_review, ranked

            risks = ranked(self.seam.open_risks())
            due = {v.risk_id for v in due_for_review(risks, self.app.clock.now())}
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            self.post_message(self.Loaded(None, set(), f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(self.Loaded(risks, due))

    def on_risks_screen_loaded(self, message: Loaded) -> None:
        from scc_tui.domain.risks import heat_map

        status = self.query_one("#risk-status", Static)
        if message.error:
            status.update(safe.line(f"Risk register · could not read it: {message.error}"))
            return
        self.risks, self.due = message.risks or [], message.due
        now = self.app.clock.now().astimezone(LONDON)
        status.update(f"Risk register · {now:%a %d %b %H:%M} · {len(self.risks)} open · "
                      f"{len(self.due)} due for review (daily)")
        self.query_one("#risk-map", Static).update(heat_map_text(heat_map(self.risks)))
        ol = self.query_one(OptionList)
        highlighted = ol.highlighted
        ol.clear_options()
        if not self.risks:
            ol.add_option(Option("No open risks. Add one with `scc risks add`.", disabled=True))
            self.query_one("#risk-detail", Static).update("")
            return
        for v in self.risks:
            line = Text()
            line.append(f"{v.ref:<4} ")
            line.append(f"{v.residual.value:>2}", style=band(v.residual.value))
            line.append(f" ({v.residual.likelihood}×{v.residual.consequence})  ")
            line.append(safe.line(v.title))
            line.append(f"  inherent {v.inherent.text}" + (f" · target {v.target.text}" if v.target else ""),
                        style="dim")
            if v.risk_id in self.due:
                line.append("  REVIEW DUE", style="bold")
            ol.add_option(Option(line, id=f"r{v.risk_id}"))
        ol.highlighted = min(highlighted or 0, len(self.risks) - 1)
        self._show(ol.highlighted)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int | None) -> None:
        if index is None or not self.risks or index >= len(self.risks):
            return
        v = self.risks[index]
        self.query_one("#risk-detail", Static).update(safe.line(f"{v.ref} {v.title}") + "\n" + "\n".join(
            safe.line(x) for x in (f"If: {v.cause}", f"Then: {v.event}", f"Resulting in: {v.effect}")))
        self._history(v.risk_id)

    @work(thread=True, exclusive=True, group="risk-history")
    def _history(self, risk_id: int) -> None:
        try:
            versions = self.seam.risk_history(risk_id)
        except Exception:  # noqa: BLE001 - the list stays as it is
            return
        self.post_message(self.History(risk_id, versions))

    def on_risks_screen_history(self, message: History) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None or ol.highlighted >= len(self.risks) or self.risks[ol.highlighted].risk_id != message.risk_id:
            return
        v = self.risks[ol.highlighted]
        n = len(message.versions)
        lines = [safe.line(f"{v.ref} {v.title}"), f"History ({n} version{'s' if n != 1 else ''}, oldest first):"]
        shown = message.versions[-4:]
        if n > len(shown):
            lines.append(f"  … {n - len(shown)} earlier")
        for h in shown:
            when = h.recorded_at.astimezone(LONDON).strftime("%d %b %H:%M") if h.recorded_at else ""
            lines.append(safe.line(f"  v{h.version} {when} {h.author}: residual {h.residual.text} (log #{h.log_seq})"))
        lines += [safe.line(f"If: {v.cause}"), safe.line(f"Then: {v.event}"), safe.line(f"Resulting in: {v.effect}")]
        self.query_one("#risk-detail", Static).update("\n".join(lines))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()
