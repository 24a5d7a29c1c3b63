"""The documents URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py)."""

from kopdes.tests.matrix import Entry, answers, everyone

OWN_VILLAGE = answers(404, operator_desa=200)


def _pk(where: str, name: str = "issuer"):
    return lambda ctx: {"pk": ctx["documents"][f"{where}_{name}"].pk}


ENTRIES: dict[str, Entry] = {
    # only the office edits its letterhead; out of scope (another regency) is 404 like everything else
    "documents:letterhead": Entry(
        "GET",
        inside=answers(404, admin_dinas=200),
        outside=answers(404),
        inside_kwargs=lambda ctx: {"code": "64.01"},
        outside_kwargs=lambda ctx: {"code": "64.02"},
    ),
    "documents:issuers": Entry("GET", inside=everyone(200)),
    # a village's bodies are edited by its operator only (documents.policy)
    "documents:issuer": Entry(
        "GET",
        inside=OWN_VILLAGE,
        outside=answers(404),
        inside_kwargs=lambda ctx: {"code": "64.01.04.2002", "kind": "bpd"},
        outside_kwargs=lambda ctx: {"code": "64.01.01.2013", "kind": "bpd"},
    ),
    "documents:cooperative_issuer": Entry(
        "GET",
        inside=OWN_VILLAGE,
        outside=answers(404),
        inside_kwargs=lambda ctx: {"cooperative_pk": ctx["documents"]["inside_cooperative"].cooperative_pk},
        outside_kwargs=lambda ctx: {"cooperative_pk": ctx["documents"]["outside_cooperative"].cooperative_pk},
    ),
    "documents:signer_add": Entry(
        "GET", inside=OWN_VILLAGE, outside=answers(404), inside_kwargs=_pk("inside"), outside_kwargs=_pk("outside")
    ),
    "documents:signer_edit": Entry(
        "GET",
        inside=OWN_VILLAGE,
        outside=answers(404),
        inside_kwargs=lambda ctx: {
            "pk": ctx["documents"]["inside_issuer"].pk,
            "signer_pk": ctx["documents"]["inside_signer"].pk,
        },
        outside_kwargs=lambda ctx: {
            "pk": ctx["documents"]["outside_issuer"].pk,
            "signer_pk": ctx["documents"]["outside_signer"].pk,
        },
    ),
    "documents:agenda": Entry(
        "GET", inside=OWN_VILLAGE, outside=answers(404), inside_kwargs=_pk("inside"), outside_kwargs=_pk("outside")
    ),
}


def context(role: str) -> dict:
    from kopdes.documents.models import Issuer, IssuerKind, Signer, SignerRole
    from kopdes.documents.selectors import default_issuer
    from kopdes.regions.models import Kind, Level, Region

    Region.objects.get_or_create(
        code="64.02",
        defaults={
            "name": "Luar",
            "level": Level.KABUPATEN,
            "kind": Kind.KABUPATEN,
            "parent": Region.objects.get(code="64"),
        },
    )
    out: dict = {}
    for where, code, pk in (("inside", "64.01.04.2002", 9001), ("outside", "64.01.01.2013", 9002)):
        region = Region.objects.get(code=code)
        issuer = Issuer.objects.filter(kind=IssuerKind.BPD, region=region).first()
        if issuer is None:
            issuer = default_issuer(IssuerKind.BPD, region)
            issuer.save()
        out[f"{where}_issuer"] = issuer
        out[f"{where}_signer"] = Signer.objects.get_or_create(
            issuer=issuer, role=SignerRole.KETUA_BPD, defaults={"name": "Ketua", "position": "Ketua BPD"}
        )[0]
        cooperative = Issuer.objects.filter(kind=IssuerKind.COOPERATIVE, cooperative_pk=pk).first()
        if cooperative is None:
            cooperative = default_issuer(IssuerKind.COOPERATIVE, region, cooperative_pk=pk)
            cooperative.save()
        out[f"{where}_cooperative"] = cooperative
    return out
