"""How the documents' audit entries read (registered in DocumentsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

register("documents.update_letterhead", _("changed the letterhead %(object)s"), group="settings", noun=_("letterhead"))
