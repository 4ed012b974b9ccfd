"""Group rows: "acts at OPEL 3/4" counts NHS providers only (KCC ASC OPEL plan v1.8 App. 4; v1.7
App. 3); a council's level is its manager's declaration, the worst of its areas only a suggestion."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scc_tui.domain.groups import group_views
from scc_tui.domain.scoring import ScoringError, aggregate


def row(area_id, name, kind, parent_id, level=None, stale=False):
    return SimpleNamespace(area_id=area_id, name=name, kind=kind, parent_id=parent_id, level=level, stale=stale)


def kent(**levels):
    """Kent and Medway in miniature; ``levels`` by short key."""
    lv = lambda k: levels.get(k)  # noqa: E731
    return [
        row(1, "Kent and Medway ICS", "ics", None, lv("ics")),
        row(2, "East Kent", "system", 1, lv("east")),
        row(3, "QEQM Hospital", "provider", 2, lv("qeqm")),
        row(4, "KCC East Kent (under the system)", "la-area", 2, lv("la_east")),
        row(5, "SECAmb", "provider", 1, lv("secamb")),
        row(6, "Kent County Council ASC", "council", 1, lv("kcc")),
        row(7, "KCC DGS", "la-area", 6, lv("dgs")),
        row(8, "KCC Swale", "la-area", 6, lv("swale")),
    ]


def test_a_council_area_at_opel_4_does_not_make_the_ics_act_at_4():
    views = group_views(kent(qeqm=2, secamb=2, dgs=4, swale=1, kcc=2))
    ics = views[1]
    assert ics.acts_at is None and ics.acts_because == ()
    assert ics.worst == 4  # information: the worst level below, not a rule
    assert ics.text() == "worst OPEL 4"


def test_an_la_area_directly_under_a_system_is_not_a_provider_either():
    views = group_views(kent(qeqm=1, la_east=4))
    assert views[2].acts_at is None and views[1].acts_at is None


def test_any_nhs_provider_at_3_or_4_makes_the_ics_and_its_system_act():
    views = group_views(kent(qeqm=4, secamb=3, dgs=4))
    assert (views[1].acts_at, views[1].acts_because) == (4, ("QEQM Hospital",))
    assert (views[2].acts_at, views[2].acts_because) == (4, ("QEQM Hospital",))
    assert views[1].text() == "acts at OPEL 4 because QEQM Hospital"
    only_secamb = group_views(kent(qeqm=1, secamb=3))
    assert (only_secamb[1].acts_at, only_secamb[1].acts_because) == (3, ("SECAmb",))
    assert only_secamb[2].acts_at is None  # SECAmb serves the ICS, not East Kent


def test_a_council_never_acts_at_its_worst_area_it_suggests_it():
    views = group_views(kent(dgs=4, swale=2, kcc=2))
    council = views[6]
    assert council.acts_at is None
    assert (council.suggested, council.suggested_from) == (4, ("KCC DGS",))
    assert council.text() == "areas suggest OPEL 4 (KCC DGS); the manager declares"
    assert group_views(kent())[6].suggested is None


def test_aggregate_with_kinds_counts_providers_only():
    result = aggregate({"QEQM": 2, "KCC DGS": 4, "KCC": None}, kinds={"QEQM": "provider", "KCC DGS": "la-area", "KCC": "council"})
    assert (result.worst, result.acts_at, result.because) == (4, None, ())
    assert result.not_providers == ("KCC DGS",) and result.ignored == ("KCC",)
    with pytest.raises(ScoringError, match="no kind given for 'X'"):
        aggregate({"X": 3}, kinds={})


def test_group_views_fail_loudly_when_the_rule_cannot_be_applied():
    bad = kent(qeqm=7)  # not an OPEL level
    with pytest.raises(ScoringError, match="not an OPEL level"):
        group_views(bad)
