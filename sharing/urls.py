from django.urls import path

from sharing import feeds, views

app_name = "sharing"

urlpatterns = [
    path("library/", views.library_view, name="library"),
    path("library/feed/", feeds.PublicLessonsFeed(), name="feed"),
    path("library/following/", views.following_view, name="following"),
    path("library/sector/", views.sector_view, name="sector"),
    path("lessons/", views.lesson_list_view, name="lesson-list"),
    path("lessons/new/", views.lesson_create_view, name="lesson-create"),
    path("lessons/<int:pk>/", views.lesson_detail_view, name="lesson-detail"),
    path("lessons/<int:pk>/edit/", views.lesson_update_view, name="lesson-update"),
    path("lessons/<int:pk>/publish/", views.lesson_publish_view, name="lesson-publish"),
    path(
        "lessons/<int:pk>/publish/anonymised/",
        views.lesson_publish_anonymised_view,
        name="lesson-publish-anonymised",
    ),
    path("lessons/<int:pk>/withdraw/", views.lesson_withdraw_view, name="lesson-withdraw"),
    path("lessons/<int:pk>/feature/", views.lesson_feature_view, name="lesson-feature"),
    path("lessons/<int:pk>/adopt/", views.lesson_adopt_view, name="lesson-adopt"),
    path("lessons/<int:pk>/visit/", views.visit_request_view, name="visit-request"),
    path("visits/", views.visit_list_view, name="visit-list"),
    path("visits/capacity/", views.visit_capacity_view, name="visit-capacity"),
    path("visits/<int:pk>/", views.visit_decide_view, name="visit-decide"),
]
