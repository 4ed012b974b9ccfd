"""``scc access import FILE`` / ``scc access list``: who may do what (issue 14 item 3, docs/remote.md)."""

from __future__ import annotations

from scc_tui.cli.common import ArgParser, add_db_arg, db_of, open_store, print_json, warn


def run(command: str, argv: list[str]) -> int:
    p = ArgParser(prog="scc access", description="The access file: who may do what (roles and areas).")
    add_db_arg(p)
    sub = p.add_subparsers(dest="action", required=True, metavar="{import,list}")
    ip = sub.add_parser("import", help="replace the access file in force by FILE (TOML [[user]] name, role, areas)")
    ip.add_argument("file")
    add_db_arg(ip)
    lp = sub.add_parser("list", help="users and their rights (none imported: everyone may do everything)")
    lp.add_argument("--json", action="store_true")
    add_db_arg(lp)
    a = p.parse_args(argv)
    from scc_tui.domain.text import inert_line

    if a.action == "import":
        from scc_tui.datafiles.access import load_access

        load_access(a.file)  # a bad file is reported before the database is opened
    store = open_store(db_of(a))
    try:
        if a.action == "import":
            from scc_tui.identity import os_user
            from scc_tui.store.access_import import import_access

            out = import_access(store, a.file, importer=os_user(), source="cli")
            if out.warning:
                warn(inert_line(out.warning))
            changed = f"{len(out.changes)} change(s)" if out.changes else "no change"
            logged = f"; logged as entry {out.log_seq}" if out.log_seq else ""
            print(inert_line(f"{a.file}: {out.users} users, {changed}{logged}"))
            for c in out.changes:
                print(inert_line(f"  {c}"))
            return 0
        from scc_tui.store.access import list_access

        grants = list_access(store)
    finally:
        store.dispose()
    if a.json:
        print_json(None if grants is None else
                   [{"name": g.name, "role": g.role, "areas": list(g.areas)} for g in grants])
        return 0
    if grants is None:
        print("no access file imported: the local user may do everything (scc access import FILE)")
        return 0
    for g in grants:
        print(inert_line(f"{g.name}  {g.role}" + (f"  areas: {', '.join(g.areas)}" if g.areas else "  all areas")))
    print("anyone else: viewer")
    return 0
