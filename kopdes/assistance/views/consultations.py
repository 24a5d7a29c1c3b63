"""Consultations views of the assistance app."""

urlpatterns: list = []
