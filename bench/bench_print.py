"""Pages per second for a 300-chamber 考评表 batch, beside bare reportlab drawing the same tables with the same font."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from chamberdesk import rules  # noqa: E402
from chamberdesk.core.db import open_database  # noqa: E402
from chamberdesk.core.models import Activity, Chamber, Member, Membership  # noqa: E402
from chamberdesk.io.pdf.fonts import get_fonts  # noqa: E402
from chamberdesk.io.pdf.jobs import PrintRequest, run  # noqa: E402


def make_db(path: Path, n: int):
    db = open_database(path, create=True)
    now = datetime(2025, 1, 1)
    track = {"created_at": now, "updated_at": now, "version": 1}
    with db.transaction() as s:
        s.execute(insert(Chamber), [{"name": f"第{i:03d}镇商会", "kind": "township", "has_office": i % 2 == 0,
                                     "fulltime_staff": i % 3, "president_name": f"会长{i}", **track} for i in range(n)])
        ids = list(s.exec(select(Chamber.id).order_by(Chamber.id)))
        s.execute(insert(Member), [{"kind": "enterprise", "enterprise_name": f"企业{c}-{k}", "tags": "",
                                    "join_date": date(2020, 1, 1), **track} for c in ids for k in range(8)])
        mids = list(s.exec(select(Member.id).order_by(Member.id)))
        s.execute(insert(Membership), [{"member_id": mids[j * 8 + k], "chamber_id": c, "position": "member",
                                        "start_date": date(2020, 1, 1)} for j, c in enumerate(ids) for k in range(8)])
        s.execute(insert(Activity), [{"chamber_id": c, "category": "training", "date": date(2025, q * 3 + 1, 10),
                                      "title": f"培训{q}", **track} for c in ids for q in range(4)])
    return db


def bare(results, rubric, out: Path) -> None:
    """The same item tables (same cells, same font, same widths), no numbering, no data access."""
    fs = get_fonts()
    cell = ParagraphStyle("c", fontName=fs.table, fontSize=10.5, leading=14)
    small = ParagraphStyle("s", fontName=fs.table, fontSize=9, leading=13)
    head = ParagraphStyle("h", fontName=fs.heading, fontSize=10.5, leading=14)
    title = ParagraphStyle("t", fontName=fs.title, fontSize=20, leading=30)
    doc = SimpleDocTemplate(str(out), pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, initialFontName=fs.table)
    width = doc.width
    widths = [11 * mm, 21 * mm, 0, 13 * mm, 19 * mm, 18 * mm, 34 * mm]
    widths[2] = width - sum(widths)
    style = TableStyle([("FONT", (0, 0), (-1, -1), fs.table, 10.5), ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    story = []
    for res in results:
        rows = [[Paragraph(h, head) for h in ("序号", "考评项目", "考评内容与标准", "分值", "自评", "考评得分", "说明／凭证")]]
        for n, it in enumerate(res.items, 1):
            rows.append([str(n), Paragraph(it.group_title, cell), Paragraph(it.title, cell), str(it.max_points),
                         Paragraph(it.value_text(), cell), str(it.points), Paragraph(it.explanation, small)])
        story += [Paragraph(f"{res.year}年度 {res.target} {rubric.title}", title),
                  Table(rows, colWidths=widths, repeatRows=1, style=style), PageBreak()]
    doc.build(story)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chambers", type=int, default=300)
    ap.add_argument("--rubric", default="wuyou-wuhao")
    ap.add_argument("--year", type=int, default=2025)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        db = make_db(t / "bench.db", args.chambers)
        get_fonts()  # font loading is a one-off per process; leave it out of both timings
        t0 = time.perf_counter()
        out = run(db, PrintRequest(form="assessment", rubric_id=args.rubric, year=args.year), t / "ours.pdf")[0]
        ours_s = time.perf_counter() - t0
        ours_pages = len(PdfReader(out).pages)
        rubric = rules.load_rubric(args.rubric)
        with db.session() as s:
            results = rules.evaluate(s, rubric, args.year)
        t0 = time.perf_counter()
        bare(results, rubric, t / "bare.pdf")
        bare_s = time.perf_counter() - t0
        bare_pages = len(PdfReader(t / "bare.pdf").pages)
        db.close()
    ours_rate, bare_rate = ours_pages / ours_s, bare_pages / bare_s
    print(f"ChamberDesk 考评表 batch: {args.chambers} chambers, {ours_pages} pages in {ours_s:.2f} s "
          f"= {ours_rate:.1f} pages/s (data, rubric evaluation, layout, page numbers)")
    print(f"bare reportlab, same tables and font: {bare_pages} pages in {bare_s:.2f} s = {bare_rate:.1f} pages/s")
    print(f"ratio: {ours_rate / bare_rate:.2f} (target >= 0.70)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
