"""The sharing app's lesson fixtures, reused by the wording checks."""

from tests.sharing.conftest import admin, indicator, make_lesson, manager  # noqa: F401 (fixtures)
