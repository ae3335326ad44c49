from django.shortcuts import get_object_or_404, render

from accounts.access import organisation_required
from portfolio.models import Indicator


@organisation_required
def indicator_detail_view(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    return render(request, "portfolio/indicator_detail.html", {"indicator": indicator})
