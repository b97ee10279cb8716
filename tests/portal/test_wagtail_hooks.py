"""Every app's wagtail_hooks.py only registers: forms, views, panels, filters and bulk
actions live in their own modules, so that the hooks file reads as a table of contents."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

HOOK_FILES = sorted(Path(settings.BASE_DIR).glob("*/wagtail_hooks.py"))
# Module-level calls that register something with Wagtail.
REGISTRATIONS = {
    "hooks.register",
    "register_snippet",
    "modeladmin_register",
    "register_permission_policy",
}
# Inside a hook: a guard is fine, logic that loops, catches or defines something is not.
NOT_IN_A_HOOK = (
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.For,
    ast.While,
    ast.With,
    ast.Try,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ""


def is_registration(call):
    return isinstance(call, ast.Call) and dotted(call.func) in REGISTRATIONS


def is_constant(node):
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Tuple | ast.List):
        return all(is_constant(item) for item in node.elts)
    return False


def problems(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for index, node in enumerate(tree.body):
        where = f"{path.parent.name}/{path.name}:{node.lineno}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Expr) and is_registration(node.value):
            continue
        if isinstance(node, ast.Assign) and is_constant(node.value):
            continue
        if isinstance(node, ast.FunctionDef):
            if not any(is_registration(decorator) for decorator in node.decorator_list):
                found.append(f"{where}: {node.name} is not a hook")
            for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
                if isinstance(inner, NOT_IN_A_HOOK):
                    found.append(f"{where}: hook {node.name} holds a {type(inner).__name__}")
            continue
        found.append(f"{where}: a {type(node).__name__} is not a registration")
    return found


def test_every_app_has_its_hooks_file_checked():
    apps = {path.parent.name for path in HOOK_FILES}
    assert {"orders", "products", "merchants", "notifications", "insights"} <= apps


@pytest.mark.parametrize("path", HOOK_FILES, ids=lambda path: path.parent.name)
def test_wagtail_hooks_only_registers(path):
    assert problems(path) == []
