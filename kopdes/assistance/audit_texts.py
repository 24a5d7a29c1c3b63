"""How the assistance's audit entries read (registered in AssistanceConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

LABELS = {
    "routed_to": _("routed to"),
    "follow_ups": _("follow-ups"),
    "added_follow_ups": _("follow-ups added"),
    "photos": _("photos"),
    "attendees": _("attendees"),
    "public_question": _("public question"),
    "public_answer": _("public answer"),
    "names_confirmed": _("names checked"),
    "published": _("published"),
}
for action, phrase, noun in [
    ("assistance.ask_question", _("asked the question %(object)s"), ""),
    ("assistance.answer_question", _("answered the question %(object)s"), ""),
    ("assistance.reply_question", _("replied to the question %(object)s"), ""),
    ("assistance.close_question", _("closed the question %(object)s"), ""),
    ("assistance.reopen_question", _("reopened the question %(object)s"), ""),
    ("assistance.publish_question", _("published the question %(object)s"), ""),
    ("assistance.unpublish_question", _("withdrew the publication of the question %(object)s"), ""),
    ("assistance.create_training", _("created the training %(object)s"), ""),
    ("assistance.update_training", _("changed the training %(object)s"), _("training")),
    ("assistance.cancel_training", _("cancelled the training %(object)s"), ""),
    ("assistance.record_attendance", _("recorded the attendance of the training %(object)s"), ""),
    ("assistance.withdraw_attendee", _("took %(object)s off an attendance list"), ""),
    ("assistance.upload_material", _("uploaded the material %(object)s"), ""),
    ("assistance.record_visit", _("recorded the visit %(object)s"), ""),
    ("assistance.update_visit", _("changed the visit %(object)s"), _("visit")),
    ("assistance.cancel_visit", _("cancelled the visit %(object)s"), ""),
    ("assistance.mark_follow_up_done", _("marked the follow-up %(object)s done"), ""),
]:
    register(action, phrase, group="assistance", noun=noun, labels=LABELS)
