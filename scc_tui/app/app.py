"""The SCC board application.

Everything is injected (the store seam, clock, user) so that tests run it on a temporary database, or
on an in-memory fake of the seam, at a fixed time as a fixed user. Every store call goes through the
seam (``app/seam.py``), in thread workers that only post typed messages; the handlers here own state.
One app-level refresh loop polls the change feed (~0.5 s), re-reads the statuses when another session
wrote or the minute changed, and updates only the areas that changed.
"""

from __future__ import annotations

import sys
from datetime import datetime
from time import perf_counter
from typing import Any, Callable, Iterable, Mapping

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from scc_tui.app import heap, levelstyle
from scc_tui.app.commands import AreaCommands
from scc_tui.app.errors import is_outage, one_line_error, save_error
from scc_tui.app.messages import LoadFailed, PollDone, StatusesLoaded, StoreChanged, StoreEvent, StoreFailed
from scc_tui.app.board.model import Board, build_board, changed_ids
from scc_tui.app.safe import line as _line
from scc_tui.app.safe import markup as _markup
from scc_tui.app.seam import StoreSeam
from scc_tui.app.themes import DEFAULT_THEME, THEME_TITLES, THEMES
from scc_tui.domain.clock import LONDON, Clock
from scc_tui.settings import Settings, current


def _log_commands():
    from scc_tui.app.log.commands import LogCommands

    return LogCommands


def _escalation_commands():
    from scc_tui.app.screens.escalations_screen import EscalationCommands

    return EscalationCommands


#: Seconds after the first frame by which garbage collection runs again, whatever else happened.
HEAP_RESUME_AFTER_S = 10.0


#: How long a key waits for its screen's read before the screen opens saying it is loading.
OPEN_PATIENCE_S = 0.25


