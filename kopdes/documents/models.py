from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdes.regions.models import Region


class Letterhead(models.Model):
    """The kop surat and signature of a regency's (or province's) office, printed on every generated document."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    government = models.CharField(_("government"), max_length=200, help_text=_("e.g. PEMERINTAH KABUPATEN PASER"))
    office = models.CharField(_("office"), max_length=250)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("telephone, email, website"), max_length=300, blank=True)
    city = models.CharField(_("place of signing"), max_length=100, help_text=_("e.g. Tana Paser"))
    head_title = models.CharField(_("title of the head of office"), max_length=150, default="Kepala Dinas")
    head_name = models.CharField(_("name of the head of office"), max_length=150, blank=True)
    head_nip = models.CharField(_("NIP of the head of office"), max_length=30, blank=True)
    logo = models.FileField(_("logo (PNG or JPEG)"), upload_to="letterhead/", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return f"{self.government} — {self.office}"
