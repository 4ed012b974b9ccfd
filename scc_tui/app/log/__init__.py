"""The decision and action log on screen.

``model`` (pure: rows, filters, the decision form's fields), ``fetch`` (reads, in thread workers),
``render`` (Rich Text cells), ``table`` (the DataTable), ``entry_detail`` (one entry in full),
``decision_form`` and ``quick_entry`` (writing), ``screen`` (the log screen) and ``commands``
(command palette).
"""
