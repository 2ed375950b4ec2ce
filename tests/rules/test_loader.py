"""Rubric files: the shipped set, precise errors for broken files, the office's own copies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from chamberdesk import paths, rules
from chamberdesk.rules import RubricError

SHIPPED = {"siyou", "wuyou-wuhao", "tongzhou-kaoping", "wuge-quebao", "henan-county-wuhao", "sihao",
           "sihao-shanghai-2017", "nanjing-star"}
SEED = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt")


def test_every_shipped_rubric_loads_and_cites_its_source():
    found = {r.id: r for r in rules.list_rubrics()}
    assert set(found) == SHIPPED
    for r in found.values():
        assert r.version and r.title and r.year_from >= 2006
        assert SEED.search(r.source), r.id
        for it in r.items:
            assert SEED.search(it.source), f"{r.id}:{it.id} has no seed citation"
    assert found["wuge-quebao"].target == "federation"
    assert found["henan-county-wuhao"].target == "federation"
    assert found["sihao"].validity_years == 2
    star = found["nanjing-star"]
    assert star.template and len(star.items) == 23
    assert sum(it.ceiling for it in star.items) == 100
    assert sum(it.ceiling for it in star.items if it.group == "jingji") == 20
    tz = found["tongzhou-kaoping"]
    assert [(p.id, p.weight) for p in tz.parts] == [("target", 0.8), ("democratic", 0.2)]
    assert sum(it.ceiling for g in tz.parts[0].groups for it in tz.items if it.group == g) == 100


def test_henan_has_nineteen_articles():
    r = rules.load_rubric("henan-county-wuhao")
    arts = {int(m.group(1)) for it in r.items if (m := re.match(r"art(\d+)", it.id))}
    assert arts == set(range(1, 20))


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{name}.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _shipped_text(rid: str) -> str:
    return (paths.rubric_data_dir() / f"{rid}.toml").read_text(encoding="utf-8")


def test_typo_in_a_field_name_names_file_line_and_field(tmp_path):
    text = _shipped_text("wuyou-wuhao").replace("threshold = 2\n", "threshhold = 2\n")
    line = text.splitlines().index("threshhold = 2") + 1
    with pytest.raises(RubricError) as ei:
        rules.load_file(_write(tmp_path, "wuyou-wuhao", text))
    e = ei.value
    assert (e.filename, e.line, e.field) == ("wuyou-wuhao.toml", line, "threshhold")
    assert f"wuyou-wuhao.toml 第{line}行" in str(e)
    assert "是否应为“threshold”" in str(e)


def test_wrong_type_and_unknown_metric_are_located(tmp_path):
    text = _shipped_text("siyou").replace("threshold = 1\n", 'threshold = "一次"\n')
    line = text.splitlines().index('threshold = "一次"') + 1
    with pytest.raises(RubricError, match=f"第{line}行：字段“threshold”应为") as ei:
        rules.load_file(_write(tmp_path, "siyou", text))
    assert "条目 activities" in str(ei.value)

    text = _shipped_text("siyou").replace('metric = "chamber_has_office"', 'metric = "chamber_has_ofice"')
    line = text.splitlines().index('metric = "chamber_has_ofice"') + 1
    with pytest.raises(RubricError, match=f"第{line}行：字段“metric”没有名为“chamber_has_ofice”的台账指标"):
        rules.load_file(_write(tmp_path, "siyou", text))


def test_toml_syntax_error_gives_line(tmp_path):
    text = _shipped_text("siyou").replace('kind = "automatic"\nmetric = "chamber_has_office"',
                                          'kind = "automatic\nmetric = "chamber_has_office"')
    with pytest.raises(RubricError, match=r"siyou.toml 第\d+行：TOML 格式错误") as ei:
        rules.load_file(_write(tmp_path, "siyou", text))
    assert ei.value.line is not None


def test_missing_required_field_and_bad_veto(tmp_path):
    text = _shipped_text("siyou").replace('target = "chamber"\n', "")
    with pytest.raises(RubricError, match="字段“target”缺少必填字段"):
        rules.load_file(_write(tmp_path, "siyou", text))
    text = _shipped_text("tongzhou-kaoping").replace('item = "absences"', 'item = "absence"')
    with pytest.raises(RubricError, match="条目“absence”不存在"):
        rules.load_file(_write(tmp_path, "tongzhou-kaoping", text))


def test_writer_round_trips_every_shipped_rubric():
    for r in rules.list_rubrics():
        data = tomllib.loads(r.text)
        assert tomllib.loads(rules.dump_toml(data)) == data, r.id


def test_office_copy_is_validated_saved_and_overrides(user_rubrics):
    r = rules.copy_rubric("wuyou-wuhao", "wuyou-wuhao-our", "五有五好（本县细则）",
                          {"quarterly_activities": {"threshold": 3, "title": "每季度会员活动不少于{threshold}次"},
                           "finance_archived": {"evidence_required": False}})
    assert (user_rubrics / "wuyou-wuhao-our.toml").is_file()
    again = rules.load_rubric("wuyou-wuhao-our")
    assert again.user and again.title == "五有五好（本县细则）"
    assert again.item("quarterly_activities").rule_text() == "每季度会员活动不少于3次"
    assert again.item("finance_archived").evidence_required is False
    assert r.item("quarterly_activities").threshold == 3
    # a bad edit is refused before anything is written
    with pytest.raises(RubricError, match="threshold"):
        rules.copy_rubric("wuyou-wuhao", "broken", None, {"quarterly_activities": {"threshold": "三"}})
    assert not (user_rubrics / "broken.toml").exists()
    with pytest.raises(RubricError, match="不能在程序中修改"):
        rules.copy_rubric("wuyou-wuhao", "broken", None, {"quarterly_activities": {"metric": "x"}})
    # a user file with a shipped id wins through the one resolver
    rules.copy_rubric("siyou", "siyou", "四有（本县）")
    assert rules.load_rubric("siyou").title == "四有（本县）"
    assert [x.id for x in rules.list_rubrics()].count("siyou") == 1


def test_broken_user_file_is_reported_not_fatal(user_rubrics):
    _write(user_rubrics, "ours", 'id = "ours"\ntitle = 1\n')
    errors: list[RubricError] = []
    ids = {r.id for r in rules.list_rubrics(errors=errors)}
    assert ids == SHIPPED
    assert len(errors) == 1 and "ours.toml" in str(errors[0])
