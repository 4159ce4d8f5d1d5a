"""Secret ballots sealed to a key pair per session, counted only at the close (issue 23, finding 1)

Two new tables: `ballot_keys` (a session's public key and its wrapped private key, while voting is open) and
`sealed_ballots` (one row per ballot: a random key and a sealed box; WITHOUT ROWID on SQLite). The ballots no
longer add to `session_items.yes/no/blank` one by one; those counters are written once at the close. Closed
sessions keep their counters and their receipts as they are: nothing of them changes.

A session that is *open* when this runs is refused, with its id: its ballots so far were counted the old way,
one counter update per ballot (what the finding reads back from the WAL), and it has no key to seal the rest
to. Counting half of a session one way and half the other would keep the old leak for that session and add a
second code path for one upgrade; making a key here would need SECRET_KEY inside a migration. So: close the
session (or wait for it to close), then upgrade. Draft sessions are unaffected: they get their key when they open.

Both tables are new here (empty): no rule of tests/deploy/test_migration_safety.py applies.

Revision ID: 0334742d5ac3
Revises: a7c3e9d1f2b4
Create Date: 2026-12-05 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0334742d5ac3'
down_revision = 'a7c3e9d1f2b4'
branch_labels = None
depends_on = None


def _refuse_open_sessions():
    open_ids = [row[0] for row in op.get_bind().execute(
        sa.text("SELECT id FROM council_sessions WHERE status = 'open' ORDER BY id"))]
    if open_ids:
        raise RuntimeError(
            f"council sessions {open_ids} are open: their ballots so far were counted one by one, the old way. "
            "Close them (or wait until they close), then run the upgrade again. Nothing was changed.")


def upgrade():
    _refuse_open_sessions()
    op.create_table('ballot_keys',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('wrapped_private_key', sa.LargeBinary(length=80), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_ballot_keys_session_id_council_sessions')),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_ballot_keys'))
    )
    op.create_table('sealed_ballots',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('box', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_sealed_ballots_session_id_council_sessions')),
    sa.PrimaryKeyConstraint('session_id', 'id', name=op.f('pk_sealed_ballots')),
    sqlite_with_rowid=False
    )


def downgrade():
    # an open session's sealed ballots cannot be turned back into per-ballot counters without its key: refused too
    _refuse_open_sessions()
    op.drop_table('sealed_ballots')
    op.drop_table('ballot_keys')
