"""Certificates of attendance (sertifikat pelatihan): one PDF per attendee, or all of a training in one PDF, on the
office's letterhead. Rendered in Indonesian by documents.render; the NIK is never printed."""

from __future__ import annotations

from kopdes.assistance.models import Training, TrainingAttendee
from kopdes.documents.render import logo_data_uri, render_pdf
from kopdes.documents.selectors import letterhead_for


def certificates_context(training: Training, attendees: list[TrainingAttendee]) -> dict:
    letterhead = letterhead_for(training.region_code)
    return {
        "letterhead": letterhead,
        "logo": logo_data_uri(letterhead),
        "training": training,
        "same_day": training.start_date == training.end_date,
        "certificates": [
            {
                "name": a.name,
                "number": a.certificate_number,
                "role": a.get_role_display(),
                "village": a.village.display_name,
            }
            for a in attendees
        ],
    }


def certificates_pdf(training: Training, attendees: list[TrainingAttendee]) -> bytes:
    return render_pdf("assistance/activities/certificate_pdf.html", certificates_context(training, attendees))
