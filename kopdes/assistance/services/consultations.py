"""Consultation writes: ask, answer or reply, close, reopen, publish to the FAQ and unpublish. Each in one
transaction with an audit entry; notifications go out through kopdes.notifications.services after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import Role
from kopdes.assistance import consultations_text
from kopdes.assistance.models import (
    Attachment,
    Category,
    Message,
    Question,
    QuestionStatus,
    due_from,
)
from kopdes.assistance.policy import can_answer, can_ask, can_close, can_reopen, is_question_office
from kopdes.assistance.selectors.consultations import PUBLIC_FIELDS, known_names, people_of
from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.files.uploads import (
    CheckedUpload,
    UploadStore,
    atomic_with_files,
    check_upload,
)
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify
from kopdes.regions.models import Region

MAX_SUBJECT = 200
MAX_TEXT = 5000
MAX_FILES = 5


# --- who may do what --------------------------------------------------------------------------------------------


# --- routing and targets ----------------------------------------------------------------------------------------


def _route_question(village: Region):
    """The pendamping assigned to the village itself, else to its kecamatan (the longest-serving first); None: the
    office of the regency answers."""
    for region_id in (village.pk, village.parent_id):
        if region_id is None:
            continue
        assignment = (
            RoleAssignment.objects.filter(
                role=Role.PENDAMPING, region_id=region_id, ended_at__isnull=True, user__is_active=True
            )
            .select_related("user")
            .order_by("started_at", "id")
            .first()
        )
        if assignment:
            return assignment.user
    return None


# --- input checks -----------------------------------------------------------------------------------------------


def _clean_text(text: str, field: str, errors: dict) -> str:
    text = (text or "").strip()
    if not text:
        errors.setdefault(field, []).append(_("Write the question or the answer; an empty message is not sent."))
    elif len(text) > MAX_TEXT:
        errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": MAX_TEXT})
    return text


def _check_files(files, errors: dict) -> list[CheckedUpload]:
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        errors.setdefault("files", []).append(_("At most %(n)d files per message.") % {"n": MAX_FILES})
        return []
    checked = []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    return checked


def _store_files(checked, *, store: UploadStore, message: Message, actor: User, at: datetime) -> list[str]:
    names = []
    for upload in checked:
        attachment = Attachment(
            message=message,
            question=message.question,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor,
            uploaded_at=at,
        )
        store.save(attachment.file, upload)
        attachment.save()
        names.append(attachment.original_name)
    return names


def _question_url(question: Question) -> str:
    return reverse("assistance:question_detail", kwargs={"pk": question.pk})


# --- writes -----------------------------------------------------------------------------------------------------


def ask_question(
    *, actor: User, village: Region, category: str, subject: str, text: str, files=(), at: datetime | None = None
) -> Question:
    """An operator desa, camat or pengurus asks about a village of its scope; the question is routed (route_question)
    and gets its answer-due time from the category's target. The routed pendamping (or the office) is notified."""
    if not can_ask(actor, village):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    subject = (subject or "").strip()
    if not subject:
        errors.setdefault("subject", []).append(_("Give the question a short subject."))
    elif len(subject) > MAX_SUBJECT:
        errors.setdefault("subject", []).append(_("At most %(n)d characters.") % {"n": MAX_SUBJECT})
    text = _clean_text(text, "text", errors)
    checked = _check_files(files, errors)
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    with atomic_with_files() as store:
        routed_to = _route_question(village)
        assert village.parent_id is not None  # a village always lies in a kecamatan
        question = Question.objects.create(
            village=village,
            region_code=village.code,
            kecamatan_id=village.parent_id,
            category=category,
            subject=subject,
            asked_by=actor,
            asked_at=at,
            routed_to=routed_to,
            due_at=due_from(at, category),
            last_activity_at=at,
        )
        message = Message.objects.create(question=question, author=actor, text=text, created_at=at)
        stored = _store_files(checked, store=store, message=message, actor=actor, at=at)
        record_audit(
            actor=actor,
            action="assistance.ask_question",
            obj=question,
            region_code=village.code,
            after={
                "category": category,
                "subject": subject,
                "routed_to": getattr(routed_to, "pk", None),
                "files": stored,
            },
        )
        _notify_asked(question, village)
    return question


def _office_users(code: str):
    """The office of the regency: active admin dinas assigned on the regency or above it."""
    codes = [code[:2], code[:5]]
    assignments = RoleAssignment.objects.filter(
        role=Role.ADMIN_DINAS, ended_at__isnull=True, user__is_active=True, region__code__in=codes
    ).select_related("user")
    return list({a.user_id: a.user for a in assignments}.values())


def _notify_asked(question: Question, village: Region) -> None:
    recipients = [question.routed_to] if question.routed_to_id else _office_users(question.region_code)
    with translation.override("id"):
        text = _("New question from %(village)s: %(subject)s") % {
            "village": village.display_name,
            "subject": question.subject,
        }
    for user in recipients:
        notify(
            user=user,
            kind=NotificationKind.QUESTION_ASKED,
            key=f"question:{question.pk}:asked",
            text=text,
            url=_question_url(question),
        )


