"""Which file of a generated package is rendered from which template with what context.

Nothing else knows the output layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from apismith import ir
from apismith.deferred import Deferred
from apismith.plan_tests import plan_tests
from apismith.pyrender import PythonApi

RUNTIME_FILES = (
    "_auth_base.py",
    "_http.py",
    "_model_base.py",
    "_schema_check.py",
    "_transport.py",
)
"""Hand-written runtime modules copied verbatim from ``templates/runtime/``."""


@dataclass(frozen=True)
class PlannedFile:
    path: str
    """Relative POSIX path inside the output folder."""
    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    copy: str | None = None
    """A built-in file (under templates/) copied as it is."""
    weight: int = 1
    """Rough cost of rendering it (about a tenth of a millisecond each), to share the
    files of a big package evenly between render workers."""


def plan_package(
    api: ir.Api,
    py: PythonApi,
    body_schemas: Deferred,
    parameter_schemas: Deferred,
) -> list[PlannedFile]:
    """Every file of the package. The request schemas (operation id -> JSON Schema) are
    deferred: only the processes that render resources or contract tests work them out."""
    base = {"api": api, "py": py, "settings": api.settings}
    package = f"src/{api.settings.package}"
    files = [
        PlannedFile("pyproject.toml", "package/pyproject.toml.jinja", base),
        PlannedFile("README.md", "package/README.md.jinja", base, weight=len(api.operations) // 12),
        PlannedFile(f"{package}/__init__.py", "package/__init__.py.jinja", base),
        PlannedFile(f"{package}/py.typed", "package/py.typed.jinja", base),
        PlannedFile(f"{package}/_client.py", "package/_client.py.jinja", base),
        PlannedFile(f"{package}/_errors.py", "package/_errors.py.jinja", base),
        PlannedFile(f"{package}/_auth.py", "package/_auth.py.jinja", base),
        PlannedFile(
            f"{package}/models/__init__.py",
            "package/models/__init__.py.jinja",
            base,
            weight=len(api.types) // 50,
        ),
        PlannedFile(
            f"{package}/models/__init__.pyi",
            "package/models/__init__.pyi.jinja",
            base,
            weight=len(api.types) // 20,
        ),
        PlannedFile(
            f"{package}/resources/__init__.py", "package/resources/__init__.py.jinja", base
        ),
    ]
    files.extend(PlannedFile(f"{package}/{name}", copy=f"runtime/{name}") for name in RUNTIME_FILES)
    for module, types in py.module_types().items():
        files.append(
            PlannedFile(
                f"{package}/models/{module}.py",
                "package/models/module.py.jinja",
                {**base, "types": types},
                weight=len(types),
            )
        )
    for namespace, namespace_module, resources in py.namespaces():
        files.append(
            PlannedFile(
                f"{package}/resources/{namespace_module}/__init__.py",
                "package/resources/namespace.py.jinja",
                {**base, "namespace": namespace, "resources": resources},
            )
        )
        for resource, resource_module, operations in resources:
            context = {
                **base,
                "namespace": namespace,
                "resource": resource,
                "operations": operations,
                "body_schemas": body_schemas,
                "parameter_schemas": parameter_schemas,
            }
            files.append(
                PlannedFile(
                    f"{package}/resources/{namespace_module}/{resource_module}.py",
                    "package/resources/resource.py.jinja",
                    context,
                    weight=2 * len(operations),
                )
            )
            files.append(
                PlannedFile(
                    f"docs/{namespace_module}/{resource_module}.md",
                    "package/docs/resource.md.jinja",
                    context,
                    weight=3 * len(operations) // 2,
                )
            )
    files.extend(plan_tests(api, py, body_schemas))
    return sorted(files, key=lambda f: f.path)
