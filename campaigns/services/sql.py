"""Single statements the ORM has no word for, used on the hot write paths."""

from __future__ import annotations

from django.db import connections, models
from django.db.models.sql import InsertQuery


def insert_unless_conflict(obj: models.Model, *, using: str = "default") -> bool:
    """INSERT `obj`, or nothing if that would break a unique constraint; True if it was inserted (its pk set).

    One statement (`INSERT ... ON CONFLICT DO NOTHING RETURNING id`, on PostgreSQL and SQLite alike), so a
    duplicate is found by the constraint itself rather than by a read before and a savepoint around the
    insert. A twin transaction inserting the same key makes this one wait until it commits (then False)
    or rolls back (then this one inserts). Other errors (check constraints, foreign keys) raise as usual.
    """
    opts = obj._meta
    fields = [f for f in opts.concrete_fields if not f.generated and not (f.primary_key and obj.pk is None)]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [opts.pk]
    [(sql, params)] = compiler.as_sql()
    returning = " RETURNING "
    if returning not in sql:
        raise NotImplementedError(f"{connections[using].vendor} cannot return the id of an insert")
    sql = sql.replace(returning, " ON CONFLICT DO NOTHING" + returning, 1)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding, obj._state.db = False, using
    return True
