"""A drop folder per partner line (issue 24, transport): the shared or synced folder an admin
configured for a directory entry with a line card, that hand-offs to that partner are written
into and packages and receipts from it are read from.

- drop_folders: one row per directory entry (``directory_id``), the folder's absolute path,
  when and by whom it was set. Clearing the folder deletes the row. Bound to the audit trail
  like the directory (``store/records.py``).

Revision ID: 0021
Revises: 0023
"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drop_folders',
    sa.Column('directory_id', sa.String(length=80), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('directory_id', name=op.f('pk_drop_folders'))
    )


def downgrade() -> None:
    op.drop_table('drop_folders')
