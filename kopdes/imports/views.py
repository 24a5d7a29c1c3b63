"""Import screens of the office (admin dinas): upload → errors or preview → confirm → result. Others get 404, like
the verification queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.cleaners import CellError
from kopdes.cleaners.village import village_code, village_key
from kopdes.documents.xlsx import xlsx_response
from kopdes.formation.models import Cooperative, CooperativeVillage
from kopdes.formation.policy import can_act
from kopdes.formation.workflow import STAGE_CHOICES
from kopdes.imports import opensid as opensid_reader
from kopdes.imports import policy, selectors, services
from kopdes.imports.building_plans import BUILDING_COLUMNS
from kopdes.imports.forms import UploadForm
from kopdes.imports.models import BatchStatus, ImportBatch, ImportKind
from kopdes.imports.plans import MEMBER_COLUMNS, STATUS_COLUMNS
from kopdes.imports.reader import FileProblem, read_upload
from kopdes.imports.template import members_template as build_template
from kopdes.people import policy as people_policy
from kopdes.people import services as people_services
from kopdes.people.models import Source as PersonSource


def _office(request: HttpRequest) -> None:
    if not policy.may_import(request.user):
        raise Http404


def _cooperative(request: AuthenticatedRequest, pk: int) -> Cooperative:
    try:
        cooperative = Cooperative.objects.visible_to(request.user).active().get(pk=pk)
    except Cooperative.DoesNotExist as missing:
        raise Http404 from missing
    if not can_act(request.user, cooperative, Cap.VERIFY):
        raise Http404
    return cooperative


def _recent(request: AuthenticatedRequest, **filters) -> list[ImportBatch]:
    return list(
        ImportBatch.objects.filter(scope_q(request.user, "region_code", Cap.VERIFY), **filters)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")[:10]
    )


def _upload(request: AuthenticatedRequest, *, kind: str, cooperative: Cooperative | None, template: str, context: dict):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload_batch(
                actor=request.user, kind=kind, uploaded=form.cleaned_data["file"], cooperative=cooperative
            )
        except FileProblem as problem:
            form.add_error("file", problem.message)
        else:
            return redirect("imports:batch", pk=batch.pk)
    return render(request, template, {"form": form, "cooperative": cooperative, **context})


def _find_cooperative(request: AuthenticatedRequest, wanted: str) -> Cooperative | None:
    """The active cooperative of a village in scope, by the village's code (dots optional) or exact name."""
    try:
        code = village_code(wanted)
    except CellError:
        code = None
    villages = CooperativeVillage.objects.filter(left_at__isnull=True).filter(
        scope_q(request.user, "village_code", Cap.VERIFY)
    )
    if code:
        found = villages.filter(village_code=code)
    else:
        name = village_key(wanted)
        ids = [v.pk for v in villages.select_related("village") if village_key(v.village.name) == name]
        found = villages.filter(pk__in=ids[:1] if len(ids) == 1 else [])
    membership = found.select_related("cooperative").first()
    return membership.cooperative if membership and membership.cooperative.is_active else None


@login_required
def village_status(request: AuthenticatedRequest):
    _office(request)
    if wanted := request.GET.get("desa", "").strip():
        cooperative = _find_cooperative(request, wanted)
        if cooperative is not None:
            return redirect("imports:members", cooperative_pk=cooperative.pk)
        messages.error(request, _("No cooperative found for “%(village)s” in your region.") % {"village": wanted})
    columns = {key: STATUS_COLUMNS[key][0] for key in ("code", "village", "kecamatan", "stage", "date", "number")}
    return _upload(
        request,
        kind=ImportKind.VILLAGE_STATUS,
        cooperative=None,
        template="imports/village_status.html",
        context={"columns": columns, "batches": _recent(request, kind=ImportKind.VILLAGE_STATUS)},
    )


@login_required
def buildings(request: AuthenticatedRequest):
    """The office's building progress sheet (land, survey, construction band, handover, with their dates)."""
    _office(request)
    return _upload(
        request,
        kind=ImportKind.BUILDINGS,
        cooperative=None,
        template="imports/buildings.html",
        context={
            "columns": {key: texts[0] for key, texts in BUILDING_COLUMNS.items()},
            "batches": _recent(request, kind=ImportKind.BUILDINGS),
        },
    )


@login_required
def members(request: AuthenticatedRequest, cooperative_pk: int):
    _office(request)
    cooperative = _cooperative(request, cooperative_pk)
    return _upload(
        request,
        kind=ImportKind.MEMBERS,
        cooperative=cooperative,
        template="imports/members.html",
        context={
            "columns": [labels[0] for labels in MEMBER_COLUMNS.values()],
            "batches": _recent(request, kind=ImportKind.MEMBERS, cooperative=cooperative),
        },
    )


