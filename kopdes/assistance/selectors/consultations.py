"""Consultation reads: what a user may see (scope as index ranges on the village code), the lists, the thread, the
public FAQ and the office's summary. Plain data for the templates, a fixed number of queries per page."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from kopdes.accounts.roles import Role
from kopdes.assistance import consultations_text
from kopdes.assistance.models import (
    RESPONSE_TARGET_WORKING_DAYS,
    Category,
    Question,
    QuestionStatus,
)
from kopdes.assistance.services import consultations as services
from kopdes.regions.models import Region, subtree_q

if TYPE_CHECKING:
    from kopdes.accounts.models import User

READER_ROLES = (Role.ADMIN_DINAS, Role.CAMAT, Role.PENDAMPING)
ANSWERER_ROLES = (Role.ADMIN_DINAS, Role.PENDAMPING)
LIST_LIMIT = 200


def _roles_q(user: User, roles) -> Q:
    q = Q(pk__in=[])
    for assignment in user.active_assignments():
        if assignment.role in roles:
            if assignment.scope_code is None:
                return Q()
            q |= subtree_q(assignment.scope_code, "region_code")
    return q


def visible_questions(user: User):
    """The questions `user` may read: its own, those routed to it, and those of villages where it is pendamping,
    camat or office (services.can_read is the same rule for one question)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Question.objects.none()
    if user.is_superuser:
        return Question.objects.all()
    return Question.objects.filter(Q(asked_by=user) | Q(routed_to=user) | _roles_q(user, READER_ROLES))


def get_question_for_user(user: User, pk: int) -> Question:
    question = (
        visible_questions(user).select_related("village", "kecamatan", "asked_by", "routed_to").filter(pk=pk).first()
    )
    if question is None:
        raise Http404
    return question


def is_overdue(question: Question, now=None) -> bool:
    return question.status == QuestionStatus.OPEN and question.due_at < (now or timezone.now())


def answers_questions(user: User) -> bool:
    """Whether the user has an inbox (a pendamping or the office)."""
    return user.is_superuser or any(a.role in ANSWERER_ROLES for a in user.active_assignments())


def oversees_questions(user: User) -> bool:
    """A camat reads the questions of its kecamatan's villages (without answering them)."""
    return any(a.role == Role.CAMAT for a in user.active_assignments())


def asks_questions(user: User) -> bool:
    return any(a.role in services.ASKING_ROLES for a in user.active_assignments())


def askable_villages(user: User):
    """The villages the user may ask about (operator desa and pengurus: their village; camat: its kecamatan's)."""
    q = Q(pk__in=[])
    for assignment in user.active_assignments():
        if assignment.role in services.ASKING_ROLES and assignment.scope_code:
            q |= subtree_q(assignment.scope_code)
    return Region.objects.villages().active().filter(q).order_by("name")


def _rows(queryset, now) -> list[dict]:
    rows = []
    for q in queryset.select_related("village", "asked_by", "routed_to")[:LIST_LIMIT]:
        rows.append(
            {
                "pk": q.pk,
                "subject": q.subject,
                "category": q.get_category_display(),
                "status": q.status,
                "status_label": q.get_status_display(),
                "village": q.village.display_name,
                "asked_by": str(q.asked_by),
                "asked_at": q.asked_at,
                "due_at": q.due_at,
                "routed_to": str(q.routed_to) if q.routed_to_id else "",
                "overdue": is_overdue(q, now),
                "published": q.published_at is not None,
            }
        )
    return rows


def question_list(user: User, *, inbox: bool, status: str = "", category: str = "", overdue: bool = False) -> dict:
    """'My questions' (inbox=False) or the inbox (inbox=True: what the pendamping or the office may answer, and for a
    camat the questions of its kecamatan), filtered."""
    now = timezone.now()
    if inbox:
        if user.is_superuser:
            queryset = Question.objects.all()
        else:
            queryset = Question.objects.filter(Q(routed_to=user) | _roles_q(user, (*ANSWERER_ROLES, Role.CAMAT)))
    else:
        queryset = Question.objects.filter(asked_by=user)
    if status in QuestionStatus.values:
        queryset = queryset.filter(status=status)
    if category in Category.values:
        queryset = queryset.filter(category=category)
    if overdue:
        queryset = queryset.filter(status=QuestionStatus.OPEN, due_at__lt=now)
    return {"rows": _rows(queryset, now), "limit": LIST_LIMIT}


