"""The Textual application (the only package that imports Textual)."""

from __future__ import annotations


def __getattr__(name: str):
    if name == "SccApp":
        from scc_tui.app.app import SccApp

        return SccApp
    raise AttributeError(name)
