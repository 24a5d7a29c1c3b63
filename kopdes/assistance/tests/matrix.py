"""The assistance URLs in the permission matrix: consultations and activities each keep their own list."""

from kopdes.assistance.tests import matrix_activities, matrix_consultations
from kopdes.tests.matrix import Entry

ENTRIES: dict[str, Entry] = {**matrix_consultations.ENTRIES, **matrix_activities.ENTRIES}


def context(role):
    return {**matrix_consultations.context(role), **matrix_activities.context(role)}
