"""One door per state change: statuses and actions are written by their services, and by nothing else."""

import ast
from pathlib import Path

import campaigns
from campaigns.api import osdi, views
from campaigns.services import actions
from campaigns.web import public

CAMPAIGNS = Path(campaigns.__file__).parent
DOORS = {
    "action_record": {"services/actions.py", "services/documents.py", "admin.py"},
    "campaign_status_set": {"services/campaigns.py", "services/documents.py", "admin.py"},
}


def _modules(*, outside: str = "") -> list[tuple[str, ast.AST]]:
    found = []
    for path in CAMPAIGNS.rglob("*.py"):
        name = str(path.relative_to(CAMPAIGNS))
        if "migrations" in path.parts or (outside and name.startswith(outside)):
            continue
        found.append((name, ast.parse(path.read_text(), filename=name)))
    return found


def test_pages_rest_osdi_and_the_admin_record_actions_through_one_door():
    """action_record (the pages reach it through action_take) is the only writer of actions and their supporters."""
    assert public.action_take is actions.action_take
    assert views.action_record is osdi.action_record is actions.action_record
    callers, direct = set(), []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if called == "action_record":
                callers.add(name)
            # Action.objects.create(...), Supporter.objects.create(...) outside the services
            if (
                called in ("create", "bulk_create", "get_or_create")
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute)
                and isinstance(node.func.value.value, ast.Name | ast.Attribute)
                and getattr(node.func.value.value, "id", getattr(node.func.value.value, "attr", "")) in ("Action", "Supporter")
                and not name.startswith("services/")
            ):
                direct.append(f"{name}:{node.lineno}")
    assert callers <= DOORS["action_record"] | {"api/views.py", "api/osdi.py"}, callers
    assert {"api/views.py", "api/osdi.py", "admin.py"} <= callers
    assert direct == []


def test_nothing_outside_the_services_writes_a_status():
    """No `x.status = ...`, `.update(status=...)` or `create(status=...)` on campaigns, demands or people elsewhere."""
    found = []
    for name, tree in _modules(outside="services/"):
        if name.startswith("appeals/"):  # the extractor imports no models: its statuses are its own dataclasses
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    elts = target.elts if isinstance(target, ast.Tuple) else [target]
                    if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in elts):
                        found.append(f"{name}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") in ("update", "create", "get_or_create", "update_or_create")
                and any(k.arg == "status" for k in node.keywords)
            ):
                found.append(f"{name}:{node.lineno}")
    # The admin puts back the status a form brought, so that the service makes the change (campaigns/admin.py).
    allowed = {n for n in found if n.startswith("admin.py:")}
    assert sorted(set(found) - allowed) == []
