"""Pages of a village's roster and the picker's JSON endpoints. Viewing needs Cap.VIEW_PERSONAL on the village,
changing Cap.EDIT (`people.policy`); a village outside the scope answers 404 as a missing one. Region codes are in the
URLs, never a NIK (a NIK search goes in the query string of a GET only for those who may see NIKs, and is not logged
by the application)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale, read_token
from kopdes.core.forms import add_service_errors, form_status
from kopdes.core.nik import display_nik
from kopdes.people import cleaning, policy, selectors, services
from kopdes.people.forms import PasteField, PersonForm
from kopdes.people.models import Person, Source

PAGE_SIZE = 50


@login_required
def roster(request: AuthenticatedRequest, code: str):
    village = policy.village_for(request.user, code)
    query = request.GET.get("q", "").strip()[:100]
    may_see_nik = policy.may_see_nik(request.user, code)
    people = selectors.search(code, query, may_see_nik=may_see_nik)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [{"p": p, "nik": display_nik(p.nik, may_see=may_see_nik)} for p in page]
    context = {
        "village": village,
        "rows": rows,
        "page": page,
        "q": query,
        "can_edit": policy.may_edit(request.user, code),
        "paste_form": _PasteForm() if policy.may_edit(request.user, code) else None,
    }
    return render(request, "people/roster.html", context)


def _person(request: AuthenticatedRequest, code: str, pk: int) -> tuple:
    village = policy.village_for(request.user, code, edit=True)
    person = get_object_or_404(Person.objects.on_roster(), pk=pk, village_code=code)
    return village, person


def _form_page(request, village, form, title, person=None):
    context = {
        "village": village,
        "form": form,
        "title": title,
        "person": person,
        "positions": selectors.position_suggestions(village.code),
    }
    return render(request, "people/person_form.html", context, status=form_status(form))


@login_required
def person_add(request: AuthenticatedRequest, code: str):
    village = policy.village_for(request.user, code, edit=True)
    form = PersonForm(request.POST or None, initial={READ_TOKEN_FIELD: "-"})
    form.fields[READ_TOKEN_FIELD].required = False
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != READ_TOKEN_FIELD}
        try:
            person = services.create_person(actor=request.user, village_code=code, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the roster.") % {"name": person.name})
            return redirect("people:roster", code=code)
    return _form_page(request, village, form, _("Add a person"))


@login_required
def person_edit(request: AuthenticatedRequest, code: str, pk: int):
    village, person = _person(request, code, pk)
    initial = {key: getattr(person, key) for key in cleaning.FIELDS}
    initial[READ_TOKEN_FIELD] = read_token(person, cleaning.FIELDS)
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        read = data.pop(READ_TOKEN_FIELD)
        try:
            services.update_person(actor=request.user, person=person, data=data, read=read)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("people:roster", code=code)
    return _form_page(request, village, form, _("Change a person"), person)


@login_required
@require_POST
def person_retire(request: AuthenticatedRequest, code: str, pk: int):
    _village, person = _person(request, code, pk)
    try:
        services.retire_person(actor=request.user, person=person, read=request.POST.get(READ_TOKEN_FIELD) or None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:person_edit", code=code, pk=pk)
    messages.success(request, _("%(name)s was taken off the roster.") % {"name": person.name})
    return redirect("people:roster", code=code)


class _PasteForm(forms.Form):
    rows = PasteField(required=True, label=_("Paste rows from a spreadsheet"))


@login_required
def paste(request: AuthenticatedRequest, code: str):
    village = policy.village_for(request.user, code, edit=True)
    form = _PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people = services.add_people(
                actor=request.user, village_code=code, rows=form.cleaned_data["rows"], source=Source.PASTE
            )
        except ValidationError as error:
            form.add_error("rows", error.messages)
        else:
            messages.success(request, _("%(n)s rows were read into the roster.") % {"n": len(people)})
            return redirect("people:roster", code=code)
    return render(request, "people/paste.html", {"village": village, "form": form}, status=form_status(form))


@login_required
@require_GET
def search(request: AuthenticatedRequest, code: str):
    """{"results": [{"id", "name", "nik" (masked unless allowed), "dusun", "rt_rw", "position", "label"}, …]}: at most
    `selectors.SEARCH_LIMIT` people of the village matching `q`; 404 outside the scope."""
    policy.village_for(request.user, code)
    may_see_nik = policy.may_see_nik(request.user, code)
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.search(code, query, may_see_nik=may_see_nik)[: selectors.SEARCH_LIMIT]
    response = JsonResponse({"results": [selectors.as_choice(p, may_see_nik=may_see_nik) for p in people]})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def create_inline(request: AuthenticatedRequest, code: str):
    """Add a person from a picker ("add a new person" in place): the same checks as the roster page. 201 with the
    person as `search` shows them, or 400 {"errors": {field: [message, …]}}; 404 outside the scope."""
    policy.village_for(request.user, code, edit=True)
    form = PersonForm(request.POST)
    form.fields[READ_TOKEN_FIELD].required = False
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != READ_TOKEN_FIELD}
        try:
            person = services.create_person(actor=request.user, village_code=code, data=data)
        except ValidationError as error:
            return JsonResponse({"errors": error.message_dict}, status=400)
        may_see_nik = policy.may_see_nik(request.user, code)
        return JsonResponse(selectors.as_choice(person, may_see_nik=may_see_nik), status=201)
    return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
