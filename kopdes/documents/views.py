from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import get_region_for_user
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.core.forms import add_service_errors, form_status
from kopdes.documents.forms import LetterheadForm
from kopdes.documents.selectors import letterhead_for, letterhead_token
from kopdes.documents.services import update_letterhead
from kopdes.regions.models import Level


@login_required
def letterhead(request: AuthenticatedRequest, code: str):
    """Admin dinas edits the kop surat printed on the documents of its office."""
    region = get_region_for_user(request.user, code, Cap.VERIFY)
    if region.level > Level.KABUPATEN:
        raise Http404
    current = letterhead_for(region.code)
    form = LetterheadForm(
        request.POST or None,
        request.FILES or None,
        instance=current,
        initial={READ_TOKEN_FIELD: letterhead_token(region)},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("logo", READ_TOKEN_FIELD)}
        logo = request.FILES.get("logo")
        try:
            update_letterhead(
                actor=request.user, region=region, logo=logo, read=form.cleaned_data[READ_TOKEN_FIELD], **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The letterhead was saved."))
            return redirect("documents:letterhead", code=region.code)
    return render(request, "documents/letterhead.html", {"form": form, "region": region}, status=form_status(form))
