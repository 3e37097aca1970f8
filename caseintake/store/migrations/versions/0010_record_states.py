"""The records bound to the audit trail (issue 20 item 1).

- audit_events.states: the states of the rows an event wrote (``crypto.record_states``),
  covered by its MAC and its writer's signature; NULL for an event that wrote no record.
- meta.records_bound_from: the first seq from which every record is bound. Rows already in a
  database when this migration runs were written before: `audit verify` counts them as
  unbound (until a later write binds them) instead of naming them as inserted.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('states', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.add_column(sa.Column('records_bound_from', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE meta SET records_bound_from = "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)"
    )


def downgrade() -> None:
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.drop_column('records_bound_from')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('states')
