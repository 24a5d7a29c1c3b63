"""No lost update anywhere (issue 13 §1): every edit view of the URL conf refuses a save made from a stale read.

The edit views are found in the URL conf (a name with the word `edit`, as the permission matrix lists them); each is
opened with the matrix's in-scope object by a role the matrix lets in, then posted twice from the same read — as two
people would — changing one text field: the first save goes through, the second is refused (409), keeps what was typed
and names the value saved meanwhile. A new edit view without the check (`kopdes.audit.stale`) fails here.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kopdes.audit.stale import READ_TOKEN_FIELD
from kopdes.core.tests.test_permission_matrix import MATRIX, MODULES, OWNER, named_urls
from kopdes.tests.matrix import CAST, ROLES


def edit_views() -> list[str]:
    return sorted(name for name in named_urls() if "edit" in name.rsplit(":", 1)[-1].split("_"))


class _FormFields(HTMLParser):
    """The fields a browser would send from the page's POST forms: (name, value) pairs and the text inputs."""

    def __init__(self):
        super().__init__()
        self.pairs: list[list[str]] = []
        self.texts: list[int] = []  # indexes into pairs of the text fields
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "file", "button"):
                return
            if kind == "text":
                self.texts.append(len(self.pairs))
            self.pairs.append([name, a.get("value", "")])
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a:
                self.pairs.append([self._select, a.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = name
            self.pairs.append([name, ""])

    def handle_data(self, data):
        if self._textarea:
            self.pairs[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.texts.append(len(self.pairs) - 1)
            self._textarea = None


def _editor(name: str) -> str:
    entry = MATRIX[name]
    return next(role for role in ROLES if entry.inside[role] == 200)


def _post(client, url, pairs):
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return client.post(url, data)


def test_the_url_conf_has_edit_views():
    assert {"cooperatives:edit_member", "cooperatives:edit_profile", "assistance:training_edit"} <= set(edit_views())


@pytest.mark.parametrize("name", edit_views())
def test_edit_view_refuses_a_save_from_a_stale_read(request, client, paser, name):
    role = _editor(name)
    user = request.getfixturevalue(CAST[role].fixture)
    build = getattr(MODULES.get(OWNER.get(name)), "context", None)
    ctx = {"role": role, "user": user, **({OWNER[name]: build(role)} if build else {})}
    url = reverse(name, kwargs=MATRIX[name].inside_kwargs(ctx))
    client.force_login(user)

    page = client.get(url)
    fields = _FormFields()
    fields.feed(page.content.decode())

    assert READ_TOKEN_FIELD in {key for key, _ in fields.pairs}, f"{name}: no read token in the form"
    first = None
    for index in fields.texts:  # the first text field that takes a changed value
        pairs = [list(pair) for pair in fields.pairs]
        base = pairs[index][1].strip()
        pairs[index][1] = f"{base} Satu".strip()
        first = _post(client, url, pairs)
        if first.status_code == 302:
            break
    assert first is not None and first.status_code == 302, f"{name}: no text field could be saved"
    pairs[index][1] = f"{base} Dua".strip()
    second = _post(client, url, pairs)  # the second person, from the same read

    assert second.status_code == 409, f"{name}: a save from a stale read was not refused"
    body = second.content.decode()
    assert f"“{base} Satu”".replace("“ ", "“") in body  # the value saved meanwhile is named
    assert f"“{base} Dua”".replace("“ ", "“") in body  # what the second person typed is named and kept
