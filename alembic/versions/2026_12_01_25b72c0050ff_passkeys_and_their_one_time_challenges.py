"""passkeys and their one-time challenges

A patient's passkeys (credential id and public key only) and the challenges
handed to browsers, as hashes, for one use.

Revision ID: 25b72c0050ff
Revises: 0cb14ccb7934
Create Date: 2026-12-01 03:24:15.134651
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '25b72c0050ff'
down_revision: Union[str, None] = '0cb14ccb7934'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('passkey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sqlmodel.sql.sqltypes.AutoString(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('passkey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkey_credential_id'), ['credential_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_passkey_owner_id'), ['owner_id'], unique=False)

    op.create_table('passkeychallenge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('passkeychallenge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passkeychallenge_challenge_hash'), ['challenge_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_passkeychallenge_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_passkeychallenge_owner_id'), ['owner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('passkeychallenge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkeychallenge_owner_id'))
        batch_op.drop_index(batch_op.f('ix_passkeychallenge_expires_at'))
        batch_op.drop_index(batch_op.f('ix_passkeychallenge_challenge_hash'))

    op.drop_table('passkeychallenge')
    with op.batch_alter_table('passkey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passkey_owner_id'))
        batch_op.drop_index(batch_op.f('ix_passkey_credential_id'))

    op.drop_table('passkey')
