"""How the buildings' audit entries read (registered in BuildingsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from kopdes.audit.describe import register

LABELS = {
    "detail": _("detail"),
    "unpositioned_photos": _("photos without a position"),
    "files": _("files"),
    "regulation": _("regulation cited"),
    "schedule": _("schedule"),
    "exif_positions": _("photos with an EXIF position"),
    "file": _("file"),
    "is_public": _("public"),
}
for action, phrase in [
    ("buildings.submit_step", _("submitted the evidence of a building step of %(object)s")),
    ("buildings.verify_step", _("verified a building step of %(object)s")),
    ("buildings.return_step", _("returned the evidence of a building step of %(object)s")),
    ("buildings.save_instalments", _("saved the instalment plan of %(object)s")),
    ("buildings.photo_public", _("changed whether a building photo of %(object)s is public")),
    ("buildings.import_progress", _("imported a building step of %(object)s from the progress sheet")),
]:
    register(action, phrase, group="formation", labels=LABELS)
