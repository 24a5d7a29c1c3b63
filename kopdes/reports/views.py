from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability, in_scope
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.clock import local_date
from kopdes.clock.per import ARTICLE_DAY, read_per
from kopdes.core.forms import form_status
from kopdes.documents.xlsx import xlsx_response
from kopdes.formation.selectors import programme_for
from kopdes.regions.models import Region
from kopdes.reports import documents, policy, selectors, services
from kopdes.reports.forms import DecisionForm, PeriodRangeForm, ReportForm
from kopdes.reports.models import period_bounds


@login_required
def index(request: AuthenticatedRequest):
    return render(request, "reports/index.html", selectors.index_page(request.user))


@login_required
def current(request: AuthenticatedRequest, code: str):
    kecamatan = selectors.get_kecamatan_for_user(request.user, code)
    programme = programme_for(kecamatan)
    if programme is None:
        raise Http404
    period = selectors.current_period(programme, kecamatan.code)
    if period is None:  # a page never makes a period: the scheduled job does (open_report_periods)
        start, end = period_bounds(programme, local_date(kecamatan.code))
        context = {"kecamatan": kecamatan, "programme": programme, "start": start, "end": end}
        return render(request, "reports/no_period.html", context)
    return redirect("reports:period_report", code=kecamatan.code, period_pk=period.pk)


@login_required
def period_report(request: AuthenticatedRequest, code: str, period_pk: int):
    kecamatan = selectors.get_kecamatan_for_user(request.user, code)
    programme, period = selectors.get_period(kecamatan, period_pk)
    page = selectors.report_page(kecamatan, period)
    can_write = policy.can_write(request.user, kecamatan.code)
    if request.method == "POST" and not can_write:
        raise Http404
    latest = page["latest"]
    initial = {name: getattr(latest, name) for name in selectors.NARRATIVE_FIELDS} if latest else {}
    initial.update({f"village_{row['code']}": row["obstacle"] for row in page["rows"]})
    if not initial.get("building_notes"):  # pre-filled from the building facts until the camat writes one
        initial["building_notes"] = " ".join(s["summary"] for s in page["sections"])
    initial[READ_TOKEN_FIELD] = selectors.report_token(period, kecamatan)
    form = ReportForm(request.POST or None, initial=initial, village_codes=[row["code"] for row in page["rows"]])
    if request.method == "POST" and form.is_valid():
        action = services.submit_report if request.POST.get("action") == "submit" else services.save_draft
        try:
            action(actor=request.user, kecamatan=kecamatan, period=period, **form.narrative())
        except ValidationError as error:
            form.add_error(None, error.messages)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("Report submitted.") if action is services.submit_report else _("Draft saved."))
            return redirect("reports:period_report", code=kecamatan.code, period_pk=period.pk)
    context = {
        "kecamatan": kecamatan,
        "period": period,
        "programme": programme,
        "form": form,
        "can_write": can_write,
        **page,
        "village_fields": [(row, form[f"village_{row['code']}"]) for row in page["rows"]],
    }
    return render(request, "reports/period_report.html", context, status=form_status(form))


@login_required
@require_POST
def new_version(request: AuthenticatedRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    try:
        services.start_new_version(actor=request.user, report=report)
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:period_report", code=report.kecamatan_code, period_pk=report.period_id)


@login_required
def report_detail(request: AuthenticatedRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    rows = selectors.snapshot_rows(report.snapshot, report.village_obstacles)
    context = {
        "report": report,
        "village_fields": [(row, None) for row in rows],
        "sections": selectors.sections(report.snapshot),
        "can_decide": in_scope(request.user, report.kecamatan_code, Cap.VERIFY),
        "decision_form": DecisionForm(),
    }
    return render(request, "reports/report_detail.html", context)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    if not in_scope(request.user, report.kecamatan_code, Cap.VERIFY):
        raise Http404
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        if form.cleaned_data["decision"] == "accept":
            services.accept_report(actor=request.user, report=report, comment=form.cleaned_data["comment"])
            messages.success(request, _("Report accepted."))
        else:
            services.return_report(actor=request.user, report=report, comment=form.cleaned_data["comment"])
            messages.success(request, _("Report returned to the camat."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_pdf(request: AuthenticatedRequest, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    return _pdf(
        documents.report_pdf(report), f"laporan-{report.kecamatan_code}-{report.period.start}-v{report.version}"
    )


def _range(request: HttpRequest):
    form = PeriodRangeForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
def completeness(request: AuthenticatedRequest, code: str):
    region = selectors.get_report_region(request.user, code)
    form, bounds = _range(request)
    grid = selectors.completeness(region, start=bounds.get("start"), end=bounds.get("end"))
    return render(
        request,
        "reports/completeness.html",
        {"region": region, "grid": grid, "form": form, "totals": grid.period_totals()},
    )


@login_required
def completeness_xlsx(request: AuthenticatedRequest, code: str):
    region = selectors.get_report_region(request.user, code)
    _form, bounds = _range(request)
    grid = selectors.completeness(region, start=bounds.get("start"), end=bounds.get("end"))
    headers, rows = selectors.completeness_table(grid)
    return xlsx_response(
        f"kelengkapan-{region.code}.xlsx",
        sheet="Kelengkapan",
        headers=headers,
        rows=rows,
        title=f"{_('Reporting completeness')} — {region.display_name}",
    )


def _recap_day(request: HttpRequest, region: Region) -> tuple[date, date | None, str]:
    """(the region's today, the past date `?per=` asks for or None, why a `per` given was not used)."""
    today = local_date(region.code)
    on, error = read_per(request.GET.get("per"), today)
    return today, on, error


@login_required
def recap(request: AuthenticatedRequest, code: str):
    region = selectors.get_report_region(request.user, code)
    today, on, error = _recap_day(request, region)
    headers, rows = selectors.recap_table(selectors.recap(region, on))
    context = {
        "region": region,
        "headers": headers,
        "rows": rows,
        "on": on,
        "today": today,
        "per_error": error,
        "per_query": f"?per={on.isoformat()}" if on else "",
        "article_day": ARTICLE_DAY if ARTICLE_DAY < today else None,
    }
    return render(request, "reports/recap.html", context)


@login_required
def recap_xlsx(request: AuthenticatedRequest, code: str):
    region = selectors.get_report_region(request.user, code)
    _today, on, _error = _recap_day(request, region)
    headers, rows = selectors.recap_table(selectors.recap(region, on))
    suffix = f"-per-{on.isoformat()}" if on else ""
    return xlsx_response(
        f"rekap-kecamatan-{region.code}{suffix}.xlsx",
        sheet="Rekap Kecamatan",
        headers=headers,
        rows=rows,
        title=selectors.recap_title(region, on),
        widths=[5, 22],
    )


@login_required
def recap_pdf(request: AuthenticatedRequest, code: str):
    region = selectors.get_report_region(request.user, code)
    _today, on, _error = _recap_day(request, region)
    suffix = f"-per-{on.isoformat()}" if on else ""
    return _pdf(documents.recap_pdf(region, on), f"rekap-kecamatan-{region.code}{suffix}")


@login_required
def queue_xlsx(request: AuthenticatedRequest):
    if not has_capability(request.user, Cap.VERIFY):
        raise Http404
    return xlsx_response(
        "antrean-verifikasi.xlsx",
        sheet="Verifikasi",
        headers=selectors.QUEUE_HEADERS,
        rows=selectors.queue_rows(request.user),
        title=_("Waiting for verification"),
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
