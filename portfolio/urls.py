from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("indicators/<str:code>/", views.indicator_detail_view, name="indicator-detail"),
]
