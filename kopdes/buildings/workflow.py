"""The building's track in one table: from the land to the first sale, village by village.

Each cooperative gets a physical gerai and warehouse with its equipment (Inpres 17/2025 *Gerai, Pergudangan, dan
Kelengkapan*), built by PT Agrinas Pangan Nusantara with the TNI on village or regency land, handed over after a
BPKP-reviewed handover (serah terima) and entered in the village's or the regency's asset register. A step counts once
the office verifies it, like the formation stages (`kopdes.formation.workflow`); construction is reported in the
SIMKOPDES bands ("Total Pembangunan hingga 20% / 21–50% / 51–75% / 76–99% / 100%"), each band backed by dated photos;
channels (LPG 3 kg and kerosene through Pertamina, SPHP rice through Bulog, fertiliser, pharmacy, clinic, others from
`ChannelKind`) each open on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Submitters(models.TextChoices):
    """Who may submit a step: the land by the village (operator desa, or the lurah's office on a kelurahan) or the
    office; the building's use by the cooperative's board (pengurus) or its assistant (pendamping)."""

    LAND = "land", _("Village operator or the office")
    COOPERATIVE = "cooperative", _("Cooperative board or its assistant")


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    label: str | Promise
    submitters: str
    date_label: str | Promise = _("Date")
    requires_file: bool = False
    requires_photo: bool = False  # construction bands: dated photos
    may_not_apply: bool = False  # may be marked "tidak berlaku" with a reason
    repeatable: bool = False  # submitted more than once (each band, each channel)


STEPS: tuple[Step, ...] = (
    Step(1, "lahan_diusulkan", _("Land proposed"), Submitters.LAND, date_label=_("Proposal date")),
    Step(
        2,
        "lahan_disurvei",
        _("Land surveyed, clear and clean, entered in the builder's portal"),
        Submitters.LAND,
        date_label=_("Survey date"),
        may_not_apply=True,
    ),
    Step(
        3,
        "pembangunan",
        _("Construction"),
        Submitters.COOPERATIVE,
        date_label=_("Photo date"),
        requires_photo=True,
        repeatable=True,
    ),
    Step(
        4,
        "serah_terima",
        _("Handover and asset register"),
        Submitters.COOPERATIVE,
        date_label=_("Handover date"),
        requires_file=True,
    ),
    Step(
        5,
        "kelengkapan",
        _("Equipment received"),
        Submitters.COOPERATIVE,
        date_label=_("Date received"),
        may_not_apply=True,
    ),
    Step(
        6,
        "kanal",
        _("Channels opened"),
        Submitters.COOPERATIVE,
        date_label=_("Date"),
        may_not_apply=True,
        repeatable=True,
    ),
    Step(7, "penjualan_pertama", _("First sale"), Submitters.COOPERATIVE, date_label=_("Date of the first sale")),
)
BY_NUMBER = {step.number: step for step in STEPS}
LAND_PROPOSED, LAND_SURVEYED, CONSTRUCTION, HANDOVER, EQUIPMENT, CHANNELS, FIRST_SALE = range(1, 8)
STEP_CHOICES = [(step.number, step.label) for step in STEPS]


def step(number: int) -> Step:
    return BY_NUMBER[number]


class Band(models.IntegerChoices):
    """The national construction bands (SIMKOPDES); the value is the band's upper bound in per cent."""

    UP_TO_20 = 20, _("0–20%")
    UP_TO_50 = 50, _("21–50%")
    UP_TO_75 = 75, _("51–75%")
    UP_TO_99 = 99, _("76–99%")
    DONE = 100, _("100%")


class LandOwner(models.TextChoices):
    """The land the building stands on: the village's or the regency's (Inpres 17/2025; no lease)."""

    VILLAGE = "village", _("Village (desa/kelurahan) land")
    REGENCY = "regency", _("Regency (pemda) land")


class AssetRegister(models.TextChoices):
    """Whose asset register the handed-over building is entered in."""

    VILLAGE = "village", _("Village asset register")
    REGENCY = "regency", _("Regency asset register")


class VehicleKind(models.TextChoices):
    """The equipment each cooperative receives: one truck, one 4×4 pickup, two three-wheelers (Inpres 17/2025)."""

    TRUCK = "truck", _("Truck")
    PICKUP = "pickup_4x4", _("4×4 pickup")
    THREE_WHEELER = "three_wheeler", _("Three-wheeler")


class ChannelState(models.TextChoices):
    """A channel's onboarding: registered (e.g. in SIMKOPDES for Pertamina), verified (e.g. in Digikop), active."""

    REGISTERED = "registered", _("Registered")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Active")


CHANNEL_ORDER = [ChannelState.REGISTERED, ChannelState.VERIFIED, ChannelState.ACTIVE]


class ExifSource(models.TextChoices):
    """Who read a photo's EXIF position and time: the server from the uploaded original, or the phone before sending
    (a browser or app that strips or resizes the photo loses them on the way)."""

    SERVER = "server", _("Read by the server from the original")
    PHONE = "phone", _("Read by the phone before sending")


class FundingSource(models.TextChoices):
    """Where a village's instalments come from: its Dana Desa share (PMK 7/2026 for 2026), or for a kelurahan the
    regency's transfers (DAU/DBH)."""

    DANA_DESA = "dana_desa", _("Village funds (Dana Desa)")
    REGENCY_TRANSFER = "regency_transfer", _("Regency transfers (DAU/DBH) for a kelurahan")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """A step as the building page shows it."""

    NOT_STARTED = "not_started", _("Not started")
    PENDING = "pending", _("Waiting for verification")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
