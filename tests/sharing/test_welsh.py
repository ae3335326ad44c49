"""The sector library and a lesson read in Welsh for a Welsh reader: Lantern's words translated,
the lesson's own words (people's content) as they were written."""

from django.urls import reverse

from accounts.models import Role
from sharing.models import Visibility


def _welsh(client):
    client.cookies["django_language"] = "cy"
    return client


def test_the_library_and_a_lesson_read_in_welsh(personas, make_lesson):
    lesson = make_lesson(visibility=Visibility.SECTOR)
    client = _welsh(personas.client_for(personas.members[Role.OFFICER]))

    library = client.get(reverse("sharing:library")).content.decode()
    page = client.get(reverse("sharing:lesson-detail", args=[lesson.pk])).content.decode()

    assert "Llyfrgell y sector" in library and "Chwilio gwersi" in library and "1 wers" in library
    assert "Sector library" not in library
    assert "Am y wers hon" in page and "Beth a roddwyd ar brawf" in page
    assert lesson.title in page


def test_an_anonymised_lessons_preview_has_the_fingerprint_of_the_english_one(personas, make_lesson):
    from django.utils import translation

    from sharing import reading

    lesson = make_lesson(visibility=None)
    english = reading.preview_digest(reading.anonymised_preview(lesson))
    with translation.override("cy"):
        welsh_view = reading.anonymised_preview(lesson)
        assert welsh_view.section_markdown[0][0] == "Beth a roddwyd ar brawf"
        assert reading.preview_digest(welsh_view) == english
