"""What the innovation pages share: object permission checks, paging and refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect

from innovation import services

PAGE_SIZE = 25


def require_perm(request, perm: str, target) -> None:
    if not request.user.has_perm(perm, target):
        raise PermissionDenied


def paginate(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def refuse(request, error: services.InnovationError, to, **kwargs):
    """A refused change on a button-only page: the reason as a message, back where they were."""
    messages.error(request, str(error))
    return redirect(to, **kwargs)
