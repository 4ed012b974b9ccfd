"""Whether a widget is a text field: there a key is a character, not a command."""

from __future__ import annotations

import sys
from typing import Any

from textual.widgets import Input


def is_text_field(widget: Any) -> bool:
    """An ``Input`` or a ``TextArea``. ``TextArea`` is looked up only once its module is loaded (no
    TextArea can have the focus before that, nor while it is half-imported), so asking on the board's
    first frame does not import it (~20 ms of a start; issue 11 item 9)."""
    if isinstance(widget, Input):
        return True
    # The module may be half-imported (the app's warm-up imports screens in a thread): no TextArea yet.
    text_area = getattr(sys.modules.get("textual.widgets._text_area"), "TextArea", None)
    return text_area is not None and isinstance(widget, text_area)
