"""email links and recovery codes: a way back into a journal

A confirmed email (user.email_verified_at), the links mailed to it (only
their hashes), and one-time recovery codes (only their keyed hashes).

Revision ID: 0cb14ccb7934
Revises: adcb8509e629
Create Date: 2026-12-01 03:07:33.808904
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0cb14ccb7934'
down_revision: Union[str, None] = 'adcb8509e629'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('emaillink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('emaillink', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emaillink_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_emaillink_token_hash'), ['token_hash'], unique=True)

    op.create_table('recoverycode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recoverycode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recoverycode_code_hash'), ['code_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_recoverycode_owner_id'), ['owner_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')

    with op.batch_alter_table('recoverycode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recoverycode_owner_id'))
        batch_op.drop_index(batch_op.f('ix_recoverycode_code_hash'))

    op.drop_table('recoverycode')
    with op.batch_alter_table('emaillink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_emaillink_token_hash'))
        batch_op.drop_index(batch_op.f('ix_emaillink_owner_id'))

    op.drop_table('emaillink')
