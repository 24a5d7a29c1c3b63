from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.core.forms import add_service_errors, form_status
from kopdes.documents.forms import IssuerForm, SignerForm
from kopdes.documents.models import Issuer, IssuerKind, Signer
from kopdes.documents.policy import may_edit_issuer
from kopdes.documents.selectors import (
    editable_issuers,
    issuer_for,
    issuer_token,
    register,
    register_years,
    signer_token,
    signers_of,
)
from kopdes.documents.services import save_signer, update_issuer
from kopdes.documents.xlsx import xlsx_response
from kopdes.regions.models import Region

URL_KINDS = {k.value for k in IssuerKind} - {IssuerKind.COOPERATIVE.value}


def issuer_url(issuer: Issuer) -> str:
    """The edit page of an issuer, saved or not."""
    if issuer.kind == IssuerKind.COOPERATIVE:
        return reverse("documents:cooperative_issuer", kwargs={"cooperative_pk": issuer.cooperative_pk})
    if issuer.kind == IssuerKind.OFFICE:
        return reverse("documents:letterhead", kwargs={"code": issuer.region.code})
    return reverse("documents:issuer", kwargs={"code": issuer.region.code, "kind": issuer.kind})


def _region_issuer(request: AuthenticatedRequest, code: str, kind: str) -> Issuer:
    """The issuer of `kind` on region `code` if the user edits it; 404 otherwise (out of scope or no such body)."""
    if kind not in URL_KINDS:
        raise Http404
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None or not may_edit_issuer(request.user, kind, region):
        raise Http404
    return issuer_for(kind, region)


def _saved_issuer(request: AuthenticatedRequest, pk: int) -> Issuer:
    issuer = get_object_or_404(Issuer.objects.select_related("region"), pk=pk)
    if not may_edit_issuer(request.user, issuer.kind, issuer.region):
        raise Http404
    return issuer


@login_required
def issuers(request: AuthenticatedRequest):
    """The issuers (kop surat and signers) the user edits."""
    rows = [(row, issuer_url(row.issuer)) for row in editable_issuers(request.user)]
    return render(request, "documents/issuers.html", {"rows": rows})


def _edit(request: AuthenticatedRequest, issuer: Issuer):
    form = IssuerForm(
        request.POST or None,
        request.FILES or None,
        instance=issuer,
        initial={READ_TOKEN_FIELD: issuer_token(issuer)},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("logo", READ_TOKEN_FIELD)}
        try:
            update_issuer(
                actor=request.user,
                issuer=issuer,
                logo=request.FILES.get("logo"),
                read=form.cleaned_data[READ_TOKEN_FIELD],
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The letterhead was saved."))
            return redirect(request.path)
    context = {
        "form": form,
        "issuer": issuer,
        "kind_label": IssuerKind(issuer.kind).label,
        "region": issuer.region,
        "signers": signers_of(issuer, active_only=False),
    }
    return render(request, "documents/letterhead.html", context, status=form_status(form))


@login_required
def letterhead(request: AuthenticatedRequest, code: str):
    """Admin dinas edits the kop surat of its office (regency or province)."""
    return _edit(request, _region_issuer(request, code, IssuerKind.OFFICE))


@login_required
def issuer(request: AuthenticatedRequest, code: str, kind: str):
    """A kecamatan, desa, BPD or kelurahan: its own people edit its kop surat and number format."""
    return _edit(request, _region_issuer(request, code, kind))


@login_required
def cooperative_issuer(request: AuthenticatedRequest, cooperative_pk: int):
    """A cooperative's own kop surat (made by the cooperative's pages from the RAT on)."""
    found = get_object_or_404(
        Issuer.objects.select_related("region"), kind=IssuerKind.COOPERATIVE, cooperative_pk=cooperative_pk
    )
    if not may_edit_issuer(request.user, found.kind, found.region):
        raise Http404
    return _edit(request, found)


@login_required
def signer(request: AuthenticatedRequest, pk: int, signer_pk: int | None = None):
    """Add (no `signer_pk`) or change a signer of a saved issuer; NIP for civil servants only."""
    issuer = _saved_issuer(request, pk)
    current = get_object_or_404(Signer, pk=signer_pk, issuer=issuer) if signer_pk is not None else None
    initial = {READ_TOKEN_FIELD: signer_token(current)} if current is not None else {}
    form = SignerForm(request.POST or None, instance=current, initial=initial, issuer=issuer)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != READ_TOKEN_FIELD}
        values["order"] = values.get("order") or 0
        try:
            save_signer(
                actor=request.user,
                issuer=issuer,
                signer=current,
                read=form.cleaned_data.get(READ_TOKEN_FIELD) or None if current is not None else None,
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The signer was saved."))
            return redirect(issuer_url(issuer))
    context = {"form": form, "issuer": issuer, "signer": current, "back": issuer_url(issuer)}
    return render(request, "documents/signer.html", context, status=form_status(form))


@login_required
def agenda(request: AuthenticatedRequest, pk: int):
    """The issuer's register of outgoing letters (agenda surat keluar) of one year (?tahun=, default this year)."""
    issuer = _saved_issuer(request, pk)
    years = register_years(issuer)
    try:
        year = int(request.GET.get("tahun") or (years[0] if years else date.today().year))
    except ValueError:
        raise Http404 from None
    papers = register(issuer, year)
    if request.GET.get("unduh") == "xlsx":
        return _agenda_xlsx(issuer, year, papers)
    context = {"issuer": issuer, "year": year, "years": years, "papers": papers, "back": issuer_url(issuer)}
    return render(request, "documents/agenda.html", context)


def _agenda_xlsx(issuer: Issuer, year: int, papers) -> FileResponse:
    """The register as .xlsx, in the order of the desa's A.7 Buku Agenda (Permendagri 47/2016): serial, date, number,
    summary, then the paper's kind and who issued it."""
    headers = [_("No."), _("Date of issue"), _("Number"), _("Subject"), _("Paper"), _("Issued by")]
    rows = (
        [
            paper.serial,
            paper.date_of_issue,
            paper.number,
            paper.summary or paper.subject_key,
            paper.kind,
            (paper.issued_by.get_full_name() or paper.issued_by.get_username()) if paper.issued_by else "",
        ]
        for paper in papers
    )
    title = f"{_('Register of outgoing letters')} {year} — {issuer.office}"
    return xlsx_response(
        f"agenda-surat-keluar-{issuer.pk}-{year}.xlsx",
        sheet=str(year),
        headers=headers,
        rows=rows,
        title=title,
        widths=[6, 14, 30, 50, 24, 24],
    )
