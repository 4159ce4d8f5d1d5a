"""Awarding units and their competence; a dossier's handling unit (issue 18, CONTRACT §5)

`units.decides_awards` (đơn vị có thẩm quyền): false, except a unit with no parent, which decides — as before,
when one secretariat at the top handled everything. `unit_competences` is each deciding unit's table of award codes
it decides itself: the top units start with the defaults of Law 06/2022 Art 80.1 (LĐTT, CSTĐCS, TTLĐTT, Giấy khen;
units.competence). `nominations.handling_unit_id`: the awarding unit whose secretariat handles the dossier now,
filled for existing dossiers with the top of their unit's tree (the only deciding units after this migration).
`decisions.unit_id`: the awarding unit that issued a decision (None on earlier decisions).

Revision ID: b7e3a1c90d52
Revises: c4d19e7a2b61
Create Date: 2026-12-08 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e3a1c90d52'
down_revision = 'c4d19e7a2b61'
branch_labels = None
depends_on = None

DEFAULTS = ("CSTDCS", "GIAY_KHEN", "LDTT", "TTLDTT")  # Law 06/2022 Art 80.1 (units.competence.UNIT_DEFAULTS)


def upgrade():
    op.add_column('units', sa.Column('decides_awards', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('unit_competences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('award_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_competences_unit_id_units'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_competences')),
    sa.UniqueConstraint('unit_id', 'award_code', name=op.f('uq_unit_competences_unit_id'))
    )
    with op.batch_alter_table('unit_competences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_competences_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handling_unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_nominations_handling_unit_id_units'), 'units',
                                    ['handling_unit_id'], ['id'])
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decisions_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_decisions_unit_id_units'), 'units', ['unit_id'], ['id'])

    bind = op.get_bind()
    units = sa.table('units', sa.column('id', sa.Integer), sa.column('parent_id', sa.Integer),
                     sa.column('decides_awards', sa.Boolean))
    competences = sa.table('unit_competences', sa.column('unit_id', sa.Integer), sa.column('award_code', sa.String))
    nominations = sa.table('nominations', sa.column('id', sa.Integer), sa.column('unit_id', sa.Integer),
                           sa.column('handling_unit_id', sa.Integer))
    bind.execute(units.update().where(units.c.parent_id.is_(None)).values(decides_awards=True))
    parents = dict(bind.execute(sa.select(units.c.id, units.c.parent_id)).all())
    roots = [unit_id for unit_id, parent_id in parents.items() if parent_id is None]
    if roots:
        bind.execute(competences.insert(), [{"unit_id": r, "award_code": c} for r in roots for c in DEFAULTS])

    def root(unit_id):
        seen = set()
        while parents.get(unit_id) is not None and unit_id not in seen:
            seen.add(unit_id)
            unit_id = parents[unit_id]
        return unit_id

    by_root: dict[int, list[int]] = {}
    for unit_id in parents:
        by_root.setdefault(root(unit_id), []).append(unit_id)
    for top, members in by_root.items():
        for start in range(0, len(members), 500):
            bind.execute(nominations.update().where(nominations.c.unit_id.in_(members[start:start + 500]))
                         .values(handling_unit_id=top))
    with op.get_context().autocommit_block():  # CONCURRENTLY runs outside a transaction (SQLite ignores it)
        op.create_index('ix_nominations_handling_unit_id', 'nominations', ['handling_unit_id'], unique=False,
                        postgresql_concurrently=True, if_not_exists=True)


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_unit_id_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decisions_unit_id'))
        batch_op.drop_column('unit_id')
    with op.get_context().autocommit_block():
        op.drop_index('ix_nominations_handling_unit_id', table_name='nominations', postgresql_concurrently=True,
                      if_exists=True)
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_nominations_handling_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('handling_unit_id')
    with op.batch_alter_table('unit_competences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_competences_unit_id'))
    op.drop_table('unit_competences')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('decides_awards')
