from django.urls import path

from kopdes.regions import views

app_name = "regions"
urlpatterns = [
    path("wilayah/", views.tree, name="tree"),
    path("wilayah/<str:code>/", views.detail, name="detail"),
]
