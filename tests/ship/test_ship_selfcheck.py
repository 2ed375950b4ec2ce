"""`chamberdesk selfcheck` proves an installation is complete; `migrate-data` between two SQLite files."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from chamberdesk.cli import main
from chamberdesk.core.db import open_database
from chamberdesk.core.models import Member
from chamberdesk.core.transfer import tables


def test_selfcheck_without_gui_passes_every_check(capsys) -> None:
    assert main(["selfcheck", "--no-gui", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in out["checks"]]
    assert names == ["数据文件", "考评标准", "PDF（中文）", "Excel", "数据库服务器驱动"]
    assert out["ok"] and all(c["ok"] for c in out["checks"]), out
    assert "嵌入字体" in out["checks"][2]["detail"]
    assert not out["frozen"]


def test_selfcheck_closes_every_file_before_removing_its_folder(windows_file_rules, capsys) -> None:
    """On Windows the temp folder cannot go while a workbook in it is still open (the frozen selfcheck
    failed with 文件操作失败（没有权限…）：…selfcheck.xlsx). Closing must not wait for the garbage collector
    (a read-only workbook sits in a reference cycle), so it is off here."""
    gc.disable()
    try:
        assert main(["selfcheck", "--no-gui"]) == 0, capsys.readouterr()
    finally:
        gc.enable()


def test_selfcheck_with_gui_in_a_fresh_process() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "chamberdesk", "selfcheck"], capture_output=True, encoding="utf-8",
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[通过] 图形界面" in proc.stdout and "Qt 中文翻译已载入" in proc.stdout
    assert "失败" not in proc.stdout


def test_selfcheck_reports_a_broken_rubric_and_exits_1(tmp_path, monkeypatch, capsys) -> None:
    from chamberdesk import paths

    broken = tmp_path / "rubric_data"
    shutil.copytree(paths.rubric_data_dir(), broken)
    (broken / "zz-broken.toml").write_text("id = \"broken\"\ntitle = [未闭合\n", encoding="utf-8")
    monkeypatch.setattr(paths, "rubric_data_dir", lambda: broken)
    assert main(["selfcheck", "--no-gui"]) == 1
    out = capsys.readouterr().out
    assert "[失败] 考评标准" in out and "自检未通过" in out


def test_migrate_data_between_files_copies_everything(demo_path: Path, tmp_path: Path, capsys) -> None:
    dst = tmp_path / "copy.db"
    assert main(["migrate-data", "--from", str(demo_path), "--to", str(dst)]) == 0
    out = capsys.readouterr().out
    assert "各表条数核对一致" in out and "会员：" in out
    a, b = open_database(demo_path), open_database(dst)
    try:
        with a.session() as sa, b.session() as sb:
            for t in tables():
                q = select(t).order_by(*t.primary_key.columns)
                assert sa.execute(q).all() == sb.execute(q).all(), t.name
            # New records continue after the copied ids.
            top = max(m.id for m in sb.exec(select(Member)))
        from chamberdesk.core import members

        with b.transaction() as s:
            assert members.create_member(s, {"kind": "enterprise", "enterprise_name": "新会员"}).id > top
    finally:
        a.close()
        b.close()


def test_migrate_data_refuses_to_overwrite(demo_path: Path, tmp_path: Path, capsys) -> None:
    assert main(["migrate-data", "--from", str(demo_path), "--to", str(demo_path)]) == 2
    other = tmp_path / "other.db"
    shutil.copyfile(demo_path, other)
    before = other.read_bytes()
    assert main(["migrate-data", "--from", str(demo_path), "--to", str(other)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert other.read_bytes() == before
    assert main(["migrate-data", "--from", str(tmp_path / "none.db"), "--to", str(tmp_path / "x.db")]) == 2
    assert "找不到源数据文件" in capsys.readouterr().err
