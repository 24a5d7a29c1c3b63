"""Assistance: consultations, training and visits (issue 7)."""
