"""Pure domain rules. Nothing here imports Textual, SQL, or reads the wall clock."""
