"""Event times that never go backwards (issue 20 item 4).

- meta.times_ordered_from: the first seq from which every event's time is at or after the one
  before it. Writers keep time moving on since this revision (``AuditLog``, the bulk builder);
  events already in a database when it runs may step back (a clock moved, a bulk history), so
  `audit verify` checks times from here on only.

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.add_column(sa.Column('times_ordered_from', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE meta SET times_ordered_from = "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)"
    )


def downgrade() -> None:
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.drop_column('times_ordered_from')
