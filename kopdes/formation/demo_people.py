"""The demo's people: one deterministic list per village, each person with one NIK used everywhere (Musdesus papers,
board seats, members, training attendance). Made-up people; their NIKs follow kopdes/cleaners/nik.py
(Permendagri 72/2019): the six region digits of the village's kecamatan, the birth date DDMMYY with 40 added to the
day for women, and a serial unique within the kecamatan (the village's number, then the person's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kopdes.cleaners.nik import FEMALE, MALE, region_digits_of

FIRST_NAMES = [
    ("Ahmad", MALE), ("Siti", FEMALE), ("Budi", MALE), ("Nurhayati", FEMALE), ("Rahmat", MALE), ("Dewi", FEMALE),
    ("Syamsul", MALE), ("Rina", FEMALE), ("Hendra", MALE), ("Wati", FEMALE), ("Yusuf", MALE), ("Fitri", FEMALE),
    ("Arif", MALE), ("Sri", FEMALE), ("Bambang", MALE), ("Lestari", FEMALE), ("Joko", MALE), ("Ani", FEMALE),
    ("Samsudin", MALE), ("Maryam", FEMALE), ("Irwan", MALE), ("Halimah", FEMALE),
]  # fmt: skip
LAST_NAMES = ["Saputra", "Hidayat", "Rahman", "Kurniawan", "Wahyuni", "Pratama", "Susanti", "Gunawan", "Rifai"]
PEOPLE_PER_VILLAGE = 40


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # L / P, as on the KTP
    born: date
    nik: str


def nik_for(region_code: str, sex: str, born: date, serial: int) -> str:
    """A NIK as the cleaner reads it: kecamatan digits of `region_code`, birth date (women: day + 40), serial 1–9999."""
    day = born.day + (40 if sex == FEMALE else 0)
    return f"{region_digits_of(region_code)}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def village_number(code: str) -> int:
    """1–99 within its kecamatan: desa 20xx → xx, kelurahan 10xx → 60 + xx."""
    last = int(code[-4:])
    return last % 100 + (60 if last < 2000 else 0)


def village_people(code: str, count: int = PEOPLE_PER_VILLAGE) -> list[Person]:
    """The first `count` people of the village (at most 99), always the same; names unique within the village."""
    offset = village_number(code) * 5
    people = []
    for i in range(min(count, 99)):
        first, sex = FIRST_NAMES[(i + offset) % len(FIRST_NAMES)]
        last = LAST_NAMES[(i + offset // len(FIRST_NAMES) + i // len(FIRST_NAMES)) % len(LAST_NAMES)]
        born = date(1960 + (i * 7 + offset) % 45, 1 + (i * 5) % 12, 1 + (i * 3 + offset) % 28)
        people.append(Person(f"{first} {last}", sex, born, nik_for(code, sex, born, village_number(code) * 100 + i)))
    return people
