"""The contract tests of a generated package: which files, from which templates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from apismith import ir
from apismith.contract_cases import contract_cases
from apismith.pyrender import PythonApi

if TYPE_CHECKING:
    from apismith.plan import PlannedFile


def plan_tests(api: ir.Api, py: PythonApi, body_schemas: Mapping[str, Any]) -> list[PlannedFile]:
    """``tests/conftest.py`` and ``tests/test_<package>_contract.py`` (a basename unique
    to the package, so one pytest run can collect several generated packages)."""
    from apismith.plan import PlannedFile

    base = {"api": api, "py": py, "settings": api.settings}
    cases = contract_cases(api, py, body_schemas)
    return [
        PlannedFile("tests/conftest.py", "package/tests/conftest.py.jinja", base),
        PlannedFile(
            f"tests/test_{api.settings.package}_contract.py",
            "package/tests/test_contract.py.jinja",
            {**base, "cases": cases},
            weight=2 * len(api.operations),
        ),
    ]
