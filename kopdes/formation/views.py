from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import breadcrumb, has_capability
from kopdes.core.forms import add_service_errors, form_status
from kopdes.files.uploads import PREVIEWABLE, evidence_response
from kopdes.formation import selectors, services
from kopdes.formation.case_sections import case_sections
from kopdes.formation.forms import (
    DecisionForm,
    MergeForm,
    StageSubmissionForm,
    StepBackForm,
    keep_after_concurrent_change,
)
from kopdes.formation.models import EvidenceFile, StageSubmission
from kopdes.formation.musdesus.rules import musdesus_findings
from kopdes.formation.policy import can_act
from kopdes.formation.workflow import STAGES, Sensitivity, SubmissionStatus
from kopdes.formation.workflow import stage as workflow_stage
from kopdes.regions.models import Region

# what the verification page shows inline beside the checklist (other files stay links)


@login_required
def case_detail(request: AuthenticatedRequest, pk: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    context = {
        "cooperative": cooperative,
        **selectors.case_detail(cooperative),
        "can_edit": can_act(request.user, cooperative, Cap.EDIT),
        "can_verify": can_act(request.user, cooperative, Cap.VERIFY),
        "decision_form": DecisionForm(),
        "findings": musdesus_findings(cooperative),
        # the way up the tree to the record's own village; levels outside the scope are plain text
        "breadcrumb": breadcrumb(request.user, Region(code=cooperative.region_code), include_self=True),
        # what other apps show on the case page (assistance: open follow-ups and trainings attended)
        **case_sections(request.user, cooperative),
    }
    return render(request, "formation/case_detail.html", context)


@login_required
def submit_stage(request: AuthenticatedRequest, pk: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not can_act(request.user, cooperative, Cap.EDIT):
        raise Http404
    form = StageSubmissionForm(request.POST or None, request.FILES or None, cooperative=cooperative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_stage(actor=request.user, cooperative=cooperative, **data)
        except services.ConcurrentChange as error:
            # Keep what was typed, but against the fresh version so a resend can win.
            cooperative.refresh_from_db()
            form = StageSubmissionForm({**request.POST.dict(), "version": cooperative.version}, cooperative=cooperative)
            form.is_valid()
            form.add_error(None, error.messages)
            form.stale = True  # type: ignore[attr-defined]  # 409: the stale-save refusal of the formation record (Cooperative.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Evidence submitted. It waits for verification by the office."))
            return redirect("formation:case_detail", pk=cooperative.pk)
    context = {"cooperative": cooperative, "form": form, "stages": STAGES}
    return render(request, "formation/submit_stage.html", context, status=form_status(form))


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int, submission_pk: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not can_act(request.user, cooperative, Cap.VERIFY):
        raise Http404
    submission = get_object_or_404(StageSubmission, pk=submission_pk, cooperative=cooperative)
    form = DecisionForm(request.POST)
    try:
        if request.POST.get("decision") == "verify":
            services.verify_submission(actor=request.user, submission=submission)
            messages.success(request, _("Stage verified."))
        elif not form.is_valid():  # e.g. a reason over the length limit: say so, never a KeyError below
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        else:
            services.return_submission(actor=request.user, submission=submission, reason=form.cleaned_data["reason"])
            messages.success(request, _("Evidence returned to the village."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if request.POST.get("next") == "next_item":  # e.g. no reason given: back to the same evidence
            return redirect("formation:verify_item", pk=submission.pk)
    if request.POST.get("next") == "queue":
        return redirect("formation:queue")
    if request.POST.get("next") == "next_item":
        return _next_in_queue(request)
    return redirect("formation:case_detail", pk=cooperative.pk)


def _next_in_queue(request: AuthenticatedRequest):
    """After a decision taken from the queue: the next waiting submission (the oldest left), else the queue."""
    following = selectors.next_in_queue(request.user)
    if following is None:
        messages.info(request, _("Nothing else is waiting for verification."))
        return redirect("formation:queue")
    return redirect("formation:verify_item", pk=following.pk)


@login_required
def verify_item(request: AuthenticatedRequest, pk: int):
    """One waiting submission at a glance: the scan beside the stage's required facts as a checklist, verify or return
    in one click, then on to the next in the queue."""
    if not has_capability(request.user, Cap.VERIFY):
        raise Http404
    submission = selectors.get_pending_for_user(request.user, pk)
    if submission.status != SubmissionStatus.PENDING:
        messages.info(request, _("This evidence has already been decided."))
        return _next_in_queue(request)
    files = list(submission.files.all())
    context = {
        "submission": submission,
        "cooperative": submission.cooperative,
        "checklist": selectors.checklist(submission),
        "files": files,
        "previews": [f for f in files if f.content_type in PREVIEWABLE],
        "decision_form": DecisionForm(),
    }
    return render(request, "formation/verify_item.html", context)


@login_required
@require_POST
def verify_many(request: AuthenticatedRequest):
    """Verify several waiting submissions at once: only stages that need no document; each one is verified (and
    audited) on its own, a refusal of one leaves the others verified and is said by name."""
    if not has_capability(request.user, Cap.VERIFY):
        raise Http404
    waiting = {s.pk: s for s in selectors.verification_queue(request.user)}
    chosen = [waiting[pk] for pk in _ids(request.POST.getlist("submission")) if pk in waiting]
    if not chosen:
        messages.error(request, _("Choose the stages to verify."))
        return redirect("formation:queue")
    done = 0
    for submission in chosen:
        if workflow_stage(submission.stage).requires_file:
            messages.error(
                request,
                _("%(name)s: stage %(stage)s needs its document checked; open it to verify.")
                % {"name": submission.cooperative.name, "stage": submission.get_stage_display()},
            )
            continue
        try:
            services.verify_submission(actor=request.user, submission=submission)
        except ValidationError as error:
            messages.error(request, f"{submission.cooperative.name}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        messages.success(request, ngettext("%(n)d stage verified.", "%(n)d stages verified.", done) % {"n": done})
    return redirect("formation:queue")


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
def step_back(request: AuthenticatedRequest, pk: int):
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not can_act(request.user, cooperative, Cap.VERIFY):
        raise Http404
    form = StepBackForm(request.POST or None, cooperative=cooperative)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_back(actor=request.user, cooperative=cooperative, **form.cleaned_data)
        except services.ConcurrentChange as error:
            add_service_errors(form, error)
            keep_after_concurrent_change(form, cooperative)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cooperative was moved back to an earlier stage."))
            return redirect("formation:case_detail", pk=cooperative.pk)
    return render(
        request,
        "formation/step_back.html",
        {"cooperative": cooperative, "form": form},
        status=form_status(form),
    )


@login_required
def queue(request: AuthenticatedRequest):
    if not has_capability(request.user, Cap.VERIFY):
        raise Http404
    context = {
        "submissions": selectors.verification_queue(request.user),
        # stages whose document the office must look at: never verified several at once
        "file_stages": {s.number for s in STAGES if s.requires_file},
    }
    return render(request, "formation/queue.html", context)


@login_required
def evidence_file(request: AuthenticatedRequest, pk: int):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("cooperative"), pk=pk)
    cooperative = selectors.get_cooperative_for_user(request.user, evidence.cooperative_id)
    # Documents name people: read-only partners (mitra) never get them; sensitive ones only those who edit the case.
    sensitive = evidence.sensitivity == Sensitivity.SENSITIVE
    if not can_act(request.user, cooperative, Cap.EDIT if sensitive else Cap.VIEW_PERSONAL):
        raise Http404
    # ?lihat=1: shown inside the verification page (a PDF or an image only; the page's own frame, nobody else's)
    return evidence_response(
        request, evidence.file, content_type=evidence.content_type, filename=evidence.original_name
    )


@login_required
def merge(request: AuthenticatedRequest, pk: int):
    """Villages that form one cooperative jointly: merge other records of the same kecamatan into this one."""
    cooperative = selectors.get_cooperative_for_user(request.user, pk)
    if not cooperative.is_active or not can_act(request.user, cooperative, Cap.VERIFY):
        raise Http404
    form = MergeForm(request.POST or None, candidates=selectors.merge_candidates(request.user, cooperative))
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_cooperatives(
                actor=request.user,
                target=cooperative,
                others=list(form.cleaned_data["others"]),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cooperatives were merged."))
            return redirect("formation:case_detail", pk=cooperative.pk)
    return render(
        request, "formation/merge.html", {"cooperative": cooperative, "form": form}, status=400 if form.errors else 200
    )
