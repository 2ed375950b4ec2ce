"""自定义信息 on every record table; member address, registered capital and head count; search covers them

Imported sheets carry columns the app has no field for (企业地址 on nearly every member ledger, and
whatever an office added): each record table gets a `custom` JSON text column that keeps them under
their own titles. Members get 企业地址, 注册资本（万元）, 从业人员数 as real fields. The member
search text (kept by the triggers of 0002) now also covers the address and the custom fields, and on
SQLite a row inserted with its search text already filled (a bulk import) is not updated again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:10:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_FIELDS = ("enterprise_name", "credit_code", "rep_name", "legal_rep", "rep_phone")
FIELDS = (*OLD_FIELDS, "address", "custom")
TABLES = ("member", "chamber", "meeting", "activity", "contact")


def _expr(fields: tuple[str, ...], prefix: str = "") -> str:
    return "upper(" + " || '|' || ".join(f"coalesce({prefix}{f}, '')" for f in fields) + ")"


def _triggers(fields: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS member_search_insert")
        op.execute("DROP TRIGGER IF EXISTS member_search_update")
        # a bulk import supplies search_text itself (core.members.search_text): the row is not written twice
        when = " WHEN NEW.search_text IS NULL" if fields == FIELDS else ""
        op.execute(f"CREATE TRIGGER member_search_insert AFTER INSERT ON member{when} "
                   f"BEGIN UPDATE member SET search_text = {_expr(fields)} WHERE id = NEW.id; END")
        op.execute(f"CREATE TRIGGER member_search_update AFTER UPDATE OF {', '.join(fields)} ON member "
                   f"BEGIN UPDATE member SET search_text = {_expr(fields)} WHERE id = NEW.id; END")
    else:
        op.execute("DROP TRIGGER IF EXISTS member_search ON member")
        op.execute("CREATE OR REPLACE FUNCTION member_search_text() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN NEW.search_text := {_expr(fields, 'NEW.')}; RETURN NEW; END $$")
        op.execute(f"CREATE TRIGGER member_search BEFORE INSERT OR UPDATE OF {', '.join(fields)} ON member "
                   "FOR EACH ROW EXECUTE FUNCTION member_search_text()")
    op.execute(f"UPDATE member SET search_text = {_expr(fields)}")


def upgrade() -> None:
    for t in TABLES:
        op.add_column(t, sa.Column("custom", sa.Text(), nullable=True))
    op.add_column("member", sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column("member", sa.Column("registered_capital", sa.Float(), nullable=True))
    op.add_column("member", sa.Column("employee_count", sa.Integer(), nullable=True))
    _triggers(FIELDS)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # the triggers name the columns about to go
        op.execute("DROP TRIGGER IF EXISTS member_search_insert")
        op.execute("DROP TRIGGER IF EXISTS member_search_update")
    else:
        op.execute("DROP TRIGGER IF EXISTS member_search ON member")
    for c in ("employee_count", "registered_capital", "address"):
        op.drop_column("member", c)
    for t in TABLES:
        op.drop_column(t, "custom")
    _triggers(OLD_FIELDS)
