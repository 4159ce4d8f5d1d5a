"""Forwarding upward and the answer from outside (issue 18, CONTRACT §5)

Two dossier statuses: `forwarded` (sent to an authority outside the system, waiting for its answer) and
`not_awarded` (that authority refused); the CHECK constraints on nominations.status and nomination_events'
from_status and status take them. `nomination_events.handling_unit_id`: the level that took each step (the
dossier's handling unit then), filled for existing steps with the dossier's handling unit (every step so far was
taken at the only level a dossier had).

Revision ID: e2f4a6c8d0b1
Revises: b7e3a1c90d52
Create Date: 2026-12-09 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e2f4a6c8d0b1'
down_revision = 'b7e3a1c90d52'
branch_labels = None
depends_on = None

OLD = ("draft", "submitted", "returned", "appraised", "rejected", "in_council", "passed", "failed",
       "public_review", "awarded", "withdrawn")
NEW = OLD + ("forwarded", "not_awarded")
COLUMNS = {"nominations": ("status",), "nomination_events": ("from_status", "status")}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(values) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, columns in COLUMNS.items():
        if postgres:
            for column in columns:
                op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}")
                op.execute(f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column} CHECK ({_in(column, values)}) "
                           "NOT VALID")
                op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT ck_{table}_{column}")
        else:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for column in columns:
                    batch_op.drop_constraint(batch_op.f(f"ck_{table}_{column}"), type_="check")
                    batch_op.create_check_constraint(batch_op.f(f"ck_{table}_{column}"), _in(column, values))


def upgrade():
    with op.batch_alter_table('nomination_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handling_unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_nomination_events_handling_unit_id_units'), 'units',
                                    ['handling_unit_id'], ['id'])
    op.execute("UPDATE nomination_events SET handling_unit_id = (SELECT n.handling_unit_id FROM nominations n "
               "WHERE n.id = nomination_events.nomination_id)")
    _checks(NEW)


def downgrade():
    bind = op.get_bind()
    blocked = bind.execute(sa.text("SELECT count(*) FROM nominations WHERE status IN ('forwarded', 'not_awarded')")
                           ).scalar()
    if blocked:
        raise RuntimeError(f"{blocked} dossiers are forwarded or not awarded, statuses added by this revision: "
                           "record their outcome or remove them first, nothing was changed")
    bind.execute(sa.text("DELETE FROM nomination_events WHERE status IN ('forwarded', 'not_awarded') "
                         "OR from_status IN ('forwarded', 'not_awarded')"))
    _checks(OLD)
    with op.batch_alter_table('nomination_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nomination_events_handling_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('handling_unit_id')
