"""Every Indonesian term the code uses is in docs/glossary.md with its meaning: the values of the choices (stored in the
database, so read by anyone who queries it), the Indonesian words a choice's English label quotes in parentheses, and
the words of the addresses (URL paths are in Indonesian, the language of the people who read them).

A word passes when the glossary's term column holds it, or when it is an English word of the code (ENGLISH) or a
format's name (FORMATS)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kopdes"
WORD = re.compile(r"[a-z]+")
# English words of the code: stored values named in English though their label says something else ("pending" is
# "Waiting for verification"), addresses kept in English (audit, login, reset), "(read-only)" in a label
ENGLISH = {
    *"applied asked audit batch biweekly bylaws email founder invalid label leader login off only open own".split(),
    *"paste pending previewed read requested reset status step superseded land buildings".split(),
    "x",  # the "×" of "4×4" (a pickup with four-wheel drive)
}
# names of formats, of the API's version ("v1") and of the IANA time zones stored on provinces ("Asia/Makassar")
FORMATS = {"csv", "json", "pdf", "xlsx", "whatsapp", "v", "asia", "jakarta", "makassar", "jayapura"}


def production_modules() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "conftest.py"
    ]


def _text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args:  # _("…"), gettext_lazy("…"), pgettext_lazy(context, "…")
        return _text(node.args[-1])
    return None


def choice_terms(tree: ast.AST) -> dict[str, set[str]]:
    """word -> where it was seen, for the values of every *Choices class and the parenthesised words of its labels."""
    found: dict[str, set[str]] = {}
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        if not any(getattr(base, "attr", getattr(base, "id", "")).endswith("Choices") for base in cls.bases):
            continue
        for statement in cls.body:
            if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple)):
                continue
            value, *rest = statement.value.elts
            label = (_text(rest[-1]) or "") if rest else ""
            english = set(WORD.findall(re.sub(r"\([^)]*\)", " ", label).lower()))
            # the value's words its English label does not spell out ("pending" is, "pendirian_baru" is not)
            words = [word for word in WORD.findall((_text(value) or "").lower()) if word not in english]
            # a short aside in the label's parentheses quotes the Indonesian term: "Chair (ketua)"; a longer one or a
            # list explains in English: "(may be shown in aggregated reports)", "(personal data, e.g. KTP scans)"
            for aside in re.findall(r"\(([^)]*)\)", label):
                if "," not in aside and len(aside.split()) <= 3:
                    words += WORD.findall(aside.lower())
            for word in words:
                found.setdefault(word, set()).add(f"{cls.name}.{statement.targets[0].id}")
    return found


def url_terms(tree: ast.AST) -> dict[str, set[str]]:
    """word -> the paths it was seen in, for every path("…") (urls modules, and views that list
    their own urlpatterns)."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "path" and node.args:
            route = _text(node.args[0])
            if route is None:
                continue
            for word in WORD.findall(re.sub(r"<[^>]*>", " ", route).lower()):
                found.setdefault(word, set()).add(route)
    return found


def code_terms() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in production_modules():
        tree = ast.parse(path.read_text(), str(path))
        for word, seen in [*choice_terms(tree).items(), *url_terms(tree).items()]:
            found.setdefault(word, set()).update(seen)
    return found


def glossary_words() -> set[str]:
    """The words of the term column of docs/glossary.md's tables (lower case)."""
    words = set()
    for line in (ROOT / "docs" / "glossary.md").read_text().splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            words |= set(WORD.findall(line.split("|")[1].lower()))
    return words


def test_every_indonesian_term_of_the_code_is_in_the_glossary():
    terms = code_terms()
    missing = {
        word: sorted(seen)[:3]
        for word, seen in terms.items()
        if word not in glossary_words() and word not in ENGLISH and word not in FORMATS
    }

    assert {"pendirian", "revitalisasi", "bendahara", "ubah", "tambah", "impor", "tanya"} <= set(terms)
    assert missing == {}, "add these to docs/glossary.md (or, if English, to ENGLISH)"


def test_the_collector_reads_values_quoted_terms_and_address_words():
    source = """
class Position(models.TextChoices):
    KETUA = "ketua", _("Chair (ketua)")
    PENDING = "pending", _("Waiting for verification")
    ON_TIME = "on_time", _("On time")
    PUBLIC = "public", _("Public (may be shown in aggregated reports)")

urlpatterns = [path("koperasi/<int:pk>/anggota/tambah/", view), path("dasbor/<str:code>/unduh/", view)]
"""
    tree = ast.parse(source)

    assert set(choice_terms(tree)) == {"ketua", "pending"}  # "on_time" is its label; the long aside is English
    assert set(url_terms(tree)) == {"koperasi", "anggota", "tambah", "dasbor", "unduh"}
