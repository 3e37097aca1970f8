"""The publication ledger (issue 21): what statistics left the building, and the floor.

- statistics_releases: one row per table of an export: the export it belongs to, the
  indicator, the period's first and last days (Viet Nam), the threshold, who and when, where it
  went (file, download, stdout) and its cells as published (JSON, suppressed cells null). A new
  export is suppressed against every earlier one that overlaps it.
- statistics_floor: one row, the lowest threshold an export may use (set by an admin).

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('statistics_releases',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('export_id', sa.String(length=36), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_by', sa.String(length=100), nullable=False),
    sa.Column('destination', sa.String(length=20), nullable=False),
    sa.Column('cells', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_releases'))
    )
    with op.batch_alter_table('statistics_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statistics_releases_export_id'), ['export_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statistics_releases_indicator'), ['indicator'], unique=False)
    op.create_table('statistics_floor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_floor'))
    )


def downgrade() -> None:
    op.drop_table('statistics_floor')
    with op.batch_alter_table('statistics_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statistics_releases_indicator'))
        batch_op.drop_index(batch_op.f('ix_statistics_releases_export_id'))
    op.drop_table('statistics_releases')
