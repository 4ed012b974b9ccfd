"""Plain helper modules the tests and their conftests import (never import from a conftest)."""
