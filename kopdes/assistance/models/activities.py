"""Training events and assistance visits with their follow-ups (issue 7 §2–3)."""
