"""Scale (issue 11 item 3): the indexes every screen's query needs at 5 M contacts, and fresh
planner statistics.

- cases(assigned_to, opened_at) for open cases only: the home's "my open cases";
- cases(opened_at, id) instead of (opened_at): the case list pages by (opened_at, id) keyset;
- referrals(due_at) for open referrals only: the supervisor queue by deadline;
- contacts(received_at, contact_type) instead of (received_at): statistics count by type within
  a period date-first, from the index alone.

ANALYZE runs at the end so the planner knows a case has few referrals (without statistics it
scanned every open referral to find the deadlines of 18 cases).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OPEN_CASE = sa.text("status != 'closed'")
OPEN_REFERRAL = sa.text("status IN ('pending', 'sent', 'acknowledged', 'in_progress')")


def upgrade() -> None:
    op.create_index('ix_cases_open_assigned', 'cases', ['assigned_to', 'opened_at'],
                    sqlite_where=OPEN_CASE, postgresql_where=OPEN_CASE)
    op.drop_index('ix_cases_opened_at', table_name='cases')
    op.create_index('ix_cases_opened_id', 'cases', ['opened_at', 'id'])
    op.create_index('ix_referrals_open_due', 'referrals', ['due_at'],
                    sqlite_where=OPEN_REFERRAL, postgresql_where=OPEN_REFERRAL)
    op.drop_index('ix_contacts_received_at', table_name='contacts')
    op.create_index('ix_contacts_received_type', 'contacts', ['received_at', 'contact_type'])
    op.execute('ANALYZE')


def downgrade() -> None:
    op.drop_index('ix_contacts_received_type', table_name='contacts')
    op.create_index('ix_contacts_received_at', 'contacts', ['received_at'])
    op.drop_index('ix_referrals_open_due', table_name='referrals')
    op.drop_index('ix_cases_opened_id', table_name='cases')
    op.create_index('ix_cases_opened_at', 'cases', ['opened_at'])
    op.drop_index('ix_cases_open_assigned', table_name='cases')
