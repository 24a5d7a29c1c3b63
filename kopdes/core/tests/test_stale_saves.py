"""No lost update anywhere: every view that takes a POST either refuses a save made from a stale read
or is on a short list that says why it edits no existing record's fields.

Which views take a POST is read from the code behind the URL conf (every named URL; the permission matrix lists the
same names): a class-based view with a `post` method, or a view function whose source — with the kopdes helpers it
calls — reads `POST`. A new such view fails `test_every_view_taking_a_post_is_stale_checked_or_says_why` until it is
in `STALE_CHECKED` (with the HTTP round trip below) or in `NOT_AN_EDIT` (with its reason).

The round trip: the view is opened with the matrix's in-scope object by a role that may edit it, then posted twice
from the same read — as two people would — changing one field: the first save goes through (302), the second is
refused with 409, keeps what was typed and (`audit.stale`) names the value saved meanwhile. The formation record's
own stage views keep their older check (`Cooperative.version`, `formation.services.ConcurrentChange`): refused with
409 and the input kept, but the message says only that the village's data changed.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from html.parser import HTMLParser

import pytest
from django.urls import URLResolver, get_resolver, reverse

from kopdes.accounts.models import User
from kopdes.assistance.models import Question
from kopdes.assistance.services.consultations import post_message
from kopdes.audit.stale import READ_TOKEN_FIELD
from kopdes.core.tests.test_permission_matrix import MATRIX, MODULES, OWNER, is_tested_apart
from kopdes.formation.models import Cooperative
from kopdes.formation.services import submit_stage, verify_submission
from kopdes.notifications.models import NotificationKind
from kopdes.reports.models import CamatReport
from kopdes.reports.services import start_new_version
from kopdes.tests.matrix import CAST, ROLES

# --- which views take a POST ---------------------------------------------------------------------------------------


def _callbacks() -> dict[str, Callable]:
    """URL name -> view callable, for every named URL of the matrix (admin and API apart, as there)."""
    found: dict[str, Callable] = {}

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace and is_tested_apart(pattern.namespace):
                    continue
                walk(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif pattern.name:
                found.setdefault(prefix + pattern.name, pattern.callback)

    walk(get_resolver())
    return found


READS_POST = re.compile(r"request\.POST|require_POST|\.method\s*==\s*\"POST\"")


def _reads_post(function, depth: int = 1) -> bool:
    """Whether the function (decorators included), or a kopdes function it calls by name, reads a POST."""
    function = inspect.unwrap(function)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    if READS_POST.search(source):
        return True
    if depth == 0:
        return False
    called = [function.__globals__.get(name) for name in re.findall(r"\b([A-Za-z_]\w*)\(", source)]
    for module, attribute in re.findall(r"\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\(", source):
        if inspect.ismodule(function.__globals__.get(module)):
            called.append(getattr(function.__globals__[module], attribute, None))
    return any(
        inspect.isfunction(target) and target.__module__.startswith("kopdes.") and _reads_post(target, depth - 1)
        for target in called
    )


def views_taking_a_post() -> set[str]:
    taking = set()
    for name, view in _callbacks().items():
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            if hasattr(view_class, "post"):
                taking.add(name)
        elif _reads_post(view):
            taking.add(name)
    return taking


# --- the views that refuse a stale save, and how to post them ------------------------------------------------------


def _office(ctx, user):
    return User.objects.get(username="matrix.office")


def _verify_pending(ctx, user):
    """The matrix leaves a submission pending: decide it, so the case takes new evidence and can step back."""
    verify_submission(actor=_office(ctx, user), submission=ctx["formation"]["inside_submission"])


def _to_stage_2(ctx, user):
    _verify_pending(ctx, user)
    case = Cooperative.objects.get(pk=ctx["formation"]["inside"].pk)
    office = _office(ctx, user)
    pending = submit_stage(
        actor=office,
        cooperative=case,
        version=case.version,
        stage=2,
        evidence_date=date(2025, 5, 20),
        evidence_number="141/07/2025",
    )
    verify_submission(actor=office, submission=pending)


def _decide_building_land(ctx, user):
    """The matrix leaves the land step of the building waiting: return it, so the step takes new evidence."""
    from kopdes.buildings.services import return_submission

    return_submission(actor=_office(ctx, user), submission=ctx["buildings"]["inside"]["submission"], reason="Ulangi")


def _answer_question(ctx, user):
    question = Question.objects.get(pk=ctx["assistance"]["inside_question"])
    post_message(actor=user, question=question, text="Silakan ikuti pelatihan di kecamatan.")


def _draft_report(ctx, user):
    start_new_version(actor=user, report=CamatReport.objects.get(pk=ctx["reports"]["inside_report"]))


def _untick(pairs: list[list[str]], attempt: int) -> str:
    """Notification preferences have no text: the first person turns one type's email off, the second another."""
    kinds = [value for key, value in pairs if key == "email"]
    gone = kinds[attempt - 1]
    pairs[:] = [pair for pair in pairs if pair != ["email", gone]]
    return ", ".join(sorted(kind for kind in kinds if kind != gone))


