"""An erasure is done only once the file holds none of its ciphertexts (issue 20 item 6).

- case_erasures.completed_at: when the compaction after the erasure finished (VACUUM, then a
  complete WAL checkpoint); NULL while another reader kept the old pages in the file, which
  the application completes by itself at the next checkpoint or start, or at ``case erase``
  again. Erasures made before this migration were reported done: they get their erased_at.

- security_settings.checkpoint_every_events / checkpoint_every_s: a process that writes signs
  a checkpoint at least every so many of its events and seconds (issue 20 item 4); set by an
  admin, never from the environment; NULL reads as 50 events and 300 s.

Revision ID: 0014
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_erasures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE case_erasures SET completed_at = erased_at')
    with op.batch_alter_table('security_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkpoint_every_events', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('checkpoint_every_s', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('security_settings', schema=None) as batch_op:
        batch_op.drop_column('checkpoint_every_s')
        batch_op.drop_column('checkpoint_every_events')
    with op.batch_alter_table('case_erasures', schema=None) as batch_op:
        batch_op.drop_column('completed_at')
