"""Pages of the monthly returns: the BA's or board's list, a cooperative's months, the one-screen return form, a
return's page (return it with a reason), the office's completeness page, its export and the BA assignments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.models import User
from kopdes.accounts.scope import get_region_for_user
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale, read_token
from kopdes.clock import local_date
from kopdes.core.forms import form_status
from kopdes.formation.models import Cooperative
from kopdes.regions.models import Level, Region
from kopdes.returns import dashboard as return_dashboard
from kopdes.returns import exports, policy, selectors, services
from kopdes.returns.forms import AssignForm, ReopenForm, ReturnForm, SendBackForm
from kopdes.returns.models import AssistantAssignment, MonthlyReturn, ReturnPeriod


def _region(request: AuthenticatedRequest, code: str) -> Region:
    if not policy.can_read_recaps(request.user, code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


@login_required
def index(request: AuthenticatedRequest):
    """The cooperatives whose returns the user enters (a BA's assigned ones, a board's own) with their last months."""
    user = request.user
    mine = [c for c in policy.visible_cooperatives(user).order_by("region_code")[:200] if policy.can_enter(user, c)]
    today = local_date(mine[0].region_code) if mine else None
    periods = selectors.ended_periods(today, 3) if today else []
    rows = []
    for cooperative in mine:
        current = {r.period_id: r for r in cooperative.monthly_returns.exclude(status="superseded")}
        rows.append({"cooperative": cooperative, "months": [(p, current.get(p.pk)) for p in periods]})
    regencies = [
        (a.region, policy.can_assign(user, a.region.code) and a.region.level == Level.KABUPATEN)
        for a in user.active_assignments()
        if a.region is not None and a.region.level <= Level.KABUPATEN and policy.can_read_recaps(user, a.region.code)
    ]
    return render(request, "returns/index.html", {"rows": rows, "periods": periods, "regencies": regencies})


@login_required
def cooperative(request: AuthenticatedRequest, pk: int):
    found = policy.get_cooperative(request.user, pk)
    today = local_date(found.region_code)
    months = []
    for period in selectors.ended_periods(today, 12):
        months.append(
            {
                "period": period,
                "current": selectors.current_return(found, period),
                "window": selectors.window_of(found, period, today),
            }
        )
    context = {
        "cooperative": found,
        "months": months,
        "history": selectors.history(found),
        "can_enter": policy.can_enter(request.user, found),
        "can_reopen": policy.can_reopen(request.user, found),
        "reopen_form": ReopenForm(),
    }
    return render(request, "returns/cooperative.html", context)


def _initial(found: Cooperative, period: ReturnPeriod, current: MonthlyReturn | None) -> dict:
    """A correction starts from the version it corrects; a first return from last month's balances."""
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in selectors.FIELDS}
        initial.update({f"unit_{line.outlet_id}_revenue": line.revenue for line in current.lines.all()})
        initial.update({f"unit_{line.outlet_id}_cost": line.cost_of_goods for line in current.lines.all()})
    elif (before := selectors.last_month(found, period)) is not None:
        initial = {name: getattr(before, name) for name in selectors.PREFILLED}
    initial[READ_TOKEN_FIELD] = read_token(
        current or MonthlyReturn(cooperative=found, period=period),
        services.READ_FIELDS,
        key=selectors.read_key(found, period),
    )
    return initial


def _refused(form: ReturnForm, error: ValidationError) -> None:
    """The service's refusal on the form: per field where it names one; the confirmation box after a jump."""
    if getattr(error, "code", None) == "jump":
        form.needs_confirmation = True
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
    keep_after_stale(form, error)


