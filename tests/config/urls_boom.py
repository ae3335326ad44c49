"""Lantern's URLs plus one page that fails, to see what a person is shown when a page breaks."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns


def boom_view(request):
    raise RuntimeError("SELECT secret FROM accounts_user -- the database fell over")


urlpatterns = [*urlpatterns, path("boom/", boom_view)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
