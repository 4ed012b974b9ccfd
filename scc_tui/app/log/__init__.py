"""The decision and action log on screen.

``model`` (pure: rows, filters, the decision form's fields; the reads are the store seam's, ``app/db_seam.py``),
``render`` (Rich Text cells), ``table`` (the DataTable), ``entry_detail`` (one entry in full),
``decision_form`` and ``quick_entry`` (writing), ``screen`` (the log screen) and ``commands``
(command palette).
"""
