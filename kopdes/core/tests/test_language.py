"""The interface is Indonesian whatever the browser says; English only when the user chooses it."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_indonesian(client):
    response = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


def test_user_can_switch_to_english_and_back(client):
    response = client.post("/bahasa/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302 and response.url == "/masuk/"
    assert client.get("/masuk/")["Content-Language"] == "en"
    client.post("/bahasa/", {"language": "id", "next": "/masuk/"})
    assert client.get("/masuk/")["Content-Language"] == "id"


def test_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "xx"
    assert client.get("/masuk/")["Content-Language"] == "id"


def test_missing_page_answers_with_the_app_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Kopdes" in response.content.decode()
