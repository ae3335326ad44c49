"""Checks on every request before any view reads it."""

from django.core.exceptions import BadRequest


class NulCharacterMiddleware:
    """Answers 400 to a request whose path or query string holds a NUL character.

    PostgreSQL cannot store or compare text holding NUL, and says so with an exception: a
    NUL in an indicator's code in the URL, or in any query parameter a view looks up,
    would be a server error. Forms and the API's fields already refuse NUL in what is
    posted (Django's ProhibitNullCharactersValidator); this one check covers the rest, for
    every page and every API operation, present and future, where a path converter would
    cover only path parameters and each view would need its own guard for its query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = (text for key, values in request.GET.lists() for text in (key, *values))
        if "\x00" in request.path or any("\x00" in text for text in query):
            # The 400 page, or under /api/ a JSON 400 (config.views.bad_request_view).
            raise BadRequest("NUL character in the path or the query")
        return self.get_response(request)
