"""How the monthly returns' audit entries read (registered in ReturnsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register, register_group

register_group("returns", _("Monthly returns and Business Assistants"))

LABELS = {
    "created": _("periods opened"),
    "version": _("version"),
    "timeliness": _("timeliness"),
    "reason": _("reason"),
    "until": _("reopened until"),
    "period": _("month"),
    "started_on": _("started on"),
    "ended_on": _("ended on"),
    "kind": _("reminder"),
}
for action, phrase in [
    ("returns.ensure_periods", _("opened the months of the monthly returns %(object)s")),
    ("returns.submit_return", _("submitted the monthly return %(object)s")),
    ("returns.send_back", _("returned the monthly return %(object)s")),
    ("returns.reopen", _("reopened a closed month for %(object)s")),
    ("returns.assign", _("assigned a Business Assistant: %(object)s")),
    ("returns.unassign", _("ended a Business Assistant's assignment: %(object)s")),
    ("returns.submit_ba_report", _("submitted the BA's monthly report %(object)s")),
    ("returns.send_back_ba_report", _("returned the BA's monthly report %(object)s")),
    ("returns.accept_ba_report", _("accepted the BA's monthly report %(object)s")),
    ("returns.send_reminder", _("sent a reminder for the monthly return of %(object)s")),
]:
    register(action, phrase, group="returns", labels=LABELS, hidden={"user", "lines", "assistant", "items"})
