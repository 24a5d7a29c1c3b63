from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from kopdes.accounts.selectors import manageable_users
from kopdes.api.models import ApiToken

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def tokens_for(actor: User) -> QuerySet[ApiToken]:
    """The actor's own tokens and those of the accounts it manages (an admin dinas: its regency's), newest first."""
    return (
        ApiToken.objects.filter(Q(user=actor) | Q(user__in=manageable_users(actor)))
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def get_token_for(actor: User, pk: int) -> ApiToken:
    try:
        return tokens_for(actor).get(pk=pk)
    except ApiToken.DoesNotExist as missing:
        raise Http404 from missing
