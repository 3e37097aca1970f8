"""The supervisor's desk (issue 8): escalation decisions and case approvals.

Proposed escalations are computed from the referrals whenever the queue is read; only the
supervisor's decision (confirmed, with the new referral, or dismissed, with a reason) is kept.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('escalations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('referral_id', sa.String(length=36), nullable=False),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('body', sa.String(length=40), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=36), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.LargeBinary(), nullable=True),
    sa.Column('new_referral_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_escalations_decided_by_users')),
    sa.ForeignKeyConstraint(['new_referral_id'], ['referrals.id'], name=op.f('fk_escalations_new_referral_id_referrals')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_escalations_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_escalations_referral_id'))
    )
    op.create_table('case_approvals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.String(length=24), nullable=False),
    sa.Column('approved_by', sa.String(length=36), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_case_approvals_approved_by_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_approvals_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_approvals'))
    )
    with op.batch_alter_table('case_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_case_approvals_case', ['case_id', 'approved_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_case_approvals_case')
    op.drop_table('case_approvals')
    op.drop_table('escalations')
