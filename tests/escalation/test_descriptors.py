"""Level descriptors (KCC ASC OPEL plan v1.8 Table 2): quoted, validated with file:line:field errors."""

from __future__ import annotations

import pytest

from scc_tui.datafiles.descriptors import PACKAGED_DESCRIPTORS, descriptors_for, load_descriptor_file
from scc_tui.domain.errors import DataFileError


def test_kcc_descriptors_quote_table_2():
    d = descriptors_for("KCC Swale", "kcc-asc")
    assert d is not None and descriptors_for("Kent County Council ASC", None) is d
    assert descriptors_for("QEQM Hospital", "acute-2023") is None
    assert d.text(2).splitlines()[1].startswith("• In some areas number of referrals")
    assert d.text(3).splitlines()[1].startswith("• County-wide number of referrals")
    assert "exhausted" in d.text(4)


def test_errors_name_file_line_and_field(tmp_path):
    text = (PACKAGED_DESCRIPTORS / "kcc-asc.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("total = 15", "total = 1", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_descriptor_file(bad)
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if s.strip() == "total = 1")
    assert str(e.value).startswith(f"{bad}:{line}:") and "level[3].total" in str(e.value)
