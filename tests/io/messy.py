"""Generators of messy workbooks like the ones county offices keep by hand, with the expected outcome of each row."""

from __future__ import annotations

import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import openpyxl

from chamberdesk.core.validators import credit_code_check_char, id_check_digit


def credit_code(seq: int, region: str = "130534") -> str:
    body = f"91{region}MA{seq:05d}0{seq % 10}"
    body = body[:17]
    return body + credit_code_check_char(body)


def id_number(seq: int, born: date = date(1978, 3, 9)) -> str:
    body = f"130534{born:%Y%m%d}{seq % 1000:03d}"
    return body + id_check_digit(body)


def to_fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


@dataclass
class Expect:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    rejected_rows: dict[int, str] = field(default_factory=dict)  # sheet row → a word the reason must contain
    imported_names: list[str] = field(default_factory=list)


def messy_members(path: Path, *, chamber: str = "城关镇商会") -> Expect:
    """A ledger with every quirk: title, unit line, two-level merged header, 序号, blank rows, a header
    repeated mid-sheet, 小计/合计 rows, signatures, dates in every form, codes and phones typed badly,
    an ID number stored as a number, the same enterprise twice, control characters."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员名单"
    ws.append(["清河县工商联会员企业台账"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：清河县工商联（盖章）", None, None, None, None, None, None, "2024年5月"])
    ws.append(["序号", "会员单位", "统一社会信用代码", "法人代表", "性别", "身份证号码", "联系方式", None, "入会时间", "所属商会"])
    ws.append([None, None, None, None, None, None, "手机", "电话", None, None])
    for col in "ABCDEFIJ":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("G3:H3")
    e = Expect()
    seq = 0

    def add(values: list, status: str, name: str | None = None, reason: str = "") -> None:
        nonlocal seq
        ws.append(values)
        r = ws.max_row
        e.rows += 1
        if status == "imported":
            e.imported += 1
            e.imported_names.append(name or values[1])
        elif status == "duplicate":
            e.duplicates += 1
        elif status == "skipped":
            e.skipped += 1
        elif status == "rejected":
            e.rejected += 1
            e.rejected_rows[r] = reason

    def member(i: int, when, *, code: str | None = None, phone=None, landline=None, idn=None, name=None, sex="男"):
        return [i, name or f"清河县第{i}机械制造有限公司", code if code is not None else credit_code(i), f"张{i}", sex,
                idn if idn is not None else id_number(i), phone, landline, when, chamber]

    add(member(1, datetime(2019, 5, 1), phone="13800138001"), "imported")
    c2 = credit_code(2)
    add(member(2, 43586, code=" ".join([c2[:6], c2[6:12].lower(), c2[12:]]), phone=13800138002), "imported")
    ws.cell(ws.max_row, 9).number_format = "yyyy-mm-dd"
    add(member(3, "2019.5", code=to_fullwidth(credit_code(3)), phone="13800138003"), "imported")
    add(member(4, 2019.5, phone="13800138004", sex="女"), "imported")
    add(member(5, "2019年5月", phone="13800138005"), "imported")
    add([None] * 10, "blank")
    e.rows -= 1  # blank rows are not counted
    add(member(6, "2019年5月1日", phone="13800138006"), "imported")
    add(member(7, "2019/5/1", landline="0319-7654321"), "imported")
    add(member(8, 20190501, phone=to_fullwidth("13800138008")), "imported")
    add(member(9, "2019-05-01", landline="（0319）7654329"), "imported")
    add(["小计", None, None, None, None, None, None, None, None, None], "skipped")
    add(["序号", "会员单位", "统一社会信用代码", "法人代表", "性别", "身份证号码", "手机", "电话", "入会时间", "所属商会"],
        "skipped")
    add(member(10, "20190501", idn=130534197803090101, phone="13800138010"), "rejected", reason="数字形式")
    add(member(11, "2019-05-01", name="清河县第1机械制造有限公司", code=credit_code(1), idn=""), "duplicate")
    add(member(12, "2019-05-01", name="  清河县第2机械制造有限公司 ", code="", idn=""), "duplicate")
    bad = credit_code(13)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    add(member(13, "2019-05-01", code=bad, phone="13800138013"), "rejected", reason="校验位")
    add(member(14, "2019-05-01", phone="13800138014", name="清河县_x0007_第14商贸有限公司"), "rejected", reason="控制字符")
    add(member(15, 2019.1, phone="13800138015"), "rejected", reason="10月")
    add(member(16, "2019年", phone="13800138016"), "rejected", reason="年份")
    add(member(17, "2019-05-01", phone="1380013801"), "rejected", reason="手机")
    add(member(18, "2018-03-04", phone="13800138018", sex="女"), "imported")
    add(["合计", None, None, None, None, None, None, None, None, None], "skipped")
    add(["填表人：王芳", None, None, None, "审核人：李强"], "skipped")
    wb.save(path)
    return e


def big_ledger(path: Path, n: int, *, seed: int = 7) -> None:
    """A plain ledger of n members (the benchmark's sheet): title, unit line, header, 15 columns."""
    r = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("会员")
    ws.append(["会员台账"])
    ws.append(["填报单位：清河县工商联"])
    ws.append(["序号", "企业名称", "统一社会信用代码", "会员类型", "法定代表人", "代表人姓名", "性别", "出生日期", "身份证号",
               "政治面貌", "联系电话", "所属行业", "企业规模", "入会日期", "备注"])
    for i in range(1, n + 1):
        born = date(1960 + i % 30, 1 + i % 12, 1 + i % 28)
        ws.append([i, f"清河县第{i}号实业有限公司", credit_code(i), "企业会员", f"王{i % 97}", f"李{i % 89}",
                   "男" if i % 2 else "女", born, id_number(i, born), r.choice(["中共党员", "群众", "民建会员"]),
                   f"138{i:08d}", r.choice(["制造业", "批发和零售业", "建筑业"]), "中小微企业",
                   date(2010 + i % 14, 1 + i % 12, 1 + i % 28), "—"])
    wb.save(path)


def zip_bomb(path: Path, mb: int = 30) -> None:
    """An .xlsx-shaped zip whose sheet inflates to `mb` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (mb * 1024 * 1024))


def entity_attack(src: Path, dest: Path) -> None:
    """A real workbook with a billion-laughs declaration put in front of its sheet."""
    evil = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = evil + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            zout.writestr(info, data)


def encrypted_like(path: Path) -> None:
    """What Excel writes for a workbook with an open password: an OLE container with EncryptionInfo."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    body = "EncryptionInfo".encode("utf-16-le") + b"\0" * 200 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(header + body + b"\0" * 4096)


def add_chamber(db, name: str = "城关镇商会", kind: str = "township") -> int:
    """The chamber messy_members names: members name chambers on file, never unknown ones."""
    from chamberdesk.core.chambers import create_chamber

    with db.transaction() as s:
        return create_chamber(s, {"name": name, "kind": kind}).id


def county_workbook(path: Path) -> Path:
    """A county's workbook of two sheets, each with one bad row: a member ledger (a title row, a wrong
    credit code on sheet row 4, a 合计 row) and the federation's activities (a date that does not exist
    on sheet row 3)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员名单"
    ws.append(["会员名单"])
    ws.append(["序号", "企业名称", "统一社会信用代码", "入会日期", "企业地址"])
    ws.append([1, "清河县甲有限公司", credit_code(1), "2020-03-01", "城关镇"])
    ws.append([2, "清河县乙有限公司", credit_code(2)[:-1] + ("0" if credit_code(2)[-1] != "0" else "1"), "2021-05-01",
               "城关镇"])
    ws.append([3, "清河县丙有限公司", credit_code(3), "2022-01-01", None])
    ws.append(["合计", None, None, None, None])
    ws = wb.create_sheet("活动记录")
    ws.append(["所属商会", "活动名称", "活动形式", "活动日期", "参加人数"])
    ws.append(["本级", "政策宣讲会", "宣讲", "2024-03-01", "25人"])
    ws.append(["本级", "企业调研", "调研", "2024-13-45", 10])
    wb.save(path)
    wb.close()
    return path
