"""Reads at national scale on realistic data (issue 23 item 3): two indexes.

- contacts(caller_phone_index, contact_type): the repeat-caller lookup counts a caller's silent
  calls; for a habitual caller (4,825 contacts at 1 M) that read every one of the caller's
  rows, now it counts index entries of one (phone, type) range;
- referrals(due_at) for unmet referrals only (pending, or sent and not yet acknowledged): the
  queue's overdue band and its "due within the hour" band walk these alone, where the open
  referrals' index passed 6,783 acknowledged or in-progress referrals past their deadline
  (they are not overdue: the body has answered) before the first overdue one.

Each new index gets its planner statistics (SQLite: ``ANALYZE`` of that index alone).

Revision ID: 0023
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0019'
branch_labels = None
depends_on = None

UNMET_REFERRAL = sa.text("status IN ('pending', 'sent')")


def upgrade() -> None:
    op.create_index('ix_contacts_phone_type', 'contacts', ['caller_phone_index', 'contact_type'])
    op.create_index('ix_referrals_unmet_due', 'referrals', ['due_at'],
                    sqlite_where=UNMET_REFERRAL, postgresql_where=UNMET_REFERRAL)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE ix_contacts_phone_type')
        op.execute('ANALYZE ix_referrals_unmet_due')
    else:
        op.execute('ANALYZE contacts')
        op.execute('ANALYZE referrals')


def downgrade() -> None:
    op.drop_index('ix_referrals_unmet_due', table_name='referrals')
    op.drop_index('ix_contacts_phone_type', table_name='contacts')
