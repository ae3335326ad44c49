"""The sharing fixtures, for the walks of the pages where one organisation reaches another's lessons."""

from tests.sharing.conftest import admin, indicator, make_lesson, manager  # noqa: F401 (fixtures)