class SccApp(App):
    """scc-tui: the SCC board."""

    TITLE = "SCC board"
    CSS_PATH = "app.tcss"
    # The log and escalation screens are imported when the palette first opens, not at start-up.
    COMMANDS = App.COMMANDS | {AreaCommands, _log_commands, _escalation_commands}
    ENABLE_COMMAND_PALETTE = True
    # The footer rule (issue 12 item 4): every screen's footer shows that screen's main actions, then
    # "? Help" (this binding, the app's, so last), within 80 columns; every other key is in the help
    # and the palette. Where ? is typed into a field, F1 opens the help instead.
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="every key, on every screen (this help)"),
        Binding("f1", "help_f1", "Help", id="app.help_f1", tooltip="this help, also while typing in a field"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit",
                tooltip="quit (asks first if a form has unsaved input)"),
        # Esc hides the prompt line first (only while it is on the current screen; otherwise Esc is
        # the screen's own: back, clear, cancel).
        Binding("escape", "dismiss_prompt", "Hide prompt", show=False, priority=True, id="app.dismiss_prompt",
                tooltip="hide the prompt line (the agenda keeps the prompt)"),
    ]

    def __init__(
        self,
        seam: StoreSeam,
        clock: Clock,
        user: str,
        *,
        poll_interval: float = 0.5,
        refresh: bool = True,
        theme: str | None = None,
        settings: Settings | None = None,
        environ: Mapping[str, str] | None = None,
        schedule: Any = None,
        prompts: bool = True,
        keymap: dict[str, str] | None = None,
        first_statuses: list[Any] | None = None,
    ) -> None:
        # The CLI's settings (scc_tui.settings), read once from the environment; ``environ`` (tests):
        # settings from that mapping instead; neither: the defaults. Never os.environ here.
        if settings is None:
            settings = Settings.from_environ(environ) if environ is not None else current()
        self.settings = settings
        # At 16 colours the level labels take palette colours of their own (app/levelstyle.py).
        self.sixteen_colours = levelstyle.colour_depth(settings.terminal) == 16
        self._sixteen_filter = levelstyle.Sixteen()
        super().__init__()
        if keymap:  # the user's rebinding (scc_tui.app.keymap: binding id -> keys)
            self.set_keymap(keymap)
        #: Every store read and write of the app and its screens (app/seam.py); called in workers only.
        self.seam = seam
        self.clock = clock
        self.user = user
        self.poll_interval = poll_interval
        self.refresh_enabled = refresh
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme or self.settings.theme or DEFAULT_THEME
        if self.settings.ssh:
            self.animation_level = "none"
        self.statuses: list[Any] = []
        self.board: Board = Board()
        self.loaded = False
        #: The statuses carry the escalation rules' firings (a full read, not the CLI's quick first read).
        self.escalations_read = False
        self.load_error: str | None = None
        # A database outage: since when (this session's clock), shown as one status line; cleared by
        # the first successful read (issue 16 item 8).
        self.db_down_since: datetime | None = None
        self.last_apply_ms: float | None = None
        self.loads = 0
        self._feed = None
        #: The one way store data reaches a screen: StoreChanged / StoreFailed (see app/messages.py).
        self.store_events: Signal[StoreEvent] = Signal(self, "store-events")
        self._minute: tuple | None = None
        self._poll_timer = None
        #: Screens whose read is running before they open (``open_gathered``)
        self._opening: set[type] = set()
        # Prompts: the schedule's calls and deadlines, derived from data + stored records (see
        # app/prompting.py). Only a live, refreshing session runs the scheduler.
        self.prompts = None
        # The CLI's quick first read (``store.first_read``): shown at once; the store opens, the full
        # read (escalation badges), the schedule, prompts and the data-file audit follow in workers
        # once that frame is on screen (issue 11 item 9).
        self._first_statuses = first_statuses
        self._want_prompts = refresh and prompts
        if self._want_prompts:
            from scc_tui.app.prompting import PromptController

            if schedule is None and first_statuses is None:
                from scc_tui.datafiles.schedules import load_schedule

                schedule = load_schedule()
            # With first statuses: no schedule yet (loaded and started after the first frame), but the
            # controller exists, so the board docks the agenda beside it from the start.
            self.prompts = PromptController(seam, clock, schedule, user)
            self.prompts.on_notice = self.show_prompt_notice
        self.prompt_notice: Any = None  # the prompting.Notice on the prompt bar, if any
        self._prompt_bar: Any = None

    # ------------------------------------------------------------------ colours

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        variables.update(levelstyle.level_variables(variables, sixteen=self.sixteen_colours))
        self.theme_variables = variables
        return variables

    def get_line_filters(self):  # noqa: ANN201 - Sequence[LineFilter]
        filters = list(super().get_line_filters())
        if self.sixteen_colours:
            filters.append(self._sixteen_filter)
        return filters

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        from scc_tui.app.board.screen import BoardScreen

        self._minute = self._minute_of(self.clock.now())
        # The warm-up settles the collector the CLI paused; if it never runs (no full read), resume anyway.
        self.set_timer(HEAP_RESUME_AFTER_S, heap.resume)
        if self._first_statuses is not None:
            # No escalation badges yet (AreaStatus's are empty): they come with the full read.
            first, self._first_statuses = self._first_statuses, None
            # Applied before the board screen mounts, so its first frame already shows the areas.
            self.on_statuses_loaded(StatusesLoaded(first, build_board(first), self.clock.now(), "first", False))
            self.push_screen(BoardScreen())
            self.call_after_refresh(self._after_first_frame)
            if not self.is_headless:
                self._install_sighup()
            return
        self.push_screen(BoardScreen())
        self.load_statuses("start")
        if self.prompts is not None:
            self.screen_change_signal.subscribe(self, lambda _screen: self._place_prompt_bar())
            self.prompts.start(self)
        if self.refresh_enabled:
            self.audit_data_files()
        if not self.is_headless:
            self._install_sighup()

    def _after_first_frame(self) -> None:
        if self.loads == 0:  # the first statuses are not applied yet: after the next frame, then
            self.call_after_refresh(self._after_first_frame)
            return
        self.load_statuses("start")  # opens the store (SQLAlchemy, the migration check) in a worker
        if self.prompts is not None and self.prompts.schedule is None:
            self._load_schedule()
        if self.refresh_enabled:
            self.audit_data_files()

    #: Imported in the background once the board is up, so the first press of a key does not wait for
    #: its screen's code (the log screen and the handover's Markdown take ~0.2-0.5 s to import).
    WARM_UP = (
        "scc_tui.app.log.screen", "scc_tui.app.screens.handover_screen", "scc_tui.app.log.decision_form",
        "scc_tui.app.board.detail", "scc_tui.app.screens.assess", "scc_tui.app.screens.declare",
        "scc_tui.app.agenda.screen", "scc_tui.app.screens.escalations_screen", "scc_tui.app.screens.help",
        "scc_tui.store.log", "scc_tui.store.handover", "scc_tui.domain.handover",
        # Markdown (markdown-it compiles its rules on import: ~0.1 s the handover's first open waited for)
        "rich.markdown", "scc_tui.app.drawn_once", "scc_tui.app.screens.sitrep_screen", "scc_tui.store.sitrep",
        "scc_tui.app.log.render",
    )

    @work(thread=True, exclusive=True, group="warm-up")
    def _warm_up(self) -> None:
        from importlib import import_module

        for name in self.WARM_UP:
            try:
                import_module(name)
            except Exception:  # noqa: BLE001 - only a warm-up: the key that needs it reports any error
                pass
        heap.settle()  # the CLI paused collection for the start-up (app/heap.py)

    @work(thread=True, group="schedule")
    def _load_schedule(self) -> None:
        from scc_tui.datafiles.schedules import load_schedule

        try:
            schedule = load_schedule()
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback; the board goes on
            self.call_from_thread(self.notify, f"No schedule prompts: {_line(one_line_error(exc))}",
                                  severity="error", markup=False)
            return

        def start() -> None:
            self.prompts.schedule = schedule
            self.screen_change_signal.subscribe(self, lambda _screen: self._place_prompt_bar())
            self.prompts.start(self)

        self.call_from_thread(start)

    def on_unmount(self) -> None:
        if not self.is_headless:
            from scc_tui import lifeline

            lifeline.detach()
        if self.prompts is not None:
            self.prompts.stop()
        feed, self._feed = self._feed, None
        if feed is not None:
            feed.close()

    def _install_sighup(self) -> None:
        """SIGHUP, SIGTERM or a vanished terminal: exit, within ``lifeline.GRACE_SECONDS`` at most (the
        CLI installs the lifeline before anything else; installing is idempotent)."""
        import asyncio

        from scc_tui import lifeline

        try:
            lifeline.install()
        except ValueError:  # pragma: no cover - not the main thread
            return
        loop = asyncio.get_running_loop()
        lifeline.attach(lambda code: loop.call_soon_threadsafe(lambda: self.exit(return_code=code)))

    @staticmethod
    def _minute_of(now: datetime) -> tuple:
        return (now.year, now.month, now.day, now.hour, now.minute)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="load")
    def load_statuses(self, reason: str) -> None:
        at = self.clock.now()
        try:
            # Open the change feed *before* the first read: a write landing between the read and a
            # later-opened feed would be folded into the feed's baseline and never shown.
            if self._feed is None and self.refresh_enabled:
                self._feed = self.seam.open_change_feed()
            self._post_loaded(at, reason, written=reason != "start")
        except Exception as exc:  # noqa: BLE001 - shown in the board, never a traceback
            self.post_message(LoadFailed(one_line_error(exc), is_outage(exc)))

    def _post_loaded(self, at: datetime, reason: str, *, written: bool) -> None:
        """Read the statuses and form the board (the domain's rules, which raise what they raise) in
        the worker; the handler only applies them."""
        statuses = self.seam.board_statuses(at)
        board = build_board(statuses)
        self.post_message(StatusesLoaded(statuses, board, at, reason, written))

    @work(thread=True, group="audit")
    def audit_data_files(self) -> None:
        """Log plan and schedule files this session loads, when new or changed since last logged."""
        try:
            self.seam.record_data_files(self.user)
        except Exception as exc:  # noqa: BLE001 - shown once, one line, never a traceback
            if is_outage(exc):
                message = "Plan and schedule files not logged yet: database unreachable (logged at the next start)"
            else:
                message = f"Configuration change not logged: {_line(one_line_error(exc))}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)

    def on_statuses_loaded(self, message: StatusesLoaded) -> None:
        started = perf_counter()
        self.loads += 1
        if self.db_down_since is not None:
            since = self.db_down_since
            self.db_down_since = None
            self.notify(f"Database reachable again (unreachable since {since.astimezone(LONDON):%H:%M}).", timeout=6)
        changed = changed_ids(self.statuses, message.statuses) if self.loaded else None
        self.statuses = message.statuses
        self.board = message.board
        self.escalations_read = message.reason != "first"
        if message.reason == "start" and not self.is_headless:
            self.call_after_refresh(self._warm_up)
        self.loaded = True
        self.load_error = None
        if changed is not None:
            # a change to a leaf changes its groups' summaries too
            for area_id in list(changed):
                item = self.board.by_id.get(area_id)
                if item is not None:
                    changed.update(item.parent_ids)
        self.store_events.publish(
            StoreChanged(message.at, message.reason, None if changed is None else frozenset(changed), message.written)
        )
        self.last_apply_ms = (perf_counter() - started) * 1000
        self._arm_poll()

    def on_load_failed(self, message: LoadFailed) -> None:
        """One status line, never a toast per failed poll; forms stay open with what was typed."""
        repeated = message.error == self.load_error
        self.load_error = message.error
        if message.outage:
            if self.db_down_since is None:
                self.db_down_since = self.clock.now()
                self.store_events.publish(StoreFailed(None, self.db_down_since))
        elif not repeated:
            self.store_events.publish(StoreFailed(message.error, None))
        self._arm_poll()

    # ------------------------------------------------------------------ the refresh loop

    def _arm_poll(self) -> None:
        if not self.refresh_enabled or self._poll_timer is not None:
            return
        self._poll_timer = self.set_timer(self.poll_interval, self._poll_now, name="scc-poll")

    def _poll_now(self) -> None:
        self._poll_timer = None
        self.poll_feed()

    @work(thread=True, exclusive=True, group="poll")
    def poll_feed(self) -> None:
        """The app's one poller: ask the change feed; re-read when another connection (or this session)
        wrote, when the minute changed (Day N, STALE) or while the database is down."""
        try:
            if self._feed is None:
                self._feed = self.seam.open_change_feed()
            changed = self._feed.poll()
            now = self.clock.now()
            minute = self._minute_of(now)
            ticked = minute != self._minute
            self._minute = minute
            if changed or ticked or self.db_down_since is not None or not self.loaded:
                self._post_loaded(now, "feed" if changed or not ticked else "minute", written=changed)
                return
        except Exception as exc:  # noqa: BLE001
            self.post_message(LoadFailed(one_line_error(exc), is_outage(exc)))
            return
        self.post_message(PollDone())

    def on_poll_done(self, _: PollDone) -> None:
        self._arm_poll()

    def reload(self) -> None:
        """Re-read now (after this session wrote, or on `r`)."""
        self.load_statuses("reload")

    # ------------------------------------------------------------------ the prompt bar

    def show_prompt_notice(self, notice: Any) -> None:
        """Show one prompt line (``prompting.Notice``) on the current screen, replacing the last."""
        self.prompt_notice = notice
        self._place_prompt_bar()

    def on_prompts_changed(self, message: Any) -> None:
        """A prompt acknowledged (here or in another session) takes its line off the bar."""
        notice = self.prompt_notice
        view = self.prompts.prompt_view if self.prompts is not None else None
        if notice is None or view is None:
            return
        open_keys = {p.key for p in (*view.due, *view.missed, *view.snoozed)}
        if not open_keys.intersection(notice.keys):
            self.action_dismiss_prompt()

    def _place_prompt_bar(self) -> None:
        self._move_prompt_bar()
        # Esc is the bar's while it shows, the screen's (Back, Clear…) again after: the footer follows
        self.screen.refresh_bindings()

    def _move_prompt_bar(self) -> None:
        from textual.screen import ModalScreen

        from scc_tui.app.prompt_bar import PromptBar

        bar = self._prompt_bar
        screen = self.screen
        # Not on a pop-up, nor on a form (a screen that can hold unsaved input): there Esc is the
        # form's Cancel, as its footer says; the line comes back when the form closes.
        if self.prompt_notice is None or isinstance(screen, ModalScreen) or getattr(screen, "IS_FORM", False):
            if bar is not None and self.prompt_notice is None:
                bar.remove()
                self._prompt_bar = None
            return
        if bar is not None and bar.is_attached and bar.screen is screen:
            bar.update(self.prompt_notice.text)
            return
        if bar is not None:
            bar.remove()
        self._prompt_bar = PromptBar(self.prompt_notice.text)
        screen.mount(self._prompt_bar)

    def action_dismiss_prompt(self) -> None:
        self.prompt_notice = None
        self._place_prompt_bar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss_prompt":
            bar = self._prompt_bar
            return bool(self.prompt_notice is not None and bar is not None and bar.is_attached
                        and bar.screen is self.screen)
        if action in ("help", "help_f1"):
            # Not imported here (the footer asks on the first frame): no HelpScreen before its module is.
            help_module = sys.modules.get("scc_tui.app.screens.help")
            if help_module is not None and isinstance(self.screen, help_module.HelpScreen):
                return False
            return self._typing() == (action == "help_f1")
        return True

    def _typing(self) -> bool:
        """A text field has the focus (there ? is a character, not help)."""
        from scc_tui.app.fields import is_text_field

        try:
            focused = self.screen.focused
        except Exception:  # noqa: BLE001 - no screen yet
            return False
        return is_text_field(focused)

    # ------------------------------------------------------------------ lookups for screens

    def status_of(self, area_id: int) -> Any | None:
        item = self.board.by_id.get(area_id)
        return item.status if item else None

    def find_area(self, name: str) -> Any | None:
        key = name.casefold()
        for s in self.statuses:
            if s.name.casefold() == key:
                return s
        return None

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        from scc_tui.app.screens.help import HelpScreen, section_of

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(section_of(self.screen)))

    def action_help_f1(self) -> None:
        self.action_help()

    def action_open_log(self) -> None:
        from scc_tui.app.log.screen import show_log

        show_log(self)

    def action_log_decision(self) -> None:
        from scc_tui.app.log.screen import show_decision_form

        show_decision_form(self)

    def action_agenda(self) -> None:
        if self.prompts is None:
            self.notify("No schedule prompts in this session.", severity="warning")
            return
        from scc_tui.app.agenda.screen import AgendaScreen

        if not isinstance(self.screen, AgendaScreen):
            self.push_screen(AgendaScreen())

    def action_handover(self) -> None:
        from scc_tui.app.exporting import export_dir
        from scc_tui.app.screens.handover_screen import HandoverScreen

        seam, user, at, save_dir = self.seam, self.user, self.clock.now(), export_dir(self.settings)
        self.open_gathered(
            HandoverScreen,
            lambda: HandoverScreen.gather(seam, at),
            lambda loaded, pending: HandoverScreen(seam, user=user, at=at, save_dir=save_dir,
                                                   loaded=loaded, pending=pending),
        )

    def action_escalations(self, area: str | None = None) -> None:
        from scc_tui.app.screens.escalations_screen import EscalationsScreen

        if not isinstance(self.screen, EscalationsScreen):
            self.push_screen(EscalationsScreen(self.seam, user=self.user, area=area))

    def action_risks(self) -> None:
        from scc_tui.app.screens.risks_screen import RisksScreen

        if not isinstance(self.screen, RisksScreen):
            self.push_screen(RisksScreen(self.seam))

    def action_sitrep(self) -> None:
        from scc_tui.app.exporting import export_dir
        from scc_tui.app.screens.sitrep_screen import SitrepScreen

        seam, user, clock = self.seam, self.user, self.clock

        def gather(scope: str | None):  # in the screen's worker
            return seam.sitrep(clock.now(), area=scope, cut_by=user)

        def log(rep, data: bytes, fmt: str) -> int:  # in the screen's worker
            return seam.log_sitrep(rep, data, fmt, author=user)

        # The CLI's --area: each region and ICS on the board, in board order.
        scopes = [st.name for st in self.statuses if st.kind in ("region", "ics")]
        save_dir = export_dir(self.settings)
        self.open_gathered(
            SitrepScreen,
            lambda: SitrepScreen.cut(gather, None),
            lambda loaded, pending: SitrepScreen(gather, log, scopes=scopes, save_dir=save_dir,
                                                 loaded=loaded, pending=pending),
        )

    def open_gathered(self, kind: type, gather: Callable[[], Any], make: Callable[[Any, bool], Screen]) -> None:
        """Open a screen of ``kind`` whose content is read from the store: the read first, in a worker
        (``gather`` returns the screen's Loaded message, never raises), then the screen with it
        (``make(loaded, False)``), in one step. If the read takes longer than ``OPEN_PATIENCE_S``, the
        screen opens first saying it is loading (``make(None, True)``) and the message follows it.

        Why not the screen first and the read in its worker: while a new screen is composed (~0.15 s)
        the UI thread holds the GIL, and a worker's SQLite reads (each row gives the GIL up and waits to
        take it back) all but stop; the handover's read then ends ~0.4 s after the key, against ~0.15 s
        when it goes first (issue 11 item 9). A key pressed again while its read runs does nothing; if
        another screen opened meanwhile, the result is dropped (the key's moment has passed)."""
        if isinstance(self.screen, kind) or kind in self._opening:
            return
        origin = self.screen
        self._opening.add(kind)
        waiting: list[Screen] = []

        def impatient() -> None:
            if kind in self._opening and self.screen is origin:
                waiting.append(make(None, True))
                self.push_screen(waiting[0])

        timer = self.set_timer(OPEN_PATIENCE_S, impatient, name=f"open-{kind.__name__}")

        def arrived(loaded: Any) -> None:
            timer.stop()
            self._opening.discard(kind)
            if waiting:
                if waiting[0].is_attached:
                    waiting[0].post_message(loaded)
            elif self.screen is origin:
                self.push_screen(make(loaded, False))

        def read() -> None:
            loaded = gather()
            try:
                self.call_from_thread(arrived, loaded)
            except RuntimeError:  # the app closed while reading
                pass

        self.run_worker(read, thread=True, group=f"open-{kind.__name__}", name=f"open {kind.__name__}",
                        exit_on_error=False)

    def action_beds(self) -> None:
        from scc_tui.app.screens.beds_screen import BedsScreen

        if not isinstance(self.screen, BedsScreen):
            self.push_screen(BedsScreen())

    def action_next_theme(self) -> None:
        names = [t.name for t in THEMES]
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {THEME_TITLES[self.theme]}", timeout=2)

    def set_scc_theme(self, name: str) -> None:
        self.theme = name

    def open_detail(self, area_id: int) -> None:
        from scc_tui.app.board.detail import DetailScreen

        seam, status, now = self.seam, self.status_of(area_id), self.clock.now()
        self.open_gathered(
            DetailScreen,
            lambda: DetailScreen.read(seam, area_id, status, now),
            lambda loaded, pending: DetailScreen(area_id, loaded=loaded, pending=pending),
        )

    def open_assessment(self, area_id: int) -> None:
        from scc_tui.app.screens.assess import AssessmentScreen

        status = self.status_of(area_id)
        if status is None:
            return
        if not status.method:
            self.notify(f"{_line(status.name)} has no scoring method: declare its level instead (d).", severity="warning",
                        markup=False)
            return
        self.push_screen(AssessmentScreen(status), self._after_write)

    def open_declaration(self, area_id: int) -> None:
        from scc_tui.app.screens.declare import DeclareScreen

        status = self.status_of(area_id)
        if status is None:
            return
        screen = DeclareScreen(status)

        def declared(result: Any) -> None:
            self._after_write(result)
            if result and screen.level == 4:
                self._offer_plan_invocation(status.name)

        self.push_screen(screen, declared)

    def _offer_plan_invocation(self, area_name: str) -> None:
        """Seed 000 Appendix 5: an OPEL 4 declaration is an actual invocation of the plan; offer to
        record it in the history of plan tests (the log records the declaration either way)."""
        from scc_tui.app.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._record_plan_invocation(area_name)

        self.push_screen(
            ConfirmScreen(
                f"OPEL 4 declared for {_markup(area_name)}.\n"
                "Record it in the history of plan tests as an actual invocation?"
            ),
            answered,
        )

    @work(thread=True, group="plan-test")
    def _record_plan_invocation(self, area_name: str) -> None:
        from scc_tui.domain.clock import london_date

        try:
            seq = self.seam.record_plan_invocation(area_name, london_date(self.clock.now()), self.user)
        except Exception as exc:  # noqa: BLE001 - shown, never a traceback
            self.call_from_thread(self.notify, f"Plan invocation not recorded: {_line(save_error(exc))}",
                                  severity="error", markup=False)
            return
        self.call_from_thread(self.notify, f"Recorded in the history of plan tests (log #{seq}).", timeout=4)

    def go_to_area(self, area_id: int) -> None:
        from scc_tui.app.board.screen import BoardScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, BoardScreen):
            self.pop_screen()
        if isinstance(self.screen, BoardScreen):
            self.screen.go_to(area_id)

    def _after_write(self, result: Any) -> None:
        if result:
            self.notify(_line(result), timeout=4, markup=False)
            self.reload()

    def unsaved_screen(self) -> Screen | None:
        for screen in reversed(self.screen_stack):
            if getattr(screen, "has_unsaved_input", lambda: False)():
                return screen
        return None

    async def action_quit(self) -> None:
        from scc_tui.app.screens.confirm import ConfirmScreen

        if self.unsaved_screen() is None:
            self.exit()
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("A form has unsaved input. Quit anyway?"), decided)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Only what an SCC user needs: Textual's own Theme (ours below), Keys, Maximize/Minimize and
        # Screenshot are left out (issue 12 item 5); Quit asks first when a form has unsaved input.
        yield SystemCommand("Quit", "Quit scc-tui (asks first if a form has unsaved input)", self.action_quit)
        for name, title in THEME_TITLES.items():
            yield SystemCommand(f"Theme: {title}", f"Switch to the {title} theme", lambda n=name: self.set_scc_theme(n))
        yield SystemCommand("Help: keys", "Every key on every screen", self.action_help)
        yield SystemCommand("Handover summary", "The 18:00 handover: levels, OPEL 3/4, prompts, decisions", self.action_handover)
        yield SystemCommand("Upward sitrep", "Cut the sitrep for the region: levels, escalations, risks, decisions; save or log as sent", self.action_sitrep)
        if self.prompts is not None:
            yield SystemCommand("Agenda: calls and deadlines", "Today's prompts; acknowledge or snooze", self.action_agenda)
