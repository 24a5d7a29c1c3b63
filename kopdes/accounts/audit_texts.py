"""How the accounts' audit entries read (registered in AccountsConfig.ready, see kopdes/audit/describe.py)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register, register_value_reader

ACCOUNT = _("account")

for action, phrase in [
    ("accounts.create_user", _("created the account %(object)s")),
    ("accounts.activate_user", _("activated the account %(object)s")),
    ("accounts.deactivate_user", _("deactivated the account %(object)s")),
    ("accounts.reset_password", _("reset the password of the account %(object)s")),
    ("accounts.assign_role", _("gave the account %(object)s a role")),
    ("accounts.end_assignment", _("ended a role of the account %(object)s")),
    ("accounts.change_password", _("changed the password of the account %(object)s")),
    ("accounts.reset_password_by_email", _("reset the password of the account %(object)s by e-mail")),
    ("accounts.login", _("signed in")),
    ("accounts.logout", _("signed out")),
    ("accounts.login_failed", _("failed to sign in as %(object)s")),
    ("accounts.enable_second_factor", _("turned on two-step verification for the account %(object)s")),
    ("accounts.renew_recovery_codes", _("renewed the recovery codes of the account %(object)s")),
    ("accounts.disable_second_factor", _("turned off two-step verification for the account %(object)s")),
    ("accounts.reset_second_factor", _("reset two-step verification of the account %(object)s")),
    ("accounts.set_email", _("changed the e-mail address of the account %(object)s")),
    ("accounts.confirm_email", _("confirmed the e-mail address of the account %(object)s")),
]:
    register(
        action,
        phrase,
        group="accounts",
        noun=ACCOUNT if action == "accounts.set_email" else "",
        model="accounts.user",
        labels={"second_factor": _("two-step verification"), "recovery_codes": _("recovery codes")},
    )


def _user_names(values: set[str]) -> dict[str, str]:
    from kopdes.accounts.models import User

    ids = [v for v in values if v.isdigit()]
    return {str(user.pk): str(user) for user in User.objects.filter(pk__in=ids)}


register_value_reader(["routed_to"], _user_names)
