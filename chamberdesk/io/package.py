"""The upward data package (one zip: workbooks, the data as JSON, a manifest with checksums) and the
city's consolidation of several county packages.

A package is refused when it is not ours (no manifest, another format), when any file's SHA-256
differs from the manifest or the manifest's own digest does not match (tampered or damaged),
when it holds files the manifest does not list, or when a name could escape the folder (zip-slip)
or the declared sizes are out of proportion (zip bomb). No personal ID or phone number leaves the
county in a package: the ledger inside is masked.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from chamberdesk import __version__
from chamberdesk.core.choices import ActivityCategory, ChamberKind, MeetingBody, label_of
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.db import SCHEMA_VERSION, Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_federation
from chamberdesk.core.periods import check_year, period_label

FORMAT = "chamberdesk-upward-package"
FORMAT_VERSION = 1
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
WORKBOOKS = {"yearly-stats": "年度基层商会工作情况统计表.xlsx", "work-summary": "工作基本情况资料.xlsx",
             "members": "会员台账（已隐去个人信息）.xlsx", "chambers": "商会名录.xlsx"}


class PackageError(ChamberDeskError):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest_digest(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return _sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def package_data(db: Database, year: int) -> dict[str, Any]:
    """The machine-readable copy: federation, per-chamber yearly figures, the 17 figures, counts."""
    from chamberdesk.core.records import record_counts
    from chamberdesk.io.excel_export import (
        industry_sectors,
        member_totals,
        work_summary_figures,
        yearly_stats,
    )

    with db.session() as s:
        fed = get_federation(s)
        if fed is None:
            raise ChamberDeskError("数据文件中还没有本级工商联的信息，请先在“设置”中填写单位名称和行政区划代码。")
        _titles, rows, _errors = yearly_stats(s, year, with_standing=False)
        figures = work_summary_figures(s, year)
        sectors = industry_sectors(s, year)
        new_members, total_members = member_totals(s, year)

    return {
        "federation": {"name": fed.name, "region_code": fed.region_code, "region_name": fed.region_name,
                       "private_enterprises": fed.private_enterprises,
                       "above_scale_enterprises": fed.above_scale_enterprises},
        "year": year,
        # the file's record counts on the day the package was made (a check on the file, not a figure of the
        # year: every figure of the year above and below is as of 31 December)
        "counts": record_counts(db), "counts_date": date.today().isoformat(),
        "members": {"new": new_members, "total_at_year_end": total_members},
        "codes": DATA_CODES,
        "chambers": [r.as_json() for r in rows],
        "work_summary": [{"group": g, "no": n, "item": it, "figure": f, "note": src} for g, n, it, f, src in figures],
        # counted across counties as a union, never added: see sum_figures
        "distinct": {SECTORS: sectors},
    }


def build_package(db: Database, year: int, out: Path | str) -> dict[str, Any]:
    """Write the package zip; returns its manifest."""
    import tempfile

    from chamberdesk.io import excel_export as ex

    out = Path(out)
    with db.session() as s:
        check_year(s, year)
    data = package_data(db, year)
    files: dict[str, bytes] = {"data.json": json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        ex.export_yearly_stats(db, t / "a.xlsx", year)
        ex.export_work_summary(db, t / "b.xlsx", year)
        # the ledger and the chamber list as they stood at the year's end, like the statistics beside them
        ex.export_members(db, t / "c.xlsx", year=year, unmasked=False)
        ex.export_chambers(db, t / "d.xlsx", year=year)
        for key, src in (("yearly-stats", "a"), ("work-summary", "b"), ("members", "c"), ("chambers", "d")):
            files[WORKBOOKS[key]] = (t / f"{src}.xlsx").read_bytes()
    fed = data["federation"]
    manifest: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "federation": {"name": fed["name"], "region_code": fed["region_code"], "region_name": fed["region_name"]},
        "period": {"year": year, "start": date(year, 1, 1).isoformat(), "end": date(year, 12, 31).isoformat()},
        "app_version": __version__, "schema_version": SCHEMA_VERSION,
        "created_at": datetime.now().replace(microsecond=0).isoformat(),
        "files": {name: {"sha256": _sha256(b), "size": len(b)} for name, b in files.items()},
    }
    manifest["manifest_sha256"] = _manifest_digest(manifest)
    tmp_out = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp_out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, b in files.items():
            zf.writestr(name, b)
    tmp_out.replace(out)  # a half-written package never carries the final name
    return manifest


# --- reading packages --------------------------------------------------------------------------------

@dataclass
class Package:
    path: Path
    manifest: dict[str, Any]
    data: dict[str, Any]


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not (name.startswith(("/", "\\")) or "\\" in name or ".." in p.parts or ":" in name or not name.strip())


def read_package(path: Path | str) -> Package:
    """Open and verify one package; raises PackageError with the reason."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise PackageError(f"找不到数据包“{path}”。")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise PackageError(f"“{name}”不是上报数据包（不是有效的 zip 文件，或已损坏）。") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 100:
            raise PackageError(f"“{name}”包含的文件过多，不是上报数据包。")
        total = 0
        for info in infos:
            if not _safe_name(info.filename):
                raise PackageError(f"“{name}”含有不安全的文件路径“{info.filename}”，已拒绝。")
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or (
                    info.file_size > 1024 * 1024 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
                raise PackageError(f"“{name}”中的“{info.filename}”解压后过大（疑似压缩炸弹），已拒绝。")
        if total > MAX_TOTAL_BYTES:
            raise PackageError(f"“{name}”解压后过大（疑似压缩炸弹），已拒绝。")
        names = {i.filename for i in infos}
        if "manifest.json" not in names:
            raise PackageError(f"“{name}”不是商会台账的上报数据包（缺少清单 manifest.json）。")

        def read(member: str) -> bytes:
            info = zf.getinfo(member)
            with zf.open(info) as fh:
                data = fh.read(info.file_size + 1)
            if len(data) != info.file_size:
                raise PackageError(f"“{name}”中的“{member}”大小与声明不符，数据包已损坏或被改动。")
            return data

        try:
            manifest = json.loads(read("manifest.json"))
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise PackageError(f"“{name}”的清单无法读取，数据包已损坏。") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise PackageError(f"“{name}”不是商会台账的上报数据包（清单格式不符）。")
        if manifest.get("format_version", 0) > FORMAT_VERSION:
            raise PackageError(f"“{name}”由更新版本的商会台账生成，请升级本程序后再汇总。")
        if manifest.get("manifest_sha256") != _manifest_digest(manifest):
            raise PackageError(f"“{name}”的清单已被改动（校验值不符），已拒绝。请向报送单位重新索取。")
        listed = manifest.get("files") or {}
        extra = names - set(listed) - {"manifest.json"}
        if extra:
            raise PackageError(f"“{name}”含有清单外的文件（{'、'.join(sorted(extra))}），可能被改动，已拒绝。")
        missing = set(listed) - names
        if missing:
            raise PackageError(f"“{name}”缺少文件（{'、'.join(sorted(missing))}），数据包不完整。")
        contents = {}
        for member, meta in listed.items():
            try:
                b = read(member)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise PackageError(f"“{name}”中的“{member}”无法解压，数据包已损坏。") from exc
            if _sha256(b) != meta.get("sha256"):
                raise PackageError(f"“{name}”中的“{member}”与清单的 SHA-256 校验值不符（已被改动或损坏），已拒绝。")
            contents[member] = b
    try:
        data = json.loads(contents["data.json"])
    except (KeyError, ValueError) as exc:
        raise PackageError(f"“{name}”缺少可读的 data.json。") from exc
    return Package(path, manifest, data)


# --- consolidation -------------------------------------------------------------------------------

@dataclass
class CountyTotals:
    name: str
    region_code: str
    members: int = 0
    new_members: int = 0
    chambers: int = 0
    chambers_by_kind: dict[str, int] = field(default_factory=dict)
    chamber_members: int = 0
    meetings: int = 0
    activities: int = 0
    visited: int = 0
    coverage_members: int = 0
    overdue_terms: int = 0


@dataclass
class SummaryItem:
    """One of the 17 南通 items across the counties: each county's figure as reported and their sum."""
    group: str
    no: int
    item: str
    figures: list[str]  # per county, in the order of Consolidation.counties
    total: str
    note: str


@dataclass
class Consolidation:
    year: int
    counties: list[CountyTotals]
    by_kind: dict[str, dict[str, int]]
    chambers: list[tuple[str, dict[str, Any]]]  # (county, chamber figures)
    work_summary: list[SummaryItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "counties": [c.__dict__ for c in self.counties], "by_kind": self.by_kind,
                "work_summary": [i.__dict__ for i in self.work_summary]}


# "新发展 12 个", "金额 513.90 万元", "覆盖率 26.1%": the words before a number, the number, its unit
_COUNTED = re.compile(r"([^\d；;，,：:]*?)\s*(\d+(?:\.\d+)?)\s*(%|[^\d\s；;，,：:（）()]*)")


# Figures that count distinct things (the industries covered): the city's figure is the size of the union of
# the counties' lists, which each package carries under data["distinct"]; they are never added.
SECTORS = "涉及行业"


def sum_figures(figures: list[str], distinct: dict[str, list[list[str] | None]] | None = None) -> tuple[str, str]:
    """The counties' texts of one item added up, each count by its words and unit ("行业商会 3 个" with
    "行业商会 4 个" gives "行业商会 7 个"); shares are not added. A label in `distinct` (its per-county lists,
    None for a county whose package has none) is counted as the union of the lists. Returns (total, note)."""
    distinct = distinct or {}
    totals: dict[tuple[str, str], float] = {}
    decimals: dict[tuple[str, str], int] = {}
    notes: list[str] = []
    shares = False
    for text in figures:
        for label, num, unit in _COUNTED.findall(text or ""):
            if unit == "%":
                shares = True
                continue
            key = (label.strip(), unit)
            totals[key] = totals.get(key, 0) + float(num)
            decimals[key] = max(decimals.get(key, 0), len(num.partition(".")[2]))
    for (label, unit) in [k for k in totals if k[0] in distinct]:
        lists = distinct[label]
        if any(x is None for x in lists):
            del totals[(label, unit)]
            notes.append(f"{label}为各单位去重数，有的数据包未附名单，不能相加，见各单位数据")
        else:
            totals[(label, unit)] = len({name for x in lists for name in x or []})
            notes.append(f"{label}按各单位名单去重合并")
    if not totals:
        if not any(f.strip() for f in figures):
            return "", "各单位均未填写（台账未记录此项）"
        return "", "；".join(notes) or "各单位所报为文字，未能相加，见各单位数据"
    total = "，".join(f"{label} {v:.{decimals[(label, unit)]}f} {unit}".strip() for (label, unit), v in totals.items())
    notes.insert(0, "覆盖率等比例不相加，见各单位数据" if shares else "各单位数字相加")
    return total, "；".join(notes)


def _sum_work_summary(packages: list[Package]) -> list[SummaryItem]:
    by_no: dict[int, SummaryItem] = {}
    for i, p in enumerate(packages):
        for entry in p.data.get("work_summary", []):
            no = int(entry.get("no", 0))
            item = by_no.setdefault(no, SummaryItem(entry.get("group", ""), no, entry.get("item", ""),
                                                    [""] * len(packages), "", ""))
            item.figures[i] = str(entry.get("figure") or "")
    distinct: dict[str, list[list[str] | None]] = {}
    for i, p in enumerate(packages):
        for label, names in (p.data.get("distinct") or {}).items():
            distinct.setdefault(label, [None] * len(packages))[i] = list(names)
    # a package from before the lists were carried still counts a distinct label: it is then not added up
    distinct.setdefault(SECTORS, [None] * len(packages))
    for item in by_no.values():
        item.total, item.note = sum_figures(item.figures, distinct)
    return [by_no[n] for n in sorted(by_no)]


def _year_end_members(p: Package) -> int:
    """Members on the roll at the period's end; counts.active_members is the roll on the day the
    package was made, which is wrong for a past year."""
    members = p.data.get("members") or {}
    if "total_at_year_end" in members:
        return int(members["total_at_year_end"])
    raise PackageError(f"数据包“{p.path.name}”缺少年末在册会员数（members.total_at_year_end），"
                       "请让该单位用当前版本重新生成数据包。")


def consolidate_packages(packages: list[Package]) -> Consolidation:
    if not packages:
        raise PackageError("没有选择数据包。")
    years = {p.manifest["period"]["year"] for p in packages}
    if len(years) > 1:
        raise PackageError(f"数据包的年度不一致（{'、'.join(str(y) for y in sorted(years))}），请选择同一年度的数据包。")
    seen: dict[str, Path] = {}
    counties, rows = [], []
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"chambers": 0, "members": 0, "new_members": 0,
                                                               "meetings": 0, "activities": 0})
    for p in packages:
        fed = p.manifest["federation"]
        key = fed.get("region_code") or fed.get("name")
        if key in seen:
            raise PackageError(f"“{p.path.name}”与“{seen[key].name}”是同一单位（{fed.get('name')}）的数据包，请只保留一份。")
        seen[key] = p.path
        ct = CountyTotals(fed.get("name", ""), fed.get("region_code", ""), members=_year_end_members(p))
        ct.new_members = int((p.data.get("members") or {}).get("new", 0))
        for ch in p.data.get("chambers", []):
            kind = ch.get("kind", "other")
            ct.chambers += 1
            ct.chambers_by_kind[kind] = ct.chambers_by_kind.get(kind, 0) + 1
            ct.chamber_members += int(ch.get("members", 0))
            m = sum(int(v) for v in ch.get("meetings", {}).values())
            a = sum(int(v) for v in ch.get("activities", {}).values())
            ct.meetings += m
            ct.activities += a
            ct.visited += int(ch.get("visited", 0))
            ct.coverage_members += int(ch.get("coverage_members", 0))
            ct.overdue_terms += ch.get("term_status") == "overdue"
            k = by_kind[kind]
            k["chambers"] += 1
            k["members"] += int(ch.get("members", 0))
            k["new_members"] += int(ch.get("new_members", 0))
            k["meetings"] += m
            k["activities"] += a
            rows.append((ct.name, ch))
        counties.append(ct)
    return Consolidation(years.pop(), counties, dict(by_kind), rows, _sum_work_summary(packages))


