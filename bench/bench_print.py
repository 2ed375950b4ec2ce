"""Pages per second for a 300-chamber 考评表 batch, beside bare reportlab drawing the same tables with the same font.

Run: python bench/bench_print.py [--chambers 300] [--rubric wuyou-wuhao] [--year 2025] [--quick]
(--quick: 6 chambers, for the test suite, so the bench cannot silently stop working)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

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
from chamberdesk.io.pdf.layout import HEAD_BG, FormParagraph  # noqa: E402


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


SELF = {"pass": "达标", "fail": "未达标", "needs_input": "待填写", "not_applicable": "不适用"}


def num(v) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}".rstrip("0").rstrip(".")


def bare(results, rubric, out: Path) -> None:
    """What a plain reportlab script would draw for the same forms' item tables: per chamber a title and
    the item table with the same header, rows (items, and group subtotals when the rubric is scored),
    cell texts, wrapping (Paragraph in the wrapping columns, plain strings for short figures), widths,
    grid, margins and font, the header repeated on each page and `第 x 页` in the footer.
    No data access, no rubric evaluation, no unit line, veto, totals, opinion or signature blocks,
    no `共 y 页` and no fallback-font runs."""
    fs = get_fonts()
    cell = ParagraphStyle("c", fontName=fs.table, fontSize=10.5, leading=10.5 * 1.35)
    cell_c = ParagraphStyle("cc", fontName=fs.table, fontSize=10.5, leading=10.5 * 1.35, alignment=1)
    small = ParagraphStyle("s", fontName=fs.table, fontSize=9, leading=13)
    head = ParagraphStyle("h", fontName=fs.heading, fontSize=10.5, leading=10.5 * 1.35, alignment=1)
    title = ParagraphStyle("t", fontName=fs.title, fontSize=20, leading=30, alignment=1, spaceAfter=6)
    doc = SimpleDocTemplate(str(out), pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, initialFontName=fs.table)
    width = doc.width
    widths = [11 * mm, 21 * mm, 0, 13 * mm, 19 * mm, 18 * mm, 34 * mm]
    widths[2] = width - sum(widths)
    scored = rubric.mode != "all_pass"
    base = [("FONT", (0, 0), (-1, -1), fs.table, 10.5), ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("BOX", (0, 0), (-1, -1), 1.2, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (5, -1), "CENTER")]
    hdr = ["序号", "考评项目", "考评内容与标准", "分值" if scored else "要求", "自评",
           "考评得分" if scored else "考评结果", "说明／凭证"]
    story = []
    for res in results:
        rows = [[Paragraph(h, head) for h in hdr]]
        cmds = list(base)
        n = 0
        for g in rubric.groups:
            its = [it for it in res.items if it.group == g.id]
            if not its:
                continue
            first = len(rows)
            for it in its:
                n += 1
                na = it.status == "not_applicable"
                shown = it.value_text() if it.value is not None else ""
                self_text = (shown + "\n" if shown and it.kind != "scored" else "") + SELF.get(it.status, "")
                if it.kind == "scored":
                    self_text = "" if it.status == "needs_input" else num(it.points)
                score = ("" if it.status == "needs_input" else ("—" if na else num(round(it.points, 2)))) \
                    if scored else SELF.get(it.status, "")
                note = escape(it.explanation)
                if it.evidence:
                    note += "<br/>凭证：" + escape("、".join(it.evidence))
                elif it.evidence_required:
                    note += "<br/>凭证：须附"
                cap = (num(it.max_points) if scored else it.threshold_text()) if not na else "—"
                rows.append([str(n), "", Paragraph(escape(it.title), cell), cap, self_text, score,
                             Paragraph(note, small)])
            rows[first][1] = Paragraph(escape(g.title), cell_c)
            if scored:
                rows.append(["", Paragraph(f"{escape(g.title)}小计", head), "", num(sum(i.max_points for i in its)),
                             "", num(round(sum(i.points for i in its), 2)), ""])
                cmds += [("SPAN", (1, len(rows) - 1), (2, len(rows) - 1)),
                         ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), HEAD_BG)]
        story += [Paragraph(f"{res.year}年度 {escape(res.target)} {escape(rubric.title)}", title),
                  Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(cmds)), PageBreak()]

    def footer(canv, doc):
        canv.setFont(fs.table, 10.5)
        canv.drawCentredString(A4[0] / 2, 16 * mm, f"第 {doc.page} 页")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chambers", type=int, default=300)
    ap.add_argument("--rubric", default="wuyou-wuhao")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--quick", action="store_true", help="6 chambers: proves the bench still works")
    args = ap.parse_args()
    if args.quick:
        args.chambers = 6
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        db = make_db(t / "bench.db", args.chambers)
        rubric = rules.load_rubric(args.rubric)
        with db.session() as s:
            results = rules.evaluate(s, rubric, args.year)
            first_two = [r.chamber_id for r in results[:2]]
        # Warm both paths (font loading, imports, first-use caches) on two chambers, then drop our
        # layout caches so the timed batch starts cold like a clerk's first print of the day.
        run(db, PrintRequest(form="assessment", rubric_id=args.rubric, year=args.year, targets=first_two),
            t / "warm.pdf")
        bare(results[:2], rubric, t / "warm-bare.pdf")
        FormParagraph._parsed.clear()
        FormParagraph._wrapped.clear()
        t0 = time.perf_counter()
        bare(results, rubric, t / "bare.pdf")
        bare_s = time.perf_counter() - t0
        bare_pages = len(PdfReader(t / "bare.pdf").pages)
        t0 = time.perf_counter()
        out = run(db, PrintRequest(form="assessment", rubric_id=args.rubric, year=args.year), t / "ours.pdf")[0]
        ours_s = time.perf_counter() - t0
        ours_pages = len(PdfReader(out).pages)
        db.close()
    n = args.chambers
    ours_rate, bare_rate = ours_pages / ours_s, bare_pages / bare_s
    print(f"rubric {rubric.id} ({rubric.mode}), {n} chambers, font {get_fonts().table}")
    print(f"ChamberDesk batch: {ours_pages} pages in {ours_s:.2f} s = {ours_rate:.1f} pages/s, "
          f"{ours_s / n * 1000:.0f} ms per form")
    print("  draws: reading the data file, rubric evaluation, title, unit line, item table (same as below),"
          " veto / totals / opinion / signature and seal blocks, running head and `第 x 页 共 y 页`")
    print(f"bare reportlab: {bare_pages} pages in {bare_s:.2f} s = {bare_rate:.1f} pages/s, "
          f"{bare_s / n * 1000:.0f} ms per form")
    print("  draws: title and the identical item table (rows, cells, wrapping, widths, grid, font), `第 x 页`;"
          " results evaluated beforehand, outside the timing")
    print(f"ratio pages/s ours ÷ bare: {ours_rate / bare_rate:.2f} (target >= 0.70); "
          f"per form (ours does more per form): {bare_s / ours_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
