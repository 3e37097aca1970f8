"""Each line has an identity; the directory knows other lines; the child's personal
identification number (issue 24 items 1, 2 and 6).

- line_identity: one row (id "line"): the line's code (2-8 capitals or digits) and name, its
  Ed25519 and X25519 public keys, the self-signature of its public card, and the two private
  keys: ``private_keys`` a field blob under the data key (re-encrypted by a key rotation),
  ``sealed_keys`` sealed to the database's sealing key. A database made before this migration
  keeps the line it has (``meta.line`` when it is a valid code, else "111") and gets its keys
  here, sealed, since no data key is at hand; the first login wraps them as a field.
- line_cards: partner lines' cards, each pinned to a directory entry once the fingerprint read
  out of band matched; ``retired_at`` set when a card is withdrawn (kept for history).
- child_pins: a child's personal identification number (mã định danh cá nhân), a field blob,
  and its blind index for matching; keyed by the id of the child of a case or of a contact.

Revision ID: 0018
Revises: 0015
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from caseintake.crypto.line_identity import (
    CODE_PATTERN,
    DEFAULT_CODE,
    DEFAULT_NAME,
    LineKeys,
    make_card,
    seal_keys,
)


revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('line_identity',
    sa.Column('id', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sign_public', sa.LargeBinary(), nullable=False),
    sa.Column('hpke_public', sa.LargeBinary(), nullable=False),
    sa.Column('card_signature', sa.LargeBinary(), nullable=False),
    sa.Column('private_keys', sa.LargeBinary(), nullable=True),
    sa.Column('sealed_keys', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_identity'))
    )
    op.create_table('line_cards',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('directory_id', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sign_public', sa.LargeBinary(), nullable=False),
    sa.Column('hpke_public', sa.LargeBinary(), nullable=False),
    sa.Column('card', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_cards'))
    )
    op.create_index(op.f('ix_line_cards_directory_id'), 'line_cards', ['directory_id'])
    op.create_index(op.f('ix_line_cards_sign_public'), 'line_cards', ['sign_public'])
    op.create_table('child_pins',
    sa.Column('child_id', sa.String(length=36), nullable=False),
    sa.Column('pin', sa.LargeBinary(), nullable=False),
    sa.Column('pin_index', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('child_id', name=op.f('pk_child_pins'))
    )
    op.create_index(op.f('ix_child_pins_pin_index'), 'child_pins', ['pin_index'])
    _identity_for_existing_database()


def _identity_for_existing_database() -> None:
    conn = op.get_bind()
    meta = conn.execute(sa.text('SELECT db_id, sealing_public_key, line FROM meta WHERE id = 1')).first()
    if meta is None:
        return  # a database being made: ``init`` gives it its line
    code = meta.line if isinstance(meta.line, str) and CODE_PATTERN.fullmatch(meta.line) else DEFAULT_CODE
    name = DEFAULT_NAME if code == DEFAULT_CODE else f'{code}'
    keys = LineKeys.generate()
    now = datetime.now(UTC)
    card = make_card(code, name, keys)
    conn.execute(
        sa.text(
            'INSERT INTO line_identity (id, code, name, sign_public, hpke_public, card_signature, '
            'private_keys, sealed_keys, created_at) VALUES (:id, :code, :name, :sp, :hp, :sig, '
            'NULL, :sealed, :at)'
        ).bindparams(sa.bindparam('at', type_=sa.DateTime(timezone=True))),
        {
            'id': 'line', 'code': code, 'name': name, 'sp': card.sign_public,
            'hp': card.hpke_public, 'sig': card.signature,
            'sealed': seal_keys(bytes(meta.sealing_public_key), keys, meta.db_id),
            'at': now if conn.dialect.name != 'sqlite' else now.replace(tzinfo=None),
        },
    )
    conn.execute(sa.text('UPDATE meta SET line = :code WHERE id = 1'), {'code': code})


def downgrade() -> None:
    op.drop_index(op.f('ix_child_pins_pin_index'), table_name='child_pins')
    op.drop_table('child_pins')
    op.drop_index(op.f('ix_line_cards_sign_public'), table_name='line_cards')
    op.drop_index(op.f('ix_line_cards_directory_id'), table_name='line_cards')
    op.drop_table('line_cards')
    op.drop_table('line_identity')
