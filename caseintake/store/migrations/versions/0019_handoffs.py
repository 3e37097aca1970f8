"""Hand-offs between lines (issue 24 items 3-5).

- handoffs: each package this line sent (``out``, for one of its referrals) or received
  (``in``; its local case once accepted): the partner line's code, card fingerprint and
  directory entry, the other side's case number, the legal basis, the status (sent, received,
  accepted, rejected, in_progress, done), the routing deadline, the package's times, the body
  as sent or opened (a field blob under the data key; NULL once its case is erased) and the
  SHA-256 of the file.
  ``package_id`` is unique: a package is received once (replay refusal).
- handoff_receipts: each receipt sent or received, by its own id (taken once), with its
  status, time, the receiver's words (reason or outcome, a field blob) and the file's SHA-256.

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handoffs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('partner_line', sa.String(length=8), nullable=False),
    sa.Column('partner_fingerprint', sa.String(length=40), nullable=False),
    sa.Column('partner_entry_id', sa.String(length=80), nullable=True),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('referral_id', sa.String(length=36), nullable=True),
    sa.Column('partner_case_number', sa.String(length=32), nullable=True),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_handoffs_case_id_cases')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_handoffs_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs')),
    sa.UniqueConstraint('package_id', name=op.f('uq_handoffs_package_id'))
    )
    op.create_index('ix_handoffs_direction_status', 'handoffs', ['direction', 'status'])
    op.create_table('handoff_receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('handoff_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('authored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('words', sa.LargeBinary(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], name=op.f('fk_handoff_receipts_handoff_id_handoffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_receipts'))
    )
    op.create_index(op.f('ix_handoff_receipts_handoff_id'), 'handoff_receipts', ['handoff_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_handoff_receipts_handoff_id'), table_name='handoff_receipts')
    op.drop_table('handoff_receipts')
    op.drop_index('ix_handoffs_direction_status', table_name='handoffs')
    op.drop_table('handoffs')
