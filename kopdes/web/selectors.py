"""Reads of the site's own pages: the landing page (each role's to-do list, composed from the selectors of the apps
that own the data), the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.models import RoleAssignment
from kopdes.accounts.roles import CAPABILITIES, Cap, Role
from kopdes.accounts.scope import NATION, has_capability, primary_region, scope_codes, scope_q, visible_regions
from kopdes.assistance.selectors import activities as assistance_activities
from kopdes.assistance.selectors import consultations
from kopdes.audit.describe import GROUPS, Change, actions_in_group, describe_entries
from kopdes.audit.models import AuditEntry
from kopdes.clock import local_date
from kopdes.formation import selectors as formation
from kopdes.regions.models import Level, Region, subtree_q
from kopdes.reports import selectors as reports

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def landing_summary(user: User) -> dict:
    """What the landing page shows: the user's roles and scope, and what the user may do there."""
    assignments = user.active_assignments()
    counts = (
        visible_regions(user)
        .active()
        .aggregate(
            kecamatan=Count("id", filter=Q(level=Level.KECAMATAN)),
            villages=Count("id", filter=Q(level=Level.DESA)),
        )
    )
    capabilities = set().union(*(CAPABILITIES.get(a.role, frozenset()) for a in assignments)) if assignments else set()
    return {
        "assignments": assignments,
        "counts": counts,
        "can_edit": Cap.EDIT in capabilities,
        "can_verify": Cap.VERIFY in capabilities,
        "read_only": bool(assignments) and not (capabilities - {Cap.VIEW, Cap.VIEW_PERSONAL}),
        # the pengurus edit their own cooperative's registry (kopdes/cooperatives/access.py), nothing else
        "edits_registry_only": any(a.role == Role.PENGURUS for a in assignments) and Cap.EDIT not in capabilities,
        "can_manage_users": has_capability(user, Cap.MANAGE_USERS),
        "can_view_audit": has_capability(user, Cap.VIEW_AUDIT),
    }


def _item(title: str, url: str, *, detail: str = "", due: date | None = None, since: date | None = None) -> dict:
    """One line of a to-do list: what, where to do it, and either its due date or the day it began waiting."""
    return {"title": title, "url": url, "detail": detail, "due": due, "since": since}


def _section(key: str, title: str, items: list[dict], *, count: int | None = None, more: str = "") -> dict:
    return {"key": key, "title": title, "items": items, "count": len(items) if count is None else count, "more": more}


def _badges(sections: list[dict], today: date) -> None:
    """Add to each item its badge: days overdue, due today or the due date, or how long it has waited."""
    for section in sections:
        for item in section["items"]:
            due, since = item["due"], item["since"]
            item["overdue_days"] = (today - due).days if due and due < today else 0
            item["due_today"] = due == today
            item["waiting_days"] = (today - since).days if since else None


