"""Pages per second for a 台账资料汇编 of about 100 pages with 50 camera photos, beside bare reportlab placing the
same photos (as stored, reportlab embeds a JPEG without decoding it) and the same record texts with the same font.

    python bench/bench_binder.py           # 50 photos, about 100 pages
    python bench/bench_binder.py --quick   # 10 photos, about 25 pages
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image as PILImage  # noqa: E402
from PIL import ImageDraw  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab import rl_config  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

from chamberdesk.core import activities, chambers, contacts, evidence, meetings, members  # noqa: E402
from chamberdesk.core.db import open_database  # noqa: E402
from chamberdesk.io.pdf.binder import PHOTO_BOX  # noqa: E402
from chamberdesk.io.pdf.fonts import get_fonts  # noqa: E402
from chamberdesk.io.pdf.jobs import PrintRequest, run  # noqa: E402

YEAR = 2025
TEXT = "会长主持会议，传达上级工商联会议精神，讨论本季度会员服务、招商引资和公益活动安排，与会人员逐项发表意见。"


def camera_photo(path: Path, seed: int) -> Path:
    """A 4000×3000 photo of the size and JPEG quality a phone camera writes (about 1–2 MB)."""
    rnd = random.Random(seed)
    img = PILImage.new("RGB", (400, 300))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rnd.randrange(400), rnd.randrange(300)
        draw.ellipse((x, y, x + rnd.randrange(20, 120), y + rnd.randrange(20, 90)),
                     fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    img = img.resize((4000, 3000), PILImage.Resampling.BICUBIC)
    noise = PILImage.effect_noise((4000, 3000), 24).convert("RGB")
    PILImage.blend(img, noise, 0.15).save(path, "JPEG", quality=92)
    return path


def make_db(folder: Path, photos: int):
    db = open_database(folder / "bench.db", create=True)
    pics = [camera_photo(folder / f"现场照片{i + 1:02d}.jpg", i) for i in range(photos)]
    n_members = photos * 8
    with db.transaction() as s:
        cid = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township", "president_name": "范春"}).id
        ids = [members.create_member(s, {"kind": "enterprise", "enterprise_name": f"清河县第{k:03d}商贸有限公司",
                                         "rep_name": f"代表{k}", "join_date": date(2020, 1, 1)},
                                     seats=[(cid, "member")]).id for k in range(n_members)]
        for i, pic in enumerate(pics):
            day = date(YEAR, 1, 5) + timedelta(days=i * 7)
            if i % 2 == 0:
                rec = meetings.create_meeting(s, {"chamber_id": cid, "body": "council", "date": day, "place": "会议室",
                                                  "agenda": TEXT, "decisions": TEXT, "minutes": TEXT * 3,
                                                  "expected_count": 15, "present_count": 13},
                                              attendee_ids=ids[:12])
                kind = "meeting"
            else:
                rec = activities.create_activity(s, {"chamber_id": cid, "category": "training", "date": day,
                                                     "title": f"会员培训第{i}期", "participant_count": 40,
                                                     "notes": TEXT * 2})
                kind = "activity"
            evidence.add_file(db, s, pic, record_type=kind, record_id=rec.id)
        for k, mid in enumerate(ids):
            contacts.log_contact(s, {"member_id": mid, "chamber_id": cid, "date": date(YEAR, 1 + k % 12, 10),
                                     "way": "visit", "by_whom": "秘书长", "notes": "了解经营情况"})
    return db, cid, pics


def bare(out: Path, pics: list[Path], photos_per_record: int, n_members: int) -> None:
    """Plain reportlab: per record a heading, its texts and its photo scaled into the same box (embedded as
    stored); the roster and visits as tables with the same rows; `第 x 页` in the footer. No data access, no
    photo decoding, rotation or downscaling, no contents, bookmarks, index or self-check."""
    fs = get_fonts()
    rl_config.useA85 = 0  # as the binder does: plain binary streams (ASCII85 makes them a third larger, and slow)
    body = ParagraphStyle("b", fontName=fs.table, fontSize=10.5, leading=14, wordWrap="CJK")
    head = ParagraphStyle("h", fontName=fs.heading, fontSize=13, leading=20)
    doc = SimpleDocTemplate(str(out), pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, initialFontName=fs.table)
    grid = TableStyle([("FONT", (0, 0), (-1, -1), fs.table, 10.5), ("GRID", (0, 0), (-1, -1), 0.6, "black")])
    story = [Paragraph("会员名册", head),
             Table([[str(k), f"代表{k}", f"清河县第{k:03d}商贸有限公司", "2020-01-01"] for k in range(n_members)],
                   colWidths=[12 * mm, 25 * mm, 85 * mm, 30 * mm], style=grid, repeatRows=0), PageBreak()]
    for i, pic in enumerate(pics):
        story += [Paragraph(f"记录{i + 1}", head), Paragraph(escape(TEXT * 5), body)]
        with PILImage.open(pic) as im:
            w, h = im.size
        scale = min(PHOTO_BOX[0] / w, PHOTO_BOX[1] / h)
        story += [Image(str(pic), width=w * scale, height=h * scale) for _ in range(photos_per_record)]
    story += [PageBreak(), Paragraph("走访联系", head),
              Table([[str(k), f"{YEAR}-{1 + k % 12:02d}-10", f"清河县第{k:03d}商贸有限公司", "实地走访", "秘书长",
                      "了解经营情况"] for k in range(n_members)], style=grid)]

    def footer(canv, d):
        canv.setFont(fs.table, 10.5)
        canv.drawCentredString(A4[0] / 2, 16 * mm, f"第 {d.page} 页")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="10 photos, about 25 pages")
    args = ap.parse_args()
    photos = 10 if args.quick else 50
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        db, cid, pics = make_db(t, photos)
        stored = sum(p.stat().st_size for p in pics)
        # warm both paths (fonts, imports) on a small piece first
        bare(t / "warm-bare.pdf", pics[:1], 1, 5)
        t0, c0 = time.perf_counter(), time.process_time()
        bare(t / "bare.pdf", pics, 1, photos * 8)
        bare_s, bare_cpu = time.perf_counter() - t0, time.process_time() - c0
        bare_pages = len(PdfReader(t / "bare.pdf").pages)
        bare_size = (t / "bare.pdf").stat().st_size
        t0, c0 = time.perf_counter(), time.process_time()
        out = run(db, PrintRequest(form="binder", year=YEAR, targets=[cid]), t / "binder.pdf")[0]
        ours_s, ours_cpu = time.perf_counter() - t0, time.process_time() - c0
        ours_pages = len(PdfReader(out).pages)
        ours_size = out.stat().st_size
        db.close()
    ours_rate, bare_rate = ours_pages / ours_s, bare_pages / bare_s
    print(f"{photos} camera photos of 4000×3000 ({stored / 1024 / 1024:.1f} MB as stored), font {get_fonts().table}")
    print(f"ChamberDesk binder: {ours_pages} pages in {ours_s:.2f} s = {ours_rate:.1f} pages/s "
          f"(CPU {ours_cpu:.2f} s, photos on up to 4 threads), file {ours_size / 1024 / 1024:.1f} MB")
    print("  does: reading the data file, decoding, turning upright and downscaling every photo, cover, contents,"
          " seven sections, self-check, evidence index, page numbers and bookmarks")
    print(f"bare reportlab: {bare_pages} pages in {bare_s:.2f} s = {bare_rate:.1f} pages/s (CPU {bare_cpu:.2f} s), "
          f"file {bare_size / 1024 / 1024:.1f} MB")
    print("  does: the same photos embedded as stored (no decoding, binary streams), the record texts, roster and"
          " visits tables, `第 x 页`")
    print(f"ratio pages/s ours ÷ bare: {ours_rate / bare_rate:.2f}; file size ours ÷ bare: {ours_size / bare_size:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
