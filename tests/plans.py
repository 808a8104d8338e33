"""Query plans, for the tests that hold the indexes to their queries."""

from django.db import connection


def explain(sql, params) -> str:
    """The query plan of `sql`, as text, on SQLite or PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
