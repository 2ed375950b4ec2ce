"""Evidence files (凭证): stored once under their SHA-256 beside the data file, linked to records."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from sqlmodel import Session, col, select

from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Evidence, EvidenceLink

MAX_FILE_BYTES = 200 * 1024 * 1024


def _blob_path(db: Database, sha: str) -> Path:
    return db.data_dir / sha[:2] / sha


def add_file(db: Database, session: Session, src: Path, *, record_type: str, record_id: int,
             rubric_item: str | None = None, note: str | None = None) -> Evidence:
    """Copy the file into the store (if not there yet) and link it to the record."""
    src = Path(src)
    if not src.is_file():
        raise ChamberDeskError(f"找不到文件：{src}")
    if src.stat().st_size > MAX_FILE_BYTES:
        raise ChamberDeskError("文件超过 200 MB，请压缩或拆分后再添加。")
    h = hashlib.sha256()
    with src.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    sha = h.hexdigest()
    dest = _blob_path(db, sha)
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        # write under a temporary name, then rename: a failed copy never leaves half a file
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dest)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    ev = session.exec(select(Evidence).where(Evidence.sha256 == sha)).first()
    if ev is None:
        ev = Evidence(sha256=sha, filename=src.name, size=src.stat().st_size, note=note)
        session.add(ev)
        session.flush()
    assert ev.id is not None  # stored earlier, or given by the INSERT just flushed
    session.add(EvidenceLink(evidence_id=ev.id, record_type=record_type, record_id=record_id, rubric_item=rubric_item))
    return ev


def files_for(session: Session, record_type: str, record_id: int, rubric_item: str | None = None) -> list[Evidence]:
    q = (select(Evidence).join(EvidenceLink, col(EvidenceLink.evidence_id) == Evidence.id)
         .where(EvidenceLink.record_type == record_type, EvidenceLink.record_id == record_id))
    if rubric_item is not None:
        q = q.where(EvidenceLink.rubric_item == rubric_item)
    return list(session.exec(q.order_by(col(Evidence.added_at))))


def stored_path(db: Database, session: Session, evidence_id: int) -> Path:
    """Where the stored copy of one evidence file is, by its id (forms hold ids, not rows)."""
    ev = session.get(Evidence, evidence_id)
    if ev is None:
        raise ChamberDeskError("找不到该凭证，可能已被删除。请刷新后再试。")
    return path_of(db, ev)


def path_of(db: Database, ev: Evidence) -> Path:
    """Where the stored copy is; raises if it went missing from the data folder."""
    p = _blob_path(db, ev.sha256)
    if not p.exists():
        raise ChamberDeskError(f"凭证文件“{ev.filename}”不在数据文件夹中，可能被移动或删除。")
    return p
