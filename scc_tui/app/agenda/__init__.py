"""Today's calls and deadlines on screen.

``rows`` (pure: what each row says), ``panel`` (the widget, docked beside the board or full screen)
and ``screen`` (the full-screen agenda). The controller and its view model are
:mod:`scc_tui.app.prompting`.
"""
