"""会员台账 (landscape ledger with chosen columns and the GUI's filter) and a chamber's 会员名册."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from sqlmodel import Session, col, select

from chamberdesk.core import custom_fields
from chamberdesk.core.choices import (
    Gender,
    Industry,
    MemberKind,
    PoliticalStatus,
    Position,
    SizeClass,
    label_of,
)
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.federation import get_federation
from chamberdesk.core.members import MemberFilter, chamber_names_for, iter_members, on_roll, seat_held
from chamberdesk.core.models import MEMBER_LABELS, Chamber, Member, Membership
from chamberdesk.core.periods import as_of, as_of_label
from chamberdesk.core.records import id_of
from chamberdesk.core.validators import mask_birth_date, mask_id_number, mask_phone
from chamberdesk.io.pdf.layout import (
    FormParagraph,
    FormStart,
    KinsokuParagraph,
    Styles,
    grid_style,
    signature_block,
)

LEDGER_COLUMNS: dict[str, str] = {**MEMBER_LABELS, "chambers": "所属商会"}
DEFAULT_LEDGER_COLUMNS = ["enterprise_name", "kind", "rep_name", "rep_gender", "rep_political_status", "industry",
                          "rep_phone", "chambers", "join_date"]
# Relative widths: long names get room, codes and dates stay narrow.
_WEIGHT = {"enterprise_name": 3.2, "credit_code": 2.1, "rep_id_number": 2.1, "chambers": 2.4, "notes": 3.0,
           "leave_reason": 2.0, "tags": 2.2, "industry": 2.2, "rep_gender": 0.6, "kind": 1.0, "rep_phone": 1.5,
           "join_date": 1.3, "leave_date": 1.3, "rep_birth_date": 1.3, "rep_political_status": 1.3,
           "size_class": 1.3, "legal_rep": 1.1, "rep_name": 1.1}
_CHOICES = {"kind": MemberKind, "industry": Industry, "size_class": SizeClass, "rep_political_status": PoliticalStatus,
            "rep_gender": Gender}
CHUNK = 150  # rows per Table: reportlab re-measures a whole table on every page split


def member_value(m: Member, key: str, *, unmasked: bool, chambers: dict[int, str]) -> str:
    if key == "chambers":
        return chambers.get(m.id or 0, "")
    v = getattr(m, key, None)
    if v is None:
        return ""
    if key == "rep_id_number":
        return v if unmasked else mask_id_number(v)
    if key == "rep_phone":
        return v if unmasked else mask_phone(v)
    if key == "rep_birth_date" and not unmasked:
        return mask_birth_date(v)
    if key in _CHOICES:
        return label_of(_CHOICES[key], v)
    if key == "tags":
        return v.replace(",", "、")
    if key == "custom":  # 自定义信息 kept from imported sheets, as "title：value；…"
        return "；".join(f"{k}：{t}" for k, t in custom_fields.load(v).items())
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def describe_filter(session: Session, flt: MemberFilter) -> str:
    """Whom the printed ledger lists, in the clerk's words: 城关镇商会的在册会员, 2025年入会的已退会企业会员
    （行业：建筑业；查找“建”）, 截至2025年12月31日."""
    owner = ""
    if flt.chamber_id is not None:
        ch = session.get(Chamber, flt.chamber_id)
        owner = ch.name if ch else f"商会（编号{flt.chamber_id}）"
    if flt.chamber_scope:
        from chamberdesk.core.members import CHAMBER_SCOPES

        owner = CHAMBER_SCOPES.get(flt.chamber_scope, flt.chamber_scope)
    noun = label_of(MemberKind, flt.kind) if flt.kind else "会员"
    status = {"active": "在册", "left": "已退会的"}.get(flt.status or "", "全部")
    text = (f"{owner}的" if owner else "") + (f"{flt.join_year}年入会的" if flt.join_year else "") + status + noun
    if not flt.status:
        text += "（含已退会）"
    more = []
    if flt.industry:
        more.append(f"行业：{label_of(Industry, flt.industry)}")
    if flt.tag:
        more.append(f"标签：{flt.tag}")
    if flt.search.strip():
        more.append(f"查找“{flt.search.strip()}”")
    if flt.ids is not None:
        more.append(f"选定的 {len(flt.ids)} 名")
    if more:
        text += "（" + "；".join(more) + "）"
    if flt.as_of is not None:
        text = f"截至{chinese_date(flt.as_of)}　{text}"
    return text


class _Cells:
    """Plain strings where they fit on one line (fast), Paragraphs where they wrap or need a fallback face."""

    def __init__(self, st: Styles, widths: Sequence[float]) -> None:
        self.st = st
        self.fonts = st.fonts
        self.font = st.cell.fontName
        self.size = st.cell.fontSize
        self.limits = [max(1, int((w - 6) / self.size)) for w in widths]

    def cell(self, text: str, i: int) -> Any:
        if len(text) <= self.limits[i] and self.fonts.covers(self.font, text):
            return text
        return KinsokuParagraph(self.fonts.markup(text, self.font), self.st.cell)


# the widest a value of these columns gets: they are never broken over two lines
_SAMPLE = {"credit_code": "91130534MA00001G15", "rep_id_number": "130534********7495", "rep_phone": "182****5671",
           "join_date": "2024-11-11", "leave_date": "2024-11-11", "rep_birth_date": "1989-06-14", "rep_gender": "男"}


def _column_widths(st: Styles, keys: Sequence[str], width: float) -> list[float]:
    """序号 first, then the columns by weight; no column narrower than its two-character heading (序号, 性别)
    or its fixed-length values (codes, dates, phones) on one line, unless the page cannot hold them all."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pad = 6 + 1  # the grid's left and right padding, and a point to spare

    def least(text: str, style: Any) -> float:
        return stringWidth(text, style.fontName, style.fontSize) + pad

    serial = max(least("9999", st.cell), least("序号", st.head))

    def mins_for(floor: float, samples: bool) -> list[float]:
        heads = [max(floor, least(LEDGER_COLUMNS[k], st.head)) if len(LEDGER_COLUMNS[k]) <= 2 else floor for k in keys]
        return [serial, *(max(h, least(_SAMPLE[k], st.cell)) if samples and k in _SAMPLE else h
                          for k, h in zip(keys, heads, strict=True))]

    # codes and dates on one line while every other column keeps four characters a line; else they wrap too
    mins = mins_for(least("某某某某", st.cell), True)
    if sum(mins) >= width:
        mins = mins_for(least("某某", st.cell), False)
    if sum(mins) >= width:  # too many columns for the page: shrink them all alike
        return [m * width / sum(mins) for m in mins]
    weights = [0.0] + [_WEIGHT.get(k, 1.3) for k in keys]
    fixed = {0}
    while True:  # columns whose share is below their least width take that width; the rest share what is left
        room = width - sum(mins[i] for i in fixed)
        free = sum(w for i, w in enumerate(weights) if i not in fixed)
        short = [i for i, w in enumerate(weights) if i not in fixed and w * room / free < mins[i]]
        if not short:
            return [mins[i] if i in fixed else w * room / free for i, w in enumerate(weights)]
        fixed.update(short)


