"""member.search_text kept by triggers instead of a generated column

SQLite does not read a generated column's value out of an index, so the ledger's search-as-you-type
scanned the wide member rows even though ix_member_live_search holds every column the query needs.
As a plain column filled by triggers the same index covers the query, which halves the scan at
100,000 members. PostgreSQL gets the same plain column and a BEFORE trigger, so both stay alike.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

FIELDS = ("enterprise_name", "credit_code", "rep_name", "legal_rep", "rep_phone")


def _expr(prefix: str = "") -> str:
    """The searched text: the fields upper-cased and joined by '|' (a typed '|' never matches across them)."""
    return "upper(" + " || '|' || ".join(f"coalesce({prefix}{f}, '')" for f in FIELDS) + ")"


def upgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_member_live_search", table_name="member")
    if bind.dialect.name == "sqlite":
        op.execute("ALTER TABLE member DROP COLUMN search_text")
        op.execute("ALTER TABLE member ADD COLUMN search_text TEXT")
        op.execute(f"UPDATE member SET search_text = {_expr()}")
        # the inner UPDATE sets only search_text, so it never fires the UPDATE OF trigger again
        op.execute(f"CREATE TRIGGER member_search_insert AFTER INSERT ON member "
                   f"BEGIN UPDATE member SET search_text = {_expr()} WHERE id = NEW.id; END")
        op.execute(f"CREATE TRIGGER member_search_update AFTER UPDATE OF {', '.join(FIELDS)} ON member "
                   f"BEGIN UPDATE member SET search_text = {_expr()} WHERE id = NEW.id; END")
    else:
        op.execute("ALTER TABLE member ALTER COLUMN search_text DROP EXPRESSION")
        op.execute("CREATE FUNCTION member_search_text() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN NEW.search_text := {_expr('NEW.')}; RETURN NEW; END $$")
        op.execute(f"CREATE TRIGGER member_search BEFORE INSERT OR UPDATE OF {', '.join(FIELDS)} ON member "
                   "FOR EACH ROW EXECUTE FUNCTION member_search_text()")
    op.create_index("ix_member_live_search", "member", ["deleted_at", "leave_date", "id", "search_text"])


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_member_live_search", table_name="member")
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER member_search_insert")
        op.execute("DROP TRIGGER member_search_update")
        op.execute("ALTER TABLE member DROP COLUMN search_text")
        # SQLite cannot add a stored generated column: the table is rebuilt with it
        with op.batch_alter_table("member", recreate="always") as batch_op:
            batch_op.add_column(sa.Column("search_text", sa.Text(), sa.Computed(_expr(), persisted=True)))
    else:
        op.execute("DROP TRIGGER member_search ON member")
        op.execute("DROP FUNCTION member_search_text()")
        op.execute("ALTER TABLE member DROP COLUMN search_text")
        op.execute(f"ALTER TABLE member ADD COLUMN search_text TEXT GENERATED ALWAYS AS ({_expr()}) STORED")
    op.create_index("ix_member_live_search", "member", ["deleted_at", "leave_date", "id", "search_text"])
