"""Who may do what in assistance: ask, read, answer, reopen and close a consultation; manage a training, record its
attendance; edit a visit, mark a follow-up done. Views, selectors, services and templates (through the selectors'
page data) ask here."""

from __future__ import annotations

from kopdes.accounts.models import RoleAssignment
from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import assigned_cooperative_ids, in_scope
from kopdes.assistance.models import FollowUp, Question, QuestionStatus, Visit
from kopdes.formation.models import CooperativeVillage
from kopdes.regions.models import Level, Region, is_within

# --- consultations -------------------------------------------------------------------------------------------------

ASKING_ROLES = frozenset({Role.OPERATOR_DESA, Role.CAMAT, Role.PENGURUS})


def _covers(assignment: RoleAssignment, code: str) -> bool:
    return is_within(code, assignment.scope_code)


def roles_at(user, code: str) -> set[str]:
    """The roles `user` holds on the region `code` (through an assignment on it or above it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return {Role.ADMIN_DINAS}
    return {a.role for a in user.active_assignments() if _covers(a, code)}


def is_question_office(user, question: Question) -> bool:
    return Role.ADMIN_DINAS in roles_at(user, question.region_code)


def can_ask(user, village: Region) -> bool:
    return village.level == Level.DESA and bool(roles_at(user, village.code) & ASKING_ROLES)


def can_read(user, question: Question) -> bool:
    """The asker, the routed pendamping, any pendamping, camat or office of the village (the same rule as
    selectors.visible_questions)."""
    if question.asked_by_id == user.pk or question.routed_to_id == user.pk:
        return True
    return bool(roles_at(user, question.region_code) & {Role.ADMIN_DINAS, Role.CAMAT, Role.PENDAMPING})


def can_answer(user, question: Question) -> bool:
    """The routed pendamping, a pendamping of the village or its kecamatan, or the office of the regency."""
    if question.routed_to_id == user.pk:
        return True
    return bool(roles_at(user, question.region_code) & {Role.ADMIN_DINAS, Role.PENDAMPING})


def can_reopen(user, question: Question) -> bool:
    return question.status != QuestionStatus.OPEN and (
        question.asked_by_id == user.pk or is_question_office(user, question)
    )


def can_close(user, question: Question) -> bool:
    return question.status != QuestionStatus.CLOSED and (question.asked_by_id == user.pk or can_answer(user, question))


# --- trainings, visits and follow-ups ------------------------------------------------------------------------------


def is_office(user, code: str) -> bool:
    return in_scope(user, code, Cap.VERIFY)


def is_pendamping_of(user, code: str) -> bool:
    """Whether `user` is a pendamping assigned to `code` (or to a region above it)."""
    return any(
        a.role == Role.PENDAMPING and a.scope_code and is_within(code, a.scope_code) for a in user.active_assignments()
    )


def ba_villages(user) -> dict[str, int]:
    """{village code: cooperative id} of the villages served by the cooperatives assigned to `user` as a Business
    Assistant (the assignment rows: `kopdes.accounts.scope.assigned_cooperative_ids`; cached for the request)."""
    if "_ba_villages" not in user.__dict__:
        ids = assigned_cooperative_ids(user)
        rows = CooperativeVillage.objects.filter(cooperative_id__in=ids, left_at__isnull=True) if ids else []
        user.__dict__["_ba_villages"] = {r.village_code: r.cooperative_id for r in rows}
    return user.__dict__["_ba_villages"]


def is_ba_of(user, code: str) -> bool:
    """Whether `user` is a Business Assistant of a cooperative serving the village `code`: it records visits there
    like a pendamping (its visits feed its monthly report)."""
    return getattr(user, "is_authenticated", False) and code in ba_villages(user)


def may_record_visit(user, code: str) -> bool:
    return is_pendamping_of(user, code) or is_ba_of(user, code)


def may_manage_training(user, code: str) -> bool:
    """Whether `user` may create, change, cancel a training of region `code` (and add its material): the office of
    the region, or a pendamping assigned to it (a kecamatan's pendamping organises trainings for its kecamatan)."""
    return is_office(user, code) or is_pendamping_of(user, code)


def may_record_attendance(user, code: str) -> bool:
    return is_office(user, code) or is_pendamping_of(user, code)


def may_mark_done(user, follow_up: FollowUp) -> bool:
    return in_scope(user, follow_up.village_code, Cap.EDIT)


def may_edit_visit(user, visit: Visit) -> bool:
    """The pendamping or BA who recorded the visit (while still assigned to the village) or the office of the
    village."""
    return (visit.pendamping_id == user.pk and may_record_visit(user, visit.village_code)) or is_office(
        user, visit.village_code
    )
