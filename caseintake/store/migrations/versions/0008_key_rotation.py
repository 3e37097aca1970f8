"""Key rotation and per-case audit keys (issue 10, the admin's desk).

- data_keys: every older data key version, wrapped under the newest (format-1 field blob of
  ``data_keys.wrapped``); the newest itself is only ever in key slots.
- key_rotations: one row per rotation: from/to version, who, when, the batch cursor (table and
  last row id) so a killed rotation resumes, how many fields it re-encrypted, when it finished.
- case_keys: the random key that encrypts the audit details of events about one case (scope =
  case id; "-" for events about no case), wrapped under the current data key version. Erasing
  a case deletes its row: its events' details can no longer be read, the chain still verifies.
- key_slots.grant_public: X25519 public key derived from the slot's key-encryption key, so a
  rotation can wrap the new data key for a slot whose password it does not know;
  key_slots.sealed_by / seal_sig: who sealed it (an admin's id or "recovery") and their
  Ed25519 signature over the sealed slot.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_keys',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_data_keys'))
    )
    op.create_table('key_rotations',
    sa.Column('to_version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('from_version', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_by', sa.String(length=64), nullable=False),
    sa.Column('cursor_table', sa.String(length=64), nullable=True),
    sa.Column('cursor_id', sa.String(length=64), nullable=True),
    sa.Column('fields', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('to_version', name=op.f('pk_key_rotations'))
    )
    op.create_table('case_keys',
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('scope', name=op.f('pk_case_keys'))
    )
    with op.batch_alter_table('key_slots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grant_public', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('sealed_by', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('seal_sig', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('key_slots', schema=None) as batch_op:
        batch_op.drop_column('seal_sig')
        batch_op.drop_column('sealed_by')
        batch_op.drop_column('grant_public')
    op.drop_table('case_keys')
    op.drop_table('key_rotations')
    op.drop_table('data_keys')
