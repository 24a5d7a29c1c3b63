"""Registry pages: thin views over `selectors` (reads) and `services` (writes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import get_region_for_user, primary_region, visible_regions
from kopdes.accounts.search_tokens import TOKEN_PARAM, posted_search, search_text
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale, read_token
from kopdes.clock import local_today
from kopdes.cooperatives import selectors, services
from kopdes.cooperatives.access import can_edit_registry, get_readable_cooperative, shows_people
from kopdes.cooperatives.forms import (
    EndSeatForm,
    LeaveForm,
    MemberEditForm,
    MemberForm,
    OutletEditForm,
    OutletForm,
    ProfileForm,
    RatForm,
    SeatForm,
    TakeOverForm,
)
from kopdes.cooperatives.member_checks import member_warnings
from kopdes.cooperatives.models import AnnualMeeting, BoardMember, Member, MemberStatus, Outlet
from kopdes.core.forms import add_service_errors, form_status
from kopdes.documents.xlsx import xlsx_response
from kopdes.files.uploads import private_file_response
from kopdes.formation.policy import can_act
from kopdes.formation.selectors import get_cooperative_for_user
from kopdes.people.forms import bind_roster
from kopdes.regions.models import Level

REGISTRY_PAGE_SIZE = 200  # a whole regency on one page; a province pages through


def _editable(request: AuthenticatedRequest, pk: int):
    """The cooperative, if the user may change its registry; 404 otherwise (as the formation views answer)."""
    cooperative = get_cooperative_for_user(request.user, pk)
    if not can_edit_registry(request.user, cooperative):
        raise Http404
    return cooperative


def _people_only(request: AuthenticatedRequest):
    if not shows_people(request.user):  # names of people: never for the read-only partner (mitra)
        raise Http404


def _form_page(request: HttpRequest, template, context, form, *, heading, back_url="cooperatives:detail"):
    context = {**context, "form": form, "heading": heading, "back_url": back_url}
    return render(request, template, context, status=form_status(form))


@login_required
def registry_list(request: AuthenticatedRequest):
    sort = request.GET.get("urut", "-score")
    within = request.GET.get("wilayah", "")
    region = get_region_for_user(request.user, within) if within else primary_region(request.user)
    today = local_today(region.code) if region else timezone.localdate()
    rows = selectors.registry_list(request.user, sort=sort, today=today, within=within)
    context = {
        "page": Paginator(rows, REGISTRY_PAGE_SIZE).get_page(request.GET.get("halaman")),
        "sort": sort,
        "within": within,
        "kecamatans": visible_regions(request.user).filter(level=Level.KECAMATAN).order_by("code"),
    }
    return render(request, "cooperatives/list.html", context)


@login_required
def detail(request: AuthenticatedRequest, pk: int):
    cooperative = get_readable_cooperative(request.user, pk)
    can_edit = can_edit_registry(request.user, cooperative)
    context = {
        "cooperative": cooperative,
        "can_edit": can_edit,
        "tile_url": settings.KOPDES_MAP_TILE_URL,
        **selectors.cooperative_page(cooperative, may_see_nik=can_edit, today=local_today(cooperative.region_code)),
    }
    return render(request, "cooperatives/detail.html", context)


@login_required
def edit_profile(request: AuthenticatedRequest, pk: int):
    cooperative = _editable(request, pk)
    initial = {
        READ_TOKEN_FIELD: read_token(cooperative, services.PROFILE_FIELDS),
        "kbli_codes": ", ".join(cooperative.kbli_codes or []),
        **{f: getattr(cooperative, f) for f in services.PROFILE_FIELDS if f != "kbli_codes"},
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_profile(
                actor=request.user, cooperative=cooperative, read=data.pop(READ_TOKEN_FIELD), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return _form_page(
        request, "cooperatives/profile_form.html", {"cooperative": cooperative}, form, heading=_("Edit the profile")
    )


@login_required
def add_seat(request: AuthenticatedRequest, pk: int):
    cooperative = _editable(request, pk)
    form = SeatForm(request.POST or None, initial={"organ": request.GET.get("organ", "pengurus")})
    bind_roster(form, cooperative.region_code, request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            with transaction.atomic():  # a new person lands in the roster only with the seat
                data = services.through_roster(
                    actor=request.user, village_code=cooperative.region_code, person=person, fields=data
                )
                services.add_seat(actor=request.user, cooperative=cooperative, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board member was added."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return _form_page(
        request, "cooperatives/seat_form.html", {"cooperative": cooperative}, form, heading=_("Add a board member")
    )


@login_required
def end_seat(request: AuthenticatedRequest, pk: int, seat_pk: int):
    cooperative = _editable(request, pk)
    seat = get_object_or_404(BoardMember, pk=seat_pk, cooperative=cooperative, ended_at__isnull=True)
    form = EndSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["successor_name"]:
                successor = {
                    "name": data["successor_name"],
                    "nik": data["successor_nik"],
                    "phone": data["successor_phone"],
                }
                services.replace_seat(
                    actor=request.user, seat=seat, ended_at=data["ended_at"], reason=data["reason"], successor=successor
                )
            else:
                services.end_seat(actor=request.user, seat=seat, ended_at=data["ended_at"], reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The board was changed; the former seat stays in the history."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    context = {"cooperative": cooperative, "seat": seat}
    return _form_page(request, "cooperatives/end_seat_form.html", context, form, heading=_("End or replace a seat"))


@login_required
@require_POST
def board_from_musdesus(request: AuthenticatedRequest, pk: int):
    cooperative = _editable(request, pk)
    form = TakeOverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        seats = services.take_over_board_from_musdesus(actor=request.user, cooperative=cooperative, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s board members taken over from the Musdesus.") % {"count": len(seats)})
    return redirect("cooperatives:detail", pk=cooperative.pk)


@login_required
def members(request: AuthenticatedRequest, pk: int):
    cooperative = get_cooperative_for_user(request.user, pk)
    posted = posted_search(request, keep=("status",))  # the search may be a NIK: posted, never in the address
    if posted is not None:
        return posted
    today = local_today(cooperative.region_code)
    can_edit = can_edit_registry(request.user, cooperative)
    query, search_expired = search_text(request)
    context: dict[str, Any] = {
        "cooperative": cooperative,
        "can_edit": can_edit,
        # the office imports a whole list from a spreadsheet (kopdes/imports)
        "can_import": cooperative.is_active and can_act(request.user, cooperative, Cap.VERIFY),
        "counts": selectors.member_counts(cooperative, today=today),
        "query": query,
        "search_expired": search_expired,
        "search_token": request.GET.get(TOKEN_PARAM, "") if query else "",
        "status": request.GET.get("status", ""),
    }
    if shows_people(request.user):
        context["page"], context["rows"] = selectors.member_list(
            cooperative,
            page=request.GET.get("page", 1),
            query=context["query"],
            status=context["status"],
            may_see_nik=can_edit,
            today=today,
        )
    return render(request, "cooperatives/members.html", context)


MEMBER_EXPORT_HEADERS = (
    gettext_lazy("NIK"),
    gettext_lazy("Name"),
    gettext_lazy("Sex (L/P)"),
    gettext_lazy("Dusun"),
    gettext_lazy("RT"),
    gettext_lazy("Joined on"),
    gettext_lazy("Simpanan pokok paid (Rp)"),
    gettext_lazy("Simpanan wajib paid to date (Rp)"),
    gettext_lazy("Status"),
    gettext_lazy("Left on"),
)


@login_required
def members_xlsx(request: AuthenticatedRequest, pk: int):
    """The member list as .xlsx (optionally one status, `?status=active|left`): for those who see names of people
    (`shows_people`; the partner office gets 404), NIKs masked unless the user edits this registry (the page's rule,
    `can_edit_registry`). Every cell is written as text or a number, never as a formula. Audited (personal data left
    the system)."""
    cooperative = get_cooperative_for_user(request.user, pk)
    if not shows_people(request.user):
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in MemberStatus.values else ""
    may_see_nik = can_edit_registry(request.user, cooperative)
    services.record_member_export(actor=request.user, cooperative=cooperative, status=status, full_niks=may_see_nik)
    today = local_today(cooperative.region_code)
    return xlsx_response(
        f"anggota-{slugify(cooperative.name) or cooperative.pk}-{today:%Y%m%d}.xlsx",
        sheet=_("Members"),
        title=_("Members of %(name)s, as of %(date)s") % {"name": cooperative.name, "date": date_format(today)},
        headers=[str(h) for h in MEMBER_EXPORT_HEADERS],
        rows=selectors.member_export_rows(cooperative, status=status, may_see_nik=may_see_nik),
        widths=[20, 30, 10, 18, 6, 12, 18, 20, 10, 12],
        zone=settings.TIME_ZONE,
    )


def _warn(request: HttpRequest, member: Member) -> None:
    found = member_warnings(cooperative=member.cooperative, niks=[member.nik]).get(member.nik, [])
    for warning in found:
        messages.warning(request, f"{member.name}: {warning.message}")


def _add_or_edit_form(request: HttpRequest, obj, add_form, edit_form, fields: list[str]):
    """The add form, or for an existing object the edit form filled with its values and its read token."""
    if obj is None:
        return add_form(request.POST or None)
    initial = {name: getattr(obj, name) for name in fields}
    return edit_form(request.POST or None, initial={**initial, READ_TOKEN_FIELD: read_token(obj, fields)})


@login_required
def member_form(request: AuthenticatedRequest, pk: int, member_pk: int | None = None):
    cooperative = _editable(request, pk)
    member = get_object_or_404(Member, pk=member_pk, cooperative=cooperative) if member_pk else None
    form = _add_or_edit_form(request, member, MemberForm, MemberEditForm, services.MEMBER_EDIT_FIELDS)
    bind_roster(form, cooperative.region_code, request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            with transaction.atomic():  # a new person lands in the roster only with the member
                data = services.through_roster(
                    actor=request.user,
                    village_code=cooperative.region_code,
                    person=person,
                    fields=data,
                    add=member is None,
                )
                if member:
                    read = data.pop(READ_TOKEN_FIELD)
                    member = services.update_member(actor=request.user, member=member, read=read, **data)
                else:
                    member = services.add_member(actor=request.user, cooperative=cooperative, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The member was saved."))
            _warn(request, member)
            return redirect("cooperatives:members", pk=cooperative.pk)
    return _form_page(
        request,
        "cooperatives/member_form.html",
        {"cooperative": cooperative, "member": member},
        form,
        heading=_("Edit a member") if member else _("Add a member"),
        back_url="cooperatives:members",
    )


@login_required
@require_POST
def member_status(request: AuthenticatedRequest, pk: int, member_pk: int, action: str):
    cooperative = _editable(request, pk)
    member = get_object_or_404(Member, pk=member_pk, cooperative=cooperative)
    try:
        if action == "left":
            form = LeaveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the date the member left."))
            services.mark_member_left(actor=request.user, member=member, left_date=form.cleaned_data["left_date"])
            messages.success(request, _("%(name)s is marked as having left.") % {"name": member.name})
        else:
            services.rejoin_member(actor=request.user, member=member)
            messages.success(request, _("%(name)s is an active member again.") % {"name": member.name})
            _warn(request, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cooperatives:members", pk=cooperative.pk)


@login_required
def outlet_form(request: AuthenticatedRequest, pk: int, outlet_pk: int | None = None):
    cooperative = _editable(request, pk)
    outlet = get_object_or_404(Outlet, pk=outlet_pk, cooperative=cooperative) if outlet_pk else None
    form = _add_or_edit_form(request, outlet, OutletForm, OutletEditForm, services.OUTLET_FIELDS)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        read = data.pop(READ_TOKEN_FIELD, None)
        try:
            services.save_outlet(actor=request.user, cooperative=cooperative, outlet=outlet, read=read, **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The outlet was saved."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return _form_page(
        request,
        "cooperatives/outlet_form.html",
        {"cooperative": cooperative, "outlet": outlet},
        form,
        heading=_("Edit an outlet") if outlet else _("Add an outlet"),
    )


@login_required
def rat_form(request: AuthenticatedRequest, pk: int):
    cooperative = _editable(request, pk)
    year = local_today(cooperative.region_code).year - 1
    initial = {"book_year": year, "held": "1", READ_TOKEN_FIELD: services.rat_token(cooperative)}
    form = RatForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_rat(actor=request.user, cooperative=cooperative, read=data.pop(READ_TOKEN_FIELD), **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The RAT was recorded."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return _form_page(
        request, "cooperatives/rat_form.html", {"cooperative": cooperative}, form, heading=_("Record a RAT")
    )


@login_required
def rat_minutes(request: AuthenticatedRequest, pk: int):
    rat = get_object_or_404(AnnualMeeting.objects.exclude(minutes=""), pk=pk)
    get_cooperative_for_user(request.user, rat.cooperative_id)
    _people_only(request)  # minutes name people
    return private_file_response(rat.minutes, content_type=rat.minutes_type, filename=rat.minutes_name)
