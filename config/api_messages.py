"""The API's error texts in Welsh: Django REST framework's own messages, and its 404s.

DRF ships no Welsh catalogue, so its messages are named here with gettext_noop: makemessages
then keeps them in Lantern's catalogue, which Django reads before every app's (LOCALE_PATHS),
and a client asking for Welsh (Accept-Language: cy or the language cookie; a browser session,
its person's chosen language) gets them in Welsh. Each msgid is DRF's exactly, placeholders
included ({max_length} and the like are filled in by DRF after translating);
tests/api/test_welsh_api.py checks they are still in DRF's source, so a rewording in an
upgrade fails a test rather than going back to English.
"""

from django.http import Http404
from django.utils.translation import get_language, gettext_noop
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

DRF_MESSAGES_IN_WELSH = (
    # rest_framework/exceptions.py and authentication.py
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Not found."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    gettext_noop("User inactive or deleted."),
    # rest_framework/fields.py
    gettext_noop("This field is required."),
    gettext_noop("This field may not be null."),
    gettext_noop("This field may not be blank."),
    gettext_noop("Not a valid string."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("String value too large."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
    gettext_noop("Ensure that there are no more than {max_whole_digits} digits before the decimal point."),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Expected a datetime but got a date."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("Datetime value out of range."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("This selection may not be empty."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("This list may not be empty."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted data was not a file. Check the encoding type on the form."),
    gettext_noop("No filename could be determined."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Ensure this filename has at most {max_length} characters (it has {length})."),
    gettext_noop("Value must be valid JSON."),
    # rest_framework/serializers.py and relations.py
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop("Invalid value."),
    # rest_framework/pagination.py
    gettext_noop("Invalid page."),
)


# Django's own form messages that the API's filters (django-filter's ChoiceFilter, NumberFilter,
# ModelChoiceFilter) give, where Django's Welsh catalogue is wrong or untidy ("Rhif ddyddiad
# dilys.", "Rhowch cyfanrif."): Lantern's catalogue, read first, says them properly.
DJANGO_MESSAGES_IN_BETTER_WELSH = (
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
)


# Django's get_object_or_404 (which DRF's generic views use) words its 404 in English only
# ("No Idea matches the given query."): in any other language the client gets DRF's "Not found.",
# which is translated. English answers are unchanged.
def exception_handler(exc, context):
    """DRF's exception handler, with Django's English-only 404 text replaced outside English."""
    if isinstance(exc, Http404) and not (get_language() or "en").startswith("en"):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
