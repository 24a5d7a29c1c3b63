import factory

from kopdes.accounts.models import RoleAssignment, User
from kopdes.regions.models import Region

TEST_PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password(TEST_PASSWORD)


def make_user(username: str, role: str, code: str | None, **extra) -> User:
    """A user holding one role on the region `code` (None: the nation)."""
    user = UserFactory(username=username, **extra)
    region = Region.objects.get(code=code) if code else None
    RoleAssignment.objects.get_or_create(user=user, role=role, region=region, ended_at=None)
    return user
