"""The scope filter is an index range on the region code, never LIKE."""

import pytest
from django.db import connection

from kopdes.accounts.scope import visible_regions
from kopdes.conftest import PASER
from kopdes.regions.models import Region

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")


def query_plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


def assert_uses_index(plan: list[str], code_range: bool = True) -> None:
    lines = [line for line in plan if "regions_region" in line]
    assert lines, plan
    assert any("USING INDEX" in line or "USING COVERING INDEX" in line for line in lines), plan
    assert not any(line.startswith("SCAN regions_region") and "USING" not in line for line in lines), plan
    if code_range:
        # the code index is searched by a range, not walked from end to end
        assert any(line.startswith("SEARCH regions_region") and "code>?" in line for line in lines), plan


def assert_no_like(queryset) -> None:
    sql = str(queryset.query).upper()
    assert " LIKE " not in sql, sql
    assert "GLOB" not in sql, sql


@on_sqlite
def test_subtree_searches_the_code_index(paser):
    assert_uses_index(query_plan(Region.objects.subtree(PASER)))


@on_sqlite
def test_visible_to_camat_searches_the_code_index(camat_batu_sopang):
    assert_uses_index(query_plan(visible_regions(camat_batu_sopang)))


@on_sqlite
def test_visible_villages_of_a_two_kecamatan_pendamping_search_the_code_index(pendamping):
    from kopdes.accounts.services import assign_role

    assign_role(actor=None, user=pendamping, role="pendamping", region=Region.objects.get(code="64.01.01"))

    # SQLite may pick the (level, code) index by level here; what matters is that no table scan is left
    assert_uses_index(query_plan(visible_regions(pendamping).villages().active()), code_range=False)


def test_subtree_sql_has_no_like(paser):
    assert_no_like(Region.objects.subtree(PASER))


@pytest.mark.parametrize("fixture", ["camat_batu_sopang", "operator_janju", "admin_dinas"])
def test_visible_to_sql_has_no_like(request, fixture):
    assert_no_like(visible_regions(request.getfixturevalue(fixture)))


def test_database_orders_codes_so_that_a_subtree_lies_between_dot_and_slash(paser):
    # The ranges need byte order on code columns. A PostgreSQL database created with a linguistic collation (glibc
    # en_US.UTF-8 ignores punctuation when comparing) returns nothing here: use LC_COLLATE "C" or db_collation="C".
    below = set(Region.objects.subtree("64.01.01", include_self=False).values_list("code", flat=True))
    expected = {code for code in Region.objects.values_list("code", flat=True) if code.startswith("64.01.01.")}

    assert len(expected) == 9
    assert below == expected, f"the database collation breaks code ranges on {connection.vendor}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares text byte by byte (BINARY) already")
@pytest.mark.django_db
def test_every_region_code_column_compares_bytes_on_postgresql():
    # A new app's code column without use_c_collation (kopdes/regions/collation.py) would break scope ranges on
    # databases created with a linguistic collation; the CI database may not be one, so check the columns themselves.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name, collation_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND data_type = 'character varying'
                 AND (column_name = 'code' OR column_name LIKE '%%\\_code' ESCAPE '\\')"""
        )
        columns = cursor.fetchall()
    wrong = sorted(f"{table}.{column}" for table, column, collation in columns if collation != "C")
    assert any(table == "regions_region" for table, *_ in columns)
    assert wrong == []