def post_message(*, actor: User, question: Question, text: str, files=(), at: datetime | None = None) -> Message:
    """Add a message to the thread. From the pendamping or the office it is an answer: the question becomes
    answered and the asker is notified. From the asker it is a reply on an open question (reopen a closed or
    answered one first). Anyone else is refused (PermissionDenied; the view answers 404), and nothing is saved."""
    answering = can_answer(actor, question) and question.asked_by_id != actor.pk
    if not answering and question.asked_by_id != actor.pk:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    text = _clean_text(text, "text", errors)
    checked = _check_files(files, errors)
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    with atomic_with_files() as store:
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.status == QuestionStatus.CLOSED:
            raise ValidationError(_("This question is closed. Reopen it to write again."))
        if not answering and locked.status != QuestionStatus.OPEN:
            raise ValidationError(_("This question has been answered. Reopen it if the answer did not help."))
        before = {"status": locked.status}
        message = Message.objects.create(question=locked, author=actor, text=text, is_answer=answering, created_at=at)
        stored = _store_files(checked, store=store, message=message, actor=actor, at=at)
        locked.last_activity_at = at
        fields = ["last_activity_at"]
        if answering:
            locked.status = QuestionStatus.ANSWERED
            fields.append("status")
            if locked.first_answered_at is None:
                locked.first_answered_at = at
                fields.append("first_answered_at")
        locked.save(update_fields=fields)
        record_audit(
            actor=actor,
            action="assistance.answer_question" if answering else "assistance.reply_question",
            obj=locked,
            region_code=locked.region_code,
            before=before,
            after={"status": locked.status, "message": message.pk, "files": stored},
        )
        if answering:
            with translation.override("id"):
                notice = _("Your question has been answered: %(subject)s") % {"subject": locked.subject}
            notify(
                user=locked.asked_by,
                kind=NotificationKind.QUESTION_ANSWERED,
                key=f"question:{locked.pk}:answer:{message.pk}",
                text=notice,
                url=_question_url(locked),
            )
    question.refresh_from_db()
    return message


def close_question(*, actor: User, question: Question) -> None:
    """The asker, the pendamping or the office closes the question (nothing more to do)."""
    if not can_close(actor, question):
        raise PermissionDenied
    _set_status(actor, question, QuestionStatus.CLOSED, "assistance.close_question")


def reopen_question(*, actor: User, question: Question, at: datetime | None = None) -> None:
    """The asker or the office reopens an answered or closed question; a new answer is due from now."""
    if not can_reopen(actor, question):
        raise PermissionDenied
    at = at or timezone.now()
    _set_status(
        actor,
        question,
        QuestionStatus.OPEN,
        "assistance.reopen_question",
        at=at,
        due_at=due_from(at, question.category),
    )


def _set_status(actor: User, question: Question, status: str, action: str, at: datetime | None = None, **extra) -> None:
    at = at or timezone.now()
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        before = {"status": locked.status}
        Question.objects.filter(pk=locked.pk).update(status=status, last_activity_at=at, **extra)
        record_audit(
            actor=actor,
            action=action,
            obj=locked,
            region_code=locked.region_code,
            before=before,
            after={"status": status, **{k: str(v) for k, v in extra.items()}},
        )
    question.refresh_from_db()


def publish_question(
    *,
    actor: User,
    question: Question,
    public_question: str,
    public_answer: str,
    confirmed_names: Sequence[str] = (),
    read: str | None = None,
) -> None:
    """The office publishes the reviewed, anonymised version of an answered question to the public FAQ. Refused
    while it still holds a name of the thread, a full name of a person known in the village, a phone number, a
    NIK-like number or an email; and until the publisher has confirmed, one by one (`confirmed_names`), each
    single-word name of a person known in the village that the text holds. `read`: the form's token
    (`publish_token`); public texts saved or unpublished by someone else after it was read raise `StaleEdit`."""
    if not is_question_office(actor, question):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    public_question = _clean_text(public_question, "public_question", errors)
    public_answer = _clean_text(public_answer, "public_answer", errors)
    if question.first_answered_at is None:
        errors.setdefault("public_answer", []).append(_("Only an answered question can be published."))
    names = people_of(question)
    full_names, single = known_names(question)
    for field, value in (("public_question", public_question), ("public_answer", public_answer)):
        if value and consultations_text.personal_data_left(value, names, full_names):
            errors.setdefault(field, []).append(
                _("Remove names, phone numbers, NIK-like numbers and email addresses before publishing.")
            )
    confirmed = {name.casefold() for name in confirmed_names}
    found = consultations_text.single_names_in(f"{public_question}\n{public_answer}", single)
    unconfirmed = [name for name in found if name.casefold() not in confirmed]
    if unconfirmed:
        errors.setdefault("confirmed_names", []).append(
            _("Confirm each highlighted name is not a person here, or remove it from the text: %(names)s.")
            % {"names": ", ".join(unconfirmed)}
        )
    if errors:
        raise ValidationError(errors)
    at = timezone.now()
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if read is not None:
            submitted = {"public_question": public_question, "public_answer": public_answer}
            check_fresh(locked, PUBLIC_FIELDS, read, submitted=submitted)
        before = {
            "published": bool(locked.published_at),
            "public_question": locked.public_question,
            "public_answer": locked.public_answer,
        }
        Question.objects.filter(pk=locked.pk).update(
            public_question=public_question,
            public_answer=public_answer,
            search_text=consultations_text.search_text(public_question, public_answer, locked.get_category_display()),
            published_at=at,
            published_by=actor,
        )
        record_audit(
            actor=actor,
            action="assistance.publish_question",
            obj=locked,
            region_code=locked.region_code,
            before=before,
            after={
                "published": True,
                "public_question": public_question,
                "public_answer": public_answer,
                "names_confirmed": found,
            },
        )
    question.refresh_from_db()


def unpublish_question(*, actor: User, question: Question) -> None:
    """The office takes a question off the public FAQ (its public text is kept for a later republication)."""
    if not is_question_office(actor, question):
        raise PermissionDenied
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(published_at=None, published_by=None)
        record_audit(
            actor=actor,
            action="assistance.unpublish_question",
            obj=question,
            region_code=question.region_code,
            before={"published": bool(question.published_at)},
            after={"published": False},
        )
    question.refresh_from_db()
