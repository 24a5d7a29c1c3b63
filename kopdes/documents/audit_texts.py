"""How the documents' audit entries read (registered in DocumentsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

# entries written before issuers replaced the region letterheads keep reading as they did
register("documents.update_letterhead", _("changed the letterhead %(object)s"), group="settings", noun=_("letterhead"))
register("documents.update_issuer", _("changed the letterhead of %(object)s"), group="settings", noun=_("issuer"))
register("documents.save_signer", _("saved the signer %(object)s"), group="settings", noun=_("signer"))
register(
    "documents.issue_paper",
    _("issued the paper %(object)s"),
    group="settings",
    noun=_("paper"),
    labels={"number": _("number"), "date_of_issue": _("date of issue")},
)
register(
    "documents.plan_date_of_issue",
    _("set the planned date of issue of %(object)s"),
    group="settings",
    noun=_("paper"),
    labels={"planned_date": _("planned date of issue")},
)