@dataclass(frozen=True)
class Recipe:
    """How to post one edit view twice from one read. Defaults: the first role the matrix lets in; the first text
    field that saves, typed as its value + " Satu" then + " Dua"."""

    role: str | None = None
    setup: Callable | None = None  # (ctx, user): make the record editable first (answer a question, …)
    fill: dict = field(default_factory=dict)  # required fields the page leaves empty (a callable: of the page's fields)
    fill_second: dict = field(default_factory=dict)  # what the second person chose otherwise
    shown: tuple[str, str] | None = None  # how the refusal shows the two values (default: as typed)
    field: str | None = None  # the field the two people change
    values: tuple[str, str] | None = None  # what they type in it (default: value + " Satu" / " Dua")
    mutate: Callable | None = None  # (pairs, attempt) -> the text the refusal shows; for forms without text
    names_change: bool = True  # False: the formation record's version check (the message names no value)


TEAM_ROW = "Budi Santoso\t\t\t\t\t081234567890\tketua\ttokoh masyarakat"  # pasted: the roster's six, then extras
STALE_CHECKED: dict[str, Recipe] = {
    "cooperatives:edit_profile": Recipe(),
    "cooperatives:edit_member": Recipe(),
    "cooperatives:edit_outlet": Recipe(),
    # one row per book year, changed in place when the year is recorded again
    "cooperatives:record_rat": Recipe(fill={"held_on": "2024-06-01"}, field="note"),
    "assistance:training_edit": Recipe(),
    "assistance:visit_edit": Recipe(),
    "assistance:publish": Recipe(setup=_answer_question, field="public_answer"),
    "documents:letterhead": Recipe(),
    "documents:issuer": Recipe(role="operator_desa"),
    "documents:cooperative_issuer": Recipe(role="operator_desa"),
    "documents:signer_edit": Recipe(role="operator_desa", field="name"),
    "people:person_edit": Recipe(),
    "notifications:preferences": Recipe(mutate=_untick),
    "accounts:account": Recipe(field="email", values=("satu@desa.example", "dua@desa.example")),
    "reports:period_report": Recipe(role="camat", setup=_draft_report, field="obstacles"),
    "formation:team": Recipe(fill={"members_paste": TEAM_ROW}, field="village_head_name"),
    "formation:musdesus_schedule": Recipe(
        fill={"date": "2025-06-02", "time": "09:00", "convener": "Kepala Desa"}, field="place"
    ),
    "formation:musdesus_attendance": Recipe(
        field="attendees_paste",
        values=("Siti\t\tP\t\t\t\tperempuan", "Rina\t\tP\t\t\t\tperempuan"),
        shown=("Siti", "Rina"),
    ),
    "formation:musdesus_decisions": Recipe(
        fill={"pathway": "pendirian_baru", "business_units": lambda page: page.choices["business_units"][0]},
        field="cooperative_name",
    ),
    # the planned date of issue of a paper not yet issued (after issue: refused, the date frozen)
    "formation:musdesus_paper": Recipe(field="date_of_issue", values=("2025-05-01", "2025-05-02")),
    # the formation record's stage views: Cooperative.version (ConcurrentChange), 409 and the input kept
    "formation:submit_stage": Recipe(
        setup=_verify_pending,
        fill={"evidence_date": "2025-05-20", "evidence_number": "141/07/2025"},
        field="note",
        names_change=False,
    ),
    # the first person steps back to stage 1, the second (from the same read) to stage 0
    # a building step: the step's last submission (its note and status) is what the form was read against
    "buildings:submit_step": Recipe(
        fill={
            "evidence_date": "2026-01-06",
            "land_owner": "village",
            "land_certificate": "SHM 5",
            "land_area_m2": "600",
        },
        setup=_decide_building_land,
        field="note",
    ),
    "buildings:instalments": Recipe(
        fill={
            "funding_source": "dana_desa",
            "letter_number": "900/1/2026",
            "letter_date": "2026-02-20",
            "schedule": "2026-06-30 45000000",
        },
        field="regulation",
        values=("PMK 7/2026", "PMK 7 Tahun 2026"),
    ),
    # the BA's monthly report: a form read before another version was sent (its version, state and summary) is refused
    "returns:ba_enter": Recipe(role="business_assistant", field="summary"),
    "formation:step_back": Recipe(
        setup=_to_stage_2, fill={"stage": "1"}, fill_second={"stage": "0"}, field="reason", names_change=False
    ),
}

