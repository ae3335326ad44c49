"""What the innovation pages share: paging."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))
