"""Copy every table of one database into another (SQLite file ⇄ PostgreSQL server), counts checked."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Integer, Table, delete, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.records import table_of

BATCH = 2000
# Tables whose rows are real work: a destination holding any of them is never overwritten.
_DATA_TABLES = ("member", "chamber", "meeting", "activity", "contact", "assessment", "evidence")
_IGNORED = {"alembic_version", "sqlite_sequence", "sqlite_stat1"}

Progress = Callable[[str, int], None]


@dataclass
class TransferReport:
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows copied (and verified)
    files_copied: int = 0
    files_missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tables() -> list:
    """Every table of the schema, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _check_schema(db: Database, role: str) -> None:
    known = {t.name for t in tables()}
    present = set(inspect(db.engine).get_table_names()) - _IGNORED
    unknown = sorted(present - known)
    if unknown:
        raise ChamberDeskError(f"{role}含有本程序不认识的表（{'、'.join(unknown)}），可能由更新版本创建，未复制。")
    missing = sorted(known - present)
    if missing:
        raise ChamberDeskError(f"{role}缺少表（{'、'.join(missing)}），请先用本程序打开一次以完成升级。")


def destination_has_data(conn: Connection) -> dict[str, int]:
    by_name = {t.name: t for t in tables()}
    found = {}
    for name in _DATA_TABLES:
        if name in by_name:
            n = _count(conn, by_name[name])
            if n:
                found[name] = n
    return found


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences; after copying explicit ids they must start past them."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or not pk[0].autoincrement:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({pk[0].name}) FROM "
                              f"\"{table.name}\"), 0) + 1, false)"))


def copy_database(src: Database, dst: Database, *, progress: Progress | None = None,
                  copy_files: bool = True) -> TransferReport:
    """Copy every row of `src` into `dst` in one transaction, keeping ids; nothing is written on error.

    The destination must hold no real records (a freshly created file or server database);
    settings or accounts a new database starts with are replaced by the source's.
    """
    _check_schema(src, "源数据库")
    _check_schema(dst, "目标数据库")
    report = TransferReport()
    order = tables()
    # One read transaction on the source, so the copy is a consistent snapshot.
    with src.engine.connect() as sconn, sconn.begin(), dst.engine.begin() as dconn:
        expected = {t.name: _count(sconn, t) for t in order}
        existing = destination_has_data(dconn)
        if existing:
            summary = "、".join(f"{k} {v} 条" for k, v in existing.items())
            raise ChamberDeskError(f"目标数据库中已有数据（{summary}），为防止覆盖，未作任何改动。"
                                   "请指定一个新的空数据库。")
        for table in reversed(order):
            dconn.execute(delete(table))
        for table in order:
            pk = list(table.primary_key.columns)
            stored = [c for c in table.columns if c.computed is None]  # generated columns fill themselves
            result = sconn.execution_options(yield_per=BATCH).execute(select(*stored).order_by(*pk))
            done = 0
            for part in result.partitions(BATCH):
                rows = [dict(r._mapping) for r in part]
                dconn.execute(table.insert(), rows)
                done += len(rows)
                if progress is not None:
                    progress(table.name, done)
            got = _count(dconn, table)
            if got != expected[table.name]:
                raise ChamberDeskError(f"表 {table.name} 复制后条数不符（源 {expected[table.name]}，"
                                       f"目标 {got}），已全部撤销。")
            report.counts[table.name] = got
        if dst.engine.dialect.name == "postgresql":
            _reset_sequences(dconn)
    if copy_files:
        _copy_evidence_files(src, dst, report)
    return report


def _copy_evidence_files(src: Database, dst: Database, report: TransferReport) -> None:
    """Evidence files live beside the data, not in it: bring along those the records name."""
    from chamberdesk.core.models import Evidence

    with src.session() as s:
        shas = [row[0] for row in s.execute(select(table_of(Evidence).c.sha256))]
    if not shas:
        return
    src_dir, dst_dir = src.data_dir, dst.data_dir
    if src_dir.resolve() == dst_dir.resolve():
        return
    for sha in shas:
        a = src_dir / sha[:2] / sha
        b = dst_dir / sha[:2] / sha
        if b.exists():
            continue
        if not a.exists():
            report.files_missing.append(sha)
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(a, b)
        report.files_copied += 1


def verify_counts(src: Database, dst: Database) -> dict[str, tuple[int, int]]:
    """Tables whose row counts differ between the two databases (empty when they match)."""
    out = {}
    with src.engine.connect() as a, dst.engine.connect() as b:
        for t in tables():
            na, nb = _count(a, t), _count(b, t)
            if na != nb:
                out[t.name] = (na, nb)
    return out
