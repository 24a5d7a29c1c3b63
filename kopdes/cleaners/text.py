"""Names and free text: spaces collapsed, and `norm`, the key that headers, labels and place names are matched by."""

from __future__ import annotations

import re
import unicodedata


def norm(text) -> str:
    """Lower case ASCII words separated by single spaces: for matching headers, labels and village names
    ("Desa  Sungai-Tuak" -> "desa sungai tuak"; accents dropped)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value) -> str:
    """A cell's text with single spaces; a whole number typed into a number cell loses its ".0" (RT 3.0 -> "3")."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return " ".join(str(value).split())


def clean_name(value) -> str:
    """A person's name: stripped, single spaces; a name written all in capitals is shown in title case
    ("SITI  AMINAH" -> "Siti Aminah"); a name in mixed case is kept as written."""
    text = " ".join(str(value).split())
    if text.isupper():
        text = " ".join(word[:1] + word[1:].lower() for word in text.split(" "))
    return text


def name_key(name: str) -> str:
    """A name as compared across lists: no accents, punctuation or titles' dots, lower case, single spaces."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())
