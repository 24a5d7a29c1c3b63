from django.urls import path

from kopdes.documents import views

app_name = "documents"
urlpatterns = [
    path("penerbit/", views.issuers, name="issuers"),
    path("penerbit/<int:pk>/penandatangan/", views.signer, name="signer_add"),
    path("penerbit/<int:pk>/penandatangan/<int:signer_pk>/", views.signer, name="signer_edit"),
    path("penerbit/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("kop-surat/koperasi/<int:cooperative_pk>/", views.cooperative_issuer, name="cooperative_issuer"),
    path("kop-surat/<str:code>/", views.letterhead, name="letterhead"),
    path("kop-surat/<str:code>/<str:kind>/", views.issuer, name="issuer"),
]
