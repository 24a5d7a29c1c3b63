"""Who may see and change a village's roster (capabilities: `accounts.roles.Cap`; scope: `accounts.scope`).

- view (names, dusun, masked NIK): Cap.VIEW_PERSONAL on the village — its operator desa and pengurus, the camat
  and pendamping of its kecamatan, the office (admin dinas, pimpinan). The partner office (mitra) sees no roster.
- edit (add, change, retire, paste, OpenSID import) and the full NIK: Cap.EDIT on the village — its operator desa,
  the pendamping and camat of its kecamatan, admin dinas. Pengurus read the roster of their own village only: the
  village government keeps it (the same split as the Musdesus papers, `formation.policy.can_act`).
Anything else answers 404, as a village that does not exist.
"""

from __future__ import annotations

from django.http import Http404

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import in_scope
from kopdes.regions.models import Level, Region


def may_view(user, village_code: str) -> bool:
    return in_scope(user, village_code, Cap.VIEW_PERSONAL)


def may_edit(user, village_code: str) -> bool:
    return in_scope(user, village_code, Cap.EDIT)


def may_see_nik(user, village_code: str) -> bool:
    """The full NIK: only to those who edit the roster (`core.nik.display_nik`)."""
    return may_edit(user, village_code)


def village_for(user, village_code: str, *, edit: bool = False) -> Region:
    """The village (a Level.DESA region, desa or kelurahan) whose roster `user` may view (or edit); else Http404."""
    allowed = may_edit(user, village_code) if edit else may_view(user, village_code)
    if not allowed:
        raise Http404
    village = Region.objects.filter(code=village_code, level=Level.DESA).select_related("parent").first()
    if village is None:
        raise Http404
    return village
