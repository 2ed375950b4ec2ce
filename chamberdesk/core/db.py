"""Opening a data file: engine, per-connection pragmas, migrations, the file's stamp, sessions.

A SQLite file is stamped with `application_id` and its schema version in `user_version`, so a
foreign SQLite file or one written by a newer ChamberDesk is refused with a clear message instead
of being changed. Migrations (Alembic) run at open when the file is older than the program.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from chamberdesk.core import audit, models  # noqa: F401  (registers every table and the audit hook)
from chamberdesk.core.errors import DataFileError

APPLICATION_ID = 0x43484B44  # "CHKD"
SCHEMA_VERSION = 4  # bump with every migration; equals the number of the head revision
HEAD_REVISION = "0004"
_MIGRATIONS = Path(__file__).with_name("migrations")


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _set_sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    from chamberdesk.core.server import install_error_translation, normalise_url

    engine = create_engine(normalise_url(url), pool_pre_ping=True)
    install_error_translation(engine)  # a lost server connection reaches the clerk as a Chinese message
    return engine


@dataclass
class Database:
    """An open data file: its engine, location, and the user acting on it."""

    engine: Engine
    url: str
    path: Path | None = None  # None for a server database
    user: str = ""
    read_only: bool = False
    info: dict[str, object] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def data_dir(self) -> Path:
        """Folder beside the data file for evidence files (content-addressed)."""
        if self.path is not None:
            return self.path.with_name(self.path.stem + "-files")
        from chamberdesk.paths import user_data_dir

        return user_data_dir() / "files"

    def session(self) -> Session:
        s = Session(self.engine, expire_on_commit=False)
        s.info["user"] = self.user
        s.info["read_only"] = self.read_only
        return s

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: commit on success, roll back on any error."""
        with self.session() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _read_stamp(path: Path) -> tuple[int, int, bool]:
    """(application_id, user_version, has_tables) read with the plain sqlite3 module."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataFileError(f"无法打开数据文件 {path.name}：{exc}") from exc
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        user_version = con.execute("PRAGMA user_version").fetchone()[0]
        has_tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
    except sqlite3.DatabaseError as exc:
        raise DataFileError(
            f"“{path.name}”不是有效的数据文件（或已损坏），请选择正确的文件，或从备份恢复。"
        ) from exc
    finally:
        con.close()
    return app_id, user_version, has_tables


def check_stamp(path: Path) -> int:
    """The file's schema version; raises DataFileError for a foreign or newer file."""
    app_id, user_version, has_tables = _read_stamp(path)
    if not has_tables and app_id == 0:
        return 0  # an empty file: ours to initialise
    if app_id != APPLICATION_ID:
        raise DataFileError(f"“{path.name}”是其他程序的数据库文件，不是商会台账的数据文件，未作任何改动。")
    if user_version > SCHEMA_VERSION:
        raise DataFileError(
            f"“{path.name}”由更新版本的商会台账创建（数据版本 {user_version}，本程序支持到 {SCHEMA_VERSION}），"
            "请升级本程序后再打开。文件未作任何改动。"
        )
    return user_version


def _stamp(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")


def run_migrations(engine: Engine) -> None:
    """Bring the schema to head with Alembic (imported only when a migration is due)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _server_revision(engine: Engine) -> str | None:
    insp = inspect(engine)
    if not insp.has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def open_database(target: str | Path, *, create: bool = False, user: str = "",
                  before_migrate: Callable[[Database], object] | None = None) -> Database:
    """Open (and if asked, create) a data file or server database, migrating it to this version.

    `before_migrate(db)` is called before a migration changes an existing file (a backup hook).
    """
    target_s = str(target)
    if is_url(target_s):
        url = target_s
        database = make_url(url).database if url.startswith("sqlite") else None
        path: Path | None = Path(database) if database else None
    else:
        path = Path(target_s).expanduser()
        url = sqlite_url(path.resolve())
    if path is not None:
        if not path.exists():
            if not create:
                raise DataFileError(f"找不到数据文件 {path}。请检查路径，或用 init 新建。")
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            version = 0
        elif path.is_dir():
            raise DataFileError(f"{path} 是文件夹，不是数据文件。")
        else:
            from chamberdesk.core.integrity import check_at_open, check_writable  # refuse read-only, damaged

            check_writable(path)
            version = check_stamp(path)
            check_at_open(path)
        engine = make_engine(url)
        db = Database(engine=engine, url=url, path=path, user=user)
        if version < SCHEMA_VERSION:
            if version > 0 and before_migrate is not None:
                before_migrate(db)
            try:
                run_migrations(engine)
            except Exception as exc:
                engine.dispose()
                raise DataFileError(f"数据文件升级失败：{exc}。文件已回滚到升级前的状态。") from exc
            _stamp(engine)
        return db
    engine = make_engine(url)
    db = Database(engine=engine, url=url, path=None, user=user)
    rev = _server_revision(engine)
    if rev is not None and rev > HEAD_REVISION:
        raise DataFileError(f"服务器上的数据库由更新版本的商会台账创建（{rev}），请升级本程序。")
    if rev != HEAD_REVISION:
        if rev is not None and before_migrate is not None:
            before_migrate(db)
        run_migrations(engine)
    return db
