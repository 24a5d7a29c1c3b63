"""How the API's audit entries read (registered in ApiConfig.ready, see kopdes/audit/describe.py)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

register("api.create_token", _("created the API token %(object)s"), group="accounts")
register("api.revoke_token", _("revoked the API token %(object)s"), group="accounts")
