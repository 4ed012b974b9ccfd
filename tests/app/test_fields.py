"""app/fields.py: a text field is an Input or a TextArea, asked without importing TextArea's module."""

from __future__ import annotations

import sys
import types

from textual.widgets import Input, Static, TextArea

from scc_tui.app.fields import is_text_field


def test_input_and_text_area_are_text_fields_other_widgets_are_not():
    assert is_text_field(Input())
    assert is_text_field(TextArea())
    assert not is_text_field(Static("x"))
    assert not is_text_field(None)


def test_a_half_imported_text_area_module_is_no_text_field(monkeypatch):
    """The app's warm-up imports screens in a thread: the footer may ask while textual's TextArea module
    is in sys.modules but not yet defines TextArea (this crashed the board over SSH once)."""
    half = types.ModuleType("textual.widgets._text_area")
    monkeypatch.setitem(sys.modules, "textual.widgets._text_area", half)
    assert not is_text_field(Static("x"))
    assert is_text_field(Input())
