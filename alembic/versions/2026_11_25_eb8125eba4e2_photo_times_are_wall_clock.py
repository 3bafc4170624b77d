"""photo times are wall-clock

Revision ID: eb8125eba4e2
Revises: 42a8a16583c6
Create Date: 2026-11-25 01:54:58.745537
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'eb8125eba4e2'
down_revision: Union[str, None] = '42a8a16583c6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # SQLite keeps no zone either way; PostgreSQL changes the column type.
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.alter_column('taken_at', type_=sa.DateTime(timezone=False), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.alter_column('taken_at', type_=sa.DateTime(timezone=True), existing_nullable=False)
