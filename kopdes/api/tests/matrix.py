"""The API token pages in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Every signed-in account sees its own tokens; a token is revoked by its owner or by whoever manages the owner's account
(the regency's admin dinas, the camat for its operators). A token of someone else outside that answers 404."""

from kopdes.api.services import create_api_token
from kopdes.tests.matrix import Entry, answers, everyone, managers


def context(role) -> dict:
    from kopdes.tests.factories import make_user
    from kopdes.tests.matrix import CAST

    inside = make_user("token.dalam", "operator_desa", CAST[role].inside)
    outside = make_user("token.luar", "admin_dinas", "64")
    return {
        "inside": create_api_token(actor=None, user=inside, name="dalam")[0],
        "outside": create_api_token(actor=None, user=outside, name="luar")[0],
    }


def _token(where):
    return lambda ctx: {"pk": ctx["api"][where].pk}


ENTRIES: dict[str, Entry] = {
    "api_tokens:list": Entry("GET", inside=everyone(200)),
    "api_tokens:revoke": Entry(
        "POST",
        inside=managers(302),
        outside=answers(404),
        inside_kwargs=_token("inside"),
        outside_kwargs=_token("outside"),
        redirects_to="api_tokens:list",
    ),
}
