"""Stage labels as the offices' clerks write them, read into a stage of the formation workflow (0–11) and how sure
the reading is.

Understood exactly: the stage number ("4", "Tahap 4"), the workflow's own keys, and the clerks' forms of a stage's
name — capitals and punctuation ignored ("MUSDESUS SELESAI", "Musdesus sdh dilaksanakan", "✓ SK AHU"),
abbreviations expanded (sdh, tlh, blm, dlm, tdk), and the words that say a step is done dropped (selesai, terlaksana,
dilaksanakan, rampung, sudah, telah, ok, ✓ …).

Inferred (to be confirmed by a person, never applied silently): a step under way — "proses X", "sedang X",
"dalam proses X", "menunggu X", "belum X" — means X is NOT reached: the reading is the stage before X; and a name
close to a known one but not equal (a typo). Unknown: anything else.

The stage numbers are those of `kopdes.formation.workflow.STAGES` (a test holds the two together; this module may
not import the workflow: cleaners stand below the record).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kopdes.cleaners.text import norm

EXACT, INFERRED, UNKNOWN = "exact", "inferred", "unknown"

# Stage -> the names of its step as offices write them (normalised: lower case ASCII, single spaces).
STAGE_NAMES: dict[int, tuple[str, ...]] = {
    0: ("belum", "belum mulai", "belum dimulai", "belum ada", "belum ada kegiatan", "belum sosialisasi"),
    1: ("sosialisasi", "tahap sosialisasi"),
    2: ("tim fasilitator", "tim", "sk tim", "pembentukan tim", "pembentukan tim fasilitator", "sk tim fasilitator"),
    3: ("musdesus dijadwalkan", "jadwal musdesus", "dijadwalkan", "rencana musdesus", "musdes dijadwalkan",
        "musdesus terjadwal", "penjadwalan musdesus"),
    4: ("musdesus", "musdes", "musdeskel", "musyawarah desa khusus", "musdesus kel", "musyawarah desa"),
    5: ("rapat pendirian", "rapat anggota pendirian", "rapat pembentukan"),
    6: ("nama dipesan", "pemesanan nama", "pesan nama", "sabh", "nama", "nama koperasi dipesan"),
    7: ("akta notaris", "akta", "akta pendirian", "notaris", "akta notaris pendirian"),
    8: ("sk ahu", "berbadan hukum", "badan hukum", "sk kemenkum", "sk kemenkumham", "ahu", "sk badan hukum",
        "pengesahan badan hukum"),
    9: ("legalitas usaha", "nib", "izin usaha", "perizinan usaha"),
    10: ("simkopdes", "terdaftar simkopdes", "registrasi simkopdes"),
    11: ("beroperasi", "operasional", "gerai beroperasi", "gerai buka", "sudah operasional"),
}  # fmt: skip
# The workflow's own keys (formation.workflow.STAGES), understood as written.
WORKFLOW_KEYS = {
    "belum mulai": 0, "sosialisasi": 1, "tim fasilitator": 2, "musdesus dijadwalkan": 3, "musdesus terlaksana": 4,
    "rapat pendirian": 5, "nama dipesan": 6, "akta notaris": 7, "berbadan hukum": 8, "legalitas usaha": 9,
    "terdaftar simkopdes": 10, "beroperasi": 11,
}  # fmt: skip
ABBREVIATIONS = {
    "sdh": "sudah", "sdah": "sudah", "udah": "sudah", "tlh": "telah", "blm": "belum", "blum": "belum",
    "dlm": "dalam", "tdk": "tidak", "sdg": "sedang", "proses": "proses", "prs": "proses", "msdes": "musdes",
    "musdesu": "musdesus", "kemenkumham": "kemenkumham", "ok": "ok", "oke": "ok",
}  # fmt: skip
DONE_WORDS = frozenset(
    "sudah telah selesai terlaksana dilaksanakan dilakukan terlaksanakan rampung ok done beres terbit diterbitkan "
    "terbentuk dibentuk terdaftar didaftarkan tuntas lengkap".split()
)
NOISE_WORDS = frozenset("tahap tahapan status progres progress pada".split())
# Words that say the named step is under way or awaited — not reached (longest first).
NOT_REACHED = (
    "dalam proses", "sedang proses", "sedang dalam proses", "on progress", "on process", "in progress", "proses",
    "sedang", "menunggu", "belum", "pengajuan", "diajukan", "mengajukan", "persiapan", "dalam",
)  # fmt: skip
_CHECK_MARKS = re.compile(r"[✓✔☑√]")
_NUMBER = re.compile(r"^(?:tahap(?:an)? )?(\d{1,2})$")
_LOOKUP = {name: stage for stage, names in STAGE_NAMES.items() for name in names}
for _key, _stage in WORKFLOW_KEYS.items():
    _LOOKUP.setdefault(_key, _stage)
LAST = max(STAGE_NAMES)


@dataclass(frozen=True)
class StageReading:
    """What a label means: `stage` the workflow stage it puts the village at (None: not understood), `certainty`
    EXACT / INFERRED / UNKNOWN, `label` the label's key (normalised: rows written alike share one decision),
    `named` the stage the label names (for "proses akta": 7, while `stage` is 6), `reached` whether the label says
    the named step is done."""

    stage: int | None
    certainty: str
    label: str
    named: int | None = None
    reached: bool = True


def label_key(value) -> str:
    """The key a label is grouped and remembered by: normalised words, abbreviations expanded, ✓ as "ok"."""
    text = _CHECK_MARKS.sub(" ok ", str(value))
    return " ".join(ABBREVIATIONS.get(word, word) for word in norm(text).split())


def _strip_markers(words: list[str]) -> tuple[list[str], bool]:
    """The words without leading or trailing not-reached markers, and whether there were any."""
    found = False
    changed = True
    while changed and words:
        changed = False
        for marker in NOT_REACHED:
            parts = marker.split()
            if words[: len(parts)] == parts and len(words) > len(parts):
                words, found, changed = words[len(parts) :], True, True
                break
            if words[-len(parts) :] == parts and len(words) > len(parts):
                words, found, changed = words[: -len(parts)], True, True
                break
    return words, found


def _subject(words: list[str]) -> tuple[int | None, bool]:
    """The stage the words name (done and noise words dropped), and whether it was found only by a close match."""
    core = " ".join(w for w in words if w not in DONE_WORDS and w not in NOISE_WORDS)
    if core in _LOOKUP:
        return _LOOKUP[core], False
    close = difflib.get_close_matches(core, list(_LOOKUP), n=1, cutoff=0.85) if len(core) > 3 else []
    return (_LOOKUP[close[0]], True) if close else (None, False)


def read_stage(value) -> StageReading:
    """The reading of a stage cell (text or number); never raises: what is not understood is UNKNOWN."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        stage = value if 0 <= value <= LAST else None
        return StageReading(stage, EXACT if stage is not None else UNKNOWN, str(value), stage)
    if str(value).strip() in ("-", "–", "—"):
        return StageReading(0, EXACT, "-", 0)
    key = label_key(value)
    if match := _NUMBER.match(key):
        stage = int(match.group(1))
        return StageReading(stage, EXACT, key, stage) if stage <= LAST else StageReading(None, UNKNOWN, key)
    if key in _LOOKUP:
        return StageReading(_LOOKUP[key], EXACT, key, _LOOKUP[key])
    words, under_way = _strip_markers(key.split())
    named, close_only = _subject(words)
    if named is None:
        return StageReading(None, UNKNOWN, key)
    if under_way:
        return StageReading(max(named - 1, 0), INFERRED, key, named, reached=False)
    return StageReading(named, INFERRED if close_only else EXACT, key, named)


def examples() -> str:
    """A few labels per stage, for a message that lists what is understood."""
    return "; ".join(f"{stage}: {', '.join(names[:3])}" for stage, names in STAGE_NAMES.items())
