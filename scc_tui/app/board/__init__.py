"""The OPEL board on screen.

``model`` (pure: the tree of groups and tiles, filtering, formatting), ``view`` (the virtualised
widget that draws it), ``screen`` (status line, board, filter, quick entry) and ``detail`` (one area).
"""
