"""台账资料汇编: sections, bookmarks and page numbers read back, photos upright and downscaled, scans as
pages, every evidence file in the index, the roster as of 31 December, cancel and progress."""

from __future__ import annotations

import io
import re
import threading
from datetime import date
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from chamberdesk.core import activities, chambers, contacts, evidence, federation, meetings, members
from chamberdesk.io.pdf.binder import PHOTO_BOX, PHOTO_DPI, SECTIONS
from chamberdesk.io.pdf.jobs import PrintRequest, run
from chamberdesk.io.pdf.layout import Cancelled
from tests.io.test_pdf_forms import assert_all_embedded

YEAR = 2025
LIMIT = max(PHOTO_BOX) / 72 * PHOTO_DPI + 1  # the longest side a photo may keep, in pixels


def photo(path: Path, size: tuple[int, int], *, orientation: int | None = None, mode: str = "RGB",
          red: int = 200) -> Path:
    """A photo as a camera writes it: landscape pixels, the way to hold it in the EXIF orientation tag."""
    img = PILImage.new(mode, size, (red, 40, 40, 255) if mode == "RGBA" else (red, 40, 40))
    # a dark band along the top edge of the stored pixels, to see where it ends up after rotation
    img.paste((20, 20, 20) if mode == "RGB" else (20, 20, 20, 255), (0, 0, size[0], size[1] // 10))
    if orientation:
        exif = PILImage.Exif()
        exif[0x0112] = orientation
        img.save(path, "JPEG", quality=90, exif=exif.tobytes())
    else:
        img.save(path)
    return path


def scan(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for i in range(pages):
        c.rect(50, 50, 400, 700, fill=1)
        c.drawString(100, 780, f"scan page {i + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def year_db(db, tmp_path):
    """A chamber's 2025: members who joined, left and joined late, a meeting and an activity with files."""
    with db.transaction() as s:
        federation.save_federation(s, {"name": "测试县工商业联合会"})
        ch = chambers.create_chamber(s, {"name": "测试镇商会", "kind": "township", "president_name": "甲会长",
                                         "term_start": date(2023, 1, 1), "term_end": date(2027, 12, 31)})
        cid = ch.id

        def member(name: str, joined: date, left: date | None = None) -> int:
            m = members.create_member(s, {"kind": "enterprise", "enterprise_name": name, "rep_name": name[:2] + name[4],
                                          "join_date": joined}, seats=[(cid, "member")])
            if left:
                members.mark_left(s, [m.id], left, "迁出")
            return m.id

        stay = [member(f"留任企业{i}有限公司", date(2024, 3, 1)) for i in range(3)]
        member("年中退会有限公司", date(2024, 3, 1), left=date(2025, 6, 30))
        member("次年入会有限公司", date(2026, 1, 10))
        mt = meetings.create_meeting(s, {"chamber_id": cid, "body": "council", "date": date(YEAR, 3, 5),
                                         "place": "商会会议室", "agenda": "审议年度工作计划", "expected_count": 9,
                                         "present_count": 8, "decisions": "通过年度工作计划",
                                         "minutes": "会长主持，全体理事逐项讨论。"}, attendee_ids=stay[:2])
        act = activities.create_activity(s, {"chamber_id": cid, "category": "training", "date": date(YEAR, 5, 12),
                                             "title": "企业合规培训", "participant_count": 40, "people_count": 40})
        contacts.log_contact(s, {"member_id": stay[0], "chamber_id": cid, "date": date(YEAR, 7, 1), "way": "visit",
                                 "by_whom": "秘书长"})
        files = tmp_path / "files"
        files.mkdir()
        evidence.add_file(db, s, photo(files / "立着拍.jpg", (4000, 3000), orientation=6),
                          record_type="meeting", record_id=mt.id)
        evidence.add_file(db, s, scan(files / "签到表.pdf", 2), record_type="meeting", record_id=mt.id)
        evidence.add_file(db, s, files.joinpath("会议通知.docx").write_bytes(b"PK\x03\x04 not really") and
                          files / "会议通知.docx", record_type="meeting", record_id=mt.id)
        for i in range(3):
            evidence.add_file(db, s, photo(files / f"培训现场{i + 1}.png", (2400, 1600), mode="RGBA", red=100 + 50 * i),
                              record_type="activity", record_id=act.id)
        gone = evidence.add_file(db, s, photo(files / "已丢失.jpg", (800, 600)), record_type="activity",
                                 record_id=act.id)
        evidence.add_file(db, s, photo(files / "账册.jpg", (1600, 1200)), record_type="chamber", record_id=cid,
                          rubric_item="tongzhou-kaoping:finance_archived")
    with db.session() as s:
        evidence.path_of(db, s.get(type(gone), gone.id)).unlink()  # the file went missing from the data folder
    return db, cid


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for o in items:
            if isinstance(o, list):
                walk(o, level + 1)
            else:
                out.append((level, o.title, reader.get_destination_page_number(o)))

    walk(reader.outline, 0)
    return out


def page_numbers(text: str) -> list[int]:
    """The page references written into a page after its layout: the bare numbers before its footer."""
    lines = text.split("\n")
    end = next(i for i, ln in enumerate(lines) if ln.startswith("第 "))
    start = end
    while start > 0 and lines[start - 1].strip().isdigit():
        start -= 1
    return [int(x) for x in lines[start:end]]


def images(page) -> list[dict]:
    xobjects = page["/Resources"].get_object().get("/XObject")
    found: list[dict] = []
    for ref in (xobjects.get_object().values() if xobjects is not None else []):
        x = ref.get_object()
        if x.get("/Subtype") == "/Image":
            f = x.get("/Filter")
            filters = [str(v) for v in f] if isinstance(f, list) else [str(f)]
            found.append({"w": int(x["/Width"]), "h": int(x["/Height"]), "filters": filters,
                          "data": x.get_data() if filters == ["/DCTDecode"] else None})
    return found


def test_binder_sections_bookmarks_and_page_numbers(year_db, tmp_path):
    db, cid = year_db
    out = tmp_path / "汇编.pdf"
    steps: list[tuple[int, int]] = []
    files = run(db, PrintRequest(form="binder", year=YEAR, targets=[cid], today=date(2026, 1, 15)), out,
                progress=lambda d, t, w: steps.append((d, t)))
    assert files == [out]
    reader = PdfReader(out)
    texts = [p.extract_text() for p in reader.pages]
    n = len(reader.pages)
    # the cover names the unit and the year and carries no number; every other page says 第 i 页 共 n 页
    assert "测试镇商会" in texts[0] and "台账资料汇编" in texts[0] and "2025年度" in texts[0]
    assert "第 1 页" not in texts[0]
    for i, t in enumerate(texts[1:], 2):
        assert f"第 {i} 页 共 {n} 页" in t
    # the bookmarks: 目录 and the seven sections, the meeting and the activity under theirs
    marks = outline(reader)
    top = [t for lv, t, _ in marks if lv == 0]
    assert top == ["目录", *(f"{'一二三四五六七'[k]}、{s}" for k, s in enumerate(SECTIONS))]
    assert (1, "2025-03-05 理事会", ) in [(lv, t) for lv, t, _ in marks]
    assert (1, "2025-05-12 企业合规培训") in [(lv, t) for lv, t, _ in marks]
    pages = {t: p for _, t, p in marks}
    # the contents give, line by line, the pages the bookmarks land on (the numbers are written last)
    toc = texts[pages["目录"]]
    assert page_numbers(toc) == [p + 1 for _, t, p in marks if t != "目录"]
    for k, s in enumerate(SECTIONS):
        assert f"{'一二三四五六七'[k]}、{s}" in texts[pages[f"{'一二三四五六七'[k]}、{s}"]]  # the running head
    assert "测试镇商会" in texts[pages["一、基本情况"]] and "基本情况" in texts[pages["一、基本情况"]]
    # the roster is the one of 31 December: the member who left in June and the one who joined in 2026 are out
    roster = texts[pages["二、会员名册"]]
    assert "截至2025年12月31日" in roster and "在册会员 3 名" in roster
    assert "留任企业0有限公司" in roster and "年中退会" not in roster and "次年入会" not in roster
    meeting = "".join(texts[pages["三、会议记录"]:pages["四、活动记录"]])
    for words in ("审议年度工作计划", "通过年度工作计划", "会长主持，全体理事逐项讨论。", "应到 9 人，实到 8 人", "留任0、留任1"):
        assert words in meeting.replace("\n", ""), words
    assert "实地走访" in texts[pages["五、走访联系"]]
    assert "自查表" in texts[pages["六、考评自查"]]
    # progress climbs to its end
    assert steps and steps[-1][0] == steps[-1][1] and all(a <= b for (a, _), (b, _) in zip(steps, steps[1:], strict=False))
    assert_all_embedded(out)


def test_photos_upright_downscaled_and_scans_as_pages(year_db, tmp_path):
    db, cid = year_db
    out = tmp_path / "汇编.pdf"
    run(db, PrintRequest(form="binder", year=YEAR, targets=[cid]), out)
    reader = PdfReader(out)
    texts = [p.extract_text().replace("\n", "") for p in reader.pages]
    shots = [(i, im) for i, p in enumerate(reader.pages) for im in images(p)]
    photos = [(i, im) for i, im in shots if im["w"] < 1000 and im["h"] < 1000]
    scans = [(i, im) for i, im in shots if (i, im) not in photos]
    # one meeting photo, three activity photos, one for a rubric item; the missing file is not there
    assert len(photos) == 5
    for _, im in photos:
        assert max(im["w"], im["h"]) <= LIMIT and im["filters"] == ["/DCTDecode"]  # JPEG as is, no ASCII85
    # the camera held 立着拍.jpg upright: 4000×3000 pixels with orientation 6 print as a portrait,
    # the dark band that was along the stored top edge now runs down the right-hand side
    upright = [im for _, im in photos if im["h"] > im["w"]]
    assert len(upright) == 1
    pic = PILImage.open(io.BytesIO(upright[0]["data"])).convert("L")
    w, h = pic.size
    assert pic.getpixel((w - 3, h // 2)) < 60 and pic.getpixel((3, h // 2)) > 60
    # the two-page scan: two pages of its own, each with its page rendered as an image and captioned
    scan_pages = [i for i, t in enumerate(texts) if "签到表.pdf（第" in t]
    assert len(scan_pages) == 2 and [i for i, _ in scans] == scan_pages
    assert "（第1页，共2页）" in texts[scan_pages[0]] and "（第2页，共2页）" in texts[scan_pages[1]]
    # the binder stays small: far below the 2-page scan and photos as stored
    assert out.stat().st_size < 1_500_000


def test_index_accounts_for_every_file(year_db, tmp_path):
    db, cid = year_db
    out = tmp_path / "汇编.pdf"
    req = PrintRequest(form="binder", year=YEAR, targets=[cid])
    run(db, req, out)
    reader = PdfReader(out)
    raw = [p.extract_text() for p in reader.pages]
    texts = [t.replace("\n", "") for t in raw]
    index = texts[-1]
    assert "共 8 个凭证文件，收入本汇编 6 个，未收入 2 个" in index
    assert "会议通知.docx" in index and "未收入（不是照片或 PDF，请查看原件）" in index
    assert "已丢失.jpg" in index and "文件缺失" in index
    assert "考评条目：通州区商会工作目标管理考评—会费收支财务报告和账册立卷归档" in index
    # the pages the index gives are those where each embedded file is: the meeting's photo and scan, the
    # activity's three photos, the photo of the rubric item
    def where(name):
        caption = re.compile(r"图\d+[^图]{0,40}?" + re.escape(name))  # 图2　会议：2025-03-05 理事会　签到表.pdf
        return next(i for i, t in enumerate(texts) if caption.search(t)) + 1

    names = ["立着拍.jpg", "签到表.pdf", "培训现场1.png", "培训现场2.png", "培训现场3.png", "账册.jpg"]
    assert page_numbers(raw[-1]) == [where(n) for n in names]
    # the missing file is reported to whoever printed it; the Word file is only listed
    assert any("已丢失.jpg" in w for w in req.extra["warnings"])
    assert not any("会议通知" in w for w in req.extra["warnings"])


def test_all_chambers_in_one_file_or_one_file_each(year_db, tmp_path):
    db, cid = year_db
    with db.transaction() as s:
        chambers.create_chamber(s, {"name": "第二商会", "kind": "industry"})
    both = tmp_path / "全部.pdf"
    run(db, PrintRequest(form="binder", year=YEAR), both)
    reader = PdfReader(both)
    marks = outline(reader)
    with db.session() as s:
        order = [ch.name for ch in chambers.list_chambers(s, include_dissolved=False)]
    assert sorted(order) == ["测试镇商会", "第二商会"]
    assert [t for lv, t, _ in marks if lv == 0] == [f"{n}2025年度台账资料汇编" for n in order]
    second = next(p for lv, t, p in marks if t.startswith("第二商会"))
    # page numbers start again with each binder
    assert "第 2 页 共" in reader.pages[second + 1].extract_text()
    folder = run(db, PrintRequest(form="binder", year=YEAR), tmp_path / "每个商会")
    assert [p.name for p in folder] == [f"{n}2025年度台账资料汇编.pdf" for n in order]
    empty = folder[order.index("第二商会")]
    assert "本年度无会议记录" in "".join(p.extract_text() for p in PdfReader(empty).pages)


def test_cancel_leaves_no_file(year_db, tmp_path):
    db, cid = year_db
    stop = threading.Event()
    seen = []

    def progress(done, total, what):
        seen.append(what)
        if "排版" in what:
            stop.set()

    out = tmp_path / "取消.pdf"
    with pytest.raises(Cancelled):
        run(db, PrintRequest(form="binder", year=YEAR, targets=[cid]), out, progress=progress, cancel=stop)
    assert not out.exists() and any("排版" in w for w in seen)


def test_cli_prints_pages_and_size(year_db, tmp_path, capsys):
    from chamberdesk.cli import main

    db, _ = year_db
    db.close()
    out = tmp_path / "cli.pdf"
    assert main(["print", "binder", "--db", str(db.path), "--year", "2025", "--target", "测试镇商会",
                 "--out", str(out), "--quiet"]) == 0
    got = capsys.readouterr()
    pages = len(PdfReader(out).pages)
    assert f"cli.pdf：{pages} 页，{out.stat().st_size / 1024 / 1024:.1f} MB" in got.out
    assert "已丢失.jpg" in got.err


def test_a_standard_for_other_chambers_is_named_not_fatal(year_db, tmp_path):
    db, _ = year_db
    with db.transaction() as s:
        other = chambers.create_chamber(s, {"name": "建筑业商会", "kind": "industry"}).id
    out = tmp_path / "行业.pdf"
    run(db, PrintRequest(form="binder", year=YEAR, targets=[other], rubric_id="siyou"), out)
    text = "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "")
    assert "未附“基层商会“四有”" in text and "不在其列" in text


def test_a_damaged_photo_is_reported_not_fatal(db, tmp_path):
    with db.transaction() as s:
        cid = chambers.create_chamber(s, {"name": "丙商会", "kind": "industry"}).id
        act = activities.create_activity(s, {"chamber_id": cid, "category": "other", "date": date(YEAR, 9, 1),
                                             "title": "联谊会"})
        bad = tmp_path / "坏照片.jpg"
        bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
        evidence.add_file(db, s, bad, record_type="activity", record_id=act.id)
    req = PrintRequest(form="binder", year=YEAR, targets=[cid])
    out = tmp_path / "丙.pdf"
    run(db, req, out)
    index = PdfReader(out).pages[-1].extract_text().replace("\n", "")
    assert "坏照片.jpg" in index and "无法读取" in index and "收入本汇编 0 个，未收入 1 个" in index
    assert req.extra["warnings"] and "坏照片.jpg" in req.extra["warnings"][0]
