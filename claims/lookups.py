"""Lookups the admin's search needs and Django does not ship."""
from django.db.models import Lookup


class ILikeContains(Lookup):
    """`column ILIKE '%value%'`, case-insensitive substring match.

    Django's `icontains` writes `UPPER(column) LIKE UPPER(...)` on PostgreSQL, which a
    pg_trgm GIN index on the bare column cannot serve; ILIKE can.
    """

    lookup_name = "ilike_contains"

    def get_db_prep_lookup(self, value, connection):
        return "%s", [f"%{connection.ops.prep_for_like_query(value)}%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        # SQLite's LIKE is already case-insensitive (for ASCII) and has no ILIKE.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]
