"""Who may do what: the pure rule (scc_tui.domain.access) and the access file loader."""

from __future__ import annotations

import pytest

from scc_tui.datafiles.access import load_access
from scc_tui.domain.access import ACTIONS, Grant, Refused, check, decide, import_problem
from scc_tui.domain.errors import DataFileError

PARENTS = {"kcc east": "kcc", "kcc": "kent ics", "medway hospital": "kent ics", "kent ics": None}
G = {
    "ada": Grant("ada", "admin"),
    "vic": Grant("vic", "viewer"),
    "kim": Grant("kim", "on-call-manager", ("KCC",)),
    "otto": Grant("otto", "scc-operator"),
    "tess": Grant("tess", "trainer"),
}


def test_no_access_file_lets_the_local_user_do_everything():
    for action in ACTIONS:
        assert decide(None, "anyone", action) is None


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_viewer_and_an_unnamed_user_may_write_nothing(action):
    assert decide(G, "vic", action, ["KCC"], PARENTS) == f"vic (viewer) may not {ACTIONS[action]}"
    assert decide(G, "stranger", action, ["KCC"], PARENTS) == (
        f"stranger (viewer: not named in the access file) may not {ACTIONS[action]}")


def test_an_admin_may_do_everything():
    assert all(decide(G, "ADA", a, ["Medway Hospital"], PARENTS) is None for a in ACTIONS)  # names fold case


@pytest.mark.parametrize(("user", "allowed"), [
    ("otto", {"log", "assess", "import", "acknowledge", "plan-test"}),
    ("kim", {"log", "assess", "declare", "import", "acknowledge", "plan-test"}),
    ("tess", {"log", "plan-test"}),
])
def test_each_role(user, allowed):
    assert {a for a in ACTIONS if decide(G, user, a, ["KCC"], PARENTS) is None} == allowed


def test_area_rights_cover_the_areas_under_them_only():
    assert decide(G, "kim", "declare", ["KCC"], PARENTS) is None
    assert decide(G, "kim", "declare", ["KCC East"], PARENTS) is None  # under KCC
    reason = decide(G, "kim", "declare", ["Medway Hospital"], PARENTS)
    assert reason == "kim may declare a level only for KCC (and the areas under them), not for Medway Hospital"
    assert decide(G, "kim", "declare", ["Kent ICS"], PARENTS) is not None  # above, not under
    assert decide(G, "kim", "log", ["Medway Hospital"], PARENTS) is None  # the log is not area-bound


def test_a_cycle_in_the_hierarchy_ends_the_walk():
    assert decide(G, "kim", "declare", ["a"], {"a": "b", "b": "a"}) is not None


def test_check_raises_refused_with_exit_code_3():
    with pytest.raises(Refused, match="may not declare a level") as e:
        check(G, "tess", "declare")
    assert e.value.exit_code == 3


def test_import_rules():
    new_with_me = {"ada": Grant("ada", "admin")}
    assert import_problem(None, new_with_me, "ada") == (None, None)
    # first import: anyone; one that names no admin at all is refused
    refusal, _ = import_problem(None, {"vic": Grant("vic", "viewer")}, "me")
    assert "names no admin" in refusal
    refusal, warning = import_problem(None, {"ada": Grant("ada", "admin")}, "me")
    assert refusal is None and "leaves me without admin rights; ada is admin" in warning
    # with a file in force only its admin may import
    refusal, _ = import_problem(G, new_with_me, "kim")
    assert refusal == "kim (on-call-manager) may not change roles or import the access file"
    assert import_problem(G, new_with_me, "ada") == (None, None)


def write(tmp_path, text):
    p = tmp_path / "access.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize(("text", "where", "what"), [
    ('[[user]]\nname = "a"\nrole = "boss"\n', ":3: field 'user[0].role'", "viewer"),
    ('[[user]]\nname = "a"\nrole = "admin"\nteam = "x"\n', ":4: field 'user[0].team'", "not a known field"),
    ('[[user]]\nrole = "admin"\n', ":1: field 'user[0].name'", "required"),
    ('[[user]]\nname = "a"\nrole = "admin"\n\n[[user]]\nname = "A"\nrole = "viewer"\n', ":6: field 'user[1].name'",
     "named twice"),
    ('[[user]]\nname = "a b"\nrole = "admin"\n', ":2: field 'user[0].name'", "pattern"),
    ('[[user]]\nname = "a"\nrole = "admin"\nareas = "KCC"\n', ":4: field 'user[0].areas'", "list"),
    ('[[user]]\nname = "a"\nrole = "admin"\nareas = ["KCC", "\\u001b[2J"]\n', "field 'user[0].areas[1]'", "control"),
])
def test_the_file_is_validated_with_file_line_and_field(tmp_path, text, where, what):
    p = write(tmp_path, text)
    with pytest.raises(DataFileError) as e:
        load_access(p)
    msg = str(e.value)
    assert msg.startswith(str(p)) and where in msg and what in msg.lower(), msg