def thread(user: User, question: Question) -> dict:
    """The thread page of one question (already fetched through get_question_for_user)."""
    messages = list(question.messages.select_related("author").prefetch_related("attachments"))
    return {
        "question": question,
        "thread_messages": [
            {
                "author": str(m.author),
                "is_answer": m.is_answer,
                "text": m.text,
                "created_at": m.created_at,
                "attachments": [{"pk": a.pk, "name": a.original_name, "size": a.size} for a in m.attachments.all()],
            }
            for m in messages
        ],
        "overdue": is_overdue(question),
        "target_days": RESPONSE_TARGET_WORKING_DAYS[question.category],
        "can_answer": services.can_answer(user, question) and question.asked_by_id != user.pk,
        "is_asker": question.asked_by_id == user.pk,
        "can_close": services.can_close(user, question),
        "can_reopen": services.can_reopen(user, question),
        "is_office": services.is_office(user, question),
    }


def get_attachment_for_user(user: User, pk: int):
    from kopdes.assistance.models import Attachment

    attachment = Attachment.objects.filter(pk=pk, question__in=visible_questions(user)).first()
    if attachment is None:
        raise Http404
    return attachment


# --- the public FAQ -------------------------------------------------------------------------------------------


def public_faq(query: str = "", category: str = "") -> dict:
    """Published questions (public texts only), matching every word of `query` (case, accents and common
    Indonesian affixes ignored)."""
    queryset = Question.objects.filter(published_at__isnull=False)
    stems = consultations_text.query_stems(query)
    for stem in stems:
        # each stored stem is preceded by a space: ' simpan' matches simpan, simpanan (stemmed), not 'kesimpan'
        queryset = queryset.filter(search_text__contains=f" {stem}")
    if category in Category.values:
        queryset = queryset.filter(category=category)
    entries = [
        {
            "pk": q["pk"],
            "category": Category(q["category"]).label,
            "title": q["public_question"].strip().split("\n", 1)[0][:160],
            "question": q["public_question"],
            "answer": q["public_answer"],
            "published_at": q["published_at"],
        }
        for q in queryset.order_by("-published_at").values(
            "pk", "category", "public_question", "public_answer", "published_at"
        )[:LIST_LIMIT]
    ]
    return {"entries": entries, "query": query, "searched": bool(stems)}


# --- the office's summary -------------------------------------------------------------------------------------


def question_summary(user: User) -> dict:
    """For the office's assistance dashboard: open and overdue questions by category and by kecamatan, and the
    median time to the first answer (hours) overall and per category. Plain data; three queries."""
    now = timezone.now()
    scoped = (
        Question.objects.filter(_roles_q(user, (Role.ADMIN_DINAS,)))
        if not user.is_superuser
        else (Question.objects.all())
    )
    counts = {
        "open": Count("pk", filter=Q(status=QuestionStatus.OPEN)),
        "overdue": Count("pk", filter=Q(status=QuestionStatus.OPEN, due_at__lt=now)),
    }
    by_category: dict[str, Mapping[str, Any]] = {
        row["category"]: row
        for row in scoped.values("category").annotate(open=counts["open"], overdue=counts["overdue"])
    }
    by_kecamatan = list(
        scoped.values("kecamatan__code", "kecamatan__name")
        .annotate(open=counts["open"], overdue=counts["overdue"])
        .filter(open__gt=0)
        .order_by("-overdue", "-open", "kecamatan__code")
    )
    hours: dict[str, list[float]] = {}
    for category, asked, answered in scoped.filter(first_answered_at__isnull=False).values_list(
        "category", "asked_at", "first_answered_at"
    ):
        if answered is not None:  # filtered above; the column is nullable
            hours.setdefault(category, []).append((answered - asked).total_seconds() / 3600)
    every = [h for values in hours.values() for h in values]
    return {
        "open": sum(row["open"] for row in by_category.values()),
        "overdue": sum(row["overdue"] for row in by_category.values()),
        "median_hours": round(median(every), 1) if every else None,
        "answered": len(every),
        "by_category": [
            {
                "category": value,
                "label": label,
                "target_days": RESPONSE_TARGET_WORKING_DAYS[value],
                "open": by_category.get(value, {}).get("open", 0),
                "overdue": by_category.get(value, {}).get("overdue", 0),
                "median_hours": round(median(hours[value]), 1) if hours.get(value) else None,
            }
            for value, label in Category.choices
        ],
        "by_kecamatan": [
            {
                "code": row["kecamatan__code"],
                "name": f"Kecamatan {row['kecamatan__name']}",
                "open": row["open"],
                "overdue": row["overdue"],
            }
            for row in by_kecamatan
        ],
    }
