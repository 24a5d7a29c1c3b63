"""The layers hold: the import contract (import-linter, pyproject.toml) is kept, no app imports another inside a
function to get around it, every app stands on one layer, and docs/architecture.md draws the same layers."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kopdes"


def contract_layers() -> list[list[str]]:
    """The layers of the contract, top first: each a list of app names (siblings that never import each other)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return [[name.strip() for name in line.split("|")] for line in layers]


def documented_layers() -> list[list[str]]:
    """The apps column of the layer table in docs/architecture.md (section "Layers"), top first."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    section = text.split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("|---")][1:]
    return [re.findall(r"`([a-z_]+)`", row.split("|")[2]) for row in rows]


def apps() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py") if p.parent.name not in {"tests", "locale"}}


def production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        yield parts[0], path


def function_level_imports_between_apps() -> list[str]:
    found = []
    for app, path in production_modules():
        tree = ast.parse(path.read_text(), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "kopdes" and len(parts) > 1 and parts[1] in apps() and parts[1] != app:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_the_import_contract_is_kept():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_no_app_imports_another_inside_a_function():
    # import-linter sees these too, but only refuses the upward ones; a downward one inside a function hides a cycle
    # that was there once, or a dependency a reader of the module's head does not see
    assert function_level_imports_between_apps() == []


def test_every_app_stands_on_exactly_one_layer():
    listed = [app for layer in contract_layers() for app in layer]

    assert sorted(listed) == sorted(set(listed)), "an app is on two layers"
    assert set(listed) == apps(), "an app missing from the contract could import anything"


def test_the_architecture_doc_draws_the_layers_of_the_contract():
    assert documented_layers() == contract_layers()


# The server's calendar where the village's is meant: the server runs in UTC on most hosts, which is still yesterday in
# Paser until 08:00 WITA. Village dates come from `kopdes.clock` (local_today, local_date) or from the caller's `today`.
SERVER_DATE_ALLOWED = {
    # a bound for the database's prefilter only: the UTC date plus one day is never before any Indonesian zone's date;
    # each follow-up is then judged against its own village's date (local_today)
    "kopdes/assistance/reminders_activities.py": 1,
    # the name of a backup file written on the server: a moment of the server, not a date of a village
    "kopdes/core/management/commands/backup.py": 1,
}


def server_date_calls(tree: ast.AST) -> list[int]:
    """Lines calling date.today(), datetime.today(), datetime.now() without a zone, or timezone.now().date()."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner, name = node.func.value, node.func.attr
        if isinstance(owner, ast.Name) and (
            (owner.id in {"date", "datetime"} and name == "today")
            or (owner.id == "datetime" and name == "now" and not node.args and not node.keywords)
        ):
            found.append(node.lineno)
        elif (
            name == "date"
            and isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Attribute)
            and owner.func.attr == "now"
            and isinstance(owner.func.value, ast.Name)
            and owner.func.value.id == "timezone"
        ):
            found.append(node.lineno)
    return found


def test_no_code_takes_the_servers_date_for_a_villages():
    found = {}
    for _app, path in production_modules():
        lines = server_date_calls(ast.parse(path.read_text(), str(path)))
        if lines:
            found[str(path.relative_to(ROOT))] = len(lines)

    assert found == SERVER_DATE_ALLOWED


def test_the_server_date_check_sees_each_way_of_writing_it():
    source = """
date.today()
datetime.today()
datetime.now()
timezone.now().date()
datetime.now(UTC)
local_today(code)
timezone.now()
"""
    assert server_date_calls(ast.parse(source)) == [2, 3, 4, 5]
