"""Every status, state and kind column accepts only its enum's values: one CHECK constraint each (issue 20)

The values are the ones the models' LabelledEnums declare (awards/*/models.py, awards/core/states.py); they are
written out here because migrations never import the app. Existing rows are checked first: a value outside its
list stops the upgrade with the table, column and values to correct, and nothing is changed.

PostgreSQL adds each constraint NOT VALID (a brief lock, no scan) and then VALIDATEs it, which scans without
blocking writes: safe on a populated database while other instances keep serving. SQLite cannot add a constraint
to a table, so batch mode rebuilds these tables (none of them carries a trigger or a full-text index: the archive's
award_records, which does, is left alone).

Revision ID: a7c3e9d1f2b4
Revises: fb30c494b102
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f2b4'
down_revision = 'fb30c494b102'
branch_labels = None
depends_on = None

NOMINATION_STATUS = ("draft", "submitted", "returned", "appraised", "rejected", "in_council", "passed", "failed",
                     "public_review", "awarded", "withdrawn")
SUBJECT_TYPE = ("person", "unit")
MEMBER_ROLE = ("chair", "vice_chair", "member", "secretary")
JOB_STATUS = ("queued", "running", "done", "failed")
STAGE = ("discovered", "nurtured", "summarised", "replicated")

# table → column → allowed values; the constraint is named ck_<table>_<column> (awards/core/db.py convention)
CHECKS = {
    "nominations": {"status": NOMINATION_STATUS, "kind": ("regular", "adhoc", "thematic"),
                    "subject_type": SUBJECT_TYPE},
    "nomination_attachments": {"kind": ("proposal", "report", "minutes", "evidence", "other")},
    "nomination_events": {"from_status": NOMINATION_STATUS, "status": NOMINATION_STATUS},
    "council_members": {"role": MEMBER_ROLE},
    "council_sessions": {"status": ("draft", "open", "closed")},
    "session_items": {"ballot": ("secret", "open")},
    "session_members": {"role": MEMBER_ROLE},
    "open_votes": {"choice": ("yes", "no", "blank")},
    "feedback": {"status": ("open", "resolved"), "outcome": ("dismissed", "upheld"),
                 "action": ("none", "return", "reject")},
    "campaigns": {"kind": ("regular", "thematic"), "status": ("draft", "launched", "closed")},
    "campaign_reviews": {"kind": ("midterm", "final")},
    "advanced_examples": {"subject_type": SUBJECT_TYPE, "stage": STAGE},
    "advanced_example_stages": {"stage": STAGE},
    "report_exports": {"kind": ("annual", "half_year", "statistics"), "status": JOB_STATUS},
    "archive_imports": {"status": JOB_STATUS},
    "notifications": {"email_status": ("pending", "sent", "failed", "none")},
}


def _condition(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _refuse_unknown_values() -> None:
    """Stop before changing anything if a row holds a value the new constraint would refuse."""
    bind = op.get_bind()
    wrong = []
    for table, columns in CHECKS.items():
        for column, values in columns.items():
            found = bind.execute(sa.text(f"SELECT DISTINCT {column} FROM {table} "
                                         f"WHERE {column} IS NOT NULL AND NOT ({_condition(column, values)})"))
            wrong += [f"{table}.{column} = {row[0]!r}" for row in found]
    if wrong:
        raise RuntimeError("Cannot add the status CHECK constraints: correct or remove these rows first "
                           "(allowed values in this migration's CHECKS): " + "; ".join(wrong))


def upgrade():
    _refuse_unknown_values()
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in CHECKS.items():
            for column, values in columns.items():
                op.execute(f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column} "
                           f"CHECK ({_condition(column, values)}) NOT VALID")
        for table, columns in CHECKS.items():
            for column in columns:
                op.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT ck_{table}_{column}")
        return
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(batch_op.f(f"ck_{table}_{column}"), _condition(column, values))


def downgrade():
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(batch_op.f(f"ck_{table}_{column}"), type_="check")
