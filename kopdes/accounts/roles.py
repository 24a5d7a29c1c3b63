"""The roles (docs/glossary.md): what each may do and on which level of the region tree it is assigned."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.regions.models import Level


class Role(models.TextChoices):
    ADMIN_DINAS = "admin_dinas", _("Office administrator")
    PIMPINAN = "pimpinan", _("Leadership")
    MITRA = "mitra", _("Partner office (read-only)")
    CAMAT = "camat", _("Camat / district operator")
    OPERATOR_DESA = "operator_desa", _("Village operator")
    PENDAMPING = "pendamping", _("Facilitator (pendamping)")
    PENGURUS = "pengurus", _("Cooperative board (pengurus)")
    # Contracted by the provincial office, directed by the regency's: works on the cooperatives it is assigned to
    # (dated rows, kopdes/returns), never on the regency as a whole.
    BUSINESS_ASSISTANT = "business_assistant", _("Business Assistant (BA)")
    # Project Management Officer: reads and recaps the regency's BA reports.
    PMO = "pmo", _("Project Management Officer (PMO)")


class Cap:
    VIEW = "view"
    VIEW_PERSONAL = "view_personal"  # names of people; NIKs still masked
    EDIT = "edit"
    VERIFY = "verify"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    # A Business Assistant's work: only on the cooperatives assigned to it (not a region subtree for VIEW or EDIT).
    ASSIST = "assist"
    # The PMO's reading of the regency's BA reports and the cooperatives' returns, for its recap.
    RECAP = "recap"


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN_DINAS: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL, Cap.EDIT, Cap.VERIFY, Cap.MANAGE_USERS, Cap.VIEW_AUDIT}),
    Role.PIMPINAN: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL}),
    Role.MITRA: frozenset({Cap.VIEW}),
    Role.CAMAT: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL, Cap.EDIT, Cap.MANAGE_USERS}),
    Role.OPERATOR_DESA: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL, Cap.EDIT}),
    Role.PENDAMPING: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL, Cap.EDIT}),
    Role.PENGURUS: frozenset({Cap.VIEW, Cap.VIEW_PERSONAL}),
    Role.BUSINESS_ASSISTANT: frozenset({Cap.ASSIST}),
    Role.PMO: frozenset({Cap.RECAP}),
}

# Which region levels each role may be assigned on. None means the whole nation (no region).
ALLOWED_LEVELS: dict[str, frozenset[int | None]] = {
    Role.ADMIN_DINAS: frozenset({None, Level.PROVINSI, Level.KABUPATEN}),
    Role.PIMPINAN: frozenset({None, Level.PROVINSI, Level.KABUPATEN}),
    Role.MITRA: frozenset({None, Level.PROVINSI, Level.KABUPATEN}),
    Role.CAMAT: frozenset({Level.KECAMATAN}),
    Role.OPERATOR_DESA: frozenset({Level.DESA}),
    Role.PENDAMPING: frozenset({Level.KECAMATAN, Level.DESA}),
    Role.PENGURUS: frozenset({Level.DESA}),
    Role.BUSINESS_ASSISTANT: frozenset({Level.KABUPATEN}),
    Role.PMO: frozenset({Level.KABUPATEN}),
}

# Roles a manager may create, deactivate and reset inside its own scope.
MANAGEABLE_ROLES: dict[str, frozenset[str]] = {
    Role.ADMIN_DINAS: frozenset(Role.values),
    Role.CAMAT: frozenset({Role.OPERATOR_DESA}),
}
