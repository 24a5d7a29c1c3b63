from kopdes.assistance.views import activities, consultations

app_name = "assistance"
urlpatterns = [*consultations.urlpatterns, *activities.urlpatterns]
