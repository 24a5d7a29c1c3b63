"""Assistance: consultations in `consultations`, training and visits in `activities`."""

from kopdes.assistance.models.activities import *  # noqa: F403
from kopdes.assistance.models.consultations import *  # noqa: F403
