"""How the imports' audit entries read (registered in ImportsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

LABELS = {
    "new": _("new rows"),
    "changed": _("changed rows"),
    "unchanged": _("unchanged rows"),
    "not_applied": _("rows not applied"),
    "warnings": _("warnings"),
    "new_rows": _("new rows (first ones)"),
    "changed_rows": _("changed rows"),
    "board_changes": _("board changes"),
    "left_out_rows": _("rows left out"),
    "mapping": _("columns"),
    "columns": _("columns chosen"),
    "labels": _("stage labels"),
}
for action, phrase in [
    ("imports.members", _("imported members from the file %(object)s")),
    ("imports.village_status", _("imported village stages from the file %(object)s")),
    ("imports.buildings", _("imported building progress from the file %(object)s")),
    ("imports.map_columns", _("matched the columns of the file %(object)s")),
    ("imports.stage_labels", _("decided the stage labels of the file %(object)s")),
]:
    register(action, phrase, group="imports", labels=LABELS)
