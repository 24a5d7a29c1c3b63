"""How the registry's audit entries read (registered in CooperativesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

MODELS = {"cooperative": "cooperatives.cooperative", "board": "cooperatives.boardmember"}
MODELS |= {"member": "cooperatives.member", "outlet": "cooperatives.outlet", "rat": "cooperatives.annualmeeting"}
for action, phrase, noun in [
    ("cooperative.profile_update", _("changed the profile of %(object)s"), _("cooperative")),
    ("board.seat_add", _("added %(object)s to the board"), ""),
    ("board.seat_end", _("ended the board seat of %(object)s"), ""),
    ("member.add", _("added the member %(object)s"), ""),
    ("member.update", _("changed the data of the member %(object)s"), _("member")),
    ("member.left", _("recorded that the member %(object)s left"), ""),
    ("member.rejoin", _("recorded that the member %(object)s joined again"), ""),
    ("outlet.add", _("added the outlet %(object)s"), ""),
    ("outlet.update", _("changed the data of the outlet %(object)s"), _("outlet")),
    ("rat.record", _("recorded the %(object)s"), ""),
]:
    register(action, phrase, group="registry", noun=noun, model=MODELS[action.split(".")[0]])
