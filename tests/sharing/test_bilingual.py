"""Lessons in Welsh and English (issue 20 part 2): a lesson holds its text as written and, if the
author gives it, the same in the other language; readers see their own language first, with a
note when only the other exists; the library finds a lesson by the words of either."""

import pytest
from django.db import connection

from accounts.bilingual import Language
from accounts.models import Role
from sharing import queries, services
from sharing.api import LessonSerializer
from sharing.models import Lesson, Visibility
from tests.sharing.conftest import finished_project, lesson_text

pytestmark = pytest.mark.django_db

WELSH = {
    "title_translation": "Ni wnaeth negeseuon testun leihau apwyntiadau tai a gollwyd",
    "summary_translation": "Anfonwyd negeseuon atgoffa cyn apwyntiadau tai.",
    "tried_translation": "Anfonwyd negeseuon atgoffa gan y tîm tai.",
    "happened_translation": "Gostyngodd yr apwyntiadau a gollwyd 2% yn unig. "
    "Dywedodd preswylwyr fod y negeseuon yn hwyr.",
}
ONLY_IN_ENGLISH = "Mae’r wers hon ar gael yn Saesneg yn unig"


def _client(personas, membership, language):
    client = personas.client_for(membership)
    client.cookies["django_language"] = language
    return client


def test_a_lesson_in_both_languages_shows_each_reader_their_own(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR, **WELSH)
    url = f"/lessons/{lesson.pk}/"
    welsh = _client(personas, personas.outsider, "cy").get(url).content.decode()
    assert f'<h1 class="govuk-heading-l" lang="cy">{WELSH["title_translation"]}</h1>' in welsh
    assert "Anfonwyd negeseuon atgoffa cyn apwyntiadau tai." in welsh
    assert "Text reminders did not cut" not in welsh and 'id="language-note"' not in welsh
    # What the Welsh leaves blank ("what worked" and the rest) is shown as written, marked English.
    assert '<div lang="en"><p class="govuk-body">The booking system integration.</p>' in welsh

    english = _client(personas, personas.outsider, "en-gb").get(url).content.decode()
    assert '<h1 class="govuk-heading-l" lang="en">Text reminders did not cut missed housing' in english
    assert WELSH["title_translation"] not in english and 'id="language-note"' not in english


def test_a_lesson_only_in_english_tells_a_welsh_reader_so(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR)
    welsh = _client(personas, personas.outsider, "cy").get(f"/lessons/{lesson.pk}/").content.decode()
    assert ONLY_IN_ENGLISH in welsh
    assert 'lang="en">Text reminders did not cut missed housing appointments</h1>' in welsh
    # In the library, the card's title and summary carry the language they are in.
    library = _client(personas, personas.outsider, "cy").get("/library/").content.decode()
    assert 'lang="en">Text reminders did not cut' in library


def test_a_lesson_only_in_welsh_tells_an_english_reader_so(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR, language=Language.WELSH, title="Gwersi o negeseuon atgoffa")
    english = _client(personas, personas.outsider, "en-gb").get(f"/lessons/{lesson.pk}/").content.decode()
    assert "This lesson is only available in Welsh" in english
    assert 'lang="cy">Gwersi o negeseuon atgoffa</h1>' in english


def test_the_library_finds_a_lesson_by_a_word_only_in_its_welsh_text(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR, **WELSH)
    make_lesson(Visibility.SECTOR, title="Another lesson about reminders")
    for word in ("preswylwyr", "Gostyngodd negeseuon"):
        found = queries.library_search(organisation=personas.other_council, text=word)
        assert list(found.values_list("pk", flat=True)) == [lesson.pk], word
    # The English is still searched as before, stemmed on PostgreSQL.
    found = queries.library_search(organisation=personas.other_council, text="appointment")
    assert lesson.pk in found.values_list("pk", flat=True)
    page = _client(personas, personas.outsider, "cy").get("/library/", {"q": "preswylwyr"}).content.decode()
    assert WELSH["title_translation"] in page


def test_a_welsh_word_finds_nothing_another_organisation_may_not_read(personas, make_lesson):
    make_lesson(Visibility.INTERNAL, **WELSH)
    assert not queries.library_search(organisation=personas.other_council, text="preswylwyr").exists()
    assert queries.library_search(organisation=personas.council, text="preswylwyr").count() == 1


