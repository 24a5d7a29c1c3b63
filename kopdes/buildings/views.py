from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import NATION, breadcrumb, get_region_for_user, has_capability, scope_codes, scope_roots
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale, read_token
from kopdes.buildings import dashboard as exports
from kopdes.buildings import selectors, services, workflow
from kopdes.buildings.forms import DecisionForm, InstalmentForm, PublicPhotoForm, StepForm, StuckDaysForm, fact_labels
from kopdes.buildings.models import Building, EvidenceFile, InstalmentPlan
from kopdes.buildings.policy import can_submit, can_verify
from kopdes.core.forms import add_service_errors, form_status
from kopdes.documents.xlsx import xlsx_response
from kopdes.files.uploads import PREVIEWABLE, evidence_response
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Level, Region, RegionBoundary, subtree_q


@login_required
def building_list(request: AuthenticatedRequest):
    """The cooperatives in scope with their building's step, band and trading state (a fixed number of queries)."""
    page = Paginator(selectors.buildings_in_scope(request.user), 50).get_page(request.GET.get("halaman"))
    rows = []
    for cooperative in page:
        building = getattr(cooperative, "building", None)
        rows.append({"cooperative": cooperative, "building": building})
    may_import = has_capability(request.user, Cap.VERIFY)  # the office imports the progress sheet
    return render(request, "buildings/list.html", {"page": page, "rows": rows, "may_import": may_import})