def _table_chunks(st: Styles, header: list[str], rows: Iterator[list[str]], widths: list[float],
                  numeric: AbstractSet[int] = frozenset()) -> Iterator[Table]:
    cells = _Cells(st, widths)
    head = [FormParagraph(st.fonts.markup(h, st.head.fontName), st.head) for h in header]
    extra = [("ALIGN", (0, 0), (0, -1), "CENTER"), ("FONT", (0, 1), (-1, -1), st.cell.fontName, st.cell.fontSize)]
    extra += [("ALIGN", (i, 1), (i, -1), "CENTER") for i in numeric]
    style = grid_style(st, *extra)
    buf: list[list[Any]] = []
    for r in rows:
        buf.append([cells.cell(v, i) for i, v in enumerate(r)])
        if len(buf) >= CHUNK:
            yield Table([head, *buf], colWidths=widths, repeatRows=1, style=style)
            buf = []
    if buf:
        yield Table([head, *buf], colWidths=widths, repeatRows=1, style=style)


def ledger_story(session: Session, st: Styles, width: float, flt: MemberFilter, columns: Sequence[str] | None = None,
                 *, unmasked: bool = False, today: date | None = None) -> list[Flowable]:
    keys = [k for k in (columns or DEFAULT_LEDGER_COLUMNS) if k in LEDGER_COLUMNS]
    fed = get_federation(session)
    unit = fed.name if fed and fed.name else ""
    members = list(iter_members(session, flt))
    chambers = chamber_names_for(session, [id_of(m) for m in members], flt.as_of) if "chambers" in keys else {}
    widths = _column_widths(st, keys, width)
    story: list[Flowable] = [
        FormStart("ledger", f"{unit}会员台账"),
        st.p(f"{unit}会员台账", st.title),
        st.p(f"{describe_filter(session, flt)}　共 {len(members)} 条　打印日期：{chinese_date(today or date.today())}",
             st.subtitle),
        Spacer(1, 4 * mm),
    ]
    rows = ([str(i), *(member_value(m, k, unmasked=unmasked, chambers=chambers) for k in keys)]
            for i, m in enumerate(members, 1))
    numeric = {i + 1 for i, k in enumerate(keys) if k in ("rep_gender", "join_date", "leave_date", "rep_birth_date")}
    story += list(_table_chunks(st, ["序号", *(LEDGER_COLUMNS[k] for k in keys)], rows, widths, numeric | {0}))
    return [*story, *_signed(st, width, unit or "本级工商联")]


