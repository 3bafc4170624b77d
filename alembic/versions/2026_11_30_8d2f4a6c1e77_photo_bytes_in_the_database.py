"""photo bytes in the database: photochunk, for MESO_PHOTO_STORAGE=database

Revision ID: 8d2f4a6c1e77
Revises: 7c1e2f9a4b10
Create Date: 2026-11-30 15:40:00
"""

from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "8d2f4a6c1e77"
down_revision: Union[str, None] = "7c1e2f9a4b10"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "photochunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key", "size", "seq", name="uq_photochunk_key_size_seq"),
    )
    with op.batch_alter_table("photochunk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photochunk_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photochunk_storage_key"), ["storage_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("photochunk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photochunk_storage_key"))
        batch_op.drop_index(batch_op.f("ix_photochunk_owner_id"))
    op.drop_table("photochunk")
