"""The data the law's rules read (issue 17): achievement periods, disciplines with dates, proceedings, raised
initiatives, a dossier's route

- award_records gains period_from, period_to (nullable). Existing records keep NULL: their hash was computed
  without a period and the chain must still verify; they read their award's default (awards/catalog/periods.py).
  Two nullable columns, no default, no index: a catalogue change on PostgreSQL, an ADD COLUMN on SQLite (the
  table keeps its full-text triggers: it is never rebuilt).
- disciplines: person_id becomes nullable and unit_id is added (a collective's discipline), with a CHECK that
  exactly one is set; ends_on (the end of the execution period) is added and filled for existing rows by the
  default of their level (12 months for reprimand and warning, 24 for dismissal = cách chức; Luật Cán bộ, công
  chức Art 82); the level's CHECK gains demotion and removal and is renamed ck_disciplines_level. Existing
  "dismissal" rows (then "Cách chức / buộc thôi việc") keep "dismissal", now labelled "Cách chức".
- initiatives gain recognised_on and supersedes_id (a wider recognition is a new row pointing at the earlier).
- proceedings: a new table (discipline review, investigation, complaint; open while closed_on is NULL).
- nominations gain route (nullable, CHECK of its values): NULL on existing dossiers, read as their kind's route.
  On PostgreSQL the CHECK is added NOT VALID then VALIDATEd (no write lock held through the scan).

Revision ID: ae9deb38da10
Revises: 5e1c2b7d9a40
Create Date: 2026-12-06 09:00:00.000000

"""
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'ae9deb38da10'
down_revision = '5e1c2b7d9a40'
branch_labels = None
depends_on = None

OLD_LEVELS = ("reprimand", "warning", "dismissal")
LEVELS = ("reprimand", "warning", "demotion", "dismissal", "removal")
MONTHS = {"reprimand": 12, "warning": 12, "demotion": 24, "dismissal": 24}
ROUTES = ("chain", "campaign", "adhoc", "contribution", "other")
KINDS = ("discipline_review", "investigation", "complaint")
ONE_SUBJECT = "(person_id IS NULL) <> (unit_id IS NULL)"


def _in(column, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _fill_discipline_ends() -> None:
    """Existing disciplines get the default end of their level (few rows: one UPDATE each)."""
    bind = op.get_bind()
    table = sa.table("disciplines", sa.column("id", sa.Integer), sa.column("level", sa.String),
                     sa.column("decided_on", sa.Date), sa.column("ends_on", sa.Date))
    rows = bind.execute(sa.select(table.c.id, table.c.level, table.c.decided_on)).all()
    for row_id, level, decided_on in rows:
        if level in MONTHS and decided_on is not None:
            if isinstance(decided_on, str):
                decided_on = date.fromisoformat(decided_on)
            bind.execute(table.update().where(table.c.id == row_id)
                         .values(ends_on=_months_later(decided_on, MONTHS[level])))


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column('award_records', sa.Column('period_from', sa.Integer(), nullable=True))
    op.add_column('award_records', sa.Column('period_to', sa.Integer(), nullable=True))

    with op.batch_alter_table('disciplines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_disciplines_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_disciplines_unit_id_units'), 'units', ['unit_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_disciplines_disciplinelevel'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_disciplines_level'), _in('level', LEVELS))
        batch_op.create_check_constraint(batch_op.f('ck_disciplines_one_subject'), ONE_SUBJECT)
    _fill_discipline_ends()

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recognised_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('supersedes_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_initiatives_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_initiatives_supersedes_id_initiatives'), 'initiatives',
                                    ['supersedes_id'], ['id'])

    op.create_table('proceedings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('closing_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(_in('kind', KINDS), name=op.f('ck_proceedings_kind')),
    sa.CheckConstraint(ONE_SUBJECT, name=op.f('ck_proceedings_one_subject')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proceedings_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_proceedings_person_id_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_proceedings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proceedings'))
    )
    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proceedings_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proceedings_unit_id'), ['unit_id'], unique=False)

    op.add_column('nominations', sa.Column('route', sa.String(length=12), nullable=True))
    if postgres:
        op.execute(f"ALTER TABLE nominations ADD CONSTRAINT ck_nominations_route CHECK ({_in('route', ROUTES)}) "
                   "NOT VALID")
        op.execute("ALTER TABLE nominations VALIDATE CONSTRAINT ck_nominations_route")
    else:
        with op.batch_alter_table('nominations', schema=None) as batch_op:
            batch_op.create_check_constraint(batch_op.f('ck_nominations_route'), _in('route', ROUTES))


def downgrade():
    # a collective's discipline and the new levels have no place in the old table: refused, not lost silently
    bind = op.get_bind()
    blocked = bind.execute(sa.text(f"SELECT count(*) FROM disciplines WHERE unit_id IS NOT NULL "
                                   f"OR NOT ({_in('level', OLD_LEVELS)})")).scalar()
    if blocked:
        raise RuntimeError(f"{blocked} disciplines are a collective's or of a level added by this revision "
                           "(demotion, removal): remove them first, nothing was changed")
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_nominations_route'), type_='check')
        batch_op.drop_column('route')

    with op.batch_alter_table('proceedings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proceedings_unit_id'))
        batch_op.drop_index(batch_op.f('ix_proceedings_person_id'))
    op.drop_table('proceedings')

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_initiatives_supersedes_id_initiatives'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_initiatives_supersedes_id'))
        batch_op.drop_column('supersedes_id')
        batch_op.drop_column('recognised_on')

    with op.batch_alter_table('disciplines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_disciplines_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_disciplines_level'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_disciplines_disciplinelevel'), _in('level', OLD_LEVELS))
        batch_op.drop_constraint(batch_op.f('fk_disciplines_unit_id_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_disciplines_unit_id'))
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('ends_on')
        batch_op.drop_column('unit_id')

    op.drop_column('award_records', 'period_to')
    op.drop_column('award_records', 'period_from')
