"""Imports between apps go one way (DESIGN.md, "Apps and where things live"):

    accounts ← jobs ← portfolio ← innovation ← risk, sharing ← reports ← config

No module imports an app above its own, and risk and sharing, side by side, never import
each other. A lower app that needs something of a higher one goes through reverse relations
and URL names. Every import counts, the lazy ones inside functions included: they hide a
dependency, they don't remove it. config sits above reports because it composes the URLs.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Apps in one layer are siblings: neither imports the other.
LAYERS: list[set[str]] = [
    {"accounts"},
    {"jobs"},
    {"portfolio"},
    {"innovation"},
    {"risk", "sharing"},
    {"reports"},
    {"config"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def _imported(path: Path):
    """(line, top-level package) of every absolute import in the file, wherever it is written."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.partition(".")[0]
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in {"import_module", "__import__"})
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value.partition(".")[0]


def wrong_way_imports(root: Path = ROOT) -> list[str]:
    """Every import in an app's code of an app above it or beside it, as 'path:line: app imports other'."""
    found = []
    for app, level in LEVEL.items():
        for path in sorted((root / app).rglob("*.py")):
            for line, other in _imported(path):
                if other in LEVEL and other != app and LEVEL[other] >= level:
                    where = "beside" if LEVEL[other] == level else "above"
                    found.append(f"{path.relative_to(root)}:{line}: {app} imports {other}, {where} it")
    return found


def test_no_app_imports_an_app_above_it_or_beside_it():
    assert wrong_way_imports() == []


def test_every_app_has_its_place_in_the_layers():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(LEVEL) == set(), "add the new app to LAYERS in tests/test_architecture.py"


def test_an_upward_import_inside_a_function_is_caught(tmp_path):
    (tmp_path / "portfolio").mkdir()
    (tmp_path / "portfolio" / "queries.py").write_text(
        "from accounts.models import User\n\n\ndef counts():\n    from innovation.models import Idea\n"
    )
    (tmp_path / "risk").mkdir()
    (tmp_path / "risk" / "views.py").write_text("import importlib\n\nimportlib.import_module('sharing.queries')\n")
    assert wrong_way_imports(tmp_path) == [
        "portfolio/queries.py:5: portfolio imports innovation, above it",
        "risk/views.py:3: risk imports sharing, beside it",
    ]
