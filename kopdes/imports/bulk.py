"""The bulk write path of the members import: one `executemany` of `INSERT ... ON CONFLICT DO UPDATE` through the
Django connection (SQLite ≥ 3.24 and PostgreSQL). Django's `bulk_create` costs several times more per row for a
100,000-row file. Only new and changed rows are sent; the caller holds the transaction."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import connection

from kopdes.cooperatives.models import Member

# The member's columns an import overwrites on a row it already holds (same NIK), besides the name; the sex and birth
# date stay as first written.
_CHANGEABLE = ("dusun", "rt", "join_date", "simpanan_pokok", "simpanan_wajib", "status", "left_date")
COLUMNS = ("cooperative_id", "nik", "sex", "birth_date", "name", *_CHANGEABLE, "source", "created_at", "updated_at")
UPDATED = ("name", *_CHANGEABLE, "source")
ROWS_PER_STATEMENT = 100  # 1,500 parameters: below SQLite's and PostgreSQL's limits


def upsert_members(*, cooperative_id: int, rows: list[tuple], source: str, at: datetime) -> int:
    """Write `rows` (nik, sex, birth_date, name, dusun, rt, join_date, simpanan_pokok, simpanan_wajib, status,
    left_date) of one cooperative: new NIKs inserted, known NIKs updated (created_at kept). Returns the row count."""
    ops = connection.ops
    adapt_date = ops.adapt_datefield_value
    adapt_money = ops.adapt_decimalfield_value
    # The cooperative and the time are the same for every row: written into the statement as literals (an integer
    # and a timestamp made here, never user input), so the driver adapts 12 values per row instead of 15.
    stamp = str(ops.adapt_datetimefield_value(at))
    if not re.fullmatch(r"[0-9 :.+\-T]+", stamp):
        raise ValueError("unexpected timestamp literal")
    constants = {"cooperative_id": str(int(cooperative_id)), "created_at": f"'{stamp}'", "updated_at": f"'{stamp}'"}
    params = [
        (
            nik,
            sex,
            adapt_date(born),
            name,
            dusun,
            rt,
            adapt_date(joined) if joined else None,
            adapt_money(pokok, 14, 2),
            adapt_money(wajib, 14, 2),
            status,
            adapt_date(left) if left else None,
            source,
        )
        for nik, sex, born, name, dusun, rt, joined, pokok, wajib, status, left in rows
    ]
    with connection.cursor() as cursor:
        # Many rows per statement (ROWS_PER_STATEMENT): a round trip per row is what makes PostgreSQL slow.
        whole = len(params) - len(params) % ROWS_PER_STATEMENT
        if whole:
            groups = [
                [value for row in params[start : start + ROWS_PER_STATEMENT] for value in row]
                for start in range(0, whole, ROWS_PER_STATEMENT)
            ]
            cursor.executemany(_statement(ROWS_PER_STATEMENT, constants), groups)
        if whole < len(params):
            cursor.executemany(_statement(1, constants), params[whole:])
    return len(params)


def _statement(rows: int, constants: dict[str, str]) -> str:
    quote = connection.ops.quote_name
    one = f"({', '.join(constants.get(c, '%s') for c in COLUMNS)})"
    return (
        f"INSERT INTO {quote(Member._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) "
        f"VALUES {', '.join([one] * rows)} "
        f"ON CONFLICT ({quote('cooperative_id')}, {quote('nik')}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in (*UPDATED, "updated_at"))
    )
