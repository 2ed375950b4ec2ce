"""Reading a 民主评议 计票表 (tally sheet) kept in Excel/WPS: one row per chamber, with the votes per level
(好／较好／一般／差 …) or one column per ballot holding that voter's score. Every row is accounted for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.rules.democratic import Ballot, Tally

NAME_HEADERS = ("商会名称", "被评议商会", "被评议单位", "单位名称", "商会", "单位", "名称")
INVALID_HEADERS = ("废票", "无效票", "废票数", "无效票数")
# columns that are not ballots: serial numbers, names, remarks and totals someone worked out by hand
OTHER_HEADERS = ("序号", "会长", "备注", "合计", "总分", "平均分", "平均", "得分", "有效票", "有效票数", "票数")


@dataclass
class SheetTallies:
    """What the sheet gave: tallies by chamber name, and a line for every row not taken, with the reason."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    rows: int = 0  # data rows seen (blank rows excluded)
    rejected: list[str] = field(default_factory=list)


def _text(v: Any) -> str:
    return re.sub(r"\s+", "", str(v)) if v is not None else ""


def _bare(header: str) -> str:
    """好（100分） → 好: a level's heading may carry its points."""
    return re.sub(r"[（(].*$", "", header)


def _number(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    return float(str(v).strip()) if isinstance(v, str) else float(v)


def read_tally_sheet(path: Path, ballot: Ballot, sheet: str | None = None) -> SheetTallies:
    from chamberdesk.io.sheet_reader import read_sheet

    ws = read_sheet(Path(path), sheet)
    head_at = next((i for i, r in enumerate(ws.rows[:20]) if any(_text(c) in NAME_HEADERS for c in r)), None)
    if head_at is None:
        raise ChamberDeskError(f"“{Path(path).name}”的前 20 行中没有“商会名称”列：请在表头写明“商会名称”。")
    head = [_text(c) for c in ws.rows[head_at]]
    name_col = next(i for i, h in enumerate(head) if h in NAME_HEADERS)
    invalid_col = next((i for i, h in enumerate(head) if h in INVALID_HEADERS), None)
    if ballot.scale == "rating":
        levels = {lv.label for lv in ballot.levels}
        cols = {i: _bare(h) for i, h in enumerate(head) if _bare(h) in levels}
        missing = levels - set(cols.values())
        if missing:
            raise ChamberDeskError(f"计票表缺少等次列：{'、'.join(sorted(missing))}。表头应有"
                                   f"{'、'.join(lv.label for lv in ballot.levels)}各一列。")
    else:
        cols = {i: h for i, h in enumerate(head) if i not in (name_col, invalid_col) and _bare(h) not in OTHER_HEADERS}
        if not cols:
            raise ChamberDeskError("计票表中没有评分列：每张选票一列（如“票1”“票2”…），填该票给每个商会的评分。")
    out = SheetTallies()
    for r_no, row in enumerate(ws.rows[head_at + 1:], head_at + 2):
        cells = list(row) + [None] * (len(head) - len(row))
        name = str(cells[name_col] or "").strip()
        if not name and not any(_text(c) for c in cells):
            continue  # a blank line
        out.rows += 1
        if not name or _text(name) in ("合计", "总计", "小计"):
            out.rejected.append(f"第{r_no}行：没有商会名称（或为合计行），未导入")
            continue
        try:
            t = Tally(invalid=int(_number(cells[invalid_col]) or 0) if invalid_col is not None else 0)
            for i, key in cols.items():
                v = _number(cells[i])
                if ballot.scale == "rating":
                    t.counts[key] = int(v or 0)
                elif v is not None:
                    t.scores.append(v)
        except (TypeError, ValueError):
            out.rejected.append(f"第{r_no}行（{name}）：票数或评分不是数字，未导入")
            continue
        if name in out.tallies:
            out.rejected.append(f"第{r_no}行（{name}）：与前面的行重复，未导入")
            continue
        out.tallies[name] = t
    return out
