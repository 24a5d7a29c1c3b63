"""Consultation service: questions, answers, public FAQ.

A question is asked about one village (desa/kelurahan) by its operator, its pengurus or the camat; it is routed once,
when asked, to a pendamping of the village or its kecamatan, else to the office of the regency (routed_to empty).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.regions.models import Region

__all__ = ["Category", "QuestionStatus", "RESPONSE_TARGET_WORKING_DAYS", "Question", "Message", "Attachment"]


class Category(models.TextChoices):
    LEGAL = "legal", _("Legal / notary")
    BYLAWS = "bylaws", _("Articles of association (AD/ART)")
    MUSDESUS = "musdesus", _("Musdesus")
    CAPITAL = "capital", _("Capital and savings (simpanan)")
    BUSINESS = "business", _("Business units")
    DIGITAL = "digital", _("SIMKOPDES / digital")
    OTHER = "other", _("Other")


# Response-time target per category, in working days (Monday–Friday; public holidays are not counted out).
# Chosen with the office: a legal or notary question often needs the notary or the regency's legal section (5 days);
# a Musdesus or simpanan question usually blocks a meeting or a deposit that is scheduled (3 days); SIMKOPDES login
# and data-entry problems stop the operator's work today (2 days).
RESPONSE_TARGET_WORKING_DAYS: dict[str, int] = {
    Category.LEGAL: 5,
    Category.BYLAWS: 5,
    Category.MUSDESUS: 3,
    Category.CAPITAL: 3,
    Category.BUSINESS: 5,
    Category.DIGITAL: 2,
    Category.OTHER: 5,
}


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Question(models.Model):
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("village"))
    # the village's code, for the scope range filter (scope_q); the kecamatan for the office's summary
    region_code = models.CharField(max_length=20, db_index=True)
    kecamatan = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked at"))
    # the pendamping who answers; empty: the office of the regency answers
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    # when an answer is due (the category's target from asking, or from reopening); overdue = open and past it
    due_at = models.DateTimeField(_("answer due"))
    first_answered_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()
    # the public FAQ version, edited and reviewed by the office (anonymised); shown while published_at is set
    public_question = models.TextField(_("public question"), blank=True)
    public_answer = models.TextField(_("public answer"), blank=True)
    search_text = models.TextField(blank=True)  # normalised words of the public version (assistance.search)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["status", "due_at"], name="question_status_due"),
            models.Index(fields=["published_at"], name="question_published"),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message of a question's thread: the question itself first, then answers and replies."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    is_answer = models.BooleanField(default=False)  # written by the pendamping or the office
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(models.Model):
    """A file of a message, stored outside the static root and served only through an access-checked view."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="consultations/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name
