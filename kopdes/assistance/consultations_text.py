"""Text helpers of the public FAQ: redaction of personal data and an Indonesian word match for the search.

Redaction prepares a draft for the office, which reviews it before publishing; it is not trusted blindly, so
`personal_data_left` is checked again when publishing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

NAME_MARK = "[nama]"
NUMBER_MARK = "[nomor]"
PHONE_MARK = "[telepon]"
EMAIL_MARK = "[email]"
PLACE_MARK = "[desa]"

# what people put between the digits of a number: spaces, dots, slashes, brackets, hyphens and every dash (en, em,
# figure dash, minus), up to three in a row ("0812 - 3456 - 7890", "(0543) 21 234")
SEPARATOR = r"[\s.\-/()\u2010-\u2015\u2212]{0,3}"
# An Indonesian phone number: +62 or 62 (then a mobile 8) or a leading 0, then 8 to 12 more digits (a mobile
# 08xx-xxxx-xxxx has 10 to 13 digits; a landline its area code, (0543) 21234). The national numbering plan: Rencana
# Dasar Teknis Telekomunikasi Nasional (Permen Kominfo 14/2018).
PHONE = re.compile(
    rf"(?<![\w+])\(?(?:\+\s?62\)?{SEPARATOR}\d|62\)?{SEPARATOR}8|0{SEPARATOR}[1-9])(?:{SEPARATOR}\d){{7,11}}(?!\d)"
)
# 8 or more digits, possibly broken by one space, dot, hyphen or dash: NIK (16), KK, account numbers
LONG_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[\s.\-\u2010-\u2015\u2212]?\d){7,}(?![\w])")
# an amount in Indonesian thousands ("10.000.000", "1.500.000,00"): money, not a personal number
AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
# a date ("05-06-2025", "5.6.2025"): not a personal number
DATE = re.compile(r"\d{1,2}([-./])\d{1,2}\1\d{4}")
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
MIN_NAME_WORD = 3


def _name_words(name: str) -> list[str]:
    return [word for word in re.split(r"[\s,]+", name or "") if word]


def split_known_names(names: list[str], places: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """The people the system knows in a village (`formation.known_people`), split into full names (two words or more:
    removed automatically) and single-word names (shown to the publisher, who confirms each). A name made only of
    role words and the `places`' words ("Operator Desa Janju") is no person's name; a single word shorter than three
    letters or a role word is never a name to look for."""
    place_words = {word.casefold() for place in places for word in _name_words(place)}
    full: dict[str, str] = {}
    single: dict[str, str] = {}
    for name in names:
        words = _name_words(name)
        personal = [w for w in words if w.casefold().strip(".") not in GENERIC_WORDS | place_words]
        if not personal:
            continue
        if len(words) >= 2:
            full.setdefault(" ".join(words).casefold(), " ".join(words))
        elif len(words[0]) >= MIN_NAME_WORD:
            single.setdefault(words[0].casefold(), words[0])
    return sorted(full.values(), key=len, reverse=True), sorted(single.values(), key=str.casefold)


WORD = re.compile(r"\w+")
# what may stand between the words of a name in a text: spaces, line breaks, the dot of "H. Ahmad", an apostrophe
NAME_GAP = re.compile(r"[\s.'’]+")


def _replace_names(text: str, names: list[str]) -> str:
    """`text` with every occurrence of one of `names` (whole words, any case, any spacing) replaced by [nama], the
    longest name first. A scan of the text's words against an index of first words: linear in the text and the
    number of names (a village's thousands of members), where one alternation pattern of them took seconds."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(word.casefold() for word in WORD.findall(name))
        if words:
            index.setdefault(words[0], []).append(words)
    for candidates in index.values():
        candidates.sort(key=len, reverse=True)
    tokens = list(WORD.finditer(text))
    spans, i = [], 0
    while i < len(tokens):
        for words in index.get(tokens[i].group().casefold(), ()):
            n = len(words)
            if i + n <= len(tokens) and all(
                tokens[i + k].group().casefold() == words[k]
                and (k == 0 or NAME_GAP.fullmatch(text[tokens[i + k - 1].end() : tokens[i + k].start()]))
                for k in range(n)
            ):
                spans.append((tokens[i].start(), tokens[i + n - 1].end()))
                i += n
                break
        else:
            i += 1
    for begin, finish in reversed(spans):
        text = text[:begin] + NAME_MARK + text[finish:]
    return text


def _long_number(match: re.Match) -> str:
    kept = AMOUNT.fullmatch(match.group()) or DATE.fullmatch(match.group())
    return match.group() if kept else NUMBER_MARK


def redact(text: str, names: Sequence[str] = (), places: Sequence[str] = (), full_names: Sequence[str] = ()) -> str:
    """A draft public version of `text`: phone numbers, NIK-like digit runs, emails, titled names, the `full_names` of
    people known in the village (whole, any case) and the given `names` (the people of the thread; each word of three
    letters or more, whole words, any case) replaced, and the `places` (the village's name) marked [desa]."""
    text = EMAIL.sub(EMAIL_MARK, text or "")
    text = PHONE.sub(PHONE_MARK, text)
    text = LONG_NUMBER.sub(_long_number, text)
    text = TITLED_NAME.sub(NAME_MARK, text)
    text = _replace_names(text, list(full_names))
    for place in places:
        if place:
            text = re.sub(rf"(?<!\w){re.escape(place)}(?!\w)", PLACE_MARK, text, flags=re.IGNORECASE)
    words = {w for name in names for w in re.split(r"[\s.,]+", name or "") if len(w) >= MIN_NAME_WORD}
    for word in sorted(words, key=len, reverse=True):
        if word.casefold() in GENERIC_WORDS:
            continue
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_MARK, text, flags=re.IGNORECASE)
    return re.sub(rf"{re.escape(NAME_MARK)}(?:\s+{re.escape(NAME_MARK)})+", NAME_MARK, text)


def single_names_in(text: str, single_names: list[str]) -> list[str]:
    """The single-word known names that occur in `text` (whole words, any case), as listed: the publisher confirms
    each before publishing (a single word may be a person or an ordinary word: "Jaya", "Sari")."""
    folded = {word.casefold() for word in re.findall(r"\w+", text or "")}
    return [name for name in single_names if name.casefold() in folded]


def personal_data_left(text: str, names: Sequence[str] = (), full_names: Sequence[str] = ()) -> bool:
    """Whether a public text still holds a phone number, a NIK-like digit run, an email, one of the thread's `names`
    or a known person's full name (`full_names`)."""
    return redact(text, names, full_names=full_names) != (text or "")


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