# Views that take a POST but edit no field of an existing record, each with why. Append-only and one-way actions
# refuse a repeat by the state they check under a row lock (already decided, already ended, already merged).
NOT_AN_EDIT: dict[str, str] = {
    "web:set_language": "the interface language of the session; no record",
    "accounts:login": "logging in; no record is edited",
    "accounts:login_code": "the second step of logging in",
    "accounts:logout": "logging out",
    "accounts:password_change": "asks for the current password: a password changed meanwhile makes it fail",
    "accounts:password_reset": "sends a reset link; edits nothing",
    "accounts:password_reset_confirm": "a one-time link: it stops working once the password changes",
    "accounts:confirm_email": "confirms the address the signed link names; refused once the address changed",
    "accounts:second_factor_setup": "a new device, confirmed with its code; nothing typed over an existing record",
    "accounts:recovery_codes": "new codes replace the old ones whole; no field typed",
    "accounts:second_factor_disable": "asks for the password; turns the factor off (one way)",
    "accounts:user_list": "a search posted to keep names and NIKs out of the address; writes nothing",
    "accounts:user_create": "creates an account",
    "accounts:user_deactivate": "a one-way action from a confirmation page; no field typed",
    "accounts:user_activate": "a one-way action from a confirmation page; no field typed",
    "accounts:user_reset_password": "makes a new one-time password; no field typed",
    "accounts:user_reset_second_factor": "removes the device; no field typed",
    "formation:decide": "verify or return a pending submission: the service refuses one already decided",
    "formation:verify_many": "verifies pending submissions one by one: the service refuses one already decided",
    "formation:merge": "joins other records into this one: the service refuses a record already merged",
    # the signed Berita Acara is new evidence (a submission), guarded by Cooperative.version like submit_stage; its
    # round trip needs a complete Musdesus without rule errors (kopdes/formation/tests/test_musdesus_views.py)
    "formation:musdesus_scan": "submits new evidence; Cooperative.version refuses a stale form (409, input kept)",
    "documents:signer_add": "adds a signer; nothing typed over an existing record",
    "formation:musdesus_issue": "issues a paper once: the register returns the paper already issued (number and date "
    "frozen); no field typed",
    "notifications:open": "marks one notification read (idempotent)",
    "notifications:read_all": "marks all read (idempotent)",
    "buildings:decide": "verify or return a pending building step: the service refuses one already decided",
    "buildings:photo_public": "a button on the evidence page (no page of its own to read): the service checks the "
    "photo's public choice against that page's read token (kopdes/buildings/tests/test_photos.py)",
    "reports:new_version": "starts the next version: refused unless the report is still the latest",
    "reports:decide": "accept or return: the service refuses a report that is no longer waiting",
    "cooperatives:add_seat": "adds a seat",
    "cooperatives:end_seat": "ends a seat once: the service refuses a seat already ended",
    "cooperatives:board_from_musdesus": "adds the first board: refused while seats are sitting",
    "cooperatives:members": "a search posted to keep NIKs out of the address; writes nothing",
    "cooperatives:add_member": "adds a member (a NIK already listed is refused)",
    "cooperatives:member_left": "a one-way status with its date: refused for a member already gone",
    "cooperatives:member_rejoin": "a one-way status: refused for an active member",
    "cooperatives:add_outlet": "adds an outlet",
    "assistance:ask": "asks a new question",
    "assistance:post_message": "adds a message to the thread",
    "assistance:change_status": "close or reopen: the service checks the status it changes from",
    "assistance:training_create": "creates a training",
    "assistance:training_cancel": "cancels once with a reason: refused for a training already cancelled",
    "assistance:training_attendance": "adds people to the attendance list",
    "assistance:material_upload": "adds a file",
    "assistance:attendee_withdraw": "takes one person off the list once",
    "assistance:visit_create": "records a new visit",
    "assistance:visit_cancel": "cancels once with a reason: refused for a visit already cancelled",
    "assistance:follow_up_done": "marks a follow-up done once: refused for one already done",
    "imports:village_status": "uploads a file into a new preview batch",
    "imports:buildings": "uploads a file into a new preview batch",
    "imports:members": "uploads a file into a new preview batch",
    "imports:confirm": "applies a preview batch once: refused for a batch already applied or expired",
    "imports:decide_labels": "records the office's reading of a stage label and re-plans the preview; confirming "
    "still refuses a batch whose plan changed after the preview",
    "imports:map_columns": "records which field a column of a sheet layout holds and re-plans the preview; confirming "
    "still refuses a batch whose plan changed after the preview",
    "api_tokens:revoke": "revokes a token (one way); no field typed",
    "imports:accounts_upload": "checks a sheet of new accounts and shows a preview; writes nothing",
    "imports:accounts_confirm": "creates new accounts (all or none), checked again; edits no existing record",
    "people:person_add": "adds a person to the roster (a NIK already on it is refused)",
    "people:create_inline": "adds a person to the roster from a picker (a NIK already on it is refused)",
    "people:paste": "adds pasted rows to the roster, all or nothing (a NIK already on it is that person)",
    "people:person_retire": "takes a person off the roster once, checked against the edit page's read token",
    "returns:enter": "submits the next version of a month's return (a submitted one is frozen); its read token on "
    "the version and status refuses a form read before another version was submitted",
    "returns:ba_decide": "accepts or returns a submitted BA report once: refused for one no longer submitted; no "
    "field typed over a record",
    "returns:send_back": "returns a submitted version once with a reason: refused for one no longer submitted",
    "returns:reopen": "adds a reopening (until a day, with a reason); no field typed over a record",
    "returns:assignments": "adds an assignment: an open one for the same BA and cooperative is refused",
    "returns:unassign": "ends an assignment once: refused for one already ended",
    "imports:opensid": "brings ticked rows of an OpenSID export into the roster (a NIK already on it is that person)",
}


