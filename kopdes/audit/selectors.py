from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import NATION, scope_codes, scope_q
from kopdes.audit.models import AuditEntry


def audit_entries_for(user, filters: dict) -> QuerySet[AuditEntry]:
    """Entries about objects in the user's audit scope; system-wide entries (no region) only for a national scope."""
    entries = AuditEntry.objects.select_related("actor")
    if scope_codes(user, Cap.VIEW_AUDIT) != [NATION]:
        entries = entries.filter(scope_q(user, "region_code", Cap.VIEW_AUDIT) & ~Q(region_code=""))
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("object_type"):
        entries = entries.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        entries = entries.filter(object_id=filters["object_id"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=datetime.combine(filters["date_from"], time.min, zone))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=datetime.combine(filters["date_to"] + timedelta(days=1), time.min, zone))
    return entries
