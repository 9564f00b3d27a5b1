"""The contract tests of a generated package: which files, from which templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apismith import ir
from apismith.contract_cases import contract_cases
from apismith.deferred import Deferred
from apismith.pyrender import PythonApi

if TYPE_CHECKING:
    from apismith.plan import PlannedFile


def plan_tests(api: ir.Api, py: PythonApi, body_schemas: Deferred) -> list[PlannedFile]:
    """``tests/conftest.py``, ``tests/test_<package>_contract.py`` (a basename unique to
    the package, so one pytest run can collect several generated packages) and the cases
    it reads, as data, from ``tests/<package>_contract_cases.json``."""
    from apismith.plan import PlannedFile

    package = api.settings.package
    cases_file = f"{package}_contract_cases.json"
    base = {"api": api, "py": py, "settings": api.settings}
    cases = Deferred(lambda: contract_cases(api, py, body_schemas.value))
    context = {**base, "cases": cases, "cases_file": cases_file}
    return [
        PlannedFile("tests/conftest.py", "package/tests/conftest.py.jinja", base),
        PlannedFile(
            f"tests/test_{package}_contract.py", "package/tests/test_contract.py.jinja", context
        ),
        PlannedFile(
            f"tests/{cases_file}",
            "package/tests/contract_cases.json.jinja",
            context,
            weight=len(api.operations) // 4,
        ),
    ]
