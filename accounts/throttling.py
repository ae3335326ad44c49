"""How django-axes recognises the person behind a sign-in attempt.

Email addresses sign in without regard to case, so attempts must be counted the same way:
otherwise "Ann@x", "ANN@x" and "ann@x" would each get their own ten guesses.
"""

import unicodedata

from django.conf import settings


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The email address an attempt was for, in the one form that sign-in treats as the same person."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        return None
    return unicodedata.normalize("NFKC", str(value)).strip().lower()
