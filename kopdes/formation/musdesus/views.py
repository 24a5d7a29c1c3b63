"""Pages of the facilitator team and the Musdesus (phone-first: an operator desa records them from a phone).
Viewing needs the names of people (Cap.VIEW_PERSONAL); recording needs Cap.EDIT; anything else answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.core.forms import add_service_errors, form_status
from kopdes.core.nik import display_nik
from kopdes.documents.forms import DateOfIssueForm
from kopdes.formation import selectors, workflow
from kopdes.formation import services as formation
from kopdes.formation.forms import keep_after_concurrent_change
from kopdes.formation.models import FacilitatorTeam, Musdesus, ParticipantKind
from kopdes.formation.musdesus import documents, rules, services
from kopdes.formation.musdesus import selectors as musdesus_selectors
from kopdes.formation.musdesus.forms import (
    AttendanceForm,
    DecisionsForm,
    ScanForm,
    ScheduleForm,
    TeamForm,
    format_lines,
)
from kopdes.formation.policy import can_act, may_submit
from kopdes.formation.workflow import SubmissionStatus
from kopdes.people.forms import bind_roster, picked_people


def _case(request: AuthenticatedRequest, pk: int, capability: str):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not can_act(request.user, cooperative, capability):
        raise Http404
    if capability == Cap.EDIT and not cooperative.is_active:
        raise Http404
    return cooperative


def _maybe_submit(request: HttpRequest, cooperative, stage: int, submit) -> None:
    """Submit the recorded data as the stage's evidence when asked and possible; saving never depends on it."""
    cooperative.refresh_from_db()
    if not may_submit(cooperative, stage):
        messages.info(request, _not_submitted_reason(cooperative, stage))
        return
    try:
        submit(actor=request.user, cooperative=cooperative)
    except ValidationError as error:
        messages.warning(
            request, _("Saved, but not submitted for verification: %(why)s") % {"why": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("Saved and submitted for verification by the office."))


def _not_submitted_reason(cooperative, stage: int) -> str:
    """Why the saved data was not submitted as the evidence of `stage`, naming the stage the village is at and what
    must happen first (`formation.policy.may_submit`: the case sits at the stage before it, nothing waiting)."""
    pending = cooperative.submissions.filter(status=SubmissionStatus.PENDING).first()
    current = workflow.stage(cooperative.stage).label
    if pending is not None:
        return _(
            "Saved, not yet submitted: the village is at stage “%(current)s”, and its submission for stage "
            "“%(pending)s” is waiting for the office's verification. Submit this stage once that one is verified."
        ) % {"current": current, "pending": workflow.stage(pending.stage).label}
    if cooperative.stage >= stage:
        return _(
            "Saved. Nothing was submitted: the village is already at stage “%(current)s”, past stage “%(stage)s”."
        ) % {"current": current, "stage": workflow.stage(stage).label}
    return _(
        "Saved, not yet submitted: the village is at stage “%(current)s”. Stage “%(needed)s” must be verified by the "
        "office first; then this stage can be submitted."
    ) % {"current": current, "needed": workflow.stage(stage - 1).label}


def _rows(musdesus: Musdesus | None, kind: str) -> list[dict]:
    if musdesus is None:
        return []
    return [
        {
            "name": p.name,
            "sex": p.sex,
            "element": p.element,
            "nik": p.nik,
            "position": p.position,
            "village_office": p.village_office,
            "note": p.note,
        }
        for p in musdesus.people.all()
        if p.kind == kind
    ]


@login_required
def team(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.VIEW_PERSONAL)
    can_edit = cooperative.is_active and can_act(request.user, cooperative, Cap.EDIT)
    existing = FacilitatorTeam.objects.filter(cooperative=cooperative).prefetch_related("members").first()
    if request.method == "POST" and not can_edit:
        raise Http404
    initial = {}
    if existing:
        initial = {
            "village_head_name": existing.village_head_name,
            "decree_number": existing.decree_number,
            "decree_date": existing.decree_date,
            "formed_date": existing.formed_date,
            "members": format_lines(
                [
                    {"name": m.name, "position": m.position, "element": m.element, "phone": m.phone}
                    for m in existing.members.all()
                ],
                "team",
            ),
        }
    initial[READ_TOKEN_FIELD] = musdesus_selectors.team_token(cooperative)
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        submit = data.pop("submit_evidence")
        try:
            services.save_team(actor=request.user, cooperative=cooperative, read=data.pop(READ_TOKEN_FIELD), **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            if submit:
                _maybe_submit(request, cooperative, services.TEAM_STAGE, services.submit_team)
            else:
                messages.success(request, _("The facilitator team was saved."))
            return redirect("formation:team", pk=cooperative.pk)
    context = {"cooperative": cooperative, "team": existing, "form": form if can_edit else None, "can_edit": can_edit}
    return render(request, "formation/team.html", context, status=form_status(form))


@login_required
def musdesus(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.VIEW_PERSONAL)
    can_edit = cooperative.is_active and can_act(request.user, cooperative, Cap.EDIT)
    record = Musdesus.objects.filter(cooperative=cooperative).prefetch_related("people", "business_units").first()
    people: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ParticipantKind.values}
    for person in record.people.all() if record else []:
        people[person.kind].append({"p": person, "nik": display_nik(person.nik, may_see=can_edit)})
    context = {
        "cooperative": cooperative,
        "m": record,
        "people": people,
        "findings": rules.findings_from_json(record.findings) if record else [],
        "can_edit": can_edit,
        "documents": documents.DOCUMENTS.values(),
        "papers": _papers(cooperative),
    }
    return render(request, "formation/musdesus.html", context)


def _papers(cooperative) -> list[tuple[documents.Document, documents.PaperStatus | None]]:
    """Each downloadable paper with its status (the blank attendance sheet shares the attendance list's)."""
    found = {status.document.slug: status for status in documents.statuses(cooperative)}
    return [(d, found.get(d.slug)) for d in documents.DOCUMENTS.values()]


@login_required
def schedule(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.EDIT)
    record = Musdesus.objects.filter(cooperative=cooperative).first()
    initial: dict[str, Any] = {}
    if record:
        initial = {f: getattr(record, f) for f in ("date", "time", "place", "convener", "invitation_number")}
        invitees = [p for p in record.people.all() if p.kind == ParticipantKind.INVITEE]
        initial["invitees_picked"] = [p.person_id for p in invitees if p.person_id]
        typed = [{"name": p.name, "note": p.note} for p in invitees if not p.person_id]
        initial["invitees"] = format_lines(typed, "invitee")
    initial[READ_TOKEN_FIELD] = musdesus_selectors.musdesus_token(cooperative, "schedule")
    form = ScheduleForm(request.POST or None, initial=initial)
    bind_roster(form, cooperative.region_code, request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        submit = data.pop("submit_evidence")
        try:
            read = data.pop(READ_TOKEN_FIELD)
            with transaction.atomic():  # pasted people land in the roster only with the schedule they are invited to
                people = picked_people(form, "invitees", actor=request.user, village_code=cooperative.region_code)
                data.pop("invitees_picked"), data.pop("invitees_paste")
                data["invitees"] = [invitee_row(person) for person in people] + data["invitees"]
                services.schedule_musdesus(actor=request.user, cooperative=cooperative, read=read, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            if submit:
                _maybe_submit(request, cooperative, services.SCHEDULED_STAGE, services.submit_schedule)
            else:
                messages.success(request, _("The schedule was saved."))
            return redirect("formation:musdesus", pk=cooperative.pk)
    return _edit_page(request, cooperative, form, _("Schedule and invitees"))


def invitee_row(person) -> dict[str, Any]:
    """A roster person as a line of the invitation's list: the name, and the position in the village as the note."""
    return {"name": person.name, "note": person.position, "person": person}


@login_required
def attendance(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.EDIT)
    record = Musdesus.objects.filter(cooperative=cooperative).first()
    initial = {
        "attendees": format_lines(_rows(record, ParticipantKind.ATTENDEE), "attendee"),
        READ_TOKEN_FIELD: musdesus_selectors.musdesus_token(cooperative, "attendance"),
    }
    form = AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            read = data.pop(READ_TOKEN_FIELD)
            services.record_attendance(actor=request.user, cooperative=cooperative, read=read, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("formation:musdesus", pk=cooperative.pk)
    return _edit_page(request, cooperative, form, _("Attendance"))


@login_required
def decisions(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.EDIT)
    record = Musdesus.objects.filter(cooperative=cooperative).first() or Musdesus(cooperative=cooperative)
    initial = {
        "founders": format_lines(_rows(record, ParticipantKind.FOUNDER), "founder") if record.pk else "",
        "pengurus": format_lines(_rows(record, ParticipantKind.PENGURUS), "board") if record.pk else "",
        "pengawas": format_lines(_rows(record, ParticipantKind.PENGAWAS), "board") if record.pk else "",
    }
    if not record.cooperative_name:
        initial["cooperative_name"] = cooperative.name
    initial[READ_TOKEN_FIELD] = musdesus_selectors.musdesus_token(cooperative, "decisions")
    form = DecisionsForm(request.POST or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        people = {key: data.pop(key) for key in ("founders", "pengurus", "pengawas")}
        units = data.pop("business_units")
        read = data.pop(READ_TOKEN_FIELD)
        try:
            _record, findings = services.record_decisions(
                actor=request.user, cooperative=cooperative, decisions=data, business_units=units, read=read, **people
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            errors = [f for f in findings if f.is_error]
            if errors:
                messages.warning(
                    request,
                    _(
                        "The decisions were saved. %(n)s rule error(s) must be resolved before "
                        "submitting the Berita Acara."
                    )
                    % {"n": len(errors)},
                )
            else:
                messages.success(request, _("The decisions were saved."))
            return redirect("formation:musdesus", pk=cooperative.pk)
    return _edit_page(request, cooperative, form, _("Decisions of the Musdesus"))


def _edit_page(request: HttpRequest, cooperative, form, title):
    context = {"cooperative": cooperative, "form": form, "title": title}
    return render(request, "formation/musdesus_form.html", context, status=form_status(form))


@login_required
def scan(request: AuthenticatedRequest, pk: int):
    cooperative = _case(request, pk, Cap.EDIT)
    form = ScanForm(request.POST or None, request.FILES or None, initial={"version": cooperative.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_berita_acara(
                actor=request.user,
                cooperative=cooperative,
                version=form.cleaned_data["version"],
                scan=form.cleaned_data["scan"],
            )
        except formation.ConcurrentChange as error:
            add_service_errors(form, error)
            keep_after_concurrent_change(form, cooperative)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Evidence submitted. It waits for verification by the office."))
            return redirect("formation:case_detail", pk=cooperative.pk)
    return _edit_page(request, cooperative, form, _("Upload the signed Berita Acara"))


@login_required
def document(request: AuthenticatedRequest, pk: int, slug: str, fmt: str):
    cooperative = _case(request, pk, Cap.VIEW_PERSONAL)
    spec = documents.DOCUMENTS.get(slug)
    if spec is None or fmt not in ("pdf", "docx"):
        raise Http404
    may_see_nik = can_act(request.user, cooperative, Cap.EDIT)
    content = documents.render(spec, cooperative, fmt, may_see_nik=may_see_nik)
    content_type = (
        "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}-{cooperative.region_code}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _numbered(slug: str) -> documents.Document:
    spec = documents.DOCUMENTS.get(slug)
    if spec is None or not spec.register_kind:
        raise Http404
    return spec


@login_required
def paper(request: AuthenticatedRequest, pk: int, slug: str):
    """A numbered paper's page: its issuer and signers, its number and date of issue (a draft until issued: the date
    is edited here; issued: frozen), the downloads and the "Issue" button."""
    cooperative = _case(request, pk, Cap.EDIT)
    spec = _numbered(slug)
    status = next(s for s in documents.statuses(cooperative) if s.document.slug == slug)
    form = None
    if status.state.is_draft and not spec.fixed_date:
        initial = {"date_of_issue": status.state.date_of_issue, READ_TOKEN_FIELD: status.token}
        form = DateOfIssueForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                documents.plan(
                    cooperative,
                    slug,
                    form.cleaned_data["date_of_issue"],
                    request.user,
                    read=form.cleaned_data[READ_TOKEN_FIELD],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                keep_after_stale(form, error)
            else:
                messages.success(request, _("The date of issue was saved."))
                return redirect("formation:musdesus_paper", pk=cooperative.pk, slug=slug)
    elif request.method == "POST":
        issued = status.state.issued
        messages.error(
            request,
            _("This paper was issued on %(date)s with number %(number)s; its date can no longer change.")
            % {"date": issued.date_of_issue.strftime("%d-%m-%Y"), "number": issued.number}
            if issued is not None
            else _("This paper's date is the meeting's date; it is not edited here."),
        )
        return redirect("formation:musdesus_paper", pk=cooperative.pk, slug=slug)
    context = {"cooperative": cooperative, "status": status, "form": form}
    return render(request, "formation/musdesus_paper.html", context, status=form_status(form) if form else 200)


@login_required
@require_POST
def issue(request: AuthenticatedRequest, pk: int, slug: str):
    """Issue a numbered paper: its number from its issuer's register, its date frozen (`documents.issue`)."""
    cooperative = _case(request, pk, Cap.EDIT)
    _numbered(slug)
    try:
        issued = documents.issue(cooperative, slug, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Issued with number %(number)s, dated %(date)s.")
            % {"number": issued.number, "date": issued.date_of_issue.strftime("%d-%m-%Y")},
        )
    return redirect("formation:musdesus_paper", pk=cooperative.pk, slug=slug)
