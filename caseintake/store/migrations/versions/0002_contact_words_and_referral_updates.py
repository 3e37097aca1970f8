"""Every contact keeps its own words; referral follow-up steps with whom was contacted.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caller_age_group', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('caller_sex', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('narrative', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.LargeBinary(), nullable=True))
    op.create_table('referral_updates',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('referral_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=True),
    sa.Column('contacted', sa.LargeBinary(), nullable=True),
    sa.Column('note', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_referral_updates_actor_id_users')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_referral_updates_referral_id_referrals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_updates'))
    )
    with op.batch_alter_table('referral_updates', schema=None) as batch_op:
        batch_op.create_index('ix_referral_updates_referral', ['referral_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('referral_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_updates_referral')
    op.drop_table('referral_updates')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('narrative')
        batch_op.drop_column('caller_sex')
        batch_op.drop_column('caller_age_group')
