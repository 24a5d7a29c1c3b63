"""A photo's EXIF position and time, read with Pillow from the bytes as uploaded (before `uploads.check_upload`
re-encodes the image and drops every piece of metadata).

The EXIF 2.3 tags read: GPSLatitudeRef/GPSLatitude and GPSLongitudeRef/GPSLongitude of the GPS IFD (degrees, minutes,
seconds as rationals; S and W negative) and DateTimeOriginal of the Exif IFD ("YYYY:MM:DD HH:MM:SS", the camera's own
clock, no zone), else DateTime of IFD0. A position is evidence the phone recorded, never proof of where the photo was
taken: EXIF can be edited."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from PIL import ExifTags, Image, ImageOps

logger = logging.getLogger(__name__)

GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132
QUANTUM = Decimal("0.000001")  # the models keep six decimals (about 11 cm)


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's EXIF says: latitude and longitude in decimal degrees (WGS 84; None when absent or invalid),
    and the time as the camera wrote it in ISO form "YYYY-MM-DDTHH:MM:SS" ("" when absent)."""

    latitude: Decimal | None = None
    longitude: Decimal | None = None
    taken_at: str = ""

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _degrees(value, ref) -> Decimal | None:
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref or "").strip().upper() in ("S", "W"):
        degrees = -degrees
    return Decimal(str(degrees)).quantize(QUANTUM)


def _time(text) -> str:
    if isinstance(text, bytes):
        text = text.decode("ascii", "ignore")
    try:
        return datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return ""


def read_photo_facts(data: bytes) -> PhotoFacts:
    """The EXIF position and time of a JPEG or PNG given as bytes; an empty `PhotoFacts` when the image has none or
    does not open (the upload checks refuse a broken image on their own)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            details = exif.get_ifd(ExifTags.IFD.Exif)
            taken = _time(details.get(DATETIME_ORIGINAL) or exif.get(DATETIME) or "")
    except Exception:  # noqa: BLE001 — any unreadable metadata simply means "no EXIF facts"
        logger.info("EXIF not readable", exc_info=True)
        return PhotoFacts()
    latitude = _degrees(gps.get(GPS_LATITUDE), gps.get(GPS_LATITUDE_REF)) if GPS_LATITUDE in gps else None
    longitude = _degrees(gps.get(GPS_LONGITUDE), gps.get(GPS_LONGITUDE_REF)) if GPS_LONGITUDE in gps else None
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        latitude = longitude = None
    return PhotoFacts(latitude=latitude, longitude=longitude, taken_at=taken)


def public_jpeg(data: bytes, *, longest_side: int = 1600, quality: int = 85) -> bytes:
    """A photo for the public pages: decoded, turned upright by its EXIF orientation, scaled so its longest side is
    at most `longest_side` pixels, and written as a new JPEG carrying no metadata at all (no EXIF, GPS, XMP, ICC
    profile or comment). Raises OSError/ValueError for bytes that are no image."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
    upright = upright.convert("RGB")
    upright.thumbnail((longest_side, longest_side))
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)  # a fresh image: no info dictionary is carried over
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()
