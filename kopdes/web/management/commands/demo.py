"""Load Paser's regions (from the npm package), one demo account per role and the demo's story — the 2025 formation
(the article's facts on their dates, the rest a reconstruction) up to today — check it (kopdes/web/demo_check.py), then
print the logins."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.accounts.services import assign_role
from kopdes.assistance import demo_consultations
from kopdes.cooperatives import demo as registry_demo
from kopdes.dashboards.replay import replay
from kopdes.formation import demo as formation_demo
from kopdes.regions.models import Region
from kopdes.web import demo_activities as assistance_demo
from kopdes.web import demo_buildings, demo_story
from kopdes.web.demo_check import violations

DEMO_PASSWORD = "kopdes-demo-2025"

# username, full name, role, region code
DEMO_USERS = [
    ("admin.dinas", "Admin Dinas Koperasi Paser", Role.ADMIN_DINAS, "64.01"),
    ("pimpinan", "Kepala Dinas (Pimpinan)", Role.PIMPINAN, "64.01"),
    ("mitra.dpmd", "Mitra DPMD Paser", Role.MITRA, "64.01"),
    ("camat.batusopang", "Camat Batu Sopang", Role.CAMAT, "64.01.01"),
    ("operator.janju", "Operator Desa Janju", Role.OPERATOR_DESA, "64.01.04.2002"),
    ("pendamping", "Pendamping Kecamatan Tanah Grogot", Role.PENDAMPING, "64.01.04"),
    ("pengurus.janju", "Ketua Pengurus Koperasi Janju", Role.PENGURUS, "64.01.04.2002"),
]


class Command(BaseCommand):
    help = "Demo data: Paser's regions and one demo account per role (never usable in production mode)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replay",
            action="store_true",
            help="Kept for old scripts: the story up to today is always loaded now.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are not created in production mode (KOPDES_PRODUCTION=1).")
        if not Region.objects.filter(code="64.01").exists():
            call_command("import_regions", prefix="64.01", stdout=self.stdout)
        with transaction.atomic():
            for username, full_name, role, code in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"full_name": full_name, "is_demo": True}
                )
                user.set_password(DEMO_PASSWORD)
                user.is_demo, user.is_active, user.must_change_password = True, True, False
                user.save()
                if not user.assignments.filter(ended_at__isnull=True, role=role, region__code=code).exists():
                    assign_role(actor=None, user=user, role=role, region=Region.objects.get(code=code))
        users = {username: User.objects.get(username=username) for username, *_rest in DEMO_USERS}
        if formation_demo.load(admin=users["admin.dinas"], operators={"64.01.04.2002": users["operator.janju"]}):
            self.stdout.write("Demo formation programme loaded (state of 11 May 2025).")
        operators = {"64.01.04.2002": users["operator.janju"]}
        moves = replay(admin=users["admin.dinas"], operators=operators)
        if moves:
            self.stdout.write(f"Paser's 2025 formation replayed to July 2025 (reconstruction): {moves} verified moves.")
        moves = demo_story.advance(admin=users["admin.dinas"], operators=operators)
        if moves:
            self.stdout.write(f"After formation, up to today (reconstruction): {moves} verified moves.")
        if demo_story.musdesus_pages(admin=users["admin.dinas"]):
            self.stdout.write("Musdesus pages written as the stages say.")
        reports = demo_story.camat_reports(admin=users["admin.dinas"], camats=demo_story.camats(password=DEMO_PASSWORD))
        if reports:
            self.stdout.write(f"Camat reports of past periods, one camat per kecamatan: {reports} submitted.")
        if registry_demo.load(admin=users["admin.dinas"]):
            self.stdout.write("Demo cooperative registry loaded (three cooperatives).")
        if demo_consultations.load(
            operator=users["operator.janju"],
            camat=users["camat.batusopang"],
            pendamping=users["pendamping"],
            office=users["admin.dinas"],
        ):
            self.stdout.write("Demo consultations loaded (one published in the public FAQ).")
        if assistance_demo.load(admin=users["admin.dinas"], pendamping=users["pendamping"]):
            self.stdout.write("Demo training and assistance visits loaded.")
        buildings = demo_buildings.load(office=users["admin.dinas"], password=DEMO_PASSWORD)
        if buildings:
            self.stdout.write(
                f"Gerai and warehouses of 2026 (reconstruction): {buildings} buildings, 18 built from December 2025, "
                "seven villages in land survey."
            )
        found = violations()
        if found:
            raise CommandError(f"The demo is inconsistent ({len(found)}):\n" + "\n".join(f"  {v}" for v in found))
        self.stdout.write("Demo consistency check passed.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, _name, role, code in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {Role(role).label} — {Region.objects.get(code=code).display_name}")
        required = ", ".join(settings.SECOND_FACTOR_REQUIRED_ROLES)
        self.stdout.write(
            f"Log in at /masuk/ with a username and the password above. Second factor (TOTP) required for: "
            f"{required or 'nobody (not production mode)'}; any account may turn it on under 'Akun saya'. "
            "Demo accounts never log in when KOPDES_PRODUCTION=1."
        )
