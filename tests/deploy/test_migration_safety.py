"""Migrations safe on a populated PostgreSQL, checked statically over migrations/versions/*.py (docs/DEPLOY.md
§Upgrading). A table that exists before a revision may hold a province's data, and several instances keep serving
during the upgrade; so, in `upgrade()`, on a table created by an *earlier* revision:

1. `add_column` NOT NULL needs a `server_default` (otherwise it fails on the first existing row);
2. an index on a large table is built CONCURRENTLY (`postgresql_concurrently=True` inside
   `op.get_context().autocommit_block()`, or raw `CREATE INDEX CONCURRENTLY`): a plain CREATE INDEX blocks
   every write to the table for as long as it takes (minutes at a million archive records);
3. no column type change or new NOT NULL on a large table (a rewrite or full scan under an exclusive lock):
   add a new column, backfill in batches, switch over in a later release;
4. no renaming of tables or columns: instances still running the previous release query the old name during
   a rolling upgrade (expand, migrate, contract over two releases instead).

Tables created in the same revision are empty then: anything goes. ALLOWED lists the existing revisions that
break a rule, each with why it was safe when it ran.
"""

import ast
import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"

# tables that grow with the province (DESIGN §5): ~1 M archive records, 100 k people, 30 k dossiers a year…
LARGE = {"award_records", "people", "nominations", "nomination_attachments", "nomination_events", "uploads",
         "audit_entries", "notifications", "person_evaluations", "decision_items", "session_items",
         "ballot_receipts", "feedback", "registration_entries"}

# revision → why its rule-breaking operations were safe when it ran
ALLOWED = {
    "b4613dbbc8b1": "benchmark indexes on award_records and decision_items, plain CREATE INDEX: released with the "
                    "tables before any deployment held data (every database then was created empty or by bench/)",
}

RAW_INDEX = re.compile(r"CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)(IF\s+NOT\s+EXISTS\s+)?\S+\s+ON\s+(\w+)", re.I)
RAW_NOT_NULL_COLUMN = re.compile(r"ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(?![^;]*DEFAULT)[^;]*NOT\s+NULL", re.I)


def _const(node):
    return node.value if isinstance(node, ast.Constant) else None


def _kw(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


class Upgrade(ast.NodeVisitor):
    """The operations of one revision's upgrade(): (operation, table, call) with batch tables resolved."""

    def __init__(self):
        self.operations: list[tuple[str, str | None, ast.Call]] = []
        self.batches: dict[str, str] = {}

    def visit_With(self, node):
        for item in node.items:
            call = item.context_expr
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "batch_alter_table" and item.optional_vars is not None):
                self.batches[item.optional_vars.id] = _const(call.args[0])
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner, name = func.value.id, func.attr
            if owner == "op":
                table = _table_argument(name, node)
                self.operations.append((name, table, node))
            elif owner in self.batches:
                self.operations.append((name, self.batches[owner], node))
        self.generic_visit(node)


def _table_argument(name: str, call: ast.Call) -> str | None:
    position = {"create_index": 1, "drop_index": None}.get(name, 0)
    if position is None or len(call.args) <= position:
        return _const(_kw(call, "table_name")) if _kw(call, "table_name") is not None else None
    return _const(call.args[position])


def revisions() -> list[tuple[str, ast.Module, str]]:
    """Every revision file in upgrade order: (revision, module, source)."""
    found = {}
    for path in VERSIONS.glob("*.py"):
        source = path.read_text()
        module = ast.parse(source)
        values = {t.id: _const(n.value) for n in module.body if isinstance(n, ast.Assign)
                  for t in n.targets if isinstance(t, ast.Name)}
        found[values["revision"]] = (values["down_revision"], module, source)
    order, current = [], None
    while len(order) < len(found):
        following = [rev for rev, (down, _m, _s) in found.items() if down == current]
        assert len(following) == 1, f"not one linear history after {current}: {following}"
        current = following[0]
        order.append((current, found[current][1], found[current][2]))
    return order


