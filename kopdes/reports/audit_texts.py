"""How the camat reports' audit entries read (registered in ReportsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

LABELS = {"timeliness": _("timeliness"), "created": _("periods opened"), "kind": _("reminder")}
for action, phrase in [
    ("reports.ensure_periods", _("opened the report periods of %(object)s")),
    ("reports.save_draft", _("saved a draft of the report %(object)s")),
    ("reports.submit_report", _("submitted the report %(object)s")),
    ("reports.start_new_version", _("started a new version of the report %(object)s")),
    ("reports.accept_report", _("accepted the report %(object)s")),
    ("reports.return_report", _("returned the report %(object)s")),
    ("reports.send_reminder", _("sent a reminder for the report %(object)s")),
]:
    register(action, phrase, group="reports", labels=LABELS, hidden={"user"})
