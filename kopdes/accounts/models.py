from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kopdes.accounts.roles import CAPABILITIES, Cap, Role
from kopdes.regions.models import Region


class User(AbstractUser):
    """An account. Deactivated (is_active=False), never deleted."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Demo accounts log in only outside production mode.
    is_demo = models.BooleanField(_("demo account"), default=False)
    # The address the user proved to receive mail at (a link sent there was opened); a changed `email` is unconfirmed
    # until confirmed again. Self-service password reset mails only a confirmed address.
    email_confirmed = models.EmailField(_("confirmed email"), blank=True)
    # `objects` is AbstractUser's UserManager (typed there for django-stubs)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def has_confirmed_email(self) -> bool:
        return bool(self.email) and self.email.lower() == self.email_confirmed.lower()

    def active_assignments(self) -> list["RoleAssignment"]:
        """Cached per user object: scope checks call this many times per request."""
        if not hasattr(self, "_active_assignments"):
            self._active_assignments = list(
                self.assignments.filter(ended_at__isnull=True).select_related("region").order_by("id")
            )
        return self._active_assignments


class RoleAssignment(models.Model):
    """A role on a region node. A user's scope is the union of its active assignments; ended ones are history."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty means the whole nation (national roles only)."),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        indexes = [models.Index(fields=["user", "ended_at"], name="assignment_active")]

    def __str__(self) -> str:
        where = self.region.display_name if self.region is not None else _("Indonesia")
        return f"{self.get_role_display()} — {where}"

    @property
    def sees_region(self) -> bool:
        """Whether the role reads its region's pages (a BA and a PMO hold a regency without reading it as a whole)."""
        return Cap.VIEW in CAPABILITIES.get(self.role, frozenset())

    @property
    def scope_code(self) -> str | None:
        """The region code this assignment covers; None is the whole nation."""
        return self.region.code if self.region is not None else None
