"""The log's table: a DataTable that says when the cursor reaches its end or its top."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable


class LogTable(DataTable):
    """A DataTable that says when the cursor reaches its end (page older) or its top."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=False, id="log.open", tooltip="the entry in full (every field, hash)"),
        Binding("j", "cursor_down", "Down", show=False, id="log.down", tooltip="next (older) entry"),
        Binding("k", "cursor_up", "Up", show=False, id="log.up", tooltip="previous (newer) entry"),
        Binding("home,g", "scroll_top", "Newest", show=False, id="log.newest",
                tooltip="newest entry (reloads the latest when paged back)"),
        Binding("end,G", "scroll_bottom", "Oldest", show=False, id="log.oldest",
                tooltip="oldest loaded entry (older entries page in at the end, also with PgDn)"),
    ]

    class AtEnd(Message):
        pass

    class AtTop(Message):
        pass

    def _check_end(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.AtEnd())

    def action_page_down(self) -> None:
        super().action_page_down()
        self._check_end()

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._check_end()

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._check_end()

    def action_scroll_top(self) -> None:
        super().action_scroll_top()
        self.post_message(self.AtTop())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.row_count and new > old and new >= self.max_scroll_y:
            self.post_message(self.AtEnd())