def test_names_are_removed_from_the_welsh_text_of_an_anonymised_lesson(personas, make_lesson):
    name = personas.council.name
    lesson = make_lesson(Visibility.ANONYMISED, **{**WELSH, "tried_translation": f"Anfonodd {name} negeseuon."})
    assert name not in Lesson.objects.get(pk=lesson.pk).search_document.split("\f")[1]
    welsh = _client(personas, personas.outsider, "cy").get(f"/lessons/{lesson.pk}/").content.decode()
    assert "negeseuon." in welsh and name not in welsh
    # The other language is part of what the admin checks: changing it asks for the check again.
    assert lesson.anonymised_checked_at is not None
    changed = services.lesson_update(
        actor=personas.members[Role.MANAGER].user, lesson=lesson, tried_translation="Testun newydd."
    )
    assert changed.anonymised_checked_at is None


def test_the_form_saves_both_languages(personas, manager):
    project = finished_project(personas.council, manager)
    client = _client(personas, personas.members[Role.MANAGER], "cy")
    form = client.get(f"/lessons/new/?project={project.pk}").content.decode()
    assert 'id="other-language"' in form and 'name="title_translation"' in form
    # The author's language (the page's) is chosen to begin with.
    assert 'value="cy" checked' in form
    data = {**lesson_text(personas.council), "project": project.pk, "language": "en-gb", **WELSH}
    response = client.post("/lessons/new/", data)
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert lesson.language == Language.ENGLISH and lesson.title_translation == WELSH["title_translation"]
    assert lesson.happened_translation == WELSH["happened_translation"]


def test_the_form_refuses_half_a_translation_with_an_error_summary(personas, manager):
    project = finished_project(personas.council, manager)
    client = _client(personas, personas.members[Role.MANAGER], "en-gb")
    data = {**lesson_text(personas.council), "project": project.pk, "title_translation": "Teitl yn unig"}
    html = client.post("/lessons/new/", data).content.decode()
    assert "There is a problem" in html
    assert "Enter the summary in the other language, or leave all of the other language empty" in html
    assert "Enter what happened in the other language" in html
    assert 'href="#id_summary_translation"' in html
    assert not Lesson.objects.exists()
    html = client.post("/lessons/new/", {**data, "language": "fr"}).content.decode()
    assert "Select a valid choice" in html and not Lesson.objects.exists()


def test_the_api_gives_the_lesson_as_written_and_its_other_language(personas, make_lesson):
    lesson = make_lesson(Visibility.SECTOR, **WELSH)
    row = LessonSerializer(Lesson.objects.get(pk=lesson.pk), context={"organisation": personas.other_council}).data
    assert row["language"] == "en-gb" and row["title"].startswith("Text reminders")
    assert row["title_translation"] == WELSH["title_translation"]
    assert row["summary_translation"] == WELSH["summary_translation"]
    plain = LessonSerializer(make_lesson(Visibility.SECTOR), context={"organisation": personas.other_council}).data
    assert plain["title_translation"] is None and plain["summary_translation"] is None


@pytest.mark.services
def test_postgresql_indexes_the_welsh_word_for_word_and_a_reindex_keeps_it(personas, make_lesson):
    if connection.vendor != "postgresql":
        pytest.skip("full-text search is PostgreSQL's: set DATABASE_URL=postgres://... to run this")
    lesson = make_lesson(Visibility.SECTOR, **WELSH)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM sharing_lesson WHERE id = %s", [lesson.pk])
        vector = cursor.fetchone()[0]
    # The Welsh kept whole ('simple'), the English stemmed ('english').
    assert "'preswylwyr'" in vector and "'gostyngodd'" in vector and "'remind'" in vector
    assert services.lesson_search_reindex() >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM sharing_lesson WHERE id = %s", [lesson.pk])
        assert cursor.fetchone()[0] == vector
    found = queries.library_search(organisation=personas.other_council, text="preswylwyr OR nothingatall")
    assert list(found.values_list("pk", flat=True)) == [lesson.pk]
