"""Every action string written to the audit log has a describer, so no entry can be left reading as raw code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

from kopdes.audit.describe import GROUPS, described_actions, describer_for

ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Action strings built at run time (f-strings), by the source text of the f-string: what they can become.
DYNAMIC = {
    "f'imports.{kind}'": {"imports.members", "imports.village_status"},
    "f\"reports.{('accept' if status == ReportStatus.ACCEPTED else 'return')}_report\"": {
        "reports.accept_report",
        "reports.return_report",
    },
}


def _strings(node: ast.AST, found: set[str], dynamic: set[str]) -> None:
    for inner in ast.walk(node):
        if isinstance(inner, ast.JoinedStr):
            dynamic.add(ast.unparse(inner))
        elif isinstance(inner, ast.Constant) and isinstance(inner.value, str) and ACTION.match(inner.value):
            found.add(inner.value)


def actions_in_code() -> tuple[set[str], set[str]]:  # noqa: C901  (one walk over the code's syntax trees)
    """The literal action strings of the code (keyword `action=`, a variable `action` assigned, or the positional
    argument of a function whose parameter is `action`) and the f-strings used as actions."""
    root = Path(settings.BASE_DIR) / "kopdes"
    files = [p for p in root.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in files]
    positions = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and "action" in [a.arg for a in node.args.args]:
                positions[node.name] = [a.arg for a in node.args.args].index("action")
    found: set[str] = set()
    dynamic: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            values: list[ast.AST] = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "action"]
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in positions and len(node.args) > positions[name]:
                    values.append(node.args[positions[name]])
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "action":
                        values.append(node.value)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        values += [
                            v
                            for t, v in zip(target.elts, node.value.elts, strict=False)
                            if isinstance(t, ast.Name) and t.id == "action"
                        ]
            for value in values:
                _strings(value, found, dynamic)
    return found, dynamic


def test_the_scan_finds_the_known_actions():
    found, _dynamic = actions_in_code()

    assert {"accounts.create_user", "member.update", "formation.verify_stage", "outlet.add"} <= found
    assert {"argparse.store_true"}.isdisjoint(found)
    assert len(found) > 60


def test_every_action_in_the_code_has_a_describer():
    found, dynamic = actions_in_code()
    unknown_fstrings = dynamic - set(DYNAMIC)
    expected = found | set().union(*(DYNAMIC[f] for f in dynamic & set(DYNAMIC)))

    assert not unknown_fstrings, f"an action built at run time: list what it can become in DYNAMIC: {unknown_fstrings}"
    assert not expected - described_actions(), "register how these actions read (an app's audit_texts.py)"


def test_every_describer_has_a_known_kind_of_change_and_a_phrase_with_its_object():
    for action in described_actions():
        describer = describer_for(action)
        assert describer is not None and describer.group in GROUPS
        assert "%(object)s" in str(describer.phrase) or action in {
            "accounts.login",
            "accounts.logout",
            "boundaries.load",
        }
