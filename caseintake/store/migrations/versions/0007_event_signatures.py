"""Per-user signatures on the audit trail (issue 10 item 2).

- audit_events.signer: the id of the user whose session appended the event ("recovery" for the
  recovery key); audit_events.sig: that user's Ed25519 signature over the chain's MAC at the
  last event of each append (earlier events of the same append are covered by it).
- meta.audit_signed_from: the first seq that must be signed. Events already in a database when
  this migration runs were written before per-user keys signed anything: they stay proven by
  the MAC chain and the checkpoints only, and `audit verify` says how many there are.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('sig', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_signed_from', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE meta SET audit_signed_from = "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)"
    )


def downgrade() -> None:
    with op.batch_alter_table('meta', schema=None) as batch_op:
        batch_op.drop_column('audit_signed_from')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('sig')
        batch_op.drop_column('signer')