@login_required
def building_detail(request: AuthenticatedRequest, pk: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    building = selectors.building_of(cooperative)
    steps = selectors.steps(building)
    for row in steps:
        row["may_submit"] = can_submit(request.user, cooperative, row["step"].submitters)
    context = {
        "cooperative": cooperative,
        "building": building,
        "steps": steps,
        "channels": selectors.channels(building),
        "vehicles": list(building.vehicles.all()) if building.pk else [],
        "moves": list(building.moves.select_related("actor")[:50]) if building.pk else [],
        "plan": InstalmentPlan.objects.filter(building=building).first() if building.pk else None,
        "can_verify": can_verify(request.user, cooperative),
    }
    return render(request, "buildings/detail.html", context)


@login_required
def submit_step(request: AuthenticatedRequest, pk: int, step: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if step not in workflow.BY_NUMBER:
        raise Http404
    target = workflow.step(step)
    if not can_submit(request.user, cooperative, target.submitters):
        raise Http404
    building = selectors.building_of(cooperative)
    chosen = request.POST.get("channel") or request.GET.get("kanal") or ""
    channel_id = int(chosen) if chosen.isdigit() else None

    def token() -> str:
        key = selectors.token_key(cooperative.pk, step, channel_id)
        return read_token(Building(), [], extra=selectors.step_state(building, step, channel_id), key=key)

    initial = {READ_TOKEN_FIELD: token(), "channel": channel_id}
    form = StepForm(request.POST or None, request.FILES or None, step=target, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_step(actor=request.user, cooperative=cooperative, step=step, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("Evidence submitted. It waits for verification by the office."))
            return redirect("buildings:detail", pk=cooperative.pk)
    context = {"cooperative": cooperative, "building": building, "step": target, "form": form}
    return render(request, "buildings/submit_step.html", context, status=form_status(form))


def _shown(value) -> str:
    """A submitted fact as the office reads it: vehicles as "kind registration", lists joined."""
    if isinstance(value, list):
        return ", ".join(
            f"{v.get('kind', '')} {v.get('registration', '')}".strip() if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


@login_required
def verify_item(request: AuthenticatedRequest, pk: int):
    """One waiting submission at a glance: its facts and files beside each other, verify or return in one click."""
    submission = selectors.get_submission_for_user(request.user, pk)
    cooperative = submission.building.cooperative
    if not can_verify(request.user, cooperative):
        raise Http404
    files = list(submission.files.all())
    notes = selectors.photo_notes(submission.building, files)
    labels = fact_labels(submission.step)
    context = {
        "submission": submission,
        "cooperative": cooperative,
        "step": workflow.step(submission.step),
        "facts": [(labels.get(key, key), _shown(value)) for key, value in submission.data.items()],
        "files": files,
        "previews": [f for f in files if f.content_type in PREVIEWABLE],
        "unpositioned": [f for f in files if f.is_photo and not f.has_position],
        "photos": [
            {
                "file": f,
                "notes": notes.get(f.pk, []),
                "form": PublicPhotoForm(
                    initial={"public": not f.is_public, READ_TOKEN_FIELD: selectors.public_photo_token(f)}
                ),
            }
            for f in files
            if f.is_photo
        ],
        "decision_form": DecisionForm(),
        "is_pending": submission.status == SubmissionStatus.PENDING,
    }
    return render(request, "buildings/verify_item.html", context)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int):
    submission = selectors.get_submission_for_user(request.user, pk)
    cooperative = submission.building.cooperative
    if not can_verify(request.user, cooperative):
        raise Http404
    form = DecisionForm(request.POST)
    try:
        if request.POST.get("decision") == "verify":
            services.verify(actor=request.user, submission=submission)
            messages.success(request, _("Step verified."))
        elif not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        else:
            services.return_submission(actor=request.user, submission=submission, reason=form.cleaned_data["reason"])
            messages.success(request, _("Evidence returned."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("buildings:verify_item", pk=submission.pk)
    return redirect("buildings:detail", pk=cooperative.pk)


@login_required
@require_POST
def photo_public(request: AuthenticatedRequest, pk: int):
    """The office shows a photo on the public pages or takes it off; back to the evidence it belongs to."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("building__cooperative"), pk=pk)
    cooperative = selectors.get_cooperative_for_user(request.user, evidence.building.cooperative_id)
    if not can_verify(request.user, cooperative):
        raise Http404
    form = PublicPhotoForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("buildings:verify_item", pk=evidence.submission_id)
    public = form.cleaned_data["public"]
    try:
        services.set_photo_public(
            actor=request.user, evidence=evidence, public=public, token=form.cleaned_data[READ_TOKEN_FIELD]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The photo is shown on the public pages.") if public else _("The photo is no longer public.")
        )
    return redirect("buildings:verify_item", pk=evidence.submission_id)


@login_required
def instalments(request: AuthenticatedRequest, pk: int):
    """The office enters the village's instalment plan from its allocation letter."""
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not can_verify(request.user, cooperative):
        raise Http404
    building = selectors.building_of(cooperative)
    plan = InstalmentPlan.objects.filter(building=building).first() if building.pk else None
    initial: dict[str, object] = {
        READ_TOKEN_FIELD: read_token(
            Building(), [], extra=selectors.plan_state(plan), key=selectors.plan_key(cooperative.pk)
        )
    }
    if plan is not None:
        initial.update(
            funding_source=plan.funding_source,
            regulation=plan.regulation,
            letter_number=plan.letter_number,
            letter_date=plan.letter_date,
            schedule="\n".join(f"{row['due_on']} {row['amount']}" for row in plan.schedule),
        )
    form = InstalmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_instalments(
                actor=request.user,
                cooperative=cooperative,
                token=data[READ_TOKEN_FIELD],
                funding_source=data["funding_source"],
                regulation=data["regulation"],
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                schedule=data["schedule"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("Instalment plan saved."))
            return redirect("buildings:detail", pk=cooperative.pk)
    context = {"cooperative": cooperative, "form": form}
    return render(request, "buildings/instalments.html", context, status=form_status(form))


@login_required
def evidence_file(request: AuthenticatedRequest, pk: int):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("building"), pk=pk)
    selectors.get_cooperative_for_user(request.user, evidence.building.cooperative_id)
    return evidence_response(
        request, evidence.file, content_type=evidence.content_type, filename=evidence.original_name
    )


# ---- the dashboard, for any scope --------------------------------------------------------------------------------


def _national(user) -> bool:
    return scope_codes(user) == [NATION]


def _board_context(request: AuthenticatedRequest, region: Region | None) -> dict:
    form = StuckDaysForm(request.GET or None)
    days = form.days(selectors.STUCK_DAYS)
    board = selectors.cached_board(region, days=days)
    query = f"?hari={days}" if days != selectors.STUCK_DAYS else ""
    return {
        "board": board,
        "region": region,
        "form": form,
        "days": days,
        "query": query,
        "breadcrumb": breadcrumb(request.user, region) if region is not None else [],
        "national_scope": _national(request.user),
        "map_available": region is not None and region.level <= Level.KECAMATAN,
        "has_boundaries": region is not None
        and RegionBoundary.objects.filter(subtree_q(region.code, "region__code")).exists(),
        "tile_url": settings.KOPDES_MAP_TILE_URL,
        "legend": selectors.map_legend(),
    }


@login_required
def dashboard_home(request: AuthenticatedRequest):
    """The national board for a national scope; else straight to the user's one region, or a choice of them."""
    if _national(request.user):
        return render(request, "buildings/dashboard.html", _board_context(request, None))
    roots = scope_roots(request.user)
    if not roots:  # a role that reads no region (a Business Assistant, a PMO): no board to show
        raise Http404
    if len(roots) == 1:
        return redirect("buildings:dashboard", code=roots[0].code)
    return render(request, "buildings/dashboard_roots.html", {"roots": roots})


@login_required
def dashboard(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    return render(request, "buildings/dashboard.html", _board_context(request, region))


@login_required
def dashboard_map(request: AuthenticatedRequest, code: str):
    """The map's layers: child regions by % trading, villages (a kabupaten or below) by their building's step."""
    region = get_region_for_user(request.user, code)
    board = selectors.cached_board(region)
    return JsonResponse(selectors.map_layers(region, board.children))


def _export_board(request: AuthenticatedRequest, code: str, *, with_villages: bool | None) -> selectors.Board:
    region = get_region_for_user(request.user, code)
    days = StuckDaysForm(request.GET or None).days(selectors.STUCK_DAYS)
    return selectors.board(region, days=days, with_villages=with_villages)


@login_required
def dashboard_xlsx(request: AuthenticatedRequest, code: str):
    """One row per village under the region, for the task force's meetings (a province's too: the file streams)."""
    board = _export_board(request, code, with_villages=True)
    assert board.region is not None
    return xlsx_response(
        f"gerai-{board.region.code}.xlsx",
        sheet="Gerai",
        headers=exports.export_headers(),
        rows=exports.export_rows(board.village_rows or []),
        zone=board.region.time_zone,
        title=f"{_('Gerai and warehouses')} — {board.region.display_name} — {board.today:%d/%m/%Y}",
        widths=[5, 16, 28, 20, 30, 28],
    )


@login_required
def dashboard_pdf(request: AuthenticatedRequest, code: str):
    """The same rows on the office's letterhead, signed by the Kepala Dinas; a province's printout is its summary
    and per-kabupaten table (its villages are left to the .xlsx)."""
    board = _export_board(request, code, with_villages=None)
    assert board.region is not None
    response = HttpResponse(exports.board_pdf(board), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gerai-{board.region.code}-{board.today.isoformat()}.pdf"'
    return response
