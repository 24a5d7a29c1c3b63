"""Pages of the BA's monthly report: the BA's months, the one-screen checklist per assigned cooperative, a report's
page (the office returns or accepts it), the region's reports with the PMO's recap and its exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.audit.stale import READ_TOKEN_FIELD, ReadTokenField, keep_after_stale, read_token
from kopdes.clock import local_date
from kopdes.regions.models import Region
from kopdes.returns import ba_exports, ba_report, selectors
from kopdes.returns.models import ReturnPeriod
from kopdes.returns.models_ba import BAReport, BAReportStatus, Readiness


class ChecklistForm(forms.Form):
    building_ready = forms.ChoiceField(label=gettext_lazy("Building readiness"), choices=Readiness.choices)
    outlet_ready = forms.ChoiceField(label=gettext_lazy("Outlet readiness"), choices=Readiness.choices)
    business_plan = forms.BooleanField(label=gettext_lazy("Business plan written"), required=False)
    simkopdes_updated = forms.BooleanField(label=gettext_lazy("SIMKOPDES updated"), required=False)
    partnerships = forms.CharField(
        label=gettext_lazy("Partnerships"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(label=gettext_lazy("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_ups = forms.CharField(
        label=gettext_lazy("Follow-ups"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SummaryForm(forms.Form):
    dibaca = ReadTokenField()
    summary = forms.CharField(
        label=gettext_lazy("Summary of the month"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
def index(request: AuthenticatedRequest):
    """The BA's last months with their report's state."""
    regency = ba_report.regency_of(request.user)
    if regency is None:
        raise Http404
    months = [(p, ba_report.current_report(request.user, p)) for p in selectors.ended_periods(local_date(regency), 6)]
    return render(request, "returns/ba/index.html", {"months": months})


@login_required
def enter(request: AuthenticatedRequest, period_pk: int):
    user = request.user
    regency = ba_report.regency_of(user)
    if regency is None:
        raise Http404
    period = get_object_or_404(ReturnPeriod, pk=period_pk)
    cooperatives = ba_report.assigned(user)
    current = ba_report.current_report(user, period)
    previous = {i.cooperative_id: i for i in current.items.all()} if current else {}
    data = request.POST or None
    rows = []
    for c in cooperatives:
        item = previous.get(c.pk)
        initial = {name: getattr(item, name) for name in ba_report.CHECKS} if item else {}
        rows.append((c, ChecklistForm(data, prefix=f"c{c.pk}", initial=initial)))
    token = read_token(
        current or ba_report.unsent(user, period), ba_report.READ_FIELDS, key=ba_report.read_key(user, period)
    )
    summary = SummaryForm(data, initial={READ_TOKEN_FIELD: token, "summary": current.summary if current else ""})
    visits = ba_report.visits_in(user, [c.pk for c in cooperatives], period)
    steps = ba_report.building_steps([c.pk for c in cooperatives])
    if request.method == "POST" and summary.is_valid() and all(f.is_valid() for _c, f in rows):
        try:
            ba_report.submit_report(
                actor=user,
                period=period,
                items={c.pk: f.cleaned_data for c, f in rows},
                summary=summary.cleaned_data["summary"],
                read=summary.cleaned_data[READ_TOKEN_FIELD],
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            summary.add_error(None, error.messages)
            keep_after_stale(summary, error)
        else:
            messages.success(request, _("Monthly report submitted to the regency office."))
            return redirect("returns:ba_index")
    context = {
        "period": period,
        "current": current,
        "rows": [(c, f, visits.get(c.pk, []), steps.get(c.pk)) for c, f in rows],
        "summary_form": summary,
        "frozen": current is not None and current.status == BAReportStatus.ACCEPTED,
    }
    status = (409 if getattr(summary, "stale", None) else 400) if request.method == "POST" else 200
    return render(request, "returns/ba/enter.html", context, status=status)


def _report(request: AuthenticatedRequest, pk: int) -> BAReport:
    found = get_object_or_404(BAReport.objects.select_related("period", "assistant"), pk=pk)
    if not ba_report.can_read(request.user, found):
        raise Http404
    return found


@login_required
def detail(request: AuthenticatedRequest, pk: int):
    found = _report(request, pk)
    context = {
        "item": found,
        "items": found.items.select_related("cooperative"),
        "can_decide": found.status == BAReportStatus.SUBMITTED and ba_report.can_decide(request.user, found),
    }
    return render(request, "returns/ba/detail.html", context)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int):
    found = _report(request, pk)
    if not ba_report.can_decide(request.user, found):
        raise Http404
    try:
        if request.POST.get("terima"):
            ba_report.accept_report(actor=request.user, report=found)
            messages.success(request, _("The report was accepted."))
        else:
            ba_report.send_back_report(actor=request.user, report=found, reason=request.POST.get("reason", ""))
            messages.success(request, _("The report was sent back to the BA."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("returns:ba_detail", pk=found.pk)


def _region_period(request: AuthenticatedRequest, code: str) -> tuple[Region, ReturnPeriod | None, list]:
    if not ba_report.can_recap(request.user, code):
        raise Http404
    region = get_object_or_404(Region, code=code)
    periods = selectors.ended_periods(local_date(code), 12)
    chosen = request.GET.get("bulan", "")
    period = next((p for p in periods if str(p.pk) == chosen), periods[0] if periods else None)
    return region, period, periods


@login_required
def region(request: AuthenticatedRequest, code: str):
    """The region's BA reports for a month (the office decides them) and the PMO's recap."""
    found, period, periods = _region_period(request, code)
    context = {
        "region": found,
        "period": period,
        "periods": periods,
        "reports": ba_report.reports_of(code, period) if period else [],
        "recap": ba_report.recap(code, period) if period else [],
    }
    return render(request, "returns/ba/region.html", context)


@login_required
def recap_xlsx(request: AuthenticatedRequest, code: str):
    found, period, _periods = _region_period(request, code)
    if period is None:
        raise Http404
    return ba_exports.recap_xlsx(found, period)


@login_required
def recap_pdf(request: AuthenticatedRequest, code: str):
    found, period, _periods = _region_period(request, code)
    if period is None:
        raise Http404
    return ba_exports.recap_pdf(found, period)


urlpatterns = [
    path("laporan-ba/", index, name="ba_index"),
    path("laporan-ba/bulan/<int:period_pk>/", enter, name="ba_enter"),
    path("laporan-ba/<int:pk>/", detail, name="ba_detail"),
    path("laporan-ba/<int:pk>/putusan/", decide, name="ba_decide"),
    path("laporan-ba/wilayah/<str:code>/", region, name="ba_region"),
    path("laporan-ba/wilayah/<str:code>/rekap.xlsx", recap_xlsx, name="ba_recap_xlsx"),
    path("laporan-ba/wilayah/<str:code>/rekap.pdf", recap_pdf, name="ba_recap_pdf"),
]
