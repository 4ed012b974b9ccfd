"""Issue 14 item 1, end to end through a real OpenSSH server (the front door of docs/remote.md).

A throwaway sshd on 127.0.0.1 (generated host and client keys, its own config, /run/sshd made) forces
every login of the test group into ``sudo -n -u SERVICE scc --db DB tui``: the database belongs to the
service account (0600 in a 0700 folder) and a person reaches it only through that command, with their
identity taken from the SSH login (sudo's ``SUDO_USER``). Three people log in with ``ssh -tt`` under
tmux: ``ann`` (on-call manager) declares a level; ``bob`` (admin) sees her declaration, with her name,
on his board; ``vic`` (viewer) is refused in one line and nothing is written. The server is stopped by
its PID.

It needs root (users, sudoers, sshd's privilege separation) and sshd, sudo, ssh and tmux (.ci/run
installs them). Where they cannot be had it is skipped, except under ``CI=true``, where it must run.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
TOOLS = {"sshd": SSHD, "ssh": shutil.which("ssh"), "ssh-keygen": shutil.which("ssh-keygen"),
         "sudo": shutil.which("sudo"), "tmux": shutil.which("tmux"), "useradd": shutil.which("useradd"),
         "visudo": shutil.which("visudo")}


def _why_impossible() -> str | None:
    if os.geteuid() != 0:
        return "needs root (test users, sudoers, sshd privilege separation)"
    missing = [k for k, v in TOOLS.items() if not v or not os.path.exists(v)]
    if missing:
        return f"missing {', '.join(missing)} (.ci/run installs openssh-server, openssh-client, sudo, tmux)"
    return None


def _require() -> None:
    why = _why_impossible()
    if why is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the SSH end-to-end test must run under CI: {why}")
    pytest.skip(why)


def run(*cmd, check=True, **kw):
    return subprocess.run([str(c) for c in cmd], check=check, capture_output=True, text=True, timeout=120, **kw)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _open_path_for(path: Path) -> list[tuple[Path, int]]:
    """Let other accounts traverse the folders down to ``path`` (the service account runs this
    checkout's interpreter). Returns what was changed, to be restored."""
    changed = []
    for d in [*reversed(path.parents), path]:
        try:
            mode = d.stat().st_mode
        except OSError:
            continue
        if d.is_dir() and not mode & stat.S_IXOTH:
            changed.append((d, stat.S_IMODE(mode)))
            os.chmod(d, stat.S_IMODE(mode) | stat.S_IXOTH)
    return changed


class Tmux:
    def __init__(self, socket: str):
        self.socket = socket
        self.log: Path | None = None

    def __call__(self, *args, check=True):
        return run("tmux", "-L", self.socket, *args, check=check)

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name, check=False).stdout

    def keys(self, name: str, *keys: str) -> None:
        for k in keys:
            self("send-keys", "-t", name, k)
            time.sleep(0.15)

    def wait(self, name: str, predicate, timeout: float = 150.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen(name)
            if predicate(text):
                return text
            time.sleep(0.3)
        log = self.log.read_text(errors="replace")[-3000:] if self.log and self.log.exists() else ""
        raise AssertionError(f"{name}: condition not reached in {timeout:.0f} s; screen:\n{text}\nsshd log:\n{log}")


@pytest.fixture
def front_door(tmp_path):
    _require()
    tag = secrets.token_hex(2)
    service, group = f"scs{tag}", f"scg{tag}"
    people = {"ann": f"sca{tag}", "bob": f"scb{tag}", "vic": f"scv{tag}"}
    root = Path(f"/tmp/scc-e2e-{tag}")
    root.mkdir(mode=0o755)
    made_users: list[str] = []
    sudoers = Path(f"/etc/sudoers.d/scc-e2e-{tag}")
    opened: list[tuple[Path, int]] = []
    sshd = None
    tmux = Tmux(f"scc-e2e-{tag}")
    try:
        run("groupadd", group)
        run("useradd", "--system", "--no-create-home", "--home-dir", root / "srv", "--shell", "/usr/sbin/nologin", service)
        made_users.append(service)
        for login in people.values():
            run("useradd", "--create-home", "--home-dir", root / "home" / login, "--shell", "/bin/sh", "-G", group, login)
            made_users.append(login)
            run("usermod", "-p", "*", login)  # no password, not locked: key login only
        # The database: the service account's alone.
        srv = root / "srv"
        srv.mkdir(mode=0o700)
        db = srv / "scc.db"
        py = Path(sys.executable)
        scc = py.parent / "scc"
        env = {k: v for k, v in os.environ.items() if k not in ("SCC_DB", "SCC_NOW", "SUDO_USER")}
        env["XDG_DATA_HOME"] = str(root / "xdg")
        run(py, "-m", "scc_tui", "demo", "--no-open", "--days", "3", "--db", db, env=env)
        access = root / "access.toml"
        access.write_text(f'[[user]]\nname = "{people["bob"]}"\nrole = "admin"\n\n'
                          f'[[user]]\nname = "{people["ann"]}"\nrole = "on-call-manager"\n'
                          f'areas = ["Kent and Medway ICS"]\n\n'
                          f'[[user]]\nname = "{people["vic"]}"\nrole = "viewer"\n')
        run(py, "-m", "scc_tui", "access", "import", access, "--db", db, env=env)
        for f in srv.iterdir():
            os.chown(f, pwd.getpwnam(service).pw_uid, -1)
            os.chmod(f, 0o600)
        os.chown(srv, pwd.getpwnam(service).pw_uid, -1)
        import scc_tui

        # The service account runs this checkout with this interpreter (which may live under /root).
        for p in (py.parent.parent, Path(scc_tui.__file__).resolve().parent.parent, Path(sys.base_prefix).resolve()):
            opened += _open_path_for(p)
        # sudo: the group may run exactly this command as the service account, nothing else.
        command = f"{scc} --db {db} tui"
        rules = (f'Defaults:%{group} env_keep += "TERM COLORTERM LANG ESCDELAY SSH_CONNECTION"\n'
                 f"%{group} ALL=({service}) NOPASSWD: {command}\n")
        tmp_rules = root / "sudoers"
        tmp_rules.write_text(rules)
        run("visudo", "-cf", tmp_rules)
        shutil.copy(tmp_rules, sudoers)
        os.chmod(sudoers, 0o440)
        # Keys and sshd.
        keys = root / "keys"
        keys.mkdir()
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root / "host_key")
        for login in people.values():
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root / f"{login}_key")
            (keys / login).write_text((root / f"{login}_key.pub").read_text())
        port = _free_port()
        (root / "sshd_config").write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root / 'host_key'}\nPidFile {root / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {keys}/%u\nStrictModes no\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nPermitRootLogin no\nPrintMotd no\nPrintLastLog no\n"
            f"AllowGroups {group}\n"
            f"Match Group {group}\n"
            f"    ForceCommand sudo -n -u {service} {command}\n"
            "    AllowTcpForwarding no\n    X11Forwarding no\n    AllowAgentForwarding no\n    PermitTunnel no\n")
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # Debian's sshd needs its privilege-separation folder
        run(SSHD, "-t", "-f", root / "sshd_config")
        tmux.log = root / "sshd.log"
        sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(root / "sshd_config")],
                                stdout=open(root / "sshd.log", "wb"), stderr=subprocess.STDOUT)
        yield {"root": root, "port": port, "people": people, "tmux": tmux, "sshd": sshd, "db": db,
               "service": service}
    finally:
        if os.environ.get("SCC_E2E_KEEP"):  # debugging: leave it all up
            return
        if sshd is not None and sshd.poll() is None:
            sshd.kill()
            sshd.wait(timeout=10)
        tmux("kill-server", check=False)
        for login in made_users:
            subprocess.run(["pkill", "-KILL", "-u", login], capture_output=True)
        sudoers.unlink(missing_ok=True)
        for login in made_users:
            for _ in range(20):  # userdel refuses while the killed processes are still going
                if subprocess.run(["userdel", "-r", login], capture_output=True).returncode in (0, 6):
                    break
                time.sleep(0.25)
        subprocess.run(["groupdel", group], capture_output=True)
        for d, mode in reversed(opened):
            os.chmod(d, mode)
        shutil.rmtree(root, ignore_errors=True)


