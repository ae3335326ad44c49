"""The risk and sharing apps' own fixtures, for tests here of pages that span the apps."""

from tests.risk.conftest import make_risk, project  # noqa: F401 (fixtures)
from tests.sharing.conftest import admin, indicator, make_lesson, manager  # noqa: F401 (fixtures)
