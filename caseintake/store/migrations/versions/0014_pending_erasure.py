"""An erasure is done only once the file holds none of its ciphertexts (issue 20 item 6).

- case_erasures.completed_at: when the compaction after the erasure finished (VACUUM, then a
  complete WAL checkpoint); NULL while another reader kept the old pages in the file, which
  the application completes by itself at the next checkpoint or start, or at ``case erase``
  again. Erasures made before this migration were reported done: they get their erased_at.

Revision ID: 0014
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_erasures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE case_erasures SET completed_at = erased_at')


def downgrade() -> None:
    with op.batch_alter_table('case_erasures', schema=None) as batch_op:
        batch_op.drop_column('completed_at')