@login_required
def enter(request: AuthenticatedRequest, pk: int, period_pk: int):
    found = policy.get_cooperative(request.user, pk)
    if not policy.can_enter(request.user, found):
        raise Http404
    period = get_object_or_404(ReturnPeriod, pk=period_pk)
    current = selectors.current_return(found, period)
    form = ReturnForm(request.POST or None, initial=_initial(found, period, current), units=selectors.units_run(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_return(
                actor=request.user,
                cooperative=found,
                period=period,
                values=form.values(),
                lines=form.lines(),
                confirm_jump=form.cleaned_data["confirm_jump"],
                read=form.cleaned_data[READ_TOKEN_FIELD],
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Monthly return submitted."))
            return redirect("returns:cooperative", pk=found.pk)
    context = {
        "cooperative": found,
        "period": period,
        "current": current,
        "form": form,
        "window": selectors.window_of(found, period, local_date(found.region_code)),
    }
    return render(request, "returns/enter.html", context, status=form_status(form))


def _return_for(request: AuthenticatedRequest, pk: int) -> MonthlyReturn:
    found = get_object_or_404(MonthlyReturn.objects.select_related("period", "cooperative"), pk=pk)
    policy.get_cooperative(request.user, found.cooperative_id)
    return found


@login_required
def detail(request: AuthenticatedRequest, pk: int):
    found = _return_for(request, pk)
    context = {
        "item": found,
        "lines": found.lines.select_related("outlet__unit"),
        "can_send_back": found.status == "submitted" and policy.can_send_back(request.user, found.cooperative),
        "send_back_form": SendBackForm(),
    }
    return render(request, "returns/detail.html", context)


@login_required
@require_POST
def send_back(request: AuthenticatedRequest, pk: int):
    found = _return_for(request, pk)
    if not policy.can_send_back(request.user, found.cooperative):
        raise Http404
    try:
        services.send_back(actor=request.user, monthly_return=found, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The return was sent back to the cooperative."))
    return redirect("returns:detail", pk=found.pk)


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, pk: int, period_pk: int):
    found = policy.get_cooperative(request.user, pk)
    if not policy.can_reopen(request.user, found):
        raise Http404
    period = get_object_or_404(ReturnPeriod, pk=period_pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.reopen(
            actor=request.user,
            cooperative=found,
            period=period,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The month was reopened for this cooperative."))
    return redirect("returns:cooperative", pk=found.pk)


def _period_from(request: AuthenticatedRequest, code: str) -> tuple[ReturnPeriod | None, list[ReturnPeriod]]:
    periods = selectors.ended_periods(local_date(code), 12)
    chosen = request.GET.get("bulan", "")
    period = next((p for p in periods if str(p.pk) == chosen), periods[0] if periods else None)
    return period, periods


@login_required
def completeness(request: AuthenticatedRequest, code: str):
    region = _region(request, code)
    period, periods = _period_from(request, code)
    rows = selectors.completeness(code, period) if period else ([], [], None)
    context = {
        "region": region,
        "period": period,
        "periods": periods,
        "by_kecamatan": rows[0],
        "by_ba": rows[1],
        "total": rows[2],
    }
    return render(request, "returns/completeness.html", context)


@login_required
def export_xlsx(request: AuthenticatedRequest, code: str):
    region = _region(request, code)
    period, _periods = _period_from(request, code)
    if period is None:
        raise Http404
    return exports.returns_xlsx(region, period)


@login_required
def assignments(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    if region.level != Level.KABUPATEN or not policy.can_assign(request.user, code):
        raise Http404
    assistants = list(selectors.assistants_of(code))
    cooperatives = list(Cooperative.objects.active().in_region(code).order_by("region_code").only("pk", "name"))
    form = AssignForm(request.POST or None, assistants=assistants, cooperatives=cooperatives)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(
                actor=request.user,
                assistant=User.objects.get(pk=form.cleaned_data["assistant"]),
                cooperative=Cooperative.objects.get(pk=form.cleaned_data["cooperative"]),
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Business Assistant assigned."))
            return redirect("returns:assignments", code=code)
    context = {
        "region": region,
        "form": form,
        "assignments": selectors.open_assignments(code),
        "today": local_date(code),
    }
    return render(request, "returns/assignments.html", context, status=form_status(form))


@login_required
@require_POST
def unassign(request: AuthenticatedRequest, pk: int):
    row = get_object_or_404(AssistantAssignment, pk=pk)
    regency = ".".join(row.region_code.split(".")[:2])
    if not policy.can_assign(request.user, regency):
        raise Http404
    try:
        services.unassign(actor=request.user, assignment=row, ended_on=local_date(row.region_code))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assignment was ended."))
    return redirect("returns:assignments", code=regency)


@login_required
def dashboard(request: AuthenticatedRequest, code: str = ""):
    """The returns dashboard of the region `code` ("" in the URL without a code: the nation), for whoever sees the
    region or recaps it (policy.can_read_recaps); anything else answers 404."""
    if not policy.can_read_recaps(request.user, code):
        raise Http404
    region = _region(request, code) if code else None
    if region is not None and region.level > Level.KECAMATAN:
        raise Http404
    today = local_date(code or "64")
    data = return_dashboard.dashboard(region, today)
    return render(request, "returns/dashboard.html", {"d": data, "region": region, "today": today})