def home_tasks(user: User, today: date | None = None) -> dict:
    """What waits for `user`, per role it holds, most overdue first, each item with its link: {"sections": [...],
    "own": [...] (operator desa, pengurus: their cooperatives), "waiting": total count, "today": date}. A fixed number
    of queries for each role, whatever the amount of data."""
    region = primary_region(user)
    local = local_date(region.code if region else "")
    today = today or local
    roles = {a.role for a in user.active_assignments()}
    sections: list[dict] = []
    own: list[dict] = []

    if roles & {Role.OPERATOR_DESA, Role.PENGURUS}:
        own = formation.own_cooperatives(user)
        returned, next_steps = [], []
        for row in own:
            cooperative = row["cooperative"]
            case_url = reverse("formation:case_detail", args=[cooperative.pk])
            submit_url = reverse("formation:submit_stage", args=[cooperative.pk]) if row["can_submit"] else case_url
            if row["returned"]:
                s = row["returned"]
                returned.append(
                    _item(
                        _("Evidence of stage %(stage)s returned: %(reason)s")
                        % {"stage": s.get_stage_display(), "reason": s.decision_reason},
                        submit_url,
                        detail=cooperative.name,
                        since=local_date(cooperative.region_code, s.decided_at) if s.decided_at else None,
                    )
                )
            elif row["next"] and not row["pending"]:
                following = row["next"]
                next_steps.append(
                    _item(
                        _("Next stage: %(number)s. %(stage)s") % {"number": following.number, "stage": following.label},
                        submit_url,
                        detail=_("Needed: %(needs)s") % {"needs": ", ".join(row["needs"])},
                    )
                )
        sections.append(_section("returned", _("Evidence returned by the office"), returned))
        sections.append(_section("next_stage", _("Your cooperative's next stage"), next_steps))
        answered = consultations.answers_to_read(user)
        sections.append(
            _section(
                "answers",
                _("Answers to your questions"),
                [
                    _item(
                        q.subject,
                        reverse("assistance:question_detail", args=[q.pk]),
                        detail=q.village.display_name,
                        since=local_date(q.region_code, q.last_activity_at),
                    )
                    for q in answered
                ],
                more=reverse("assistance:question_list"),
            )
        )

    if Role.CAMAT in roles:
        count, due = reports.reports_due(user, local)
        sections.append(
            _section(
                "reports_due",
                _("Reports to submit"),
                [
                    _item(
                        _("Report of %(kecamatan)s for %(period)s")
                        % {"kecamatan": d.kecamatan.display_name, "period": d.period},
                        reverse("reports:period_report", args=[d.kecamatan.code, d.period.pk]),
                        due=d.period.due,
                    )
                    for d in due
                ],
                count=count,
                more=reverse("reports:index"),
            )
        )
        waiting = formation.waiting_villages(user)
        sections.append(
            _section(
                "villages",
                _("Villages waiting on something"),
                [
                    _item(
                        row["cooperative"].name,
                        reverse("formation:case_detail", args=[row["cooperative"].pk]),
                        detail=(
                            _("Evidence of stage %(stage)s returned to the village: %(reason)s")
                            % {
                                "stage": row["submission"].get_stage_display(),
                                "reason": row["submission"].decision_reason,
                            }
                            if row["returned"]
                            else _("Stage %(stage)s waits for verification by the office")
                            % {"stage": row["submission"].get_stage_display()}
                        ),
                        since=local_date(row["cooperative"].region_code, row["since"]),
                    )
                    for row in waiting
                ],
            )
        )

    if Role.PENDAMPING in roles:
        count, questions = consultations.questions_to_answer(user)
        sections.append(
            _section(
                "questions",
                _("Questions to answer, by deadline"),
                [
                    _item(
                        q.subject,
                        reverse("assistance:question_detail", args=[q.pk]),
                        detail=q.village.display_name,
                        due=local_date(q.region_code, q.due_at),
                    )
                    for q in questions
                ],
                count=count,
                more=reverse("assistance:inbox"),
            )
        )
        count, follow_ups = assistance_activities.follow_ups_due(user, local)
        sections.append(
            _section(
                "follow_ups",
                _("Follow-ups due"),
                [
                    _item(
                        f.text[:120],
                        reverse("assistance:visit_detail", args=[f.visit_id]),
                        detail=f.owner_name,
                        due=f.due_date,
                    )
                    for f in follow_ups
                ],
                count=count,
                more=reverse("assistance:visit_list"),
            )
        )

    if Role.ADMIN_DINAS in roles or user.is_superuser:
        queue = formation.verification_queue(user)
        sections.append(
            _section(
                "queue",
                _("Waiting for verification (oldest first)"),
                [
                    _item(
                        f"{s.cooperative.name}: {s.get_stage_display()}",
                        reverse("formation:verify_item", args=[s.pk]),
                        detail=str(s.submitted_by or ""),
                        since=local_date(s.cooperative.region_code, s.submitted_at),
                    )
                    for s in queue[:10]
                ],
                count=len(queue),
                more=reverse("formation:queue"),
            )
        )
        count, late = reports.overdue_reports(user, local)
        sections.append(
            _section(
                "overdue_reports",
                _("Overdue camat reports"),
                [
                    _item(
                        _("%(kecamatan)s: %(count)s report(s) not submitted")
                        % {"kecamatan": row.kecamatan.display_name, "count": row.count},
                        reverse("reports:period_report", args=[row.kecamatan.code, row.oldest.pk]),
                        detail=_("The oldest: %(period)s") % {"period": row.oldest},
                        due=row.oldest.due,
                    )
                    for row in late
                ],
                count=count,
                more=reverse("reports:index"),
            )
        )
        count, overdue = consultations.overdue_questions(user)
        sections.append(
            _section(
                "overdue_questions",
                _("Overdue questions"),
                [
                    _item(
                        q.subject,
                        reverse("assistance:question_detail", args=[q.pk]),
                        detail=q.village.display_name,
                        due=local_date(q.region_code, q.due_at),
                    )
                    for q in overdue
                ],
                count=count,
                more=reverse("assistance:inbox"),
            )
        )

    _badges(sections, today)
    return {
        "sections": sections,
        "own": own,
        "waiting": sum(s["count"] for s in sections),
        "today": today,
    }