def _upgrade_body(module: ast.Module) -> ast.FunctionDef:
    return next(n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade")


def problems(revision: str, module: ast.Module, existing: set[str]) -> list[str]:
    """What in this revision's upgrade() could lock or break a populated database (the rules above)."""
    visitor = Upgrade()
    visitor.visit(_upgrade_body(module))
    found = []
    for name, table, call in visitor.operations:
        old, large = table in existing, table in existing and table in LARGE
        if name == "add_column" and old:
            column = call.args[-1] if call.args else None
            if (isinstance(column, ast.Call) and _kw(column, "nullable") is not None
                    and _const(_kw(column, "nullable")) is False and _kw(column, "server_default") is None):
                found.append(f"{revision}: add_column NOT NULL without server_default on {table}")
        elif name == "create_index" and large and not _is_true(_kw(call, "postgresql_concurrently")):
            found.append(f"{revision}: create_index on {table} without postgresql_concurrently=True")
        elif name == "alter_column" and large and (_kw(call, "type_") is not None
                                                   or _const(_kw(call, "nullable")) is False):
            found.append(f"{revision}: alter_column type or NOT NULL on large table {table}")
        elif name in ("rename_table",) or (name == "alter_column" and _kw(call, "new_column_name") is not None):
            found.append(f"{revision}: {name} renames on {table}: old instances still use the old name")
        elif name == "execute" and call.args:
            sql = _const(call.args[0]) or ""
            for match in RAW_INDEX.finditer(sql):
                if match.group(3) in existing and match.group(3) in LARGE:
                    found.append(f"{revision}: CREATE INDEX without CONCURRENTLY on {match.group(3)}")
            for match in RAW_NOT_NULL_COLUMN.finditer(sql):
                if match.group(1) in existing:
                    found.append(f"{revision}: ADD COLUMN NOT NULL without DEFAULT on {match.group(1)}")
    return found


def created_tables(module: ast.Module) -> set[str]:
    visitor = Upgrade()
    visitor.visit(_upgrade_body(module))
    return {table for name, table, _call in visitor.operations if name == "create_table" and table}


def check_all() -> dict[str, list[str]]:
    existing: set[str] = set()
    report = {}
    for revision, module, _source in revisions():
        report[revision] = problems(revision, module, existing)
        existing |= created_tables(module)
    return report


def test_migrations_are_safe_on_a_populated_database():
    report = check_all()
    unsafe = [p for revision, found in report.items() if revision not in ALLOWED for p in found]
    assert unsafe == [], "unsafe on a populated PostgreSQL (see this file's docstring and docs/DEPLOY.md):\n" + \
        "\n".join(unsafe)
    stale = [revision for revision in ALLOWED if not report.get(revision)]
    assert stale == [], f"ALLOWED lists revisions that need no exception: {stale}"


def _check(source: str, existing=("award_records", "units")) -> list[str]:
    return problems("new", ast.parse(source), set(existing))


def test_the_checker_catches_what_it_should():
    assert _check("def upgrade():\n    op.add_column('units', sa.Column('x', sa.Integer(), nullable=False))") == [
        "new: add_column NOT NULL without server_default on units"]
    assert _check("def upgrade():\n    op.add_column('units', sa.Column('x', sa.Integer(), nullable=False, "
                  "server_default='0'))\n    op.add_column('units', sa.Column('y', sa.Integer(), nullable=True))") == []
    assert _check("def upgrade():\n    with op.batch_alter_table('award_records') as b:\n"
                  "        b.create_index('ix', ['year'])") == [
        "new: create_index on award_records without postgresql_concurrently=True"]
    assert _check("def upgrade():\n    with op.get_context().autocommit_block():\n"
                  "        op.create_index('ix', 'award_records', ['year'], postgresql_concurrently=True)") == []
    assert _check("def upgrade():\n    op.create_index('ix', 'units', ['name'])") == []  # small table
    assert _check("def upgrade():\n    op.create_table('t')\n    op.create_index('ix', 't', ['a'])") == []
    assert _check("def upgrade():\n    op.execute('CREATE INDEX ix ON award_records (year)')") == [
        "new: CREATE INDEX without CONCURRENTLY on award_records"]
    assert _check("def upgrade():\n    op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON award_records "
                  "USING gin (name_folded gin_trgm_ops)')") == []
    assert _check("def upgrade():\n    op.alter_column('award_records', 'year', type_=sa.BigInteger())") == [
        "new: alter_column type or NOT NULL on large table award_records"]
    assert _check("def upgrade():\n    op.alter_column('units', 'name', new_column_name='title')") == [
        "new: alter_column renames on units: old instances still use the old name"]
