"""The pages anyone may open without signing in: a campaign's public page and the links in the
emails its idea-givers get (innovation/views/public.py), an authority's forward plan of key
decisions (innovation/views/key_decisions.py; its CSV is written in reports/urls.py), and an
organisation's published records of decision (innovation/views/decisions.py)."""

from django.urls import path

from innovation.views import decisions, key_decisions, public

app_name = "public"

urlpatterns = [
    path("have-your-say/<int:pk>/", public.campaign_start_view, name="campaign"),
    path("have-your-say/<int:pk>/idea/", public.campaign_idea_view, name="idea"),
    path("have-your-say/<int:pk>/similar/", public.campaign_similar_view, name="similar"),
    path("have-your-say/<int:pk>/sent/", public.campaign_sent_view, name="sent"),
    path("have-your-say/confirm/<str:token>/", public.confirm_view, name="confirm"),
    path("have-your-say/unsubscribe/<str:token>/", public.unsubscribe_view, name="unsubscribe"),
    path("forward-plan/<int:organisation>/", key_decisions.public_forward_plan_view, name="forward-plan"),
    # An organisation's published records of decision, when its admin chooses to publish them.
    path("published-decisions/<int:organisation>/", decisions.public_decision_list_view, name="decisions"),
    path(
        "published-decisions/<int:organisation>/<int:pk>/",
        decisions.public_decision_detail_view,
        name="decision",
    ),
]
