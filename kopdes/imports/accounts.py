"""Accounts from a spreadsheet: the office lists people (full name, email, role, region) and gets one account each,
made by `accounts.services.create_user` (audited) exactly as the single form makes them. All or nothing: one bad row
(unknown role, region outside the editor's scope or of the wrong level, duplicate or malformed email) and nothing is
created; each bad row is reported with its row number.

Columns are matched by header name and synonyms (`ACCOUNT_COLUMNS`, the shared reader `reader.find_table`); the
username is the optional "Nama Pengguna" column, else made from the email's local part (unique, suffixed -2, -3…).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from kopdes.accounts import services
from kopdes.accounts.models import User
from kopdes.accounts.roles import ALLOWED_LEVELS, Cap, Role
from kopdes.accounts.scope import manageable_roles_at, scope_q
from kopdes.cleaners.text import is_blank, norm
from kopdes.imports import reader
from kopdes.regions.models import Region

MAX_ROWS = 500  # a larger list is several sheets: the one-time passwords must be handed over in person anyway

ACCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "full_name": ("Nama Lengkap", "Nama", "Nama Pengguna Lengkap", "Nama Petugas"),
    "email": ("Email", "Alamat Email", "E-mail", "Surel", "Posel"),
    "role": ("Peran", "Role", "Jabatan Sistem", "Hak Akses"),
    "region": ("Kode Wilayah", "Wilayah", "Nama Desa", "Desa", "Kode Desa", "Nama Wilayah", "Kecamatan"),
    "username": ("Nama Pengguna", "Username", "Akun"),
    "phone": ("Telepon", "No HP", "Nomor HP", "No Telepon", "Nomor Telepon", "HP"),
}
REQUIRED: list[tuple[str, ...]] = [("full_name",), ("email",), ("role",), ("region",)]

# (header, width, note, example) of the downloadable template
TEMPLATE_COLUMNS = (
    ("Nama Lengkap", 28, gettext_lazy("Full name of the person."), "Siti Rahmawati"),
    ("Email", 30, gettext_lazy("The person's own email address; each address once."), "siti.rahmawati@contoh.id"),
    (
        "Peran",
        20,
        gettext_lazy("One of: admin dinas, pimpinan, mitra, camat, operator desa, pendamping, pengurus."),
        "operator desa",
    ),
    (
        "Kode Wilayah",
        18,
        gettext_lazy(
            "The region's code (64.01.04.2002) or the village's name; a camat's kecamatan, a village "
            "operator's village."
        ),
        "64.01.04.2002",
    ),
    ("Nama Pengguna", 20, gettext_lazy("May be empty: then made from the email address."), ""),
    ("Telepon", 16, gettext_lazy("May be empty."), "0812 5555 0101"),
)

_USERNAME = re.compile(r"^[a-zA-Z0-9._-]{3,}$")


@dataclass
class AccountRow:
    row: int
    full_name: str
    email: str
    role: str
    region_code: str  # "" for the whole nation
    username: str
    phone: str = ""

    def as_data(self) -> dict:
        return self.__dict__.copy()


@dataclass
class AccountPlan:
    rows: list[AccountRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (row number or None for the file, message)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _role(value) -> str | None:
    """The role a cell names: its code (operator_desa), its words (operator desa) or its label in either language."""
    wanted = norm(value)
    for role in Role:
        with override("id"):
            label_id = norm(str(role.label))
        with override("en"):
            label_en = norm(str(role.label))
        if wanted in {norm(role.value), label_id, label_en} or wanted == norm(role.value.replace("_", " ")):
            return role.value
    return None


def _region_code_text(value) -> str | None:
    """A region code from a cell: 64.01.04.2002, 6401042002 or 64 01 04 (text or number); None if not a code."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = re.sub(r"\s+", ".", str(value).strip().lstrip("'"))
    if re.fullmatch(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?", text):
        return text
    digits = text.replace(".", "")
    if digits.isdigit() and len(digits) in (2, 4, 6, 10):
        parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
        return ".".join(p for p in parts if p)
    return None


def _find_region(value, regions: dict[str, Region], by_name: dict[str, list[Region]]) -> Region | str:
    """The region in the editor's scope that `value` names, or the message why none."""
    code = _region_code_text(value)
    if code is not None:
        found = regions.get(code)
        return found if found is not None else _("the region %(code)s is not in the area you manage") % {"code": code}
    key = norm(value)
    for prefix in ("desa ", "kelurahan ", "kel ", "ds ", "kecamatan ", "kec "):
        key = key.removeprefix(prefix)
    matches = by_name.get(key, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        return _("several regions are called “%(name)s”: write the region's code instead") % {"name": value}
    return _("no region called “%(name)s” in the area you manage") % {"name": value}


def _username_from(email: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]+", ".", email.split("@")[0].lower()).strip(".-_") or "pengguna"
    base = (base + "...")[:3] if len(base) < 3 else base[:140]
    candidate, number = base, 1
    while candidate.lower() in taken or User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@dataclass
class _Context:
    """What the row checks compare against, read once per sheet."""

    actor: User
    regions: dict[str, Region]
    by_name: dict[str, list[Region]]
    existing_emails: set[str]
    taken: set[str]  # usernames (lower case) of existing accounts and of rows already planned
    seen_emails: dict[str, int] = field(default_factory=dict)  # email (lower case) -> first row


def _context(actor: User, rows: list[dict]) -> _Context:
    regions = {
        r.code: r for r in Region.objects.active().filter(scope_q(actor, capability=Cap.MANAGE_USERS)).order_by("code")
    }
    by_name: dict[str, list[Region]] = {}
    for region in regions.values():
        by_name.setdefault(norm(region.name), []).append(region)
    emails = [str(r.get("email") or "").strip().lower() for r in rows]
    names = [str(r.get("username") or "").strip() for r in rows] + [e.split("@")[0] for e in emails if e]
    existing = User.objects.filter(email__in=[e for e in emails if e]).values_list("email", flat=True)
    taken = User.objects.filter(username__in=[n for n in names if n]).values_list("username", flat=True)
    return _Context(actor, regions, by_name, {e.lower() for e in existing}, {u.lower() for u in taken})


def _email_problems(email: str, number: int, context: _Context) -> list[str]:
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(email)s” is not an email address") % {"email": email} if email else _("the email is empty")]
    first = context.seen_emails.setdefault(email.lower(), number)
    if first != number:
        return [_("the email %(email)s is also in row %(other)s") % {"email": email, "other": first}]
    if email.lower() in context.existing_emails:
        return [_("an account with the email %(email)s already exists") % {"email": email}]
    return []


def _role_and_region(data: dict, context: _Context) -> tuple[str | None, Region | None, list[str]]:
    raw_role, raw_region = data.get("role"), data.get("region")
    role = None if is_blank(raw_role) else _role(raw_role)
    problems = []
    if is_blank(raw_role):
        problems.append(_("the role is empty"))
    elif role is None:
        problems.append(
            _("unknown role “%(role)s” (admin dinas, pimpinan, mitra, camat, operator desa, pendamping, pengurus)")
            % {"role": raw_role}
        )
    region = None
    if not is_blank(raw_region):
        found = _find_region(raw_region, context.regions, context.by_name)
        if isinstance(found, str):
            problems.append(found)
        else:
            region = found
    elif role is not None and None not in ALLOWED_LEVELS[role]:
        problems.append(_("the region is empty"))
    if role is None or problems:
        return role, region, problems
    if (region.level if region else None) not in ALLOWED_LEVELS[role]:
        where = region.display_name if region else _("Indonesia")
        problems.append(
            _("the role %(role)s is not given on this level of region (%(region)s)")
            % {"role": Role(role).label, "region": where}
        )
    elif role not in manageable_roles_at(context.actor, region.code if region else None):
        problems.append(_("you may not give the role %(role)s in this region") % {"role": Role(role).label})
    return role, region, problems


def _username_problems(username: str, context: _Context) -> list[str]:
    if not username:
        return []
    if not _USERNAME.match(username):
        return [
            _("the username “%(name)s” may hold only letters, digits, dots, dashes or underscores (at least 3)")
            % {"name": username}
        ]
    if username.lower() in context.taken:
        return [_("the username %(name)s is already taken") % {"name": username}]
    return []


def check_rows(actor: User, rows: list[dict]) -> AccountPlan:
    """Check account rows (dicts: row, full_name, email, role, region, username, phone; `region` a cell value) for
    `actor`: every rule of the single form plus duplicates inside the sheet and against existing accounts. Used on
    the upload and again on the confirmation (scope or accounts may have changed in between)."""
    plan = AccountPlan()
    context = _context(actor, rows)
    for data in rows:
        number = data["row"]
        full_name = " ".join(str(data.get("full_name") or "").split())
        email = str(data.get("email") or "").strip()
        username = str(data.get("username") or "").strip()
        problems = [] if full_name else [_("the full name is empty")]
        problems += _email_problems(email, number, context)
        role, region, found = _role_and_region(data, context)
        problems += found + _username_problems(username, context)
        if problems:
            plan.errors.append((number, "; ".join(problems) + "."))
            continue
        username = username or _username_from(email, context.taken)
        context.taken.add(username.lower())
        plan.rows.append(
            AccountRow(
                row=number,
                full_name=full_name,
                email=email,
                role=role or "",
                region_code=region.code if region else "",
                username=username,
                phone=str(data.get("phone") or "").strip()[:30],
            )
        )
    return plan


def read_sheet(actor: User, data: bytes, name: str) -> AccountPlan:
    """Read an uploaded sheet and check its rows (`check_rows`). FileProblem when the file as a whole is unreadable."""
    table = reader.find_table(data, name, ACCOUNT_COLUMNS, required=REQUIRED)
    rows = []
    for number, cells in table.rows:
        if all(is_blank(c) for c in cells) or reader.is_total_row(cells):
            continue
        rows.append({"row": number, **{key: reader.cell(cells, table.columns, key) for key in ACCOUNT_COLUMNS}})
    if not rows:
        return AccountPlan(errors=[(None, _("The sheet holds no account rows under its header."))])
    if len(rows) > MAX_ROWS:
        return AccountPlan(
            errors=[
                (
                    None,
                    _("The sheet holds %(count)s rows; at most %(limit)s are read at once.")
                    % {"count": len(rows), "limit": MAX_ROWS},
                )
            ]
        )
    return check_rows(actor, rows)


def create_accounts(actor: User, rows: list[dict]) -> tuple[AccountPlan, list[tuple[User, str]]]:
    """Check `rows` again and create every account in one transaction (each through `services.create_user`, audited);
    if any row fails now, nothing is created and the plan says why. Returns the plan and (account, one-time password)
    pairs, the passwords to be shown once."""
    plan = check_rows(actor, [{**r, "region": r["region_code"]} for r in rows])
    if not plan.ok:
        return plan, []
    created = []
    regions = {r.code: r for r in Region.objects.filter(code__in=[row.region_code for row in plan.rows])}
    try:
        with transaction.atomic():
            for row in plan.rows:
                created.append(
                    services.create_user(
                        actor=actor,
                        username=row.username,
                        full_name=row.full_name,
                        role=row.role,
                        region=regions.get(row.region_code),
                        email=row.email,
                        phone=row.phone,
                    )
                )
    except (ValidationError, PermissionDenied) as refused:
        message = " ".join(refused.messages) if isinstance(refused, ValidationError) else _("not allowed")
        return AccountPlan(errors=[(row.row, message)]), []
    return plan, created


def accounts_template() -> bytes:
    """The downloadable sheet: the headers `read_sheet` knows, a note per column and one example row."""
    import xlsxwriter

    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Akun")
    for position, (header, width, note, example) in enumerate(TEMPLATE_COLUMNS):
        sheet.set_column(position, position, width, text)
        sheet.write_string(0, position, header, bold)
        sheet.write_comment(0, position, str(note))
        sheet.write_string(1, position, example)
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("Petunjuk")
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 80)
    notes.write_row(0, 0, [_("Column"), _("Notes")], bold)
    for row, (header, _width, note, _example) in enumerate(TEMPLATE_COLUMNS, start=1):
        notes.write_string(row, 0, header)
        notes.write_string(row, 1, str(note))
    notes.write_string(
        len(TEMPLATE_COLUMNS) + 2,
        0,
        _("One person per row from row 2 (replace the example). One bad row and no account is created."),
    )
    book.close()
    return target.getvalue()
