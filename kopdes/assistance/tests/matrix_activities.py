"""The activities URLs of the assistance app in the permission matrix (merged in matrix.py)."""

from kopdes.tests.matrix import Entry

ENTRIES: dict[str, Entry] = {}


def context(role):
    return {}
