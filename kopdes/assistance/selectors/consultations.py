"""Consultation reads: what a user may see (scope as index ranges on the village code), the lists, the thread, the
public FAQ and the office's summary. Plain data for the templates, a fixed number of queries per page."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from kopdes.accounts.roles import Role
from kopdes.assistance import consultations_text, policy
from kopdes.assistance.models import (
    RESPONSE_TARGET_WORKING_DAYS,
    Category,
    Question,
    QuestionStatus,
)
from kopdes.audit.stale import read_token
from kopdes.formation.known_people import known_people
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
    camat or office (policy.can_read is the same rule for one question)."""
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
    return any(a.role in policy.ASKING_ROLES for a in user.active_assignments())


def askable_villages(user: User):
    """The villages the user may ask about (operator desa and pengurus: their village; camat: its kecamatan's)."""
    q = Q(pk__in=[])
    for assignment in user.active_assignments():
        if assignment.role in policy.ASKING_ROLES and assignment.scope_code:
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
    if inbox:
        queryset = by_deadline(queryset)
    return {"rows": _rows(queryset, now), "limit": LIST_LIMIT}


def by_deadline(queryset):
    """Questions awaiting an answer first, by their answer deadline (the most overdue first); then the others, the
    latest activity first."""
    waiting = Case(When(status=QuestionStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(waiting=waiting).order_by(
        "waiting",
        Case(When(status=QuestionStatus.OPEN, then="due_at")).asc(nulls_last=True),
        "-last_activity_at",
        "-id",
    )


def _inbox_q(user: User) -> Q:
    return Q(routed_to=user) | _roles_q(user, ANSWERER_ROLES)


def questions_to_answer(user: User, *, limit: int = 10) -> tuple[int, list[Question]]:
    """Open questions the user may answer (routed to it, or in its pendamping/office scope), the earliest deadline
    first: (how many, the first `limit` with their village). Two queries."""
    if not answers_questions(user):
        return 0, []
    waiting = Question.objects.filter(status=QuestionStatus.OPEN)
    if not user.is_superuser:
        waiting = waiting.filter(_inbox_q(user))
    return waiting.count(), list(waiting.select_related("village").order_by("due_at", "id")[:limit])


def overdue_questions(user: User, *, limit: int = 10) -> tuple[int, list[Question]]:
    """For the office: open questions past their answer deadline in its scope, the most overdue first (two queries)."""
    late = Question.objects.filter(status=QuestionStatus.OPEN, due_at__lt=timezone.now())
    if not user.is_superuser:
        late = late.filter(_roles_q(user, (Role.ADMIN_DINAS,)))
    return late.count(), list(late.select_related("village", "routed_to").order_by("due_at", "id")[:limit])


def answers_to_read(user: User, *, limit: int = 10) -> list[Question]:
    """The user's own questions that have been answered and not yet closed or replied to, the latest first."""
    return list(
        Question.objects.filter(asked_by=user, status=QuestionStatus.ANSWERED)
        .select_related("village")
        .order_by("-last_activity_at", "-id")[:limit]
    )


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
        "can_answer": policy.can_answer(user, question) and question.asked_by_id != user.pk,
        "is_asker": question.asked_by_id == user.pk,
        "can_close": policy.can_close(user, question),
        "can_reopen": policy.can_reopen(user, question),
        "is_office": policy.is_question_office(user, question),
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


def people_of(question: Question) -> list[str]:
    """Names and usernames of everyone in the thread: the redaction removes them from the public draft."""
    users = {question.asked_by, *(m.author for m in question.messages.select_related("author"))}
    if question.routed_to is not None:
        users.add(question.routed_to)
    names = []
    for user in users:
        names += [user.full_name, user.first_name, user.last_name, user.username]
    return [n for n in names if n]


def _places(question: Question) -> list[str]:
    """The village's name and its kecamatan's: words of account names like "Operator Desa Janju", not names."""
    village = question.village
    return [village.name, *([village.parent.name] if village.parent is not None else [])]


def known_names(question: Question) -> tuple[list[str], list[str]]:
    """(full names, single-word names) of the people the system knows in the question's village
    (`formation.known_people`: accounts, Musdesus papers, facilitator team, members and board seats)."""
    return consultations_text.split_known_names(known_people(question.region_code), _places(question))


def public_draft(question: Question) -> dict[str, str]:
    """The office's starting point for the FAQ: the question and its answers with names (of the thread, and the full
    names of the people known in the village), NIK-like numbers, phone numbers and emails removed. The office reviews
    and edits it before publishing."""
    if question.published_at or question.public_question:
        return {"public_question": question.public_question, "public_answer": question.public_answer}
    names = people_of(question)
    full_names, _single = known_names(question)
    messages = list(question.messages.all())
    asked = "\n\n".join(m.text for m in messages if not m.is_answer)
    answered = "\n\n".join(m.text for m in messages if m.is_answer)
    places = [question.village.name]
    return {
        "public_question": consultations_text.redact(f"{question.subject}\n\n{asked}", names, places, full_names),
        "public_answer": consultations_text.redact(answered, names, places, full_names),
    }


def names_to_confirm(question: Question, *texts: str) -> list[str]:
    """The single-word names of people known in the village that occur in `texts`: a single word may be a person or
    an ordinary word ("Jaya", "Sari"), so the publisher confirms each before publishing."""
    _full, single = known_names(question)
    return consultations_text.single_names_in("\n".join(texts), single)


PUBLIC_FIELDS = ["public_question", "public_answer", "published_at"]


def publish_token(question: Question) -> str:
    """The read token (`audit.stale`) of a question's public texts, for the publish form."""
    return read_token(question, PUBLIC_FIELDS)
