"""The homes read every app's data: the formation fixtures (Paser's programme started) are used here too."""

from kopdes.formation.tests.conftest import janju_scheduled, programme  # noqa: F401 (fixtures)
