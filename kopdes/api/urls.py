from django.urls import path

from kopdes.api import views

app_name = "api_tokens"
urlpatterns = [
    path("token-api/", views.token_list, name="list"),
    path("token-api/<int:pk>/cabut/", views.token_revoke, name="revoke"),
]
