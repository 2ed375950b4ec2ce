"""Finding and reading rubric files: one resolver over the shipped folder and the user's folder."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import NotFound
from chamberdesk.rules.schema import ID_RE, Rubric, RubricError, check_rubric


def _dirs() -> list[tuple[Path, bool]]:
    from chamberdesk import paths

    return [(paths.rubric_data_dir(), False), (paths.user_rubric_dir(), True)]


def parse_rubric(text: str, filename: str = "（未命名）") -> Rubric:
    """Parse and check rubric text; RubricError names the file, line and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        where = f"第{m.group(2)}列附近" if m else ""
        raise RubricError(filename, line, None, f"TOML 格式错误（{where}{_toml_reason(msg)}），请检查引号、括号和等号") from exc
    r = check_rubric(data, filename=filename, text=text)
    r.text = text
    return r


def _toml_reason(msg: str) -> str:
    reasons = {"Expected '=' after a key": "键后缺少等号", "Invalid value": "值无效", "Unclosed": "括号或引号未闭合",
               "Cannot overwrite a value": "字段重复", "Illegal character": "非法字符",
               "Cannot declare": "表重复声明", "Expected newline or end of document": "一行只能写一个字段"}
    for k, v in reasons.items():
        if k in msg:
            return v
    return msg.split(" (at")[0]


def load_file(path: Path | str, *, user: bool = False) -> Rubric:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RubricError(path.name, None, None, "文件不是 UTF-8 编码，请用记事本“另存为 UTF-8”") from exc
    r = parse_rubric(text, path.name)
    if r.id != path.stem:
        raise RubricError(path.name, 1, "id", f"编号“{r.id}”应与文件名“{path.stem}”一致")
    r.path, r.user = str(path), user
    return r


def rubric_files() -> dict[str, tuple[Path, bool]]:
    """id → (file, is user file); a user file overrides a shipped file of the same id."""
    out: dict[str, tuple[Path, bool]] = {}
    for d, user in _dirs():
        if d.is_dir():
            for p in sorted(d.glob("*.toml")):
                out[p.stem] = (p, user)
    return out


def list_rubrics(*, errors: list[RubricError] | None = None) -> list[Rubric]:
    """Every rubric, shipped and the office's own; broken files are skipped (collected in `errors`)."""
    out = []
    for _rid, (p, user) in sorted(rubric_files().items()):
        try:
            out.append(load_file(p, user=user))
        except RubricError as exc:
            if errors is not None:
                errors.append(exc)
    return out


def load_rubric(rubric_id: str) -> Rubric:
    files = rubric_files()
    if rubric_id not in files:
        raise NotFound(f"没有编号为“{rubric_id}”的考评细则。可用：{'、'.join(sorted(files)) or '（无）'}")
    p, user = files[rubric_id]
    return load_file(p, user=user)


# --- the office's own rubrics ---------------------------------------------------------------------------


def copy_rubric(source_id: str, new_id: str, new_title: str | None = None,
                changes: dict[str, dict[str, Any]] | None = None, *, folder: Path | None = None) -> Rubric:
    """Save an edited copy of a rubric as `new_id.toml` in the user's folder, validated first.

    `changes` maps item id → {title, threshold, points, max_points, evidence_required}.
    """
    src = load_rubric(source_id)
    return save_user_rubric(src, new_id, new_title, changes, folder=folder)


EDITABLE = ("title", "threshold", "points", "max_points", "evidence_required")


def save_user_rubric(src: Rubric, new_id: str, new_title: str | None = None,
                     changes: dict[str, dict[str, Any]] | None = None, *, folder: Path | None = None) -> Rubric:
    if not ID_RE.match(new_id):
        raise RubricError(f"{new_id}.toml", None, "id", "编号只能由小写字母、数字、- 和 _ 组成")
    data = tomllib.loads(src.text)
    data["id"] = new_id
    if new_title:
        data["title"] = new_title
    known = {it.id for it in src.items}
    for iid, ch in (changes or {}).items():
        if iid not in known:
            raise RubricError(f"{new_id}.toml", None, "id", f"条目“{iid}”不存在")
        for g in data["groups"]:
            for it in g["items"]:
                if it["id"] == iid:
                    for k, v in ch.items():
                        if k not in EDITABLE:
                            raise RubricError(f"{new_id}.toml", None, k, "此字段不能在程序中修改")
                        it[k] = v
    header = f"# 本单位考评细则：复制自“{src.title}”（{src.id}，版本 {src.version}），{date.today().isoformat()} 修改。\n"
    text = header + dump_toml(data)
    rubric = parse_rubric(text, f"{new_id}.toml")  # validate before it can be used
    from chamberdesk import paths

    folder = folder or paths.user_rubric_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id}.toml"
    tmp = path.with_suffix(".toml.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    rubric.path, rubric.user = str(path), True
    return rubric


# --- a small TOML writer for the rubric shape (tomllib reads only) ----------------------------------------


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else _val(k)


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    lines: list[str] = []
    nested: list[tuple[str, Any]] = []
    for k, v in data.items():
        if (isinstance(v, dict) and k != "params") or _is_table_list(v):
            nested.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_val(v)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for k, v in nested:
        name = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out += f"\n[{name}]\n" + dump_toml(v, name)
        else:
            for x in v:
                out += f"\n[[{name}]]\n" + dump_toml(x, name)
    return out
