"""Settings for the app as served in bench/dashboards_http.py (DJANGO_SETTINGS_MODULE=bench_http_site): the project's
settings with bench_http_urls (the project's URLs plus a bare view). Not used by the app itself."""

from kopdes.settings import *  # noqa: F403

ROOT_URLCONF = "bench_http_urls"
