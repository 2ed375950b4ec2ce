"""The command line: init/info round trips, clean one-line errors, no tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from chamberdesk.cli import COMMAND_MODULES, main


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Piped output is UTF-8 whatever the code page (chamberdesk.cli.safe_streams).
    return subprocess.run([sys.executable, "-m", "chamberdesk", *args], capture_output=True, encoding="utf-8",
                          timeout=300, env={**os.environ, **env})


def test_help_piped_from_a_gbk_code_page_is_utf8() -> None:
    """A Chinese Windows pipes in code page 936, which has no ⇄ (migrate-data's help): no crash, UTF-8 out."""
    r = run("--help", PYTHONIOENCODING="gbk")
    assert r.returncode == 0, r.stderr
    assert "⇄" in r.stdout and "migrate-data" in r.stdout


def test_help_on_a_gbk_console_replaces_what_it_cannot_show(monkeypatch: pytest.MonkeyPatch) -> None:
    class Console(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    raw = io.BytesIO()
    console = Console(raw, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", console)
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    console.flush()
    text = raw.getvalue().decode("gbk")
    assert "migrate-data" in text and "⇄" not in text and "?" in text


def test_the_window_program_has_no_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    import chamberdesk.cli as cli

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(cli, "_launch_gui", lambda args: 0)
    assert main(["--db", "x.db"]) == 0


def test_init_demo_then_info_json(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    r = run("init", "--demo", "--db", str(db))
    assert r.returncode == 0, r.stderr
    r = run("info", "--db", str(db), "--json")
    assert r.returncode == 0
    counts = json.loads(r.stdout)
    assert set(counts) >= {"members", "chambers", "meetings", "activities", "contacts"}
    assert counts["chambers"] == 12 and counts["members"] > 500


def test_init_with_name_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "y.db"
    assert main(["init", "--db", str(db), "--name", "清河县工商联", "--region-code", "130534"]) == 0
    assert main(["init", "--db", str(db), "--name", "另一个名称"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "已存在" in err and "Traceback" not in err
    assert main(["info", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == 0


def test_init_demo_for_another_county(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A second demo county for trying the consolidation: its own name, code, places and people."""
    db = tmp_path / "gc.db"
    assert main(["init", "--demo", "--db", str(db), "--name", "故城县工商业联合会", "--region-code", "130523"]) == 0
    from chamberdesk.core.db import open_database
    from chamberdesk.core.federation import get_federation
    from chamberdesk.core.models import Chamber, Member

    d = open_database(str(db))
    try:
        with d.session() as s:
            fed = get_federation(s)
            assert fed is not None and (fed.name, fed.region_code) == ("故城县工商业联合会", "130523")
            names = [c.name for c in s.exec(select(Chamber))]
            members = list(s.exec(select(Member)))
    finally:
        d.close()
    assert "福州故城商会" in names and not any("清河" in n for n in names)
    assert not any("清河" in m.enterprise_name for m in members)
    assert all(m.rep_id_number.startswith("130523") for m in members if m.rep_id_number)


@pytest.mark.parametrize(("args", "message"), [
    ([], "请用 --name 填写本级工商联名称"),
    (["--demo", "--name", "故城县工商业联合会"], "同时给出 --name 和 --region-code"),
    (["--demo", "--region-code", "130523"], "同时给出 --name 和 --region-code"),
    (["--name", "清河县工商联", "--region-code", "999999"], "不是县级行政区划代码"),
    (["--name", "清河县工商联", "--region-code", "13053"], "应为6位数字"),
])
def test_init_refuses_bad_federation_details(tmp_path: Path, capsys: pytest.CaptureFixture, args, message) -> None:
    db = tmp_path / "z.db"
    assert main(["init", "--db", str(db), *args]) == 2
    assert message in capsys.readouterr().err
    assert not db.exists()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 50])
def test_bad_files_give_one_line(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "bad.db"
    if content:
        p.write_bytes(content)
    r = run("info", "--db", str(p if content else tmp_path / "missing.db"), "--json")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_bad_arguments_are_chinese(tmp_path: Path) -> None:
    r = run("info", "--nonsense")
    assert r.returncode == 2 and "参数错误" in r.stderr


def test_core_never_imports_qt() -> None:
    code = ("import sys, chamberdesk.core.db, chamberdesk.core.demo, chamberdesk.cli, chamberdesk.rules, chamberdesk.io;"
            "import pkgutil, importlib;"
            "[importlib.import_module(m.name) for p in ('chamberdesk.core','chamberdesk.rules','chamberdesk.io','chamberdesk.cli') "
            " for m in pkgutil.walk_packages(importlib.import_module(p).__path__, p + '.') if '.migrations' not in m.name];"
            "bad=[m for m in sys.modules if m.startswith('PySide6')]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    """`info` (and the GUI start) must not pay for reportlab, openpyxl, the rubric engine, migrations or the
    PostgreSQL dialect on a data file that needs none of them."""
    db = tmp_path / "q.db"
    assert main(["init", "--db", str(db), "--name", "清河县工商联"]) == 0
    code = ("import sys; from chamberdesk.cli import main; main(['info', '--db', sys.argv[1], '--json']);"
            "heavy = [m for m in ('reportlab', 'openpyxl', 'chamberdesk.rules', 'chamberdesk.io', 'alembic',"
            " 'sqlalchemy.dialects.postgresql') if m in sys.modules];"
            "print(heavy); sys.exit(1 if heavy else 0)")
    r = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_with_accounts_on_every_command_logs_in(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """No command acts as 管理员 on a file with accounts: log in with --user, and the role decides."""
    from chamberdesk.core import accounts
    from chamberdesk.core.db import open_database

    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: the roles are what is tested
    db = tmp_path / "a.db"
    assert main(["init", "--db", str(db), "--name", "清河县工商联"]) == 0
    d = open_database(db)
    with d.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Qinghe#2024")
        accounts.create_user(s, "luru", "Jizhang#2024", "录入员")
    d.close()
    out = tmp_path / "台账.xlsx"
    capsys.readouterr()
    assert main(["export", "members", "--db", str(db), "--out", str(out), "--unmasked"]) == 2
    assert "--user" in capsys.readouterr().err and not out.exists()
    monkeypatch.setenv("CHAMBERDESK_PASSWORD", "Jizhang#2024")
    assert main(["export", "members", "--db", str(db), "--out", str(out), "--unmasked", "--user", "luru"]) == 2
    assert "无权导出完整个人信息" in capsys.readouterr().err and not out.exists()
    assert main(["export", "members", "--db", str(db), "--out", str(out), "--user", "luru"]) == 0
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db), "--out", str(copy)]) == 2  # a full copy: log in first
    assert "--user" in capsys.readouterr().err and not copy.exists()
    monkeypatch.setenv("CHAMBERDESK_PASSWORD", "wrong")
    assert main(["info", "--db", str(db), "--user", "luru"]) == 2
    assert "用户名或密码错误" in capsys.readouterr().err
    assert main(["backup", "--db", str(db), "--out", str(copy), "--user", "luru"]) == 2
    assert not copy.exists()


def test_only_the_commands_module_is_loaded_for_each_way_of_starting() -> None:
    from chamberdesk.cli import _modules_for

    assert _modules_for([]) == []
    assert _modules_for(["--db", "台账.db"]) == []
    assert _modules_for(["--open-package", "清河县上报数据包.zip"]) == []  # a package opened with the program
    assert _modules_for(["--db", "x.db", "print", "ledger"]) == ["printing"]
    assert _modules_for(["--help"]) == list(COMMAND_MODULES)
