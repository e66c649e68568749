"""calls: the full call, coordinated rounds, technology areas, audit events, public state

The skeleton's `call` table gains its columns; rows it may hold get `stage` "other" and the
strand of their agency, and the two defaults used for that are dropped again.

Revision ID: f1d3e3ccc56f
Revises: 8f9375b1feaf
Create Date: 2026-11-24 21:21:53.623009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kit.db

revision: str = "f1d3e3ccc56f"
down_revision: str | None = "8f9375b1feaf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "public_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("public_state_pkey")),
    )
    op.create_table(
        "coordination",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("publish_at", kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("published_at", kit.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("coordination_pkey")),
    )
    op.create_table(
        "technology_area",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_sv", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("strategic", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("technology_area_pkey")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", kit.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("call_id", sa.String(length=36), nullable=True),
        sa.Column("coordination_id", sa.String(length=36), nullable=True),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], name=op.f("audit_event_call_id_fkey")),
        sa.ForeignKeyConstraint(
            ["coordination_id"], ["coordination.id"], name=op.f("audit_event_coordination_id_fkey")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("audit_event_pkey")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("audit_event_call_id_idx"), ["call_id"], unique=False)
        batch_op.create_index(
            batch_op.f("audit_event_coordination_id_idx"), ["coordination_id"], unique=False
        )

    op.create_table(
        "call_technology_area",
        sa.Column("call_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("call_technology_area_call_id_fkey"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code"], ["technology_area.code"], name=op.f("call_technology_area_code_fkey")
        ),
        sa.PrimaryKeyConstraint("call_id", "code", name=op.f("call_technology_area_pkey")),
    )
    with op.batch_alter_table("call_technology_area", schema=None) as batch_op:
        batch_op.create_index(
            "call_technology_area_code_call_id_idx", ["code", "call_id"], unique=False
        )

    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("strand", sa.String(length=20), server_default="open", nullable=False)
        )
        batch_op.add_column(
            sa.Column("stage", sa.String(length=20), server_default="other", nullable=False)
        )
        batch_op.add_column(sa.Column("title_sv", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("title_en", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("summary_sv", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("summary_en", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("other_technology_area", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("trl_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("trl_max", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("budget_sek", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("max_award_sek", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("opens_at", kit.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("closes_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("decision_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("requires_ssh", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "requires_multiple_heis", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "requires_graduate_school",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("coordination_id", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
        batch_op.add_column(sa.Column("ready_at", kit.db.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("published_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("closed_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("decided_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("cancelled_at", kit.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("call_closes_at_id_idx", ["closes_at", "id"], unique=False)
        batch_op.create_index("call_coordination_id_idx", ["coordination_id"], unique=False)
        batch_op.create_index("call_created_at_id_idx", ["created_at", "id"], unique=False)
        batch_op.create_index("call_published_at_idx", ["published_at"], unique=False)
        batch_op.create_index("call_updated_at_id_idx", ["updated_at", "id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("call_coordination_id_fkey"), "coordination", ["coordination_id"], ["id"]
        )

    call = sa.table("call", sa.column("agency", sa.String), sa.column("strand", sa.String))
    op.execute(call.update().where(call.c.agency == "vinnova").values(strand="strategic"))
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.alter_column("strand", server_default=None)
        batch_op.alter_column("stage", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("call_coordination_id_fkey"), type_="foreignkey")
        batch_op.drop_index("call_updated_at_id_idx")
        batch_op.drop_index("call_published_at_idx")
        batch_op.drop_index("call_created_at_id_idx")
        batch_op.drop_index("call_coordination_id_idx")
        batch_op.drop_index("call_closes_at_id_idx")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("published_at")
        batch_op.drop_column("ready_at")
        batch_op.drop_column("version")
        batch_op.drop_column("coordination_id")
        batch_op.drop_column("url")
        batch_op.drop_column("requires_graduate_school")
        batch_op.drop_column("requires_multiple_heis")
        batch_op.drop_column("requires_ssh")
        batch_op.drop_column("decision_at")
        batch_op.drop_column("closes_at")
        batch_op.drop_column("opens_at")
        batch_op.drop_column("max_award_sek")
        batch_op.drop_column("budget_sek")
        batch_op.drop_column("trl_max")
        batch_op.drop_column("trl_min")
        batch_op.drop_column("other_technology_area")
        batch_op.drop_column("search_text")
        batch_op.drop_column("summary_en")
        batch_op.drop_column("summary_sv")
        batch_op.drop_column("title_en")
        batch_op.drop_column("title_sv")
        batch_op.drop_column("stage")
        batch_op.drop_column("strand")

    with op.batch_alter_table("call_technology_area", schema=None) as batch_op:
        batch_op.drop_index("call_technology_area_code_call_id_idx")

    op.drop_table("call_technology_area")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("audit_event_coordination_id_idx"))
        batch_op.drop_index(batch_op.f("audit_event_call_id_idx"))

    op.drop_table("audit_event")
    op.drop_table("technology_area")
    op.drop_table("coordination")
    op.drop_table("public_state")
