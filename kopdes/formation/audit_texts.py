"""How the formation's audit entries read (registered in FormationConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

LABELS = {
    "members": _("team members"),
    "invitees": _("invitees"),
    "date": _("date"),
    "time": _("time"),
    "place": _("place"),
    "cooperatives_created": _("cooperatives created"),
}
for action, phrase, group, noun in [
    ("formation.start_programme", _("started the programme for %(object)s"), "formation", ""),
    ("formation.submit_stage", _("submitted the evidence of a stage of %(object)s"), "formation", ""),
    ("formation.verify_stage", _("verified stage %(stage_raw)s (%(stage)s) of %(object)s"), "formation", ""),
    ("formation.return_stage", _("returned the evidence of a stage of %(object)s"), "formation", ""),
    ("formation.step_back", _("moved %(object)s back to stage %(stage_raw)s (%(stage)s)"), "formation", ""),
    ("formation.merge", _("merged %(object)s"), "formation", ""),
    (
        "formation.import_stage",
        _("recorded stage %(stage_raw)s (%(stage)s) of %(object)s from an import"),
        "formation",
        "",
    ),
    ("formation.save_team", _("saved the tim fasilitator of %(object)s"), "formation", ""),
    ("formation.schedule_musdesus", _("scheduled the Musdesus of %(object)s"), "formation", ""),
    ("formation.record_attendance", _("recorded the Musdesus attendance of %(object)s"), "formation", ""),
    ("formation.record_decisions", _("recorded the Musdesus decisions of %(object)s"), "formation", ""),
    ("formation.create_programme", _("created the programme %(object)s"), "settings", ""),
    ("formation.change_programme", _("changed the programme %(object)s"), "settings", _("programme")),
    ("formation.set_rule_severity", _("changed the severity of the rule %(object)s"), "settings", ""),
    ("formation.set_target", _("changed a target of the programme %(object)s"), "settings", ""),
    ("formation.save_business_unit", _("saved the business unit %(object)s"), "settings", ""),
]:
    register(action, phrase, group=group, noun=noun, labels=LABELS)