def test_every_view_taking_a_post_is_stale_checked_or_says_why():
    taking = views_taking_a_post()
    missing = sorted(taking - set(STALE_CHECKED) - set(NOT_AN_EDIT))
    listed_but_no_post = sorted((set(STALE_CHECKED) | set(NOT_AN_EDIT)) - taking)

    assert not missing, (
        f"Views that take a POST, neither stale-checked nor explained: {', '.join(missing)}. An edit of an existing "
        "record needs kopdes.audit.stale (and an entry in STALE_CHECKED); anything else a reason in NOT_AN_EDIT."
    )
    assert not listed_but_no_post, f"Listed here but taking no POST (renamed?): {', '.join(listed_but_no_post)}"
    assert not set(STALE_CHECKED) & set(NOT_AN_EDIT)


def test_the_enumeration_finds_the_edit_views_by_any_name():
    # names without "edit": the letterhead, the preferences, the report narrative, the Musdesus forms
    assert {
        "documents:letterhead",
        "notifications:preferences",
        "reports:period_report",
        "formation:musdesus_decisions",
        "accounts:account",
    } <= views_taking_a_post()
    assert "dashboards:region" not in views_taking_a_post()  # a page that only reads


# --- the round trip ------------------------------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would send from the page's POST forms: (name, value) pairs and the text inputs."""

    def __init__(self):
        super().__init__()
        self.pairs: list[list[str]] = []
        self.texts: list[int] = []  # indexes into pairs of the text fields
        self.choices: dict[str, list[str]] = {}  # the values a checkbox or radio name offers
        self._select: str | None = None
        self._selected = self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.choices.setdefault(name, []).append(a.get("value", "on"))
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "file", "button"):
                return
            if kind == "text":
                self.texts.append(len(self.pairs))
            self.pairs.append([name, a.get("value", "")])
        elif tag == "select":
            self._select, self._multiple, self._selected = name, "multiple" in a, False
            if not self._multiple:
                self.pairs.append([name, ""])  # a browser sends the first option when none is selected
        elif tag == "option" and self._select:
            if self._multiple:
                if "selected" in a:
                    self.pairs.append([self._select, a.get("value", "")])
            elif "selected" in a or not self._selected:
                self.pairs[-1][1] = a.get("value", "")
                self._selected = self._selected or "selected" in a
        elif tag == "textarea" and name:
            self._textarea = name
            self.pairs.append([name, ""])

    def handle_data(self, data):
        if self._textarea:
            self.pairs[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.pairs[-1][1] = self.pairs[-1][1].removeprefix("\n")  # the newline after <textarea> is not data
            self.texts.append(len(self.pairs) - 1)
            self._textarea = None


def _editor(name: str) -> str:
    entry = MATRIX[name]
    return next(role for role in ROLES if entry.inside[role] == 200)


def _post(client, url, pairs):
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return client.post(url, data)


def _set(pairs: list[list[str]], name: str, value: str) -> None:
    for pair in pairs:
        if pair[0] == name:
            pair[1] = value
            return
    pairs.append([name, value])


def _quoted(text: str) -> str:
    return escape(f"“{text}”", quote=False)


def _in_quotes(text: str, body: str) -> bool:
    """Whether the refusal quotes `text` (alone, or within a value of several parts: a RAT, a list of people)."""
    return re.search(f"“[^”]*{re.escape(escape(text, quote=False))}[^”]*”", body) is not None


@pytest.mark.parametrize("name", sorted(STALE_CHECKED))
def test_edit_view_refuses_a_save_from_a_stale_read(request, client, paser, name):
    recipe = STALE_CHECKED[name]
    role = recipe.role or _editor(name)
    user = request.getfixturevalue(CAST[role].fixture)
    build = getattr(MODULES.get(OWNER.get(name)), "context", None)
    ctx = {"role": role, "user": user, **({OWNER[name]: build(role)} if build else {})}
    if recipe.setup:
        recipe.setup(ctx, user)
    url = reverse(name, kwargs=MATRIX[name].inside_kwargs(ctx))
    client.force_login(user)

    page = client.get(url)
    fields = _FormFields()
    fields.feed(page.content.decode())
    read = [list(pair) for pair in fields.pairs]
    for key, value in recipe.fill.items():
        _set(read, key, value(fields) if callable(value) else value)

    token_field = "version" if not recipe.names_change else READ_TOKEN_FIELD
    assert token_field in {key for key, _ in read}, f"{name}: the form carries no {token_field}"

    def attempt(number: int) -> tuple[list[list[str]], str]:
        """The form as one person sends it, and the value typed (or, for `mutate`, the text the refusal shows)."""
        pairs = [list(pair) for pair in read]
        if recipe.mutate:
            return pairs, recipe.mutate(pairs, number)
        candidates = [recipe.field] if recipe.field else [pairs[i][0] for i in fields.texts]
        return pairs, candidates

    if recipe.mutate:
        first, shown_first = attempt(1)
        assert _post(client, url, first).status_code == 302, f"{name}: the first save did not go through"
        second, shown_second = attempt(2)
        response = _post(client, url, second)
        assert response.status_code == 409, f"{name}: a save from a stale read was not refused"
        assert _quoted(shown_first) in response.content.decode()  # the value saved meanwhile is named
        assert _quoted(shown_second) in response.content.decode()  # and what the second person sent
        return

    first_response = None
    for field_name in attempt(1)[1]:  # the first candidate field that takes a changed value
        pairs = [list(pair) for pair in read]
        base = dict(pairs).get(field_name, "").strip()
        typed = recipe.values or (f"{base} Satu".strip(), f"{base} Dua".strip())
        _set(pairs, field_name, typed[0])
        first_response = _post(client, url, pairs)
        if first_response.status_code == 302:
            break
    assert first_response is not None and first_response.status_code == 302, (
        f"{name}: no field could be saved ({first_response and first_response.status_code})"
    )
    _set(pairs, field_name, typed[1])
    for key, value in recipe.fill_second.items():
        _set(pairs, key, value)
    second = _post(client, url, pairs)  # the second person, from the same read

    assert second.status_code == 409, f"{name}: a save from a stale read was not refused"
    body = second.content.decode()
    assert escape(typed[1], quote=False) in body  # what the second person typed is kept
    if recipe.names_change:
        shown = recipe.shown or typed
        assert _in_quotes(shown[0], body), f"{name}: the value saved meanwhile is not named"
        assert _in_quotes(shown[1], body), f"{name}: the refusal does not show what was sent"


def test_a_second_save_after_the_refusal_goes_through(client, operator_janju, paser):
    """The refused form carries the record as it is now: sending it again, after checking, saves deliberately."""
    client.force_login(operator_janju)
    url = reverse("notifications:preferences")
    page = client.get(url)
    token = page.context["read_token"]
    kinds = list(NotificationKind.values)

    assert client.post(url, {"email": kinds[1:], READ_TOKEN_FIELD: token}).status_code == 302
    refused = client.post(url, {"email": kinds[:-1], READ_TOKEN_FIELD: token})
    assert refused.status_code == 409
    again = client.post(url, {"email": kinds[:-1], READ_TOKEN_FIELD: refused.context["read_token"]})

    assert again.status_code == 302
    assert client.get(url).context["kinds"][-1]["email"] is False
