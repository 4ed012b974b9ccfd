"""Who may do what (issue 14 item 3). Pure: no SQL, no Textual, no files.

Roles (the access file's ``role``), each a set of actions:

========================  =========================================================================
``viewer``                sees everything, writes nothing
``scc-operator``          log entries, assessments, CSV imports, acknowledgements, plan tests
``on-call-manager``       log entries, assessments, declarations, CSV imports, acknowledgements, plan
                          tests (the OPEL 4 plan invocation a declaration asks to record)
``trainer``               log entries and plan tests (exercises)
``admin``                 everything, including the access file, role changes and area imports
========================  =========================================================================

Per-area rights: a user's ``areas`` (empty: every area) limit the area-bound actions (assess, declare,
import, acknowledge) to those areas *and every area under them* (a KCC manager given "Kent County
Council" declares for the KCC areas below it, not for Medway).

With no access file imported (:func:`decide` given ``grants=None``), the single local user may do
everything: the embedded default and the demo's. Once one is imported, a user it does not name is a
viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from scc_tui.domain.errors import SccError

__all__ = [
    "ACTIONS", "ROLES", "AREA_ACTIONS", "Grant", "Refused", "decide", "check", "role_names",
    "import_problem",
]

#: action id -> what it is, in the words a refusal uses ("may not <what>").
ACTIONS: dict[str, str] = {
    "log": "write to the decision log",
    "assess": "record assessments",
    "declare": "declare a level",
    "import": "import assessments",
    "acknowledge": "acknowledge prompts, escalations or action-card items",
    "plan-test": "record plan tests",
    "areas": "import areas",
    "roles": "change roles or import the access file",
}

#: Actions bound to an area: checked against the user's ``areas``.
AREA_ACTIONS = frozenset({"assess", "declare", "import", "acknowledge"})

ROLES: dict[str, frozenset[str]] = {
    "viewer": frozenset(),
    "scc-operator": frozenset({"log", "assess", "import", "acknowledge", "plan-test"}),
    "on-call-manager": frozenset({"log", "assess", "declare", "import", "acknowledge", "plan-test"}),
    "trainer": frozenset({"log", "plan-test"}),
    "admin": frozenset(ACTIONS),
}


def role_names() -> str:
    return ", ".join(ROLES)


class Refused(SccError):
    """A user may not do what they tried. One line saying why; the CLI exits 3; nothing is written."""

    exit_code = 3


@dataclass(frozen=True)
class Grant:
    """One user's rights from the access file. ``areas`` empty: every area."""

    name: str
    role: str
    areas: tuple[str, ...] = field(default=())


def _key(name: str) -> str:
    return name.strip().casefold()


def _covers(grant_areas: Iterable[str], area: str, parent_of: Mapping[str, str | None]) -> bool:
    """True if ``area`` is one of ``grant_areas`` or lies under one (names compared case-insensitively;
    ``parent_of`` maps a case-folded area name to its parent's case-folded name)."""
    wanted = {_key(a) for a in grant_areas}
    seen: set[str] = set()
    node: str | None = _key(area)
    while node is not None and node not in seen:  # a cycle in bad data ends the walk
        if node in wanted:
            return True
        seen.add(node)
        node = parent_of.get(node)
    return False


def decide(grants: Mapping[str, Grant] | None, user: str, action: str, areas: Iterable[str] = (),
           parent_of: Mapping[str, str | None] | None = None) -> str | None:
    """None if ``user`` may do ``action`` (for every one of ``areas``), else the one-line reason.

    ``grants`` maps case-folded user names to their grant; None means no access file has been imported
    (everyone may do everything). ``parent_of`` maps case-folded area names to their parent's."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if grants is None:
        return None
    grant = grants.get(_key(user))
    role = grant.role if grant is not None else "viewer"
    named = "" if grant is not None else ": not named in the access file"
    if action not in ROLES.get(role, frozenset()):
        return f"{user} ({role}{named}) may not {ACTIONS[action]}"
    if action in AREA_ACTIONS and grant is not None and grant.areas:
        for area in areas:
            if not _covers(grant.areas, area, parent_of or {}):
                return (f"{user} may {ACTIONS[action]} only for {', '.join(grant.areas)} "
                        f"(and the areas under them), not for {area}")
    return None


def check(grants: Mapping[str, Grant] | None, user: str, action: str, areas: Iterable[str] = (),
          parent_of: Mapping[str, str | None] | None = None) -> None:
    """:func:`decide`, raising :class:`Refused` with the reason."""
    reason = decide(grants, user, action, areas, parent_of)
    if reason is not None:
        raise Refused(reason)


def import_problem(current: Mapping[str, Grant] | None, new: Mapping[str, Grant], importer: str) -> tuple[str | None, str | None]:
    """Whether ``importer`` may replace the access file ``current`` by ``new``: (refusal, warning).

    * With an access file in force, only an admin may import another.
    * A file that leaves the importer without admin rights is refused unless it names another admin
      (then it proceeds with a warning): the centre must not lock itself out.
    """
    if current is not None:
        reason = decide(current, importer, "roles")
        if reason is not None:
            return reason, None
    mine = new.get(_key(importer))
    if mine is not None and mine.role == "admin":
        return None, None
    admins = sorted(g.name for g in new.values() if g.role == "admin")
    if not admins:
        return (f"the access file names no admin: {importer} would lose the right to change it and nobody "
                "would have it (name at least one admin)"), None
    return None, (f"the access file leaves {importer} without admin rights; {', '.join(admins)} "
                  f"{'is' if len(admins) == 1 else 'are'} admin")