def consolidate(paths: list[Path], out: Path | str | None = None) -> Consolidation:
    """Verify every package first (nothing is written if one is refused), then total and export."""
    packages = [read_package(p) for p in paths]
    result = consolidate_packages(packages)
    if out is not None:
        write_consolidation(result, out)
    return result


def write_consolidation(c: Consolidation, out: Path | str) -> None:
    from chamberdesk.io.workbook_style import FormWriter, new_workbook

    wb = new_workbook()
    kinds = list(ChamberKind)
    head = ["序号", "单位", "行政区划代码", "在册会员", "本年新发展会员", "商会数"] + [k.label for k in kinds] + \
        ["商会会员数", "商会会议（次）", "商会活动（次）", "走访覆盖率", "届满未换届商会"]
    fmts: list[str | None] = [None, None, None] + ["int"] * (len(head) - 3)
    fmts[head.index("走访覆盖率")] = "pct"
    w = FormWriter(f"{c.year}年度各县（市、区）工商联上报数据汇总", head, wb=wb, sheet_name="按县区汇总", formats=fmts,
                   unit_line=f"汇总日期：{chinese_date(date.today())}　　数据包 {len(c.counties)} 个（只读汇总，数字来自各单位上报）",
                   widths=[5, 28, 12, 9, 10, 7] + [8] * len(kinds) + [9, 9, 9, 9, 10])
    tot = [0] * len(head)
    for i, ct in enumerate(c.counties, 1):
        # counts and the coverage share spelled out: left to inference, the ints would be taken for floats
        row: list[str | int | float | None] = [
            i, ct.name, ct.region_code, ct.members, ct.new_members, ct.chambers,
            *[ct.chambers_by_kind.get(k.value, 0) for k in kinds], ct.chamber_members, ct.meetings, ct.activities,
            ct.visited / ct.coverage_members if ct.coverage_members else None, ct.overdue_terms]
        w.row(row)
        for j in range(3, len(head)):
            v = row[j]
            if isinstance(v, int):  # the coverage ratio is a share, not a count: it is worked out below
                tot[j] += v
    visited = sum(ct.visited for ct in c.counties)
    cov = sum(ct.coverage_members for ct in c.counties)
    total = ["合计", f"{len(c.counties)}个单位", "", *tot[3:]]
    total[head.index("走访覆盖率")] = visited / cov if cov else None
    w.total(total)
    w.signatures(w.spread(_SIGNING))

    head2 = ["序号", "商会类型", "商会数", "会员数", "本年新增会员", "会议（次）", "活动（次）"]
    w2 = FormWriter(f"{c.year}年度按商会类型汇总", head2, wb=wb, sheet_name="按商会类型汇总",
                    formats=[None, None] + ["int"] * 5, widths=[5, 16, 8, 9, 10, 10, 10],
                    unit_line=f"汇总日期：{chinese_date(date.today())}")
    tot2 = [0] * len(head2)
    for i, k in enumerate([k for k in kinds if k.value in c.by_kind], 1):
        d = c.by_kind[k.value]
        counts = [d["chambers"], d["members"], d["new_members"], d["meetings"], d["activities"]]
        w2.row([i, k.label, *counts])
        for j, n in enumerate(counts, 2):
            tot2[j] += n
    w2.total(["合计", "", *tot2[2:]])

    head3 = ["序号", "单位", "商会名称", "商会类型", "会员数", "本年新增会员", "会议（次）", "活动（次）", "走访覆盖率", "换届状态"]
    from chamberdesk.core.chambers import TERM_STATUS_LABELS

    w3 = FormWriter(f"{c.year}年度商会明细", head3, wb=wb, sheet_name="商会明细",
                    formats=[None, None, None, None, "int", "int", "int", "int", "pct", None],
                    widths=[5, 26, 26, 12, 8, 10, 9, 9, 10, 12], unit_line=f"汇总日期：{chinese_date(date.today())}")
    for i, (county, ch) in enumerate(c.chambers, 1):
        cm = int(ch.get("coverage_members", 0))
        w3.row([i, county, ch.get("name", ""), label_of(ChamberKind, ch.get("kind")), int(ch.get("members", 0)),
                int(ch.get("new_members", 0)), sum(ch.get("meetings", {}).values()), sum(ch.get("activities", {}).values()),
                int(ch.get("visited", 0)) / cm if cm else None, TERM_STATUS_LABELS.get(ch.get("term_status", ""), "")])

    names = [ct.name for ct in c.counties]
    head4 = ["类别", "序号", "项目", "合计", *names, "说明"]
    w4 = FormWriter(f"{c.year}年度工作基本情况资料汇总", head4, wb=wb, sheet_name="工作基本情况汇总",
                    formats=[None, "int"], widths=[9, 4, 22, 24, *[20] * len(names), 16], wrap=True,
                    unit_line=f"{period_label(c.year)}　　汇总日期：{chinese_date(date.today())}")
    groups: dict[str, list[SummaryItem]] = {}
    for it in c.work_summary:
        groups.setdefault(it.group, []).append(it)
    for items in groups.values():  # each category written once beside its items, as on the county form
        rows = [w4.row([it.group, it.no, it.item, it.total, *it.figures, it.note]) for it in items]
        w4.merge_down(0, rows[0], rows[-1])
    w4.note("说明：合计按各单位所报数据中同名同单位的数字相加；比例不相加；“台账未记录”的项目由各单位手工填写后另行汇总。")
    w4.signatures(w4.spread(_SIGNING))
    wb.save(str(out))


_SIGNING = ("汇总单位（盖章）：", "负责人：", "填表人：", "日期：　　年　　月　　日")


# keep the enums referenced for readers of data.json
DATA_CODES = {"meeting_bodies": {b.value: b.label for b in MeetingBody},
              "activity_categories": {c.value: c.label for c in ActivityCategory},
              "chamber_kinds": {k.value: k.label for k in ChamberKind}}

__all__ = ["Consolidation", "Package", "PackageError", "SummaryItem", "sum_figures", "build_package", "consolidate", "consolidate_packages",
           "read_package", "write_consolidation"]
