"""How the notifications' audit entries read (registered in NotificationsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

register(
    "notifications.set_email_preferences",
    _("changed the e-mail notification settings of %(object)s"),
    group="accounts",
    model="accounts.user",
)
