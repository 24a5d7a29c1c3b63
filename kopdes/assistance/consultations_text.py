"""Text helpers of the public FAQ: redaction of personal data and an Indonesian word match for the search.

Redaction prepares a draft for the office, which reviews it before publishing; it is not trusted blindly, so
`personal_data_left` is checked again when publishing.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MARK = "[nama]"
NUMBER_MARK = "[nomor]"
PHONE_MARK = "[telepon]"
EMAIL_MARK = "[email]"
PLACE_MARK = "[desa]"

# 8 or more digits, possibly broken by spaces, dots or dashes: NIK (16), KK, account and phone numbers
LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[\s.\-]?\d){7,}(?![\w])")
PHONE = re.compile(r"(?<![\w])(?:\+62[\s.\-]?|62|0)8\d{1,2}(?:[\s.\-]?\d){5,10}(?![\w])")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a title followed by one to three capitalised words: "Pak Budi", "Ibu Siti Aminah", "Sdr. Rahmat"
TITLED_NAME = re.compile(
    r"\b(?:Pak|Bapak|Bpk\.?|Bu|Ibu|Sdr\.?|Sdri\.?|Saudara|Saudari|Mas|Mbak|Kak|H\.|Hj\.)\s+"
    r"(?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,2}"
)


# words of account names that are roles or places, not a person's name ("Operator Desa Janju"): kept in the text
GENERIC_WORDS = frozenset(
    "admin dinas desa kelurahan kecamatan kabupaten operator pendamping camat pimpinan mitra kepala koperasi "
    "pengurus pengawas ketua sekretaris bendahara kantor bapak ibu".split()
)


def redact(text: str, names: list[str] = (), places: list[str] = ()) -> str:
    """A draft public version of `text`: phone numbers, NIK-like digit runs, emails, titled names and the given
    `names` (the people of the thread; each word of three letters or more, whole words, any case) replaced, and the
    `places` (the village's name) marked [desa]."""
    text = EMAIL.sub(EMAIL_MARK, text or "")
    text = PHONE.sub(PHONE_MARK, text)
    text = LONG_NUMBER.sub(NUMBER_MARK, text)
    text = TITLED_NAME.sub(NAME_MARK, text)
    for place in places:
        if place:
            text = re.sub(rf"(?<!\w){re.escape(place)}(?!\w)", PLACE_MARK, text, flags=re.IGNORECASE)
    words = {w for name in names for w in re.split(r"[\s.,]+", name or "") if len(w) >= 3}
    for word in sorted(words, key=len, reverse=True):
        if word.casefold() in GENERIC_WORDS:
            continue
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_MARK, text, flags=re.IGNORECASE)
    return re.sub(rf"{re.escape(NAME_MARK)}(?:\s+{re.escape(NAME_MARK)})+", NAME_MARK, text)


def personal_data_left(text: str, names: list[str] = ()) -> bool:
    """Whether a public text still holds a phone number, a NIK-like digit run, an email or one of `names`."""
    return redact(text, names) != (text or "")


# --- search -----------------------------------------------------------------------------------------------------

PARTICLES = ("nya", "lah", "kah", "pun")
SUFFIXES = ("kan", "an", "i")
MIN_STEM = 4


def fold(text: str) -> str:
    """Lower case without accents: 'Koperasi Désa' -> 'koperasi desa'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _strip_prefix(word: str) -> str:
    # nasal prefixes change the root's first letter: menyimpan -> simpan, memakai -> pakai, menulis -> tulis,
    # mengurus -> urus / kurus (the vowel case keeps the root: mengurus -> urus)
    for prefix in ("meny", "peny"):
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM - 1:
            return "s" + word[len(prefix) :]
    for prefix in ("meng", "peng", "mem", "pem", "men", "pen", "ber", "per", "ter", "me", "pe", "be", "di", "ke", "se"):
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            rest = word[len(prefix) :]
            if prefix in ("mem", "pem") and rest[0] in "aiueo":
                return "p" + rest
            if prefix in ("men", "pen") and rest[0] in "aiueo":
                return "t" + rest
            return rest
    return word


def stem(word: str) -> str:
    """A light Indonesian stem for matching only (not a dictionary stemmer): a particle or possessive (-nya, -lah,
    -kah, -pun), then one prefix (ber-/me-/di-/ter-/pe-/ke-/se-, with the nasal changes of me-/pe-), then up to two
    suffixes (-kan/-an/-i) are stripped while four letters or more remain. It over-strips roots ending in -an or -i
    (simpan -> simp), but does so on both sides: the FAQ and the query meet (pendirian, mendirikan -> diri)."""
    word = fold(word)
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            word = word[: -len(particle)]
            break
    word = _strip_prefix(word)
    for _round in range(2):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def search_text(*parts: str) -> str:
    """The stored search field: every stem once, space-separated and padded (' simpan wajib anggota ')."""
    stems = dict.fromkeys(stem(w) for part in parts for w in words(part))
    return " " + " ".join(stems) + " "


def query_stems(query: str) -> list[str]:
    return list(dict.fromkeys(stem(w) for w in words(query)))[:10]
