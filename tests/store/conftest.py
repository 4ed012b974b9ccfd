"""Store test fixtures (shared data lives in ``tests.helpers``)."""

from __future__ import annotations

import pytest

from scc_tui.store.areas import import_areas
from tests.helpers.areas import AREAS, write_areas as _write


@pytest.fixture
def areas(store, tmp_path):
    import_areas(store, _write(tmp_path, AREAS), author="tester")
    return store
