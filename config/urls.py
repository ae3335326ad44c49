from django.contrib import admin
from django.urls import include, path

from config import views
from innovation import public_urls
from portfolio import urls as portfolio_urls
from reports import urls as reports_urls

urlpatterns = [
    path("", views.home_view, name="home"),
    path("accessibility/", views.accessibility_view, name="accessibility"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("django-admin/", admin.site.urls),
    path("", include("accounts.urls")),
    # portfolio's pages, and its gap report download, which reports/ writes (reports/urls.py).
    path("", include((portfolio_urls.urlpatterns + reports_urls.portfolio_urlpatterns, portfolio_urls.app_name))),
    path("", include("innovation.urls")),
    # the public pages, and the forward plan's download, which reports/ writes (reports/urls.py).
    path("", include((public_urls.urlpatterns + reports_urls.public_urlpatterns, public_urls.app_name))),
    path("", include("risk.urls")),
    path("", include("sharing.urls")),
    path("", include("reports.urls")),
    path("", include("config.api_urls")),
]

handler400 = "config.views.bad_request_view"
handler403 = "config.views.permission_denied_view"
handler404 = "config.views.page_not_found_view"
handler500 = "config.views.server_error_view"
