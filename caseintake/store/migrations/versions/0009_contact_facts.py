"""What a contact without a case tells (issue 19 item 2): a counselling or information call
keeps the child (age, sex, ethnicity, disability, circumstances; name and address encrypted),
the place, the setting, the concerns and immediate danger that the form offers for it.

- contacts.setting / province_code / ward_code / concerns / immediate_danger: coded, plain,
  so statistics count them in SQL; a call linked to a case keeps these on the case.
- contact_children: one row a child of such a call; name and address encrypted.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setting', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('province_code', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ward_code', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('concerns', sa.String(length=400), server_default='', nullable=False))
        batch_op.add_column(sa.Column('immediate_danger', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('contact_children',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('age_basis', sa.String(length=16), nullable=False),
    sa.Column('sex', sa.String(length=16), nullable=False),
    sa.Column('ethnicity', sa.String(length=24), nullable=False),
    sa.Column('disability', sa.Boolean(), nullable=False),
    sa.Column('special_circumstances', sa.String(length=400), nullable=False),
    sa.Column('name', sa.LargeBinary(), nullable=True),
    sa.Column('address', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_children_contact_id_contacts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_children'))
    )
    with op.batch_alter_table('contact_children', schema=None) as batch_op:
        batch_op.create_index('ix_contact_children_contact_id', ['contact_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contact_children', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_children_contact_id')
    op.drop_table('contact_children')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('immediate_danger')
        batch_op.drop_column('concerns')
        batch_op.drop_column('ward_code')
        batch_op.drop_column('province_code')
        batch_op.drop_column('setting')
