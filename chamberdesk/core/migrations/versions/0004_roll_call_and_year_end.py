"""Roll-call of chambers at the federation's own meetings and activities; where each chamber's year-end stands

The 通州 考评 vetoes a chamber that stayed away from the federation's meetings or activities three times
without leave, and one whose yearly statistics form was not filed (000 附件1 二（四）2、3); it warns one that
missed three trainings (四). `chamber_attendance` records, per federation meeting or activity, each expected
chamber and whether it came, asked for leave (with the reason) or was absent. `chamber_year_end` records per
chamber and year when its statistics form was received, when its 自查表 was printed and when and by whom it
was inspected.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 12:05:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chamber_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("chamber_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.CheckConstraint("(meeting_id IS NULL) <> (activity_id IS NULL)", name="ck_attendance_one_event"),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["chamber_id"], ["chamber.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "chamber_id", name="uq_attendance_activity_chamber"),
        sa.UniqueConstraint("meeting_id", "chamber_id", name="uq_attendance_meeting_chamber"),
    )
    for col in ("meeting_id", "activity_id", "chamber_id"):
        op.create_index(f"ix_chamber_attendance_{col}", "chamber_attendance", [col])
    op.create_table(
        "chamber_year_end",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chamber_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("statistics_received_on", sa.Date(), nullable=True),
        sa.Column("selfcheck_printed_on", sa.Date(), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=True),
        sa.Column("inspected_by", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("inspection_notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["chamber_id"], ["chamber.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chamber_id", "year", name="uq_year_end_chamber_year"),
    )
    op.create_index("ix_chamber_year_end_chamber_id", "chamber_year_end", ["chamber_id"])


def downgrade() -> None:
    op.drop_index("ix_chamber_year_end_chamber_id", table_name="chamber_year_end")
    op.drop_table("chamber_year_end")
    for col in ("meeting_id", "activity_id", "chamber_id"):
        op.drop_index(f"ix_chamber_attendance_{col}", table_name="chamber_attendance")
    op.drop_table("chamber_attendance")
