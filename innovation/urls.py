app_name = "innovation"

urlpatterns: list = []
