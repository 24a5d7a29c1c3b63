from django.contrib import admin
from django.http import HttpRequest

from kopdes.documents.models import IssuedPaper, Issuer, Signer


class _NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj=None):
        return False


@admin.register(Issuer)
class IssuerAdmin(_NoDelete):
    list_display = ["kind", "region", "government", "office", "updated_at"]
    raw_id_fields = ["region"]


@admin.register(Signer)
class SignerAdmin(_NoDelete):
    list_display = ["issuer", "role", "name", "position", "is_active"]
    raw_id_fields = ["issuer"]


@admin.register(IssuedPaper)
class IssuedPaperAdmin(_NoDelete):
    list_display = ["issuer", "number", "date_of_issue", "kind", "subject_key"]
    raw_id_fields = ["issuer"]

    def has_change_permission(self, request: HttpRequest, obj=None):
        return False  # numbers and dates are frozen once issued
