"""Consultations views of the assistance app: ask, the lists, the thread, the office's FAQ editor, the public FAQ."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.assistance import policy
from kopdes.assistance.forms_consultations import FaqSearchForm, ListFilterForm, MessageForm, PublishForm, QuestionForm
from kopdes.assistance.selectors import consultations as selectors
from kopdes.assistance.services import consultations as services
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale
from kopdes.core.forms import add_service_errors, form_status
from kopdes.files.uploads import private_file_response


def _filters(request: HttpRequest) -> dict:
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "form": form,
        "status": data.get("status", ""),
        "category": data.get("category", ""),
        "overdue": data.get("overdue", False),
    }


@login_required
def question_list(request: AuthenticatedRequest):
    """'My questions': what the user asked (operator desa, camat, pengurus)."""
    if not selectors.asks_questions(request.user):
        if selectors.answers_questions(request.user):  # the pendamping and the office: their list is the inbox
            return redirect("assistance:inbox")
        raise Http404
    filters = _filters(request)
    form = filters.pop("form")
    context = {
        "filter_form": form,
        "inbox": False,
        "oversees": selectors.oversees_questions(request.user),
        **selectors.question_list(request.user, inbox=False, **filters),
    }
    return render(request, "assistance/consultations/list.html", context)


@login_required
def inbox(request: AuthenticatedRequest):
    """'To answer': questions the pendamping or the office may answer; the office also sees the summary."""
    if not (selectors.answers_questions(request.user) or selectors.oversees_questions(request.user)):
        raise Http404
    filters = _filters(request)
    form = filters.pop("form")
    context = {
        "filter_form": form,
        "inbox": True,
        "answers": selectors.answers_questions(request.user),
        **selectors.question_list(request.user, inbox=True, **filters),
    }
    if any(a.role == "admin_dinas" for a in request.user.active_assignments()):
        context["summary"] = selectors.question_summary(request.user)
    return render(request, "assistance/consultations/list.html", context)


@login_required
def ask(request: AuthenticatedRequest):
    villages = selectors.askable_villages(request.user)
    if not selectors.asks_questions(request.user):
        raise Http404
    form = QuestionForm(request.POST or None, request.FILES or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.ask_question(
                actor=request.user,
                village=data["village"],
                category=data["category"],
                subject=data["subject"],
                text=data["text"],
                files=data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your question has been sent."))
            return redirect("assistance:question_detail", pk=question.pk)
    status = 400 if form.errors else 200
    return render(request, "assistance/consultations/ask.html", {"form": form}, status=status)


@login_required
def question_detail(request: AuthenticatedRequest, pk: int):
    question = selectors.get_question_for_user(request.user, pk)
    context = {**selectors.thread(request.user, question), "form": MessageForm()}
    return render(request, "assistance/consultations/detail.html", context)


@login_required
@require_POST
def post_message(request: AuthenticatedRequest, pk: int):
    question = selectors.get_question_for_user(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_message(
                actor=request.user, question=question, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("assistance:question_detail", pk=question.pk)
    elif not (policy.can_answer(request.user, question) or question.asked_by_id == request.user.pk):
        raise Http404
    context = {**selectors.thread(request.user, question), "form": form}
    return render(request, "assistance/consultations/detail.html", context, status=400)


@login_required
@require_POST
def change_status(request: AuthenticatedRequest, pk: int):
    question = selectors.get_question_for_user(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "close":
            services.close_question(actor=request.user, question=question)
            messages.success(request, _("The question is closed."))
        elif action == "reopen":
            services.reopen_question(actor=request.user, question=question)
            messages.success(request, _("The question is open again."))
        else:
            messages.error(request, _("Choose to close or to reopen the question."))
    except PermissionDenied as denied:
        raise Http404 from denied
    return redirect("assistance:question_detail", pk=question.pk)


@login_required
def publish(request: AuthenticatedRequest, pk: int):
    """The office reviews the anonymised draft and publishes it to the public FAQ, or unpublishes it."""
    question = selectors.get_question_for_user(request.user, pk)
    if not policy.is_question_office(request.user, question):
        raise Http404
    draft = selectors.public_draft(question)
    shown = request.POST if request.method == "POST" else draft
    names = selectors.names_to_confirm(question, shown.get("public_question", ""), shown.get("public_answer", ""))
    initial = {**draft, READ_TOKEN_FIELD: selectors.publish_token(question)}
    form = PublishForm(request.POST or None, initial=initial, names_to_confirm=names)
    if request.method == "POST" and request.POST.get("action") == "unpublish":
        services.unpublish_question(actor=request.user, question=question)
        messages.success(request, _("The question has been removed from the public FAQ."))
        return redirect("assistance:question_detail", pk=question.pk)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            services.publish_question(actor=request.user, question=question, read=data.pop(READ_TOKEN_FIELD), **data)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            messages.success(request, _("The question and its answer are published in the public FAQ."))
            return redirect("assistance:question_detail", pk=question.pk)
    context = {"question": question, "form": form, "names_to_confirm": names}
    return render(request, "assistance/consultations/publish.html", context, status=form_status(form))


@login_required
def attachment(request: AuthenticatedRequest, pk: int):
    found = selectors.get_attachment_for_user(request.user, pk)
    return private_file_response(found.file, content_type=found.content_type, filename=found.original_name)


def faq(request: HttpRequest):
    """The public FAQ: no login; only the office's anonymised texts."""
    form = FaqSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    context = {"form": form, **selectors.public_faq(data.get("q", ""), data.get("category", ""))}
    return render(request, "assistance/consultations/faq.html", context)


urlpatterns = [
    path("konsultasi/", question_list, name="question_list"),
    path("konsultasi/masuk/", inbox, name="inbox"),
    path("konsultasi/tanya/", ask, name="ask"),
    path("konsultasi/<int:pk>/", question_detail, name="question_detail"),
    path("konsultasi/<int:pk>/pesan/", post_message, name="post_message"),
    path("konsultasi/<int:pk>/status/", change_status, name="change_status"),
    path("konsultasi/<int:pk>/publikasi/", publish, name="publish"),
    path("konsultasi/lampiran/<int:pk>/", attachment, name="attachment"),
    path("tanya-jawab/", faq, name="faq"),
]
