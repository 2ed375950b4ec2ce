"""A throwaway PostgreSQL cluster on loopback for tests: initdb + pg_ctl, no installation, no root."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest Debian-style /usr/lib/postgresql/<n>/bin holding initdb and pg_ctl, or PG_BINDIR."""
    env = os.environ.get("PG_BINDIR")
    candidates = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                          key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
                                          reverse=True)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    """initdb a cluster in a temp folder and start it on a free loopback port (as `postgres` when root)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="chamberdesk-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(self.root, user="postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        reap_orphans(self.bindir, self._as_user)
        (self.root / "owner.pid").write_text(str(os.getpid()))
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.log),
                      "-w", "-t", "60", "start")
        except subprocess.CalledProcessError as exc:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r}\n{log}") from exc

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        for _ in range(10):
            try:
                shutil.rmtree(self.root)
                break
            except OSError:
                time.sleep(0.2)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphans(bindir: Path, as_user: list[str]) -> None:
    """Stop clusters left running by a test session that was killed (its teardown never ran)."""
    for root in Path(tempfile.gettempdir()).glob("chamberdesk-pg-*"):
        owner = root / "owner.pid"
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if _alive(pid):
            continue  # another test session is using it
        with contextlib.suppress(Exception):
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


class ExternalServer:
    """A server CI provides: CHAMBERDESK_PG_URL names a superuser connection (its database is ignored)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self._url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))

    def url(self, database: str = "postgres") -> str:
        return self._url.set(database=database).render_as_string(hide_password=False)


def admin_execute(server, sql: str) -> None:
    import psycopg

    with psycopg.connect(server.url().replace("postgresql+psycopg", "postgresql"), autocommit=True) as con:
        con.execute(sql)
