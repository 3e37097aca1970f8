"""Security (issue 10): settings an admin sets in the database, one login throttle for known and
unknown names, failed-login records sealed whole, per-user signing keys and admin-signed
certificates binding role, disabled flag and key slot, the trust anchor's public keys.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('security_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lockout_failures', sa.Integer(), nullable=False),
    sa.Column('lockout_window_s', sa.Integer(), nullable=False),
    sa.Column('lockout_duration_s', sa.Integer(), nullable=False),
    sa.Column('kdf_memory_kib', sa.Integer(), nullable=False),
    sa.Column('kdf_iterations', sa.Integer(), nullable=False),
    sa.Column('kdf_lanes', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_settings'))
    )
    op.create_table('login_throttle',
    sa.Column('name_digest', sa.String(length=64), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name_digest', name=op.f('pk_login_throttle'))
    )
    op.add_column('meta', sa.Column('trust_anchor', sa.Text(), nullable=True))
    op.add_column('users', sa.Column('public_key', sa.LargeBinary(), nullable=True))
    op.add_column('users', sa.Column('certificate', sa.String(length=400), nullable=True))
    op.add_column('key_slots', sa.Column('signing_key', sa.LargeBinary(), nullable=True))
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): no table copy under foreign keys.
    for column in ('at', 'action', 'user_id'):
        op.drop_column('pending_auth_events', column)
    for column in ('failed_count', 'first_failed_at', 'locked_until'):
        op.drop_column('users', column)


def downgrade() -> None:
    op.drop_column('key_slots', 'signing_key')
    op.drop_column('users', 'certificate')
    op.drop_column('users', 'public_key')
    op.drop_column('meta', 'trust_anchor')
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('users', sa.Column('failed_count', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('pending_auth_events', sa.Column('user_id', sa.String(length=36), nullable=True))
    op.add_column('pending_auth_events', sa.Column('action', sa.String(length=48), nullable=False, server_default='login_failed'))
    op.add_column('pending_auth_events', sa.Column('at', sa.DateTime(timezone=True), nullable=False, server_default='1970-01-01 00:00:00'))
    op.drop_table('login_throttle')
    op.drop_table('security_settings')
