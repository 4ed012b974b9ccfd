"""Rule files: validated on load, errors name file, line and field; `scc rules check` / `scc rules list`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scc_tui.cli import main
from scc_tui.datafiles.rules import PACKAGED_RULES, load_rule_file
from scc_tui.domain.errors import DataFileError

SHIPPED = PACKAGED_RULES / "kent-medway.toml"


def test_every_shipped_rule_quotes_its_seed():
    rs = load_rule_file(SHIPPED)
    assert rs.scope == "Kent and Medway ICS" and rs.hold.total_seconds() == 24 * 3600
    for r in rs.rules:
        assert r.seed and r.quote
    quotes = {r.id: r.quote for r in rs.rules}
    assert quotes["opel4-day2-include-stp"] == "Day 2 in OPEL 4 – Include STP"
    assert quotes["opel4-day3-include-nhse"].startswith("Day 3 in OPEL 4 – include NHSE Director on-call & STP")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


@pytest.mark.parametrize("old, new, bad_line, field", [
    ('  from = "12:00"', '  from = "25:00"', 'from = "25:00"', "rule[1].include[2].from"),
    ("day_min = 3", "day_min = 0", "day_min = 0", "rule[1].day_min"),
    ("level_at_least = 4\nday_min = 2", "level_at_least = 5\nday_min = 2", "level_at_least = 5", "rule[0].level_at_least"),
    ('kinds = ["system", "provider"]', 'kinds = ["system", "hospital"]', 'kinds = ["system", "hospital"]', "rule[0].kinds[1]"),
    ("needs_ack = true", "needs_ak = true", "needs_ak = true", "rule[0].needs_ak"),
])
def test_errors_name_file_line_and_field(tmp_path, old, new, bad_line, field):
    p = _broken(tmp_path, old, new)
    with pytest.raises(DataFileError) as e:
        load_rule_file(p)
    text = p.read_text(encoding="utf-8")
    changed_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.strip() == bad_line)
    msg = str(e.value)
    assert msg.startswith(f"{p}:{changed_line}:"), msg
    assert field in msg


def test_duplicate_rule_id_is_refused_with_its_line(tmp_path):
    p = _broken(tmp_path, 'id = "opel4-day3-include-nhse"', 'id = "opel4-day2-include-stp"')
    with pytest.raises(DataFileError, match=r"rule\[1\]\.id.*duplicate"):
        load_rule_file(p)


def test_cli_rules_check_and_list(tmp_path, capsys):
    assert main(["rules", "check", str(SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert "kent-medway 2025.1" in out and "10 rules" in out
    bad = _broken(tmp_path, "day_min = 3", "day_min = 0")
    assert main(["rules", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml:" in err and "day_min" in err
    assert main(["rules", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in data[0]["rules"]]
    assert "opel4-day2-include-stp" in ids and data[0]["scope"] == "Kent and Medway ICS"
    assert main(["rules", "list"]) == 0
    assert "Day 2 in OPEL 4 – include STP" in capsys.readouterr().out
