from dataclasses import dataclass
from datetime import datetime

from scc_tui.domain.clock import UTC
from scc_tui.domain.handover import EntryLine, ItemLine, PromptLine, build_handover, render_markdown, render_text

AT = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


@dataclass
class S:
    name: str
    kind: str
    level: int | None
    days_at_level: int | None
    stale: bool = False


def _h(**kw):
    statuses = [
        S("Medway Maritime", "provider", 4, 3),
        S("Darent Valley", "provider", 3, 1),
        S("Maidstone & Tunbridge Wells", "provider", 2, 5, stale=True),
        S("East Kent", "system", None, None),
    ]
    return build_handover(
        AT,
        statuses,
        {"Medway Maritime": 4, "Darent Valley": 2, "Maidstone & Tunbridge Wells": 2},
        [PromptLine("System escalation calls (before)", datetime(2026, 11, 23, 15, tzinfo=UTC), "missed")],
        [
            EntryLine(2, datetime(2026, 11, 23, 10, 31, tzinfo=UTC), "jsmith", "decision", "Open 6 escalation beds | MMH"),
            EntryLine(1, datetime(2026, 11, 22, 17, 0, tzinfo=UTC), "jsmith", "note", "yesterday"),
        ],
        [ItemLine("NHSE/I SECAmb call", datetime(2026, 11, 24, 8, 30, tzinfo=UTC))],
        **kw,
    )


def test_pressured_areas_worst_first_and_changes_today():
    h = _h()
    assert [a.name for a in h.pressured] == ["Medway Maritime", "Darent Valley"]
    changes = {a.name: a.change for a in h.areas}
    assert changes["Darent Valley"] == "OPEL 2 → 3 (up)"
    assert changes["Medway Maritime"] == "no change"
    # A system row without its own level is not listed as an area.
    assert "East Kent" not in changes


def test_only_todays_decisions_in_london_time():
    h = _h()
    assert [d.seq for d in h.decisions] == [2]


def test_markdown_escapes_pipes_and_lists_sections():
    md = render_markdown(_h())
    assert "Open 6 escalation beds \\| MMH" in md
    assert "**Medway Maritime**: OPEL 4, day 3 at level" in md
    assert "15:00 System escalation calls (before) — missed" in md
    assert "Tue 08:30 NHSE/I SECAmb call" in md
    assert "EXERCISE" not in md


def test_exercise_is_marked_and_text_has_no_markup():
    h = _h(exercise=True)
    assert render_markdown(h).startswith("**EXERCISE EXERCISE EXERCISE**")
    txt = render_text(h)
    assert "**" not in txt and "|---" not in txt
    assert "Medway Maritime" in txt
    assert h.to_json()["opel_3_4"] == ["Medway Maritime", "Darent Valley"]


def test_text_table_columns_line_up_for_long_names():
    txt = render_text(_h()).splitlines()
    header = next(i for i, line in enumerate(txt) if line.startswith("Area "))
    rows = txt[header : header + 4]
    # "Level" column starts at the same offset on every row, whatever the name's length.
    starts = {line.index("OPEL") if "OPEL" in line else line.index("Level") for line in rows}
    assert len(starts) == 1, rows