def _signed(st: Styles, width: float, unit: str) -> list[Flowable]:
    """The signing and seal block under a printed list, as on the other forms."""
    return [Spacer(1, 8 * mm), KeepTogether([signature_block(st, width, ["制表人", "审核人"], seal=f"{unit}（盖章）")])]


ROSTER_COLUMNS = ["序号", "姓名", "职务", "企业名称", "性别", "政治面貌", "联系电话", "入会日期"]


def roster_rows(session: Session, chamber_id: int, *, unmasked: bool, on: date | None = None) -> list[list[str]]:
    """The chamber's members on day `on` (default today), officers first."""
    on = on or date.today()
    order = {p.value: i for i, p in enumerate(Position)}
    rows = session.exec(select(Membership, Member).join(Member, col(Member.id) == col(Membership.member_id))
                        .where(Membership.chamber_id == chamber_id, seat_held(on),
                               col(Member.deleted_at).is_(None), on_roll(on))).all()
    rows = sorted(rows, key=lambda r: (order.get(r[0].position, 99), r[1].join_date or date.max, r[1].id))
    seen: set[int] = set()
    out: list[list[str]] = []
    for seat, m in rows:
        if m.id is None or m.id in seen:
            continue
        seen.add(m.id)
        out.append([str(len(out) + 1), m.rep_name or m.legal_rep or "", label_of(Position, seat.position),
                    m.enterprise_name, label_of(Gender, m.rep_gender), label_of(PoliticalStatus, m.rep_political_status),
                    (m.rep_phone or "") if unmasked else mask_phone(m.rep_phone),
                    str(seat.start_date or m.join_date or "")])
    return out


def roster_story(session: Session, st: Styles, width: float, chamber: Chamber, *, unmasked: bool = False,
                 today: date | None = None, year: int | None = None,
                 on_form: Callable[[], None] | None = None) -> list[Flowable]:
    """The chamber's roster now, or at `year`'s end (today for the running year)."""
    today = today or date.today()
    day = as_of(year, today) if year is not None else today
    rows = roster_rows(session, chamber.id or 0, unmasked=unmasked, on=day)
    officers = sum(1 for r in rows if r[2] != Position.MEMBER.label)
    fixed = [11 * mm, 16 * mm, 15 * mm, 0, 11 * mm, 20 * mm, 24 * mm, 21 * mm]  # 序号, 性别 on one line
    widths = [w or width - sum(fixed) for w in fixed]
    story: list[Flowable] = [
        FormStart(f"roster-{chamber.id}", f"{chamber.name}会员名册", on_form),
        st.p(f"{chamber.name}会员名册", st.title),
        st.p(f"{as_of_label(year, today) if year is not None else '截至' + chinese_date(day)}　在册会员 {len(rows)} 名"
             f"（其中负责人 {officers} 名）", st.subtitle),
        Spacer(1, 4 * mm),
    ]
    story += list(_table_chunks(st, ROSTER_COLUMNS, iter(rows), widths, {0, 1, 2, 4, 5, 6, 7}))
    return [*story, *_signed(st, width, chamber.name)]
