"""Consultation service: questions, answers, public FAQ (issue 7 §1)."""
