"""`migrate-data` moves the demo county onto the server and back; every row and every count survives."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from chamberdesk.cli import main
from chamberdesk.core import members
from chamberdesk.core.db import open_database
from chamberdesk.core.transfer import tables


def _dump(target) -> dict[str, list]:
    db = open_database(target)
    try:
        with db.session() as s:
            return {t.name: s.execute(select(t).order_by(*t.primary_key.columns)).all() for t in tables()}
    finally:
        db.close()


def test_file_to_server_and_back_refusing_to_overwrite(demo_path: Path, pg_url: str, tmp_path: Path, capsys) -> None:
    assert main(["migrate-data", "--from", str(demo_path), "--to", pg_url]) == 0
    assert "各表条数核对一致" in capsys.readouterr().out
    back = tmp_path / "back.db"
    assert main(["migrate-data", "--from", pg_url, "--to", str(back)]) == 0
    original, on_server, returned = _dump(demo_path), _dump(pg_url), _dump(back)
    assert sum(len(v) for v in original.values()) > 3000
    for name in original:
        assert on_server[name] == original[name], name
        assert returned[name] == original[name], name

    # A server that already holds data is never overwritten.
    assert main(["migrate-data", "--from", str(demo_path), "--to", pg_url]) == 2
    assert "目标数据库中已有数据" in capsys.readouterr().err
    assert _dump(pg_url) == on_server

    # New records on the server continue after the copied ids (the sequences were moved on).
    db = open_database(pg_url)
    try:
        top = max(r.id for r in on_server["member"])
        with db.transaction() as s:
            new = members.create_member(s, {"kind": "enterprise", "enterprise_name": "服务器上新增的会员"})
        assert new.id > top
    finally:
        db.close()


def test_unreachable_server_is_one_chinese_line(tmp_path: Path, demo_path: Path, capsys) -> None:
    from pgserver import free_port

    url = f"postgresql://clerk@127.0.0.1:{free_port()}/chamberdesk"
    assert main(["migrate-data", "--from", str(demo_path), "--to", url]) == 2
    err = capsys.readouterr().err
    assert "无法连接数据库服务器" in err and "Traceback" not in err