def _login(door, who: str, width: int = 100, height: int = 30) -> str:
    login = door["people"][who]
    ssh = (f"ssh -tt -p {door['port']} -i {door['root'] / (login + '_key')} -o StrictHostKeyChecking=no "
           f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR {login}@127.0.0.1")
    tmux = door["tmux"]
    if tmux("has-session", "-t", "main", check=False).returncode != 0:
        tmux("new-session", "-d", "-s", "main", "-n", who, "-x", str(width), "-y", str(height), ssh)
        tmux("set-option", "-g", "remain-on-exit", "on")  # a failed login stays readable
    else:
        tmux("new-window", "-t", "main", "-n", who, ssh)
    return f"main:{who}"


def _find(tmux, pane: str, area: str) -> None:
    """Filter the board to ``area`` and put the cursor on it (the last row: its groups come first)."""
    tmux.keys(pane, "/")
    tmux("send-keys", "-t", pane, "-l", area)
    tmux.keys(pane, "Enter")
    tmux.wait(pane, lambda s: f"filter: {area}" in s)
    tmux.keys(pane, "G")


def _declare_on(tmux, pane: str, area: str) -> None:
    _find(tmux, pane, area)
    tmux.keys(pane, "d")
    tmux.wait(pane, lambda s: f"Declare level · {area}" in s)
    tmux.keys(pane, "4", "Tab")
    tmux("send-keys", "-t", pane, "-l", "over SSH")
    tmux.keys(pane, "C-s")


AREA = "Maidstone Hospital"  # under West Kent, under Kent and Medway ICS: ann's


def test_two_people_over_ssh_share_one_board(front_door):
    door = front_door
    tmux, people = door["tmux"], door["people"]
    ann = _login(door, "ann")
    tmux.wait(ann, lambda s: people["ann"] in s and "OPEL" in s and "East Kent" in s)  # real tiles, her name
    bob = _login(door, "bob")
    tmux.wait(bob, lambda s: people["bob"] in s and "OPEL" in s and "East Kent" in s)
    _find(tmux, bob, AREA)
    # ann declares Maidstone Hospital at OPEL 4 (she may: it is under Kent and Medway ICS)
    _declare_on(tmux, ann, AREA)
    screen = tmux.wait(ann, lambda s: "Declare level" not in s or "Not declared" in s)
    assert "Not declared" not in screen, screen
    tmux.keys(ann, "n")  # OPEL 4 asks whether to record a plan invocation: not now
    # bob's board follows (the change feed), and the detail names ann as the one who declared
    tmux.wait(bob, lambda s: any(AREA in line and "OPEL 4" in line for line in s.splitlines()), timeout=60)
    tmux.keys(bob, "Enter")
    detail = tmux.wait(bob, lambda s: "Declaration:" in s and people["ann"] in s, timeout=60)
    assert "over SSH" in detail or people["ann"] in detail
    # vic, a viewer, is refused in one line, and nothing is written
    vic = _login(door, "vic")
    tmux.wait(vic, lambda s: "OPEL" in s and "East Kent" in s)
    _declare_on(tmux, vic, AREA)
    refused = tmux.wait(vic, lambda s: "Not declared" in s)
    assert f"Not declared: {people['vic']} (viewer) may not declare a level" in " ".join(refused.split())
    # the record: one declaration made over SSH, by ann
    out = run(sys.executable, "-c", (
        "import sys; from scc_tui.store.db import Store, resolve_url; from scc_tui.store.models import Declaration;"
        "from sqlmodel import select; st = Store(resolve_url(sys.argv[1]), migrate=False);"
        "s = st.read().__enter__(); print([d.author for d in s.exec(select(Declaration).where("
        "Declaration.reason == 'over SSH')).all()])"), door["db"]).stdout
    assert out.strip() == repr([people["ann"]])
    # the server stops by its PID
    os.kill(door["sshd"].pid, signal.SIGTERM)
    door["sshd"].wait(timeout=20)
    assert door["sshd"].returncode is not None
