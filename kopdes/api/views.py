"""The API tokens page: the owner's tokens and, for an account manager (admin dinas of the regency), those of the
accounts it manages; each can be revoked there. Tokens are created with `manage.py create_api_token`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.api import selectors, services


@login_required
def token_list(request: AuthenticatedRequest):
    tokens = list(selectors.tokens_for(request.user))
    return render(request, "api/tokens.html", {"tokens": tokens})


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int):
    token = selectors.get_token_for(request.user, pk)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” of %(user)s is revoked.") % {"name": token.name, "user": token.user}
    )
    return redirect("api_tokens:list")