@login_required
def members_template(request: AuthenticatedRequest):
    _office(request)
    response = HttpResponse(
        build_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-anggota-koperasi.xlsx"'
    return response


def _batch(request: AuthenticatedRequest, pk: int) -> ImportBatch:
    _office(request)
    try:
        return (
            ImportBatch.objects.filter(scope_q(request.user, "region_code", Cap.VERIFY))
            .select_related("cooperative", "uploaded_by")
            .get(pk=pk)
        )
    except ImportBatch.DoesNotExist as missing:
        raise Http404 from missing


def _fields(kind: str) -> dict[str, str]:
    """The fields a column of an import of `kind` may be mapped to, with their labels (the first header text)."""
    by_kind: dict[str, dict[str, tuple[str, ...]]] = {
        ImportKind.MEMBERS: MEMBER_COLUMNS,
        ImportKind.BUILDINGS: BUILDING_COLUMNS,
    }
    declared = by_kind.get(kind, STATUS_COLUMNS)
    return {key: texts[0] for key, texts in declared.items()}


@login_required
def batch_detail(request: AuthenticatedRequest, pk: int):
    batch = _batch(request, pk)
    summary = batch.summary
    read = set(summary.get("read_columns", {}))
    mappable = batch.status != BatchStatus.APPLIED and summary.get("unknown_columns")
    upload_url = None
    if batch.status == BatchStatus.INVALID:
        if batch.kind == ImportKind.MEMBERS:
            upload_url = redirect("imports:members", cooperative_pk=batch.cooperative_id).url
        elif batch.kind == ImportKind.BUILDINGS:
            upload_url = redirect("imports:buildings").url
        else:
            upload_url = redirect("imports:village_status").url
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "summary": summary,
            "errors": [m for m in summary.get("messages", []) if m["level"] == "error"],
            "warnings": [m for m in summary.get("messages", []) if m["level"] != "error"],
            "form": UploadForm() if upload_url else None,
            "upload_url": upload_url,
            "is_members": batch.kind == ImportKind.MEMBERS,
            "is_buildings": batch.kind == ImportKind.BUILDINGS,
            "stage_choices": STAGE_CHOICES,
            "valid_only": batch.status == BatchStatus.INVALID and policy.may_import_valid_rows(summary),
            "mappable": mappable,
            "field_choices": [(k, label) for k, label in _fields(batch.kind).items() if k not in read]
            if mappable
            else [],
        },
    )


@login_required
@require_POST
def map_columns(request: AuthenticatedRequest, pk: int):
    """The admin says which field each unknown column holds: remembered for the sheet's layout, the file read again."""
    batch = _batch(request, pk)
    mapping = {}
    for key, values in request.POST.lists():
        if key.startswith("column-") and key[7:].isdigit():
            mapping[int(key[7:])] = values[-1].strip()  # the last value, as QueryDict.items() gives
    try:
        services.map_columns(actor=request.user, batch=batch, mapping=mapping, fields=_fields(batch.kind))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The columns are remembered for sheets of this layout; the file was read again."))
    return redirect("imports:batch", pk=batch.pk)


@login_required
def left_out(request: AuthenticatedRequest, pk: int):
    """The rows refused by an error, as .xlsx with their original row numbers and errors, to fix and import again."""
    batch = _batch(request, pk)
    if not batch.summary.get("error_rows"):
        messages.info(request, _("No row of this file has an error."))
        return redirect("imports:batch", pk=batch.pk)
    headers, rows = selectors.left_out_workbook(actor=request.user, batch=batch)
    stem = batch.original_name.rsplit(".", 1)[0][:80]
    return xlsx_response(f"{stem}-baris-ditolak.xlsx", sheet=_("Rows left out"), headers=headers, rows=rows)


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, pk: int):
    batch = _batch(request, pk)
    try:
        services.confirm_batch(actor=request.user, batch=batch, valid_only=request.POST.get("mode") == "valid")
    except services.StalePreview as stale:
        messages.warning(request, " ".join(stale.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Imported: %(new)s new and %(changed)s changed rows.") % batch.summary)
    return redirect("imports:batch", pk=batch.pk)


@login_required
@require_POST
def decide_labels(request: AuthenticatedRequest, pk: int):
    """The office's decision per stage label the preview asked about: a stage number, or "-" to leave the rows out."""
    batch = _batch(request, pk)
    decisions: dict[str, int | None] = {}
    for index, group in enumerate(batch.summary.get("labels", [])):
        choice = request.POST.get(f"label-{index}", "").strip()
        if choice == "-":
            decisions[group["key"]] = None
        elif choice.isdigit():
            decisions[group["key"]] = int(choice)
    try:
        services.decide_labels(actor=request.user, batch=batch, decisions=decisions)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:batch", pk=batch.pk)


@login_required
def opensid(request: AuthenticatedRequest, code: str):
    """Pick people from an OpenSID resident export into the village's roster (`imports.opensid`): upload, see every
    row (bad ones with their row number and why), tick those to bring in, confirm. Cap.EDIT on the village."""
    village = people_policy.village_for(request.user, code, edit=True)
    context: dict[str, Any] = {"village": village, "form": UploadForm()}
    if request.method == "POST" and "preview" in request.POST:
        try:
            rows = opensid_reader.unsign(request.POST["preview"], code)
            picked = sorted({int(n) for n in request.POST.getlist("pick") if n.isdigit()} & set(rows))
            if not picked:
                raise ValidationError(_("Tick at least one person to bring into the roster."))
            added = people_services.add_people(
                actor=request.user,
                village_code=code,
                rows=[(number, rows[number]) for number in picked],
                source=PersonSource.OPENSID,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("imports:opensid", code=code)
        messages.success(request, _("%(n)s people were brought into the roster.") % {"n": len(added)})
        return redirect("people:roster", code=code)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                data, name = read_upload(form.cleaned_data["file"])
                candidates = opensid_reader.read_export(data, name)
            except FileProblem as problem:
                form.add_error("file", problem.message)
            else:
                context["candidates"] = candidates
                context["preview"] = opensid_reader.sign(candidates, code)
                context["form"] = None
    status = 400 if context["form"] is not None and context["form"].errors else 200
    return render(request, "imports/opensid.html", context, status=status)
