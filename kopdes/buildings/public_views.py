"""The public building pages (no login): a regency's or kecamatan's villages with their building's step, one
village's building with its public photos, and those photos re-encoded without metadata."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kopdes.buildings import public
from kopdes.files.exif import public_jpeg

PHOTO_CACHE_SECONDS = 3600


def _cached(key: str, build):
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, public.CACHE_SECONDS)
    return data


def public_list(request: HttpRequest, code: str):
    region = public.public_region(code)
    # the data is cached, not the page: the page carries the visitor's CSRF token and menu
    data = _cached(f"kopdes:public-buildings:{code}:{public.data_version()}", lambda: public.region_list(region))
    return render(request, "buildings/public_list.html", data)


def public_village(request: HttpRequest, code: str):
    village, cooperative = public.public_village(code)
    data = _cached(
        f"kopdes:public-building:{code}:{public.data_version()}", lambda: public.village_page(village, cooperative)
    )
    return render(request, "buildings/public_village.html", data)


def public_photo(request: HttpRequest, pk: int):
    """A photo the office marked public, decoded and written again as a JPEG without any metadata
    (`files.exif.public_jpeg`); cached by the stored file's digest."""
    evidence = public.public_photo(pk)
    key = f"kopdes:public-photo:{evidence.pk}:{evidence.sha256}"
    content = cache.get(key)
    if content is None:
        try:
            with evidence.file.open("rb") as handle:
                content = public_jpeg(handle.read())
        except (OSError, ValueError) as error:
            raise Http404 from error
        cache.set(key, content, PHOTO_CACHE_SECONDS)
    response = HttpResponse(content, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=600"
    return response
