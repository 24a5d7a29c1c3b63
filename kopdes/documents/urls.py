from django.urls import path

from kopdes.documents import views

app_name = "documents"
urlpatterns = [path("kop-surat/<str:code>/", views.letterhead, name="letterhead")]
