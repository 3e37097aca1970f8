"""The admin's desk (issue 10): directory versions, the retention period, erased cases.

- directory_entries.version / current_id / retired_at: an entry edited after a referral was
  sent to it keeps its old content as a row of its own (current_id = the live entry), so a
  sent referral's desk never changes under it; a retired entry stays for the referrals it has.
- retention_policy: one row, the days after closure a case's content is kept (NULL: forever).
- case_erasures: a case whose content was destroyed, when and by whom.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('current_id', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_directory_current', ['current_id'], unique=False)
    op.create_table('retention_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('days_after_closure', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_policy'))
    )
    op.create_table('case_erasures',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_by', sa.String(length=100), nullable=False),
    sa.Column('fields', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_erasures_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_erasures'))
    )


def downgrade() -> None:
    op.drop_table('case_erasures')
    op.drop_table('retention_policy')
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_directory_current')
        batch_op.drop_column('retired_at')
        batch_op.drop_column('current_id')
        batch_op.drop_column('version')
