"""journal version: grows with every write to a patient's journal

Revision ID: 7c1e2f9a4b10
Revises: d0dc4f960537
Create Date: 2026-11-30 15:10:00
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "7c1e2f9a4b10"
down_revision: Union[str, None] = "d0dc4f960537"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("journal_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("journal_version")
