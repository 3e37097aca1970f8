"""Foundation and case tables, and the append-only guard on the audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 05:55:37.699367
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('at_us', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('details', sa.LargeBinary(), nullable=False),
    sa.Column('mac', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('case_counters',
    sa.Column('line', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('line', 'year', name=op.f('pk_case_counters'))
    )
    op.create_table('directory_entries',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('body', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('phones', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.String(length=200), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_entries'))
    )
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.create_index('ix_directory_body_area', ['body', 'province_code', 'ward_code'], unique=False)

    op.create_table('meta',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('db_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('key_version', sa.Integer(), nullable=False),
    sa.Column('sealing_public_key', sa.LargeBinary(), nullable=False),
    sa.Column('line', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meta'))
    )
    op.create_table('pending_auth_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_auth_events'))
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('line', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('protection_level', sa.String(length=16), nullable=False),
    sa.Column('setting', sa.String(length=24), nullable=True),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('immediate_danger', sa.Boolean(), nullable=False),
    sa.Column('narrative', sa.LargeBinary(), nullable=True),
    sa.Column('assigned_to', sa.String(length=36), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to'], ['users.id'], name=op.f('fk_cases_assigned_to_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_assigned_status', ['assigned_to', 'status'], unique=False)
        batch_op.create_index('ix_cases_opened_at', ['opened_at'], unique=False)
        batch_op.create_index('ix_cases_place', ['province_code', 'ward_code'], unique=False)
        batch_op.create_index('ix_cases_status_opened', ['status', 'opened_at'], unique=False)

    op.create_table('drafts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_drafts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafts_user_id'), ['user_id'], unique=False)

    op.create_table('key_slots',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('kdf', sa.Text(), nullable=True),
    sa.Column('nonce', sa.LargeBinary(), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('key_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_key_slots_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_slots')),
    sa.UniqueConstraint('user_id', name=op.f('uq_key_slots_user_id'))
    )
    op.create_table('case_concerns',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('concern', sa.String(length=48), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_concerns_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'concern', name=op.f('pk_case_concerns'))
    )
    with op.batch_alter_table('case_concerns', schema=None) as batch_op:
        batch_op.create_index('ix_case_concerns_concern', ['concern'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_notes_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notes_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notes_case_id'), ['case_id'], unique=False)

    op.create_table('children',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('age_basis', sa.String(length=16), nullable=False),
    sa.Column('sex', sa.String(length=16), nullable=False),
    sa.Column('ethnicity', sa.String(length=24), nullable=False),
    sa.Column('disability', sa.Boolean(), nullable=False),
    sa.Column('special_circumstances', sa.String(length=400), nullable=False),
    sa.Column('name', sa.LargeBinary(), nullable=True),
    sa.Column('address', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_children_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_case_id'), ['case_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('line', sa.String(length=16), nullable=False),
    sa.Column('contact_type', sa.String(length=24), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('counselling_topics', sa.String(length=400), nullable=False),
    sa.Column('caller_relationship', sa.String(length=24), nullable=True),
    sa.Column('caller_name', sa.LargeBinary(), nullable=True),
    sa.Column('caller_phone', sa.LargeBinary(), nullable=True),
    sa.Column('caller_phone_index', sa.String(length=64), nullable=True),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_contacts_case_id_cases')),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_contacts_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_contacts_operator_received', ['operator_id', 'received_at'], unique=False)
        batch_op.create_index('ix_contacts_phone_index', ['caller_phone_index', 'received_at'], unique=False)
        batch_op.create_index('ix_contacts_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_contacts_type_received', ['contact_type', 'received_at'], unique=False)

    op.create_table('perpetrators',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('relationship', sa.String(length=24), nullable=False),
    sa.Column('name', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_perpetrators_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_perpetrators'))
    )
    with op.batch_alter_table('perpetrators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_perpetrators_case_id'), ['case_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('body', sa.String(length=40), nullable=False),
    sa.Column('directory_entry_id', sa.String(length=80), nullable=True),
    sa.Column('province_code', sa.Integer(), nullable=True),
    sa.Column('ward_code', sa.Integer(), nullable=True),
    sa.Column('due_spec', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rule_ids', sa.String(length=400), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('added_by_operator', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('in_progress_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.LargeBinary(), nullable=True),
    sa.Column('outcome_note', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['directory_entry_id'], ['directory_entries.id'], name=op.f('fk_referrals_directory_entry_id_directory_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_body_status', ['body', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_referrals_status_due', ['status', 'due_at'], unique=False)

    _audit_append_only_up()


# DESIGN §4: the database refuses UPDATE and DELETE on the audit trail.
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
_PG_TRIGGERS = [
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
]


def _audit_append_only_up() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _PG_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)


def _audit_append_only_down() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")


def downgrade() -> None:
    _audit_append_only_down()
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_status_due')
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))
        batch_op.drop_index('ix_referrals_body_status')

    op.drop_table('referrals')
    with op.batch_alter_table('perpetrators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_perpetrators_case_id'))

    op.drop_table('perpetrators')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_type_received')
        batch_op.drop_index('ix_contacts_received_at')
        batch_op.drop_index('ix_contacts_phone_index')
        batch_op.drop_index('ix_contacts_operator_received')
        batch_op.drop_index('ix_contacts_case_id')

    op.drop_table('contacts')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_case_id'))

    op.drop_table('children')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notes_case_id'))

    op.drop_table('case_notes')
    with op.batch_alter_table('case_concerns', schema=None) as batch_op:
        batch_op.drop_index('ix_case_concerns_concern')

    op.drop_table('case_concerns')
    op.drop_table('key_slots')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafts_user_id'))

    op.drop_table('drafts')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_opened')
        batch_op.drop_index('ix_cases_place')
        batch_op.drop_index('ix_cases_opened_at')
        batch_op.drop_index('ix_cases_assigned_status')

    op.drop_table('cases')
    op.drop_table('users')
    op.drop_table('pending_auth_events')
    op.drop_table('meta')
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_directory_body_area')

    op.drop_table('directory_entries')
    op.drop_table('case_counters')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_entity')

    op.drop_table('audit_events')
