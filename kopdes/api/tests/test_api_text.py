"""Text the API takes: control characters and hidden direction marks refused with 422 naming the field,
before anything is read or written; query parameters cleaned by QueryCleaningMiddleware as on the pages."""

from __future__ import annotations

import pytest
from ninja import NinjaAPI, Router, Schema
from ninja.testing import TestClient

from kopdes.api.api import api
from kopdes.api.services import create_api_token
from kopdes.api.text import MARK, MultiLine, OneLine
from kopdes.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

REFUSED = [  # NUL, ESC, TAB, DEL, NEL (C1), RLO, LRM, LRI
    "%00",
    "%1B",
    "%09",
    "%7F",
    "%C2%85",
    "%E2%80%AE",
    "%E2%80%8E",
    "%E2%81%A6",
]


@pytest.fixture
def raw_token(admin_dinas):
    return create_api_token(actor=None, user=admin_dinas, name="test")[1]


@pytest.mark.parametrize("endpoint", ["wilayah", "dasbor"])
@pytest.mark.parametrize("char", REFUSED)
def test_a_control_character_in_a_region_code_answers_422_naming_the_field(client, raw_token, endpoint, char):
    audited = AuditEntry.objects.count()

    response = client.get(f"/api/v1/{endpoint}/64.01{char}", HTTP_AUTHORIZATION=f"Bearer {raw_token}")

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "control_characters"
    assert error["loc"] == ["path", "code"]
    assert error["msg"].startswith("Isian “code”: Hapus karakter kontrol atau penanda arah tersembunyi")
    assert AuditEntry.objects.count() == audited


def test_a_clean_region_code_still_answers(client, raw_token):
    response = client.get("/api/v1/wilayah/64.01", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    assert response.status_code == 200 and response.json()["name"] == "Kabupaten Paser"


@pytest.mark.parametrize("query", ["q=%00", "q=Paser%00%E2%80%AE", "%00=1"])
def test_control_characters_in_an_api_query_are_dropped_not_a_500(client, raw_token, query):
    """QueryCleaningMiddleware runs before the API (on PostgreSQL a NUL in a query would be refused by the database)."""
    response = client.get(f"/api/v1/wilayah/64.01?{query}", HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    assert response.status_code == 200 and response.json()["code"] == "64.01"


def _text_inputs(schema: dict) -> list[tuple[str, dict]]:
    """(where, schema) of every string the API's operations take: parameters and request body properties."""
    components = schema.get("components", {}).get("schemas", {})

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        return node

    def strings(node: dict, where: str) -> list[tuple[str, dict]]:
        node = resolve(node)
        found = [(where, node)] if node.get("type") == "string" and node.get("format") != "binary" else []
        for key, child in node.get("properties", {}).items():
            found += strings(child, f"{where}.{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                found += strings(node[key], f"{where}[]")
        for key in ("anyOf", "oneOf", "allOf"):
            for child in node.get(key, []):
                found += [(w, {**s, MARK: s.get(MARK, node.get(MARK))}) for w, s in strings(child, where)]
        return found

    inputs = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                inputs += strings(parameter["schema"], f"{method} {path} {parameter['in']}:{parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                inputs += strings(content["schema"], f"{method} {path} body")
    return inputs


def test_every_text_input_of_the_api_refuses_control_characters():
    """Walks the OpenAPI document: a new endpoint taking a plain `str` (path, query or body) fails here until it uses
    kopdes.api.text.OneLine or MultiLine."""
    inputs = _text_inputs(api.get_openapi_schema())
    assert len(inputs) >= 2  # the region code of /wilayah and /dasbor
    unchecked = [where for where, node in inputs if node.get(MARK) != "refused"]
    assert unchecked == []


class _Note(Schema):
    name: OneLine
    text: MultiLine


class _Plain(Schema):
    name: str


def _body_router() -> Router:
    """A router built here (the API has no write endpoint yet) to show what a body field does with the types."""
    router = Router()

    @router.post("/catatan")
    def note(request, payload: _Note):
        return {"name": payload.name, "text": payload.text}

    @router.post("/tanpa-cek")
    def unchecked(request, payload: _Plain):
        return {}

    return router


def test_a_body_field_names_itself_and_multi_line_text_keeps_tab_and_new_lines():
    client = TestClient(_body_router())

    refused = client.post("/catatan", json={"name": "Budi\u202eSU", "text": "baris 1\tA\r\nbaris 2"})
    kept = client.post("/catatan", json={"name": "Budi Santoso", "text": "baris 1\tA\r\nbaris 2"})
    nul_in_text = client.post("/catatan", json={"name": "Budi", "text": "baris\x00"})

    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "payload", "name"] and "Isian “name”" in error["msg"] and "U+202E" in error["msg"]
    assert kept.status_code == 200 and kept.json()["text"] == "baris 1\tA\r\nbaris 2"
    assert nul_in_text.status_code == 422 and "Isian “text”" in nul_in_text.json()["detail"][0]["msg"]


def test_the_walk_finds_body_fields_with_and_without_the_check():
    other = NinjaAPI(urls_namespace="api-text-test")
    other.add_router("", _body_router())
    inputs = dict(_text_inputs(other.get_openapi_schema(path_prefix="")))
    assert inputs["post /catatan body.name"][MARK] == "refused"
    assert inputs["post /catatan body.text"][MARK] == "refused"
    assert MARK not in inputs["post /tanpa-cek body.name"]
