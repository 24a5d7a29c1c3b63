"""Comments and docstrings cite nothing a reader of the repository cannot open: no issue numbers (the tracker is not
part of a clone, and a number says nothing about why), no documents kept beside the project (the brief, its research
notes), no Markdown file the repository does not hold. Public sources (a regulation such as "Permen Koperasi 8/2021"
or "Inpres 9/2025") are fine: anyone can look them up. A comment says why in its own words."""

from __future__ import annotations

import re

from django.conf import settings

from kopdes.tests.test_self_contained import project_files

BASE = settings.BASE_DIR
CODE = ("*.py", "*.html", "*.txt", "*.js", "*.toml", "*.cfg", "*.sh", "Makefile")
# "issue 13", "issues 6", "Issue 13's row", "issue 13 §3", "PR 4", "#12" after a space or "(" (a CSS colour such as
# #555 is preceded by ": " too, so the hash form is only looked for in Python)
ISSUE = re.compile(r"\b(?:issues?|PR|pull request)\s*#?\d+", re.IGNORECASE)
HASH_NUMBER = re.compile(r"(?:^|[\s(])#\d{1,4}\b(?![0-9a-fA-F,])")
# documents kept beside the project, by path or by name
BESIDE = re.compile(r"\.\./shared\b|\bshared/(?:brief|cases|data)\b|\bbrief/|domain-facts|operations-2026")
MARKDOWN = re.compile(r"\b([\w.-]+\.md)\b")
ALLOWED = {
    # holds the paths beside the project as the test data of its own pattern
    "kopdes/tests/test_self_contained.py",
    # this file: its patterns and their examples
    "kopdes/tests/test_citations.py",
}


def citations(line: str, *, python: bool, known_markdown: set[str]) -> list[str]:
    """What `line` cites that a clone does not hold: issue numbers, files beside the project, missing Markdown files."""
    found = [m.group(0) for m in ISSUE.finditer(line)] + [m.group(0) for m in BESIDE.finditer(line)]
    if python:
        found += [m.group(0).strip(" (") for m in HASH_NUMBER.finditer(line)]
    found += [name for name in MARKDOWN.findall(line) if name not in known_markdown]
    return found


def test_no_comment_cites_what_the_repository_does_not_hold():
    known = {path.name for path in project_files(("*.md",))}
    files = project_files(CODE)
    offending = [
        f"{path.relative_to(BASE)}:{number}: {', '.join(found)}"
        for path in files
        if str(path.relative_to(BASE)) not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (found := citations(line, python=path.suffix == ".py", known_markdown=known))
    ]

    assert len(files) > 300 and "glossary.md" in known
    assert not offending, "cites what a clone does not hold:\n" + "\n".join(offending)


def test_the_patterns_catch_each_way_a_citation_was_written():
    known = {"glossary.md", "architecture.md"}
    for line in (
        '"""One mechanism against lost updates (issue 13 §1): a form',
        '    """Issue 13\'s row: a member search by NIK',
        "# the age for a KTP; issue 6 §2 warns below it",
        "x = 1  # see #12",
        "(../{}/brief/research/domain-facts.md §1)".format("shared"),  # built from parts: no such path in the project
        '"""The roles of PRODUCT.md §2"""',
        "Bahasa Indonesia first (STYLE.md rule 10)",
    ):
        assert citations(line, python=True, known_markdown=known), line
    for line in (
        "# Permen Koperasi 8/2021 and Inpres 9/2025: public sources",
        'money = book.add_format({"num_format": "#,##0"})',
        "see docs/glossary.md and docs/architecture.md",
        "the issues of a sheet: 3 rows",
    ):
        assert not citations(line, python=True, known_markdown=known), line
    assert not citations(".kd-swatch { border: 1px solid #555; }", python=False, known_markdown=known)