def audit_entries_for(user: User, filters: dict) -> QuerySet[AuditEntry]:
    """Entries about objects in the user's audit scope; system-wide entries (no region) only for a national scope."""
    entries = AuditEntry.objects.select_related("actor").prefetch_related(
        Prefetch(
            "actor__assignments",
            queryset=RoleAssignment.objects.filter(ended_at__isnull=True).order_by("id"),
            to_attr="audit_roles",
        )
    )
    if scope_codes(user, Cap.VIEW_AUDIT) != [NATION]:
        entries = entries.filter(scope_q(user, "region_code", Cap.VIEW_AUDIT) & ~Q(region_code=""))
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("region"):  # a region of the reader's scope (the form offers no other): its whole subtree
        entries = entries.filter(subtree_q(filters["region"], "region_code"))
    if filters.get("kind"):
        entries = entries.filter(action__in=actions_in_group(filters["kind"]))
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


@dataclass
class AuditRow:
    """One entry of the log as people read it: "Admin dinas (Siti) mengubah dusun anggota …"."""

    entry: AuditEntry
    actor: str  # "Admin dinas (Siti Aminah)", "Sistem"
    sentence: str
    kind: str  # the kind of change, by its label
    region: str  # the region's name, "" for system-wide entries
    changes: list[Change]
    created: bool


def actor_label(entry: AuditEntry) -> str:
    """The actor by its role then its name ("Admin dinas (Siti Aminah)"); the role is its first active one now."""
    if entry.actor is None:
        return _("System")
    roles = getattr(entry.actor, "audit_roles", None) or []
    if not roles:
        return str(entry.actor)
    role = str(roles[0].get_role_display())
    return f"{role[:1].upper()}{role[1:]} ({entry.actor})"


def audit_rows(entries: Iterable[AuditEntry]) -> list[AuditRow]:
    """A page of entries as sentences. Queries: region names (one), plus those of `describe_entries` (one per model
    named by a foreign key or a value reader); the actors' roles come prefetched by `audit_entries_for`."""
    entries = list(entries)
    codes = {entry.region_code for entry in entries if entry.region_code}
    regions = {region.code: region.display_name for region in Region.objects.filter(code__in=codes)}
    rows = []
    for described in describe_entries(entries):
        entry = described.entry
        actor = actor_label(entry)
        group = GROUPS.get(described.group)
        rows.append(
            AuditRow(
                entry=entry,
                actor=actor,
                sentence=f"{actor} {described.phrase}.",
                kind=str(group.label) if group else "",
                region=regions.get(entry.region_code, entry.region_code),
                changes=described.changes,
                created=described.created,
            )
        )
    return rows
