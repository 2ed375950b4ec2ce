"""What a Chinese Windows PC brings: a user folder such as C:\\Users\\张 三\\AppData\\Local (Chinese
characters and a space) and the Credential Manager for passwords. Runs everywhere; under Windows
(or `scripts/dev wintest`) against the real thing."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from chamberdesk import paths
from chamberdesk.cli import main


def test_every_command_works_from_a_user_folder_with_chinese_and_a_space(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, windows_file_rules) -> None:
    local = tmp_path / "Users" / "张 三" / "AppData" / "Local" / "ChamberDesk"
    monkeypatch.setattr(paths, "user_data_dir", lambda: local)
    db = paths.default_db_path()
    out = tmp_path / "Users" / "张 三" / "Documents" / "上报 材料"
    out.mkdir(parents=True)
    year = str(date.today().year - 1)
    assert main(["init", "--demo", "--db", str(db)]) == 0
    # The commands below find the data file in the user folder by themselves (no --db).
    steps = [
        ["backup"],
        ["export", "members", "--out", str(out / "会员 台账.xlsx")],
        ["export", "yearly-stats", "--year", year, "--out", str(out / "年度 统计.xlsx")],
        ["print", "roster", "--out", str(out / "会员 名册.pdf")],
        ["package", "--year", year, "--out", str(out / "上报 数据包.zip")],
        ["consolidate", str(out / "上报 数据包.zip"), "--out", str(out / "市级 汇总.xlsx")],
        ["restore", "newest"],
        ["check-db"],
    ]
    for args in steps:
        assert main(args) == 0, (args, capsys.readouterr())
    for name in ("会员 台账.xlsx", "年度 统计.xlsx", "会员 名册.pdf", "上报 数据包.zip", "市级 汇总.xlsx"):
        assert (out / name).stat().st_size > 0, name
    assert db.parent == local and len(list((local / "chamberdesk-backups").glob("*.db"))) >= 1


@pytest.mark.skipif(sys.platform != "win32", reason="the Windows Credential Manager exists on Windows only")
def test_server_passwords_go_to_the_windows_credential_manager() -> None:
    import keyring
    from keyring.backends.Windows import WinVaultKeyring

    from chamberdesk.core.server import ServerAddress, forget_password, load_password, save_password

    ring = keyring.get_keyring()  # the Windows backend itself, or a chain whose first member it is
    assert isinstance(getattr(ring, "backends", [ring])[0], WinVaultKeyring), ring
    addr = ServerAddress(host="台账服务器", port=5432, database="台账", user="张 三")
    try:
        assert save_password(addr, "口令 Pa55")
        assert load_password(addr) == "口令 Pa55"
    finally:
        forget_password(addr)
    assert load_password(addr) is None
