"""How the village roster's audit entries read (registered in PeopleConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register, register_group

register_group("people", _("Village people (roster)"))
LABELS = {"rows": _("rows"), "added": _("people added")}
for action, phrase in [
    ("people.create", _("added %(object)s to the village's roster")),
    ("people.update", _("changed %(object)s on the village's roster")),
    ("people.retire", _("took %(object)s off the village's roster")),
    ("people.form", _("added people to the roster of %(object)s from a form")),
    ("people.paste", _("added pasted rows to the roster of %(object)s")),
    ("people.opensid", _("brought rows of an OpenSID export into the roster of %(object)s")),
]:
    register(action, phrase, group="people", noun=_("person"), labels=LABELS)
