"""The one rule for area names typed by a user (``domain.area_match``): log filter and entry areas."""

from __future__ import annotations

import pytest

from scc_tui.domain.area_match import AreaMatchError, AreaRef, area_and_below, filter_names, match_area

AREAS = [
    AreaRef("Kent and Medway ICS", "K&M ICS"),
    AreaRef("East Kent", None, "Kent and Medway ICS"),
    AreaRef("QEQM Hospital", "QEQM", "East Kent"),
    AreaRef("William Harvey Hospital", "WHH", "East Kent"),
    AreaRef("Kent & Canterbury Hospital", "K&C", "East Kent"),
    AreaRef("Medway & Swale", None, "Kent and Medway ICS"),
    AreaRef("Medway Maritime Hospital", "Medway", "Medway & Swale"),
    AreaRef("Kent County Council ASC", "KCC ASC", "Kent and Medway ICS"),
    AreaRef("KCC East Kent", None, "Kent County Council ASC", "East Kent"),
    AreaRef("KCC Swale", None, "Kent County Council ASC", "Swale"),
]


@pytest.mark.parametrize(("typed", "name"), [
    ("QEQM Hospital", "QEQM Hospital"),
    ("qeqm hospital", "QEQM Hospital"),
    ("qeqm", "QEQM Hospital"),  # short name
    ("  QEQM   hospital ", "QEQM Hospital"),  # runs of spaces
    ("east kent", "East Kent"),  # a full name beats KCC East Kent's plan area
    ("Swale", "KCC Swale"),  # plan area (the decision form's placeholder)
    ("Medway", "Medway Maritime Hospital"),  # a short name beats the prefix of "Medway & Swale"
    ("william", "William Harvey Hospital"),  # the start of a name
    ("k&m", "Kent and Medway ICS"),  # the start of a short name
])
def test_match_area(typed, name):
    assert match_area(typed, AREAS).name == name


@pytest.mark.parametrize(("typed", "message"), [
    ("Atlantis", "unknown area 'Atlantis'"),
    ("kent", "could be Kent and Medway ICS, Kent & Canterbury Hospital, Kent County Council ASC"),
    ("", "give an area name"),
])
def test_match_area_refuses(typed, message):
    with pytest.raises(AreaMatchError) as exc:
        match_area(typed, AREAS)
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_area_and_below_includes_every_level():
    assert area_and_below("East Kent", AREAS) == (
        "East Kent", "QEQM Hospital", "William Harvey Hospital", "Kent & Canterbury Hospital")
    below_ics = area_and_below("Kent and Medway ICS", AREAS)
    assert len(below_ics) == len(AREAS) and below_ics[0] == "Kent and Medway ICS"
    assert area_and_below("QEQM Hospital", AREAS) == ("QEQM Hospital",)


def test_area_and_below_survives_a_parent_cycle():
    cyc = [AreaRef("A", parent="B"), AreaRef("B", parent="A")]
    assert area_and_below("A", cyc) == ("A", "B")


def test_filter_names_unions_without_repeats():
    assert filter_names(["qeqm", "east kent"], AREAS) == (
        "QEQM Hospital", "East Kent", "William Harvey Hospital", "Kent & Canterbury Hospital")
    with pytest.raises(AreaMatchError):
        filter_names(["qeqm", "nowhere"], AREAS)


def test_begins_a_name():
    from scc_tui.domain.area_match import begins_a_name

    assert begins_a_name("east kent", AREAS) and begins_a_name("QEQM  hosp", AREAS)
    assert begins_a_name("swale", AREAS)  # a plan area
    assert not begins_a_name("swale stand", AREAS) and not begins_a_name("", AREAS)
