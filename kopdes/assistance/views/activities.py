"""Activities views of the assistance app: training, visits with follow-ups, the assistance dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import get_region_for_user, has_capability
from kopdes.assistance import documents_activities, policy
from kopdes.assistance.forms_activities import (
    ATTENDANCE_ROWS,
    CancelForm,
    FollowUpEditFormSet,
    FollowUpFormSet,
    MaterialForm,
    RosterAttendanceForm,
    TrainingEditForm,
    TrainingForm,
    VisitEditForm,
    VisitForm,
    attendance_formset,
)
from kopdes.assistance.models import TrainingAttendee, TrainingMaterial, VisitPhoto
from kopdes.assistance.selectors import activities as selectors
from kopdes.assistance.selectors import consultations
from kopdes.assistance.services import activities as services
from kopdes.assistance.services.activities import AttendeeRow
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.core.forms import add_service_errors, form_status
from kopdes.files.uploads import private_file_response
from kopdes.people.forms import bind_field, picked_rows
from kopdes.regions.models import Region


def _file_response(stored) -> FileResponse:
    return private_file_response(stored.file, content_type=stored.content_type, filename=stored.original_name)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- dashboard -----------------------------------------------------------------------------------------------------


@login_required
def dashboard(request: AuthenticatedRequest):
    context = {
        **selectors.dashboard(request.user),
        "can_create_training": selectors.may_create_training(request.user),
        "can_record_visit": bool(selectors.recordable_villages(request.user)),
        "sees_visits": has_capability(request.user, Cap.VIEW_PERSONAL),
    }
    if any(a.role == Role.ADMIN_DINAS for a in request.user.active_assignments()):  # the office answers questions
        context["summary"] = consultations.question_summary(request.user)
    return render(request, "assistance/activities/dashboard.html", context)


# --- training ------------------------------------------------------------------------------------------------------


@login_required
def training_list(request: AuthenticatedRequest):
    page = selectors.training_list(request.user, page=request.GET.get("halaman"))
    context = {
        "trainings": page.object_list,
        "page": page,
        "can_create_training": selectors.may_create_training(request.user),
    }
    return render(request, "assistance/activities/training_list.html", context)


@login_required
def training_create(request: AuthenticatedRequest):
    regions = {r.code: r for r in selectors.creatable_regions(request.user)}
    if not regions:
        raise Http404
    kecamatan, villages = [], []
    for region in regions.values():  # several kabupaten: their kecamatan and villages one after the other
        more_kecamatan, more_villages = selectors.training_villages_choices(region)
        kecamatan += more_kecamatan
        villages += more_villages
    form = TrainingForm(
        request.POST or None,
        kecamatan_choices=kecamatan,
        village_choices=villages,
        region_choices=[(code, r.display_name) for code, r in regions.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("kecamatan"), data.pop("villages")
        region = regions[data.pop("region", None) or next(iter(regions))]
        try:
            training = services.create_training(actor=request.user, region=region, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training saved. Now record who attended."))
            return redirect("assistance:training_detail", pk=training.pk)
    return render(
        request, "assistance/activities/training_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _training_to_manage(request: AuthenticatedRequest, pk: int):
    """A training the user may edit or cancel: its office or its kecamatan's pendamping, and not cancelled; anyone
    else 404."""
    training = selectors.get_training_for_user(request.user, pk)
    if not policy.may_manage_training(request.user, training.region_code) or training.cancelled_at is not None:
        raise Http404
    return training


@login_required
def training_edit(request: AuthenticatedRequest, pk: int):
    training = _training_to_manage(request, pk)
    kecamatan, villages = selectors.training_villages_choices(training.region)
    initial = {
        **{name: getattr(training, name) for name in services.TRAINING_FIELDS},
        READ_TOKEN_FIELD: selectors.training_token(training),
        "villages": list(training.invited.filter(removed_at__isnull=True).values_list("village_code", flat=True)),
    }
    form = TrainingEditForm(
        request.POST or None, initial=initial, kecamatan_choices=kecamatan, village_choices=villages
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("kecamatan"), data.pop("villages")
        try:
            services.update_training(actor=request.user, training=training, read=data.pop(READ_TOKEN_FIELD), **data)
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("Training changed."))
            return redirect("assistance:training_detail", pk=training.pk)
    context = {"form": form, "training": training}
    return render(request, "assistance/activities/training_form.html", context, status=form_status(form))


def _cancel_page(request: HttpRequest, *, name: str, obj, cancel, done: str, detail: str):
    """The cancel form of a training or a visit: a reason, then the service; refused input is kept."""
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel(actor=request.user, reason=form.cleaned_data["reason"], **{name: obj})
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(detail, pk=obj.pk)
    context = {"form": form, name: obj}
    template = f"assistance/activities/{name}_cancel.html"
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def training_cancel(request: AuthenticatedRequest, pk: int):
    training = _training_to_manage(request, pk)
    return _cancel_page(
        request,
        name="training",
        obj=training,
        cancel=services.cancel_training,
        done=_("Training cancelled."),
        detail="assistance:training_detail",
    )


@login_required
def training_detail(request: AuthenticatedRequest, pk: int):
    training = selectors.get_training_for_user(request.user, pk)
    context = {
        "training": training,
        **selectors.training_detail(request.user, training),
        "material_form": MaterialForm(),
    }
    return render(request, "assistance/activities/training_detail.html", context)


@login_required
def training_attendance(request: AuthenticatedRequest, pk: int):
    training = selectors.get_training_for_user(request.user, pk)
    villages = selectors.training_detail(request.user, training)["recordable_villages"]
    if not villages:
        raise Http404
    rows = request.GET.get("baris", "")
    formset_class = attendance_formset(min(int(rows), 40) if rows.isdigit() and int(rows) > 0 else ATTENDANCE_ROWS)
    formset = formset_class(request.POST or None, form_kwargs={"villages": villages}, prefix="p")
    roster_form = RosterAttendanceForm(request.POST or None, villages=villages, prefix="r")
    for index, (code, _name) in enumerate(villages):
        bind_field(roster_form, f"v{index}_picked", code, request.user)
    formset.picked = roster_form.picked_count() if request.method == "POST" else 0
    if request.method == "POST" and roster_form.is_valid() and formset.is_valid():
        try:
            picked = []
            for index, (code, _name) in enumerate(villages):
                picked += [
                    AttendeeRow(name=row["person"].name, role=row["role"], village_code=row["person"].village_code,
                                nik=row["person"].nik)
                    for row in picked_rows(roster_form, f"v{index}", actor=request.user, village_code=code)
                ]  # fmt: skip
            created = services.record_attendance(actor=request.user, training=training, rows=picked + formset.rows())
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(roster_form, error)
            else:
                formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("%(count)s people added to the attendance list.") % {"count": len(created)})
            return redirect("assistance:training_detail", pk=training.pk)
    context = {"training": training, "formset": formset, "roster_form": roster_form}
    status = 400 if request.method == "POST" else 200
    return render(request, "assistance/activities/training_attendance.html", context, status=status)


@login_required
def material_upload(request: AuthenticatedRequest, pk: int):
    training = selectors.get_training_for_user(request.user, pk)
    if not policy.may_manage_training(request.user, training.region_code):
        raise Http404
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_material(
                actor=request.user,
                training=training,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("Material uploaded."))
            return redirect("assistance:training_detail", pk=training.pk)
    context = {"training": training, "form": form}
    return render(request, "assistance/activities/material_form.html", context, status=400 if form.errors else 200)


@login_required
def material_file(request: AuthenticatedRequest, pk: int):
    material = get_object_or_404(TrainingMaterial, pk=pk)
    selectors.get_training_for_user(request.user, material.training_id)
    return _file_response(material)


@login_required
def attendee_certificate(request: AuthenticatedRequest, pk: int):
    attendee = selectors.get_attendee_for_user(request.user, pk)
    content = documents_activities.certificates_pdf(attendee.training, [attendee])
    return _pdf(content, f"sertifikat-{attendee.training_id}-{attendee.serial:03d}")


@login_required
def training_certificates(request: AuthenticatedRequest, pk: int):
    training = selectors.get_training_for_user(request.user, pk)
    attendees = selectors.certificate_attendees(request.user, training)
    if not attendees or not has_capability(request.user, Cap.VIEW_PERSONAL):
        raise Http404
    return _pdf(documents_activities.certificates_pdf(training, attendees), f"sertifikat-pelatihan-{training.pk}")


@login_required
@require_POST
def attendee_withdraw(request: AuthenticatedRequest, pk: int):
    attendee = get_object_or_404(TrainingAttendee, pk=pk, withdrawn_at__isnull=True)
    training = selectors.get_training_for_user(request.user, attendee.training_id)
    try:
        services.withdraw_attendee(actor=request.user, attendee=attendee)
    except PermissionDenied as denied:
        raise Http404 from denied
    messages.success(request, _("%(name)s was taken off the attendance list.") % {"name": attendee.name})
    return redirect("assistance:training_detail", pk=training.pk)


# --- visits --------------------------------------------------------------------------------------------------------


@login_required
def visit_list(request: AuthenticatedRequest):
    if not has_capability(request.user, Cap.VIEW_PERSONAL):
        raise Http404
    code = request.GET.get("wilayah", "")
    region = get_region_for_user(request.user, code, Cap.VIEW_PERSONAL) if code else None
    page = selectors.visit_list(request.user, within=region.code if region else None, page=request.GET.get("halaman"))
    context = {
        "visits": page.object_list,
        "page": page,
        "region": region,
        "can_record_visit": bool(selectors.recordable_villages(request.user)),
    }
    return render(request, "assistance/activities/visit_list.html", context)


@login_required
def visit_create(request: AuthenticatedRequest):
    villages = selectors.recordable_villages(request.user)
    if not villages:
        raise Http404
    if request.method == "POST" and request.POST.get("village") and request.POST["village"] not in dict(villages):
        raise Http404  # a village outside the pendamping's own: the same answer as a missing one, nothing saved
    form = VisitForm(request.POST or None, request.FILES or None, villages=villages)
    formset = FollowUpFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        village = Region.objects.get(code=data["village"])  # one of the choices: the user's own villages
        try:
            visit = services.record_visit(
                actor=request.user,
                village=village,
                visit_date=data["visit_date"],
                purpose=data["purpose"],
                findings=data["findings"],
                follow_ups=formset.rows(),
                photos=data["photos"] or [],
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("assistance:visit_detail", pk=visit.pk)
    context = {"form": form, "formset": formset}
    status = 400 if request.method == "POST" else 200
    return render(request, "assistance/activities/visit_form.html", context, status=status)


@login_required
def visit_detail(request: AuthenticatedRequest, pk: int):
    visit = selectors.get_visit_for_user(request.user, pk)
    context = {"visit": visit, **selectors.visit_detail(request.user, visit)}
    return render(request, "assistance/activities/visit_detail.html", context)


def _visit_to_edit(request: AuthenticatedRequest, pk: int):
    """A visit the user may edit or cancel: its pendamping or the office, and not cancelled; anyone else 404."""
    visit = selectors.get_visit_for_user(request.user, pk)
    if not policy.may_edit_visit(request.user, visit) or visit.cancelled_at is not None:
        raise Http404
    return visit


@login_required
def visit_edit(request: AuthenticatedRequest, pk: int):
    visit = _visit_to_edit(request, pk)
    open_ones = list(visit.follow_ups.filter(done_date__isnull=True).order_by("due_date", "id"))
    form = VisitEditForm(
        request.POST or None,
        initial={
            "visit_date": visit.visit_date,
            "purpose": visit.purpose,
            "findings": visit.findings,
            READ_TOKEN_FIELD: services.visit_token(visit),
        },
    )
    existing = FollowUpEditFormSet(
        request.POST or None,
        prefix="f",
        initial=[
            {"id": f.pk, "text": f.text, "owner_name": f.owner_name, "owner_role": f.owner_role, "due_date": f.due_date}
            for f in open_ones
        ],
    )
    new = FollowUpFormSet(request.POST or None, prefix="t")
    if request.method == "POST" and form.is_valid() and existing.is_valid() and new.is_valid():
        data = form.cleaned_data
        try:
            services.update_visit(
                actor=request.user,
                visit=visit,
                visit_date=data["visit_date"],
                purpose=data["purpose"],
                findings=data["findings"],
                changes=existing.changes(),
                follow_ups=new.rows(),
                read=data[READ_TOKEN_FIELD],
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("Visit changed."))
            return redirect("assistance:visit_detail", pk=visit.pk)
    context = {"visit": visit, "form": form, "existing": existing, "formset": new}
    status = (409 if getattr(form, "stale", None) else 400) if request.method == "POST" else 200
    return render(request, "assistance/activities/visit_edit.html", context, status=status)


@login_required
def visit_cancel(request: AuthenticatedRequest, pk: int):
    visit = _visit_to_edit(request, pk)
    return _cancel_page(
        request,
        name="visit",
        obj=visit,
        cancel=services.cancel_visit,
        done=_("Visit cancelled."),
        detail="assistance:visit_detail",
    )


@login_required
def visit_photo(request: AuthenticatedRequest, pk: int):
    photo = get_object_or_404(VisitPhoto, pk=pk)
    selectors.get_visit_for_user(request.user, photo.visit_id)
    return _file_response(photo)


@login_required
@require_POST
def follow_up_done(request: AuthenticatedRequest, pk: int):
    follow_up = selectors.get_follow_up_for_user(request.user, pk)
    try:
        services.mark_follow_up_done(actor=request.user, follow_up=follow_up)
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up marked done."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("assistance:visit_detail", pk=follow_up.visit_id)


urlpatterns = [
    path("pendampingan/", dashboard, name="dashboard"),
    path("pendampingan/pelatihan/", training_list, name="training_list"),
    path("pendampingan/pelatihan/baru/", training_create, name="training_create"),
    path("pendampingan/pelatihan/<int:pk>/", training_detail, name="training_detail"),
    path("pendampingan/pelatihan/<int:pk>/ubah/", training_edit, name="training_edit"),
    path("pendampingan/pelatihan/<int:pk>/batalkan/", training_cancel, name="training_cancel"),
    path("pendampingan/pelatihan/<int:pk>/daftar-hadir/", training_attendance, name="training_attendance"),
    path("pendampingan/pelatihan/<int:pk>/materi/", material_upload, name="material_upload"),
    path("pendampingan/pelatihan/<int:pk>/sertifikat.pdf", training_certificates, name="training_certificates"),
    path("pendampingan/materi/<int:pk>/", material_file, name="material_file"),
    path("pendampingan/peserta/<int:pk>/sertifikat.pdf", attendee_certificate, name="attendee_certificate"),
    path("pendampingan/peserta/<int:pk>/batal/", attendee_withdraw, name="attendee_withdraw"),
    path("pendampingan/kunjungan/", visit_list, name="visit_list"),
    path("pendampingan/kunjungan/baru/", visit_create, name="visit_create"),
    path("pendampingan/kunjungan/<int:pk>/", visit_detail, name="visit_detail"),
    path("pendampingan/kunjungan/<int:pk>/ubah/", visit_edit, name="visit_edit"),
    path("pendampingan/kunjungan/<int:pk>/batalkan/", visit_cancel, name="visit_cancel"),
    path("pendampingan/foto/<int:pk>/", visit_photo, name="visit_photo"),
    path("pendampingan/tindak-lanjut/<int:pk>/selesai/", follow_up_done, name="follow_up_done"),
]
