from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import MANAGEABLE_ROLES
from kopdes.regions.models import subtree_q


def _manageable_assignments_q(actor: User) -> Q | None:
    """Assignments `actor` may manage: role allowed and region inside the manager's own region. None: nothing."""
    if actor.is_superuser:
        return Q()
    q = None
    for own in actor.active_assignments():
        roles = MANAGEABLE_ROLES.get(own.role)
        if not roles:
            continue
        part = Q(role__in=roles)
        if own.scope_code is not None:
            part &= subtree_q(own.scope_code, "region__code")
        q = part if q is None else q | part
    return q


def manageable_users(actor: User) -> QuerySet[User]:
    """Accounts whose every active role lies inside what `actor` manages (never the actor itself)."""
    inside = _manageable_assignments_q(actor)
    if inside is None:
        return User.objects.none()
    active = RoleAssignment.objects.filter(ended_at__isnull=True)
    users = User.objects.exclude(pk=actor.pk)
    if not actor.is_superuser:
        # Accounts whose roles have all ended stay with the manager of their last role (see can_manage_user).
        last_role = RoleAssignment.objects.filter(user=OuterRef("pk")).order_by("-id").values("id")[:1]
        without_role = (
            User.objects.exclude(id__in=active.values("user_id"))
            .annotate(last_role=Subquery(last_role))
            .filter(last_role__in=RoleAssignment.objects.filter(inside).values("id"))
        )
        users = (
            users.filter(is_superuser=False)
            .filter(Q(id__in=active.filter(inside).values("user_id")) | Q(id__in=without_role.values("id")))
            .exclude(id__in=active.exclude(inside).values("user_id"))
        )
    return users


def get_user_for_manager(actor: User, pk: int) -> User:
    try:
        return manageable_users(actor).get(pk=pk)
    except User.DoesNotExist as missing:
        raise Http404 from missing
